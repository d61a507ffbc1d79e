/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VFS internals, shaped like Linux's: super_block, inode, dentry, vfsmount
 * and file, each with an ops table. kern/fs.h is the narrow contract for
 * the rest of the kernel; this header is for filesystems and fs/ itself.
 *
 * Lifetimes: every object is reference counted and freed when its last
 * reference goes. A dentry pins its parent and its inode; a path pins its
 * mount and dentry; a file pins its path. Filesystems that keep their whole
 * tree in memory (tmpfs) pin each positive dentry once more, so the dentry
 * tree is the directory structure.
 *
 * Everything runs under the big kernel lock. Code that sleeps (pipes,
 * locks, poll) holds references on what it uses across the sleep.
 */
#ifndef KERN_VFS_H
#define KERN_VFS_H

#include "kern/fs.h"
#include "kern/sched.h"

struct super_block;
struct vfsmount;
struct pipe_inode_info;
struct kstatfs;
struct kstat;
struct path;

struct kts {
	s64 sec;
	long nsec;
};

struct kts current_time(void);

/* inode attribute changes (setattr) */
#define ATTR_MODE	0x1
#define ATTR_UID	0x2
#define ATTR_GID	0x4
#define ATTR_SIZE	0x8
#define ATTR_ATIME	0x10
#define ATTR_MTIME	0x20
#define ATTR_CTIME	0x40
#define ATTR_ATIME_SET	0x80		/* explicit times (utimensat) */
#define ATTR_MTIME_SET	0x100
#define ATTR_FORCE	0x200		/* the kernel itself: no checks */
#define ATTR_KILL_SUID	0x400
#define ATTR_KILL_SGID	0x800
#define ATTR_TOUCH	0x1000		/* times to now (needs only write) */

struct iattr {
	unsigned int ia_valid;
	mode_t ia_mode;
	uid_t ia_uid;
	gid_t ia_gid;
	loff_t ia_size;
	struct kts ia_atime, ia_mtime, ia_ctime;
};

struct inode_operations {
	/* Fills d (d_instantiate) if the name exists; 0 even if it doesn't. */
	int (*lookup)(struct inode *dir, struct dentry *d);
	int (*create)(struct inode *dir, struct dentry *d, mode_t mode);
	int (*mknod)(struct inode *dir, struct dentry *d, mode_t mode,
		     dev_t dev);
	int (*mkdir)(struct inode *dir, struct dentry *d, mode_t mode);
	int (*rmdir)(struct inode *dir, struct dentry *d);
	int (*unlink)(struct inode *dir, struct dentry *d);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *d);
	int (*symlink)(struct inode *dir, struct dentry *d, const char *target);
	/* The VFS moves the dentries afterwards (d_move / d_exchange). */
	int (*rename)(struct inode *odir, struct dentry *od, struct inode *ndir,
		      struct dentry *nd, unsigned int flags);
	/* A symlink's target, kmalloc'd. */
	char *(*get_link)(struct dentry *d);
	/*
	 * Magic links (/proc/PID/fd/N, exe, cwd, root): following one goes
	 * straight to *p (counted), which is not walked again; get_link
	 * still gives what readlink shows.
	 */
	int (*jump_link)(struct dentry *d, struct path *p);
	/* Applies a checked change (size changes included). */
	int (*setattr)(struct dentry *d, struct iattr *ia);
	int (*fallocate)(struct inode *inode, int mode, loff_t off, loff_t len);
	/*
	 * Extended attributes by full name ("user.mime_type"), after the
	 * VFS checked the name, the size and the caller's rights (fs/xattr.c).
	 * get and list return the size, or -ERANGE if size is too small;
	 * size 0 asks for the size only.
	 */
	ssize_t (*getxattr)(struct dentry *d, const char *name, void *buf,
			    size_t size);
	int (*setxattr)(struct dentry *d, const char *name, const void *value,
			size_t size, int flags);
	ssize_t (*listxattr)(struct dentry *d, char *buf, size_t size);
	int (*removexattr)(struct dentry *d, const char *name);
	/* Optional: corrects what generic_fillattr guessed (st_blocks). */
	void (*getattr)(struct inode *inode, struct kstat *st);
	/* O_TMPFILE: a regular file with no name (nlink 0) instantiated in
	 * d, an unhashed dentry under dir; linkat may name it later. */
	int (*tmpfile)(struct inode *dir, struct dentry *d, mode_t mode);
};

struct super_operations {
	void (*evict_inode)(struct inode *inode);	/* last iput */
	int (*statfs)(struct super_block *sb, struct kstatfs *st);
	void (*put_super)(struct super_block *sb);
	int (*remount)(struct super_block *sb, unsigned long flags);
	int (*sync_fs)(struct super_block *sb);
	/* Machine shutdown: write everything and leave the disk clean, even
	 * with files still open (their tasks are gone). */
	void (*shutdown)(struct super_block *sb);
	/* The filesystem's options for /proc/mounts, each as ",opt". */
	int (*show_options)(struct super_block *sb, char *buf, size_t len);
};

struct inode {
	unsigned long i_ino;
	mode_t i_mode;
	uid_t i_uid;
	gid_t i_gid;
	unsigned int i_nlink;
	loff_t i_size;
	dev_t i_rdev;
	struct kts i_atime, i_mtime, i_ctime, i_btime;
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	int i_count;
	struct pipe_inode_info *i_pipe;	/* fifos and pipes */
	struct list_head i_posix_locks;	/* fcntl record locks */
	struct list_head i_flocks;	/* flock(2) locks */
	struct wait_queue_head i_lock_wait;
	int i_host_fd;			/* tmpfs: memfd of the data, or -1 */
	int i_host_fd_ro;		/* a read-only fd on it for mappings, or -1 */
	char *i_link;			/* tmpfs: symlink target */
	u64 i_dir_seq;			/* tmpfs: next readdir position */
	struct simple_xattrs *i_xattrs;	/* tmpfs: extended attributes */
	u64 i_bytes;			/* tmpfs: memory its data holds */
	void *i_private;
	struct list_head i_sb_list;
	unsigned int i_state;		/* I_* below */
	unsigned int i_seals;		/* memfd: F_SEAL_* */
	struct list_head i_fsnotify_marks;	/* inotify watches */
};

#define I_LINKABLE	0x1		/* an O_TMPFILE file linkat may name */

long memfd_fcntl(struct file *f, unsigned int cmd, unsigned long arg);

struct qstr {
	const char *name;
	unsigned int len;
	u32 hash;
};

struct dentry {
	int d_count;
	struct inode *d_inode;		/* NULL: negative */
	struct dentry *d_parent;	/* itself for a root */
	struct qstr d_name;
	struct list_head d_child;	/* in d_parent->d_subdirs */
	struct list_head d_subdirs;
	struct list_head d_hash;	/* in the dentry hash; empty: unhashed */
	bool d_hashed;
	struct super_block *d_sb;
	u64 d_seq;			/* readdir position in the parent */
	int d_mounted;			/* mounts on this dentry */
	void *d_fsdata;			/* the filesystem's */
};

/* d_type values */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

static inline unsigned int mode_to_dtype(mode_t m)
{
	return (m & S_IFMT) >> 12;
}

/* mount and superblock flags (MS_* values of mount(2)) */
#define MS_RDONLY	1
#define MS_NOSUID	2
#define MS_NODEV	4
#define MS_NOEXEC	8
#define MS_SYNCHRONOUS	16
#define MS_REMOUNT	32
#define MS_MANDLOCK	64
#define MS_DIRSYNC	128
#define MS_NOSYMFOLLOW	256
#define MS_NOATIME	1024
#define MS_NODIRATIME	2048
#define MS_BIND		4096
#define MS_MOVE		8192
#define MS_REC		16384
#define MS_SILENT	32768
#define MS_POSIXACL	(1 << 16)
#define MS_UNBINDABLE	(1 << 17)
#define MS_PRIVATE	(1 << 18)
#define MS_SLAVE	(1 << 19)
#define MS_SHARED	(1 << 20)
#define MS_RELATIME	(1 << 21)
#define MS_KERNMOUNT	(1 << 22)
#define MS_I_VERSION	(1 << 23)
#define MS_STRICTATIME	(1 << 24)
#define MS_LAZYTIME	(1 << 25)
#define MS_MGC_VAL	0xC0ED0000
#define MS_MGC_MSK	0xffff0000

/* per-mount flags kept in vfsmount.mnt_flags */
#define MNT_NOSUID	0x01
#define MNT_NODEV	0x02
#define MNT_NOEXEC	0x04
#define MNT_NOATIME	0x08
#define MNT_NODIRATIME	0x10
#define MNT_RELATIME	0x20
#define MNT_READONLY	0x40
#define MNT_NOSYMFOLLOW	0x80

struct file_system_type {
	const char *name;
	int fs_flags;
#define FS_REQUIRES_DEV		1
	/* Returns a super_block with one active reference, or ERR_PTR. */
	struct super_block *(*mount)(struct file_system_type *type, int flags,
				     const char *dev, const void *data);
	struct file_system_type *next;
};

struct super_block {
	struct file_system_type *s_type;
	const struct super_operations *s_op;
	dev_t s_dev;
	unsigned long s_magic;
	unsigned long s_flags;		/* MS_RDONLY, ... */
	struct dentry *s_root;
	int s_active;			/* mounts using it */
	unsigned long s_next_ino;
	u64 s_max_bytes;
	u64 s_bytes;			/* tmpfs accounting */
	u64 s_max_inodes;
	u64 s_inodes;
	void *s_fs_info;
	struct list_head s_inodes_list;
	u32 s_blocksize;
};

struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
	struct vfsmount *mnt_parent;	/* itself for the root mount */
	struct dentry *mnt_mountpoint;
	int mnt_flags;
	int mnt_count;
	int mnt_id;
	char *mnt_devname;
	struct list_head mnt_list;	/* in the global mount list */
	bool mnt_attached;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

/* open file modes */
#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define FMODE_LSEEK	0x4
#define FMODE_PATH	0x8
#define FMODE_ATOMIC_POS 0x10
#define FMODE_EXCL	0x20		/* opened with O_EXCL (a disk claim) */

struct file {
	struct file_common c;		/* must stay first (kern/fs.h) */
	int f_count;
	unsigned int f_mode;
	struct path f_path;
	int f_owner_pid;		/* F_SETOWN */
	int f_sig;			/* F_SETSIG */
	struct list_head f_ep_links;	/* epoll items watching this file */
};

struct kstatfs {
	long f_type;
	long f_bsize;
	u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int f_fsid[2];
	long f_namelen;
	long f_frsize;
	long f_flags;
};

struct kstat {
	u64 ino;
	dev_t dev;
	mode_t mode;
	unsigned int nlink;
	uid_t uid;
	gid_t gid;
	dev_t rdev;
	loff_t size;
	struct kts atime, mtime, ctime, btime;
	u32 blksize;
	u64 blocks;
	int mnt_id;
};

/* fs/filemap.c: file data in a host memfd (the page cache) */
/* Reads [*pos, i_size) into ubuf or kbuf from fd (fd < 0: zeros). */
ssize_t memfd_read(struct inode *inode, int fd, uaddr_t ubuf, void *kbuf,
		   size_t len, loff_t *pos);
/* Bytes written at p (some, or an error if none). */
ssize_t memfd_write(int fd, uaddr_t ubuf, const void *kbuf, size_t len,
		    loff_t p);
loff_t memfd_llseek(struct file *f, int fd, loff_t off, int whence);
bool file_touch_atime(struct file *f);
bool file_remove_privs(struct inode *inode);

/* fs/xattr.c: in-memory extended attributes (tmpfs) */
struct simple_xattrs;
ssize_t simple_xattr_get(struct inode *inode, const char *name, void *buf,
			 size_t size);
int simple_xattr_set(struct inode *inode, const char *name,
		     const void *value, size_t size, int flags);
ssize_t simple_xattr_list(struct inode *inode, char *buf, size_t size);
int simple_xattr_remove(struct inode *inode, const char *name);
void simple_xattrs_free(struct inode *inode);
#define XATTR_CREATE	0x1
#define XATTR_REPLACE	0x2
#define XATTR_NAME_MAX	255
#define XATTR_SIZE_MAX	65536
#define XATTR_LIST_MAX	65536

/* fs/inode.c */
struct inode *new_inode(struct super_block *sb);
struct inode *igrab(struct inode *inode);
void iput(struct inode *inode);
void inode_init_owner(struct inode *inode, struct inode *dir, mode_t mode);
int inode_permission(struct inode *inode, int mask);
int generic_permission(struct inode *inode, int mask);
bool inode_owner_or_capable(struct inode *inode);
void generic_fillattr(struct inode *inode, struct kstat *st);
void inode_touch_mtime(struct inode *inode);	/* mtime+ctime = now */
/* sets ATTR_* fields after checks by the caller */
void setattr_copy(struct inode *inode, const struct iattr *ia);
int generated_setattr(struct dentry *d, struct iattr *ia);
int notify_change(struct dentry *d, struct iattr *ia);

/* fs/dcache.c */
struct dentry *d_alloc(struct dentry *parent, const char *name, unsigned int len);
struct dentry *d_alloc_root(struct inode *root);
/* Takes over a reference to inode. */
struct dentry *d_alloc_pseudo(struct inode *inode, const char *name);
struct dentry *d_lookup(struct dentry *parent, const char *name, unsigned int len);
void d_instantiate(struct dentry *d, struct inode *inode);
void d_delete(struct dentry *d);	/* unlinked: unhash it */
void d_move(struct dentry *d, struct dentry *target);
void d_exchange(struct dentry *a, struct dentry *b);
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
bool d_unhashed(const struct dentry *d);
/* The path of d from root; into buf (from the end); returns the start. */
char *d_path(const struct path *p, const struct path *root, char *buf, int len);

/* fs/namespace.c */
struct vfsmount *mntget(struct vfsmount *m);
void mntput(struct vfsmount *m);
void path_get(const struct path *p);
void path_put(const struct path *p);
bool path_equal(const struct path *a, const struct path *b);
struct vfsmount *lookup_mnt(struct vfsmount *parent, struct dentry *mp);
int register_filesystem(struct file_system_type *fs);
struct file_system_type *get_fs_type(const char *name);
struct vfsmount *vfs_kern_mount(struct file_system_type *type, int flags,
				const char *dev, const void *data);
int do_add_mount(struct vfsmount *m, const struct path *mp);
struct super_block *sget_nodev(struct file_system_type *type, int flags);
/* fs/super.c: an internal filesystem's superblock with a bare root */
struct super_block *pseudo_fs_mount(struct file_system_type *type, int flags,
				     unsigned long magic);
/* fs/super.c: i_op, and the i_fop of a device, fifo or socket inode */
void init_special_inode(struct inode *inode, const struct inode_operations *iop);
void deactivate_super(struct super_block *sb);
bool mnt_is_readonly(const struct vfsmount *m);
extern struct vfsmount *root_mnt;
extern struct list_head mount_list;
/* /proc/mounts and friends: iterates attached mounts */
int mnt_show(struct vfsmount *m, char *buf, size_t len, const struct path *root);
/* /proc/PID/mountinfo's line for m */
int mnt_show_info(struct vfsmount *m, char *buf, size_t len,
		  const struct path *root);

/* fs/namei.c: path walking */
#define LOOKUP_FOLLOW		0x1
#define LOOKUP_DIRECTORY	0x2
#define LOOKUP_EMPTY		0x4
int user_path_at(int dfd, uaddr_t name, unsigned int flags, struct path *p);
int kern_path_at(int dfd, const char *name, unsigned int flags, struct path *p);
int kern_path(const char *name, unsigned int flags, struct path *p);
/* name (absolute or not) walked inside root, which ".." cannot leave. */
int kern_path_root(const struct path *root, const char *name,
		   unsigned int flags, struct path *p);
/* the file behind dfd for *at calls with AT_EMPTY_PATH, or dirfd base */
struct file *fdget(int fd);
unsigned int at_lookup_flags(int at_flags);
int may_open(const struct path *p, int acc_mode, int flag);
struct file *do_filp_open(int dfd, const char *name, int flags, mode_t mode);
enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };
struct last_info {
	int last_type;
	bool trailing_slash;
};
int nd_parent_child(int dfd, const char *name, struct path *parent,
		    struct path *child, struct last_info *li);
int nd_may_create(struct path *parent);
int mnt_want_write(struct vfsmount *m);
void follow_mount(struct path *p);
int vfs_mknod_at(int dfd, const char *name, mode_t mode, dev_t dev);
/* As vfs_mknod_at, and the new node's path (counted) in *res. */
int vfs_mknod_path(int dfd, const char *name, mode_t mode, dev_t dev,
		   struct path *res);
int vfs_mkdir_at(int dfd, const char *name, mode_t mode);
int vfs_symlink_at(const char *target, int dfd, const char *name);

/* fs/file_table.c */
struct file *alloc_file(const struct path *p, int flags,
			const struct file_operations *fop);
struct file *dentry_open(const struct path *p, int flags);
bool file_readable(const struct file *f);
bool file_writable(const struct file *f);

/* fs/file.c: fd tables */
struct files_struct;
int fd_install(int fd, struct file *f, bool cloexec);
struct file *fd_lookup(struct files_struct *files, int fd);
int close_fd(int fd);
int files_count_max(struct files_struct *files);	/* fd table size */
struct file *files_fd(struct files_struct *files, int fd, bool *cloexec);
int get_unused_fd(unsigned int start, bool cloexec);
int set_close_on_exec(int fd, bool on);
bool get_close_on_exec(int fd);
/* Installs f at the lowest free fd of current; takes over the reference. */
int fd_install_cur(struct file *f, int flags);
long f_dupfd(unsigned long start, struct file *f, bool cloexec);

/* fs/fs_struct.c */
struct fs_struct {
	int refs;
	int umask;
	struct path root, pwd;
};
void get_fs_root(struct path *p);
void get_fs_pwd(struct path *p);
void set_fs_root(struct fs_struct *fs, const struct path *p);
void set_fs_pwd(struct fs_struct *fs, const struct path *p);
int current_umask(void);

/* fs/read_write.c */
loff_t generic_file_llseek(struct file *f, loff_t off, int whence);
loff_t no_llseek(struct file *f, loff_t off, int whence);
ssize_t vfs_read(struct file *f, uaddr_t buf, size_t len, loff_t *pos);
ssize_t vfs_write(struct file *f, uaddr_t buf, size_t len, loff_t *pos);
int rw_verify_area(struct file *f, loff_t pos, size_t *len, bool write);
ssize_t vfs_iov_rw(int fd, uaddr_t vec, unsigned long vlen, bool write);

/* fs/open.c */
int vfs_truncate(const struct path *p, loff_t len);
int do_truncate(struct dentry *d, loff_t len, struct file *filp);

/* fs/char_dev.c */
int chrdev_open(struct inode *inode, struct file *f);
const char *chrdev_name(unsigned int major);
extern const struct file_operations def_chr_fops;
extern const struct file_operations def_blk_fops;
/* net/socket.c: a socket's name in a filesystem (open: -ENXIO) */
extern const struct file_operations bad_sock_fops;
/* block/fops.c: opening a block-device inode */
int blkdev_open(struct inode *inode, struct file *f);

/*
 * fs/anon_inodes.c: files with no name in any filesystem (epoll, eventfd,
 * timerfd, signalfd, inotify), all sharing one inode as in Linux; name is
 * what /proc/PID/fd shows after "anon_inode:", e.g. "[eventfd]"; flags
 * give the access mode, O_NONBLOCK and (for the fd) O_CLOEXEC.
 */
struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops,
				void *priv, int flags);
/* The same, installed at the lowest free fd (O_CLOEXEC from flags). */
int anon_inode_getfd(const char *name, const struct file_operations *fops,
		     void *priv, int flags);

/* fs/proc: the text of /proc/PID/fdinfo/N, for f_op->show_fdinfo */
int seq_printf(struct seq *s, const char *fmt, ...) __printf(2, 3);

/* fs/eventpoll.c: the last reference to f went; drop it from epoll sets */
void eventpoll_release_file(struct file *f);

/* fs/pipe.c */
#define PIPE_BUF	4096
#define PIPE_DEF_SIZE	65536
extern const struct file_operations fifo_fops;
void free_pipe_info(struct pipe_inode_info *p);
long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg);
unsigned int pipe_readable_bytes(struct file *f);
bool file_is_pipe(struct file *f);
/* fs/splice.c's halves (fs/pipe.c) */
ssize_t splice_from_pipe(struct file *pipe, struct file *out, loff_t *opos,
			 size_t len, bool nonblock, bool tee);
ssize_t splice_to_pipe(struct file *in, loff_t *ipos, struct file *pipe,
		       size_t len, bool nonblock);

/* fs/locks.c */
void locks_remove_posix(struct file *f, struct files_struct *owner);
void locks_remove_flock(struct file *f);
long fcntl_getlk(struct file *f, unsigned int cmd, uaddr_t arg);
long fcntl_setlk(int fd, struct file *f, unsigned int cmd, uaddr_t arg);

/* fs/namei.c: O_TMPFILE, and memfd_create's files (mm/memfd.c) */
struct file *vfs_tmpfile_open(const struct path *dir, const char *name,
			      int flags, mode_t mode);

/* fs/tmpfs.c */
#define TMPFS_MAGIC	0x01021994
extern struct file_system_type tmpfs_fs_type;
struct super_block *tmpfs_fill_new(struct file_system_type *type, int flags,
				   const void *data);
int tmpfs_parse_options(struct super_block *sb, const char *data, bool remount);
int tmpfs_show_options(struct super_block *sb, char *buf, size_t len);
extern const struct inode_operations tmpfs_dir_iops;

/* drivers/char/mem.c */
int mem_devices_init(void);

/* fs/link.c, for kernel users */
int vfs_unlink_at(int dfd, const char *name, bool dir);
int vfs_link_at(int odfd, const char *oldname, int ndfd, const char *newname,
		int flags);

/* /proc helpers */
int filesystems_show(char *buf, size_t len);
int chrdev_show(char *buf, size_t len);

/* fs/devpts/inode.c */
extern struct file_system_type devpts_fs_type;
int devpts_remount(const char *data);

/* fs/devtmpfs.c */
extern struct file_system_type devtmpfs_fs_type;
int devtmpfs_mount(void);

/* dev_t as the guest sees it (glibc's makedev encoding, 32-bit part) */
static inline u64 encode_dev_user(dev_t d)
{
	u64 ma = MAJOR(d), mi = MINOR(d);

	return (mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & ~0xffULL) << 12) |
	       ((ma & ~0xfffULL) << 32);
}

static inline dev_t decode_dev_user(u64 d)
{
	unsigned int ma = (unsigned int)(((d >> 8) & 0xfff) |
					 ((d >> 32) & ~0xfffULL));
	unsigned int mi = (unsigned int)((d & 0xff) | ((d >> 12) & ~0xffULL));

	return MKDEV(ma & 0xfff, mi & 0xfffff);
}

/* permission checking of the current task */
static inline uid_t current_fsuid(void)
{
	return current ? current->cred->fsuid : 0;
}

static inline gid_t current_fsgid(void)
{
	return current ? current->cred->fsgid : 0;
}

static inline bool fs_capable(int cap)
{
	return current ? capable(cap) : true;
}

static inline bool fs_in_group(gid_t gid)
{
	return current ? in_group_p(gid) : gid == 0;
}

#endif
