/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VFS, shaped like Linux's: super_block, inode, dentry and file, each
 * with an ops table (DESIGN.md decision 6). This header is the contract the
 * rest of the kernel uses; fs/ implements it.
 */
#ifndef KERN_FS_H
#define KERN_FS_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/wait.h"

struct task;
struct file;
struct inode;
struct dentry;

#define PATH_MAX	4096
#define NAME_MAX	255

/* open flags (x86-64 values) */
#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_DSYNC		00010000
#define FASYNC		00020000
#define O_DIRECT	00040000
#define O_LARGEFILE	00100000
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000
#define O_NOATIME	01000000
#define O_CLOEXEC	02000000
#define __O_SYNC	04000000
#define O_SYNC		(__O_SYNC | O_DSYNC)
#define O_PATH		010000000
#define __O_TMPFILE	020000000
#define O_TMPFILE	(__O_TMPFILE | O_DIRECTORY)
/*
 * Kernel-internal (never accepted from a guest): open a file to execute
 * it, which needs exec permission rather than read permission.
 */
#define __O_EXEC_OPEN	0x40000000

#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_REMOVEDIR		0x200
#define AT_SYMLINK_FOLLOW	0x400
#define AT_NO_AUTOMOUNT		0x800
#define AT_EMPTY_PATH		0x1000
#define AT_EACCESS		0x200

#define S_IFMT		00170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		0004000
#define S_ISGID		0002000
#define S_ISVTX		0001000
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)

#define MAY_EXEC	0x1
#define MAY_WRITE	0x2
#define MAY_READ	0x4

/* poll events */
#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200
#define POLLRDHUP	0x2000

#define EPOLLEXCLUSIVE	(1U << 28)
#define EPOLLWAKEUP	(1U << 29)
#define EPOLLONESHOT	(1U << 30)
#define EPOLLET		(1U << 31)

/*
 * A poll table: f_op->poll() registers the wait queues the caller should
 * sleep on (poll_wait) and returns the current event mask. poll and
 * select queue their task on each (qproc NULL); epoll passes a qproc
 * that hangs a wake-up callback there instead.
 */
struct poll_block;
struct poll_table {
	void (*qproc)(struct file *f, struct wait_queue_head *wq,
		      struct poll_table *pt);
	struct poll_block *blocks;	/* poll/select's own entries */
	int err;
};
void poll_wait(struct file *f, struct wait_queue_head *wq, struct poll_table *pt);
/* f_op->poll, or what a file without one answers (always ready). */
unsigned int vfs_poll(struct file *f, struct poll_table *pt);
/* Files whose f_op has no poll cannot go into an epoll set (EPERM). */
bool file_can_poll(struct file *f);

/* One guest buffer of a vectored write. */
struct uvec {
	uaddr_t base;
	size_t len;
};
struct seq;

/* A guest iovec entry (struct iovec), checked by the caller. */
struct kiovec {
	u64 base;
	u64 len;
};

/*
 * Reads a guest iovec array (at most 1024 entries: else -EINVAL), checks
 * every entry (-EINVAL, -EFAULT) and clamps the total to MAX_RW_COUNT;
 * *out is kmalloc'd (NULL when nr is 0).
 */
int import_iovec(uaddr_t uvec, unsigned long nr, struct kiovec **out,
		 size_t *total);

struct file_operations {
	/* read/write at *pos; -EAGAIN when O_NONBLOCK would block */
	ssize_t (*read)(struct file *f, uaddr_t buf, size_t len, loff_t *pos);
	ssize_t (*write)(struct file *f, uaddr_t buf, size_t len, loff_t *pos);
	/* kernel-buffer variants (exec, initramfs, page cache users) */
	ssize_t (*read_kernel)(struct file *f, void *buf, size_t len, loff_t *pos);
	ssize_t (*write_kernel)(struct file *f, const void *buf, size_t len, loff_t *pos);
	/*
	 * readv/writev as one operation (total: the checked sum of the
	 * lengths), for files where the split matters (a datagram socket
	 * sends one message); optional.
	 */
	ssize_t (*read_iter)(struct file *f, const struct kiovec *v,
			     unsigned long nr, size_t total);
	ssize_t (*write_iter)(struct file *f, const struct kiovec *v,
			      unsigned long nr, size_t total);
	loff_t (*llseek)(struct file *f, loff_t off, int whence);
	unsigned int (*poll)(struct file *f, struct poll_table *pt);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	int (*open)(struct inode *inode, struct file *f);
	/* called when the last reference to the open file goes */
	void (*release)(struct inode *inode, struct file *f);
	int (*fsync)(struct file *f, int datasync);
	/* directory listing: emit(ctx, name, namelen, ino, d_type) per entry */
	int (*iterate)(struct file *f, void *ctx,
		       int (*emit)(void *ctx, const char *name, int len,
				   u64 ino, unsigned int type, loff_t next_pos));
	/* host memfd behind the pages, for mmap; -ENODEV if not mappable */
	int (*host_fd)(struct file *f, int *fd);
	/*
	 * writev's buffers as one write, for files where a write is a unit
	 * (a /dev/kmsg message); without it each buffer is a write.
	 */
	ssize_t (*write_vec)(struct file *f, const struct uvec *v,
			     unsigned long nr, loff_t *pos);
	/* extra lines of /proc/PID/fdinfo/N (seq_printf) */
	int (*show_fdinfo)(struct file *f, struct seq *s);
};

/*
 * Character devices: drivers register a range of (major, minor) numbers;
 * opening a device inode of that number calls fops->open with f_op set.
 */
#define MKDEV(ma, mi)	((dev_t)(((ma) << 20) | (mi)))
#define MAJOR(d)	((unsigned int)((d) >> 20))
#define MINOR(d)	((unsigned int)((d) & 0xfffff))
int register_chrdev_region(unsigned int major, unsigned int minor,
			   unsigned int count, const char *name,
			   const struct file_operations *fops);
/* Creates a node in devtmpfs (/dev), e.g. devtmpfs_create("null", S_IFCHR | 0666, MKDEV(1, 3)). */
int devtmpfs_create(const char *path, mode_t mode, dev_t dev);
/* Removes the node NAME (directly in /dev) if it is still that device. */
int devtmpfs_remove(const char *name, mode_t mode, dev_t dev);

/* The parts of struct file every user may rely on; fs/ defines the rest. */
struct file_common {
	const struct file_operations *f_op;
	unsigned int f_flags;		/* O_* flags (access mode, O_NONBLOCK, ...) */
	loff_t f_pos;
	void *private_data;		/* the driver's */
	struct inode *f_inode;
};
static inline struct file_common *file_c(struct file *f)
{
	return (struct file_common *)f;	/* struct file starts with struct file_common */
}

/* The inode's device number (for char devices) and other basics. */
dev_t inode_rdev(struct inode *inode);

/*
 * What the rest of the kernel needs from the VFS. fs/ owns the structures
 * and defines the rest of this header.
 */

/* SysRq s and u: sync every filesystem; remount all read-only (the
 * number that refused). */
void sync_filesystems(void);
int emergency_remount_ro(void);

/* Opens a path relative to current's cwd and root; ERR_PTR on error. */
struct file *filp_open(const char *path, int flags, mode_t mode);
/* Reads at *pos (advanced); bytes read or -errno. */
ssize_t kernel_read(struct file *f, void *buf, size_t len, loff_t *pos);
ssize_t kernel_write(struct file *f, const void *buf, size_t len, loff_t *pos);
struct file *get_file(struct file *f);
void fput(struct file *f);
/* 0 if current may execute f (regular file, exec permission, not noexec). */
int file_exec_check(struct file *f);
/* Set-id bits and owner of f's inode, for exec. */
void file_exec_ids(struct file *f, mode_t *mode, uid_t *uid, gid_t *gid);
/*
 * The host fd backing f's pages (a memfd), so that mmap can map it into a
 * guest, with the file's size; -ENODEV if f cannot be mapped.
 */
int file_host_fd(struct file *f, int *fd);
/* A read-only host fd on the same pages, for private mappings (kept by
 * the inode: the caller does not close it). */
int file_host_fd_ro(struct file *f, int *fd);
/* The path of f as seen from current's root (for /proc/PID/exe); kmalloc'd. */
char *file_path(struct file *f);
/* Current's open file fd with a reference (fput it), or NULL (EBADF). */
struct file *fget(int fd);
/* memfd seals (fcntl F_ADD_SEALS) */
#define F_SEAL_SEAL		0x0001
#define F_SEAL_SHRINK		0x0002
#define F_SEAL_GROW		0x0004
#define F_SEAL_WRITE		0x0008
#define F_SEAL_FUTURE_WRITE	0x0010
#define F_SEAL_ALL		0x001f
/* The memfd seals of f (F_SEAL_*), 0 for other files (mm/memfd.c). */
unsigned int file_seals(struct file *f);
/* st_dev and st_ino of f's inode (for /proc/PID/maps). */
void file_dev_ino(struct file *f, dev_t *dev, u64 *ino);

/* kernel/pidfd.c: a pidfd on the group t leads; the task a pidfd names
 * (NULL for other files); wakes pidfd pollers when a group has exited. */
struct file *pidfd_file(struct task *t, int flags);
struct task *pidfd_task(struct file *f);
void pidfd_notify_exit(void);

/* fd tables and fs contexts, for fork/exec/exit */
struct files_struct *files_alloc(void);
struct files_struct *files_dup(struct files_struct *old);
void files_get(struct files_struct *f);
void files_put(struct files_struct *f);
void files_close_on_exec(struct files_struct *f);
/*
 * Installs f as the lowest free fd (>= 0) with O_CLOEXEC from flags. On
 * success the table takes over the caller's reference to f; -EMFILE past
 * RLIMIT_NOFILE.
 */
int fd_install_new(struct files_struct *files, struct file *f, int flags);

struct fs_struct *fs_alloc_root(void);	/* at boot, after the root mount */
struct fs_struct *fs_copy(struct fs_struct *old);
void fs_get(struct fs_struct *fs);
void fs_put(struct fs_struct *fs);

/* Boot: mounts the root filesystem (tmpfs) and unpacks an initramfs. */
int vfs_init(void);
int populate_rootfs(const void *cpio, size_t len);
/* Validates a whole newc archive without unpacking it: 0 or -EINVAL. */
int cpio_check(const void *cpio, size_t len);
/* Syncs and unmounts everything (shutdown). */
void vfs_shutdown(void);

#endif
