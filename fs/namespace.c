// SPDX-License-Identifier: GPL-2.0
/*
 * Mounts and filesystem types: the mount tree, mount(2), umount2(2).
 *
 * One mount namespace. A mount is attached on a (parent mount, dentry)
 * pair; the tree holds one reference on each attached mount and every
 * path (open file, cwd, walk in progress) holds another, which is what
 * makes a mount busy.
 */
#include "kern/vfs.h"
#include "kern/fsnotify.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

LIST_HEAD(mount_list);
struct vfsmount *root_mnt;
static struct file_system_type *file_systems;
static int next_mnt_id = 1;
static unsigned int next_anon_dev = 1;

int register_filesystem(struct file_system_type *fs)
{
	struct file_system_type *p;

	for (p = file_systems; p; p = p->next)
		if (!strcmp(p->name, fs->name))
			return -EBUSY;
	fs->next = NULL;
	if (!file_systems) {
		file_systems = fs;
		return 0;
	}
	for (p = file_systems; p->next; p = p->next)
		;
	p->next = fs;
	return 0;
}

struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *p;

	for (p = file_systems; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* "nodev\ttmpfs\n" lines as in /proc/filesystems. */
int filesystems_show(char *buf, size_t len)
{
	struct file_system_type *p;
	size_t n = 0;

	for (p = file_systems; p; p = p->next) {
		int w = snprintf(buf + n, len > n ? len - n : 0, "%s\t%s\n",
				 (p->fs_flags & FS_REQUIRES_DEV) ? "" : "nodev",
				 p->name);
		n += (size_t)w;
	}
	return (int)n;
}

struct super_block *sget_nodev(struct file_system_type *type, int flags)
{
	struct super_block *sb = kzalloc(sizeof(*sb));

	if (!sb)
		return NULL;
	sb->s_type = type;
	sb->s_flags = (unsigned long)flags & (MS_RDONLY | MS_NOSUID | MS_NODEV |
					      MS_NOEXEC | MS_SYNCHRONOUS |
					      MS_NOATIME | MS_NODIRATIME);
	sb->s_dev = MKDEV(0, next_anon_dev++);
	sb->s_active = 1;
	sb->s_blocksize = 4096;
	INIT_LIST_HEAD(&sb->s_inodes_list);
	return sb;
}

void deactivate_super(struct super_block *sb)
{
	if (--sb->s_active)
		return;
	/* watches pin inodes, which must not outlive their superblock */
	fsnotify_sb_delete(sb);
	if (sb->s_op && sb->s_op->put_super)
		sb->s_op->put_super(sb);
	dput(sb->s_root);
	kfree(sb);
}

struct vfsmount *mntget(struct vfsmount *m)
{
	if (m)
		m->mnt_count++;
	return m;
}

void mntput(struct vfsmount *m)
{
	if (!m)
		return;
	BUG_ON(m->mnt_count <= 0);
	if (--m->mnt_count)
		return;
	dput(m->mnt_root);
	deactivate_super(m->mnt_sb);
	kfree(m->mnt_devname);
	kfree(m);
}

void path_get(const struct path *p)
{
	mntget(p->mnt);
	dget(p->dentry);
}

void path_put(const struct path *p)
{
	dput(p->dentry);
	mntput(p->mnt);
}

bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

bool mnt_is_readonly(const struct vfsmount *m)
{
	return (m->mnt_flags & MNT_READONLY) ||
	       (m->mnt_sb->s_flags & MS_RDONLY);
}

/* The mount most recently attached on (parent, mp), if any. */
struct vfsmount *lookup_mnt(struct vfsmount *parent, struct dentry *mp)
{
	struct list_head *pos;

	for (pos = mount_list.prev; pos != &mount_list; pos = pos->prev) {
		struct vfsmount *m = list_entry(pos, struct vfsmount, mnt_list);

		if (m != parent && m->mnt_parent == parent &&
		    m->mnt_mountpoint == mp)
			return m;
	}
	return NULL;
}

static struct vfsmount *alloc_mnt(struct super_block *sb, struct dentry *root,
				  const char *dev)
{
	struct vfsmount *m = kzalloc(sizeof(*m));

	if (!m)
		return NULL;
	m->mnt_devname = kstrdup(dev ? dev : "none");
	if (!m->mnt_devname) {
		kfree(m);
		return NULL;
	}
	m->mnt_sb = sb;
	m->mnt_root = dget(root);
	m->mnt_parent = m;
	m->mnt_mountpoint = m->mnt_root;
	m->mnt_count = 1;
	m->mnt_id = next_mnt_id++;
	INIT_LIST_HEAD(&m->mnt_list);
	return m;
}

static int ms_to_mnt_flags(unsigned long ms)
{
	int f = 0;

	if (ms & MS_RDONLY)
		f |= MNT_READONLY;
	if (ms & MS_NOSUID)
		f |= MNT_NOSUID;
	if (ms & MS_NODEV)
		f |= MNT_NODEV;
	if (ms & MS_NOEXEC)
		f |= MNT_NOEXEC;
	if (ms & MS_NOATIME)
		f |= MNT_NOATIME;
	if (ms & MS_NODIRATIME)
		f |= MNT_NODIRATIME;
	if (ms & MS_NOSYMFOLLOW)
		f |= MNT_NOSYMFOLLOW;
	if (!(ms & (MS_NOATIME | MS_STRICTATIME)))
		f |= MNT_RELATIME;
	return f;
}

struct vfsmount *vfs_kern_mount(struct file_system_type *type, int flags,
				const char *dev, const void *data)
{
	struct super_block *sb;
	struct vfsmount *m;

	sb = type->mount(type, flags, dev, data);
	if (IS_ERR(sb))
		return ERR_PTR(PTR_ERR(sb));
	m = alloc_mnt(sb, sb->s_root, dev ? dev : type->name);
	if (!m) {
		deactivate_super(sb);
		return ERR_PTR(-ENOMEM);
	}
	m->mnt_flags = ms_to_mnt_flags((unsigned long)flags);
	return m;
}

/* Attaches m (whose reference passes to the tree) on mp. */
int do_add_mount(struct vfsmount *m, const struct path *mp)
{
	m->mnt_parent = mntget(mp->mnt);
	m->mnt_mountpoint = dget(mp->dentry);
	mp->dentry->d_mounted++;
	m->mnt_attached = true;
	list_add_tail(&m->mnt_list, &mount_list);
	return 0;
}

static void detach_mnt(struct vfsmount *m)
{
	struct vfsmount *parent = m->mnt_parent;
	struct dentry *mp = m->mnt_mountpoint;

	list_del(&m->mnt_list);
	m->mnt_attached = false;
	m->mnt_parent = m;
	m->mnt_mountpoint = m->mnt_root;
	mp->d_mounted--;
	dput(mp);
	mntput(parent);
}

static bool has_children(struct vfsmount *m)
{
	struct vfsmount *c;

	list_for_each_entry(c, &mount_list, mnt_list)
		if (c->mnt_parent == m && c != m)
			return true;
	return false;
}

/* Lazy unmount takes the whole subtree with it. */
static void umount_tree(struct vfsmount *m)
{
	struct vfsmount *c, *n;

again:
	list_for_each_entry_safe(c, n, &mount_list, mnt_list) {
		if (c->mnt_parent == m && c != m) {
			umount_tree(c);
			goto again;
		}
	}
	detach_mnt(m);
	mntput(m);
}

/* Sets up the root: a tmpfs mounted on nothing. */
int mount_root_tmpfs(void)
{
	struct vfsmount *m;

	m = vfs_kern_mount(&tmpfs_fs_type, 0, "rootfs", "mode=0755");
	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	m->mnt_attached = true;
	list_add_tail(&m->mnt_list, &mount_list);
	root_mnt = m;
	return 0;
}

/*
 * Appends src to buf at *n with the octal escapes /proc/mounts uses for
 * space, tab, newline and backslash, so that a field never splits.
 */
static void put_escaped(char *buf, size_t len, int *n, const char *src)
{
	for (; *src && *n >= 0 && (size_t)*n < len; src++) {
		if (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\\')
			*n += snprintf(buf + *n, len - (size_t)*n, "\\%03o",
				       (unsigned char)*src);
		else
			buf[(*n)++] = *src;
	}
	if (*n >= 0 && (size_t)*n < len)
		buf[*n] = 0;
}

/* The mount point of m as seen from root, in a PATH_MAX buffer. */
static char *mount_point(struct vfsmount *m, const struct path *root,
			 char *pathbuf)
{
	struct path p = { m, m->mnt_root };

	if (m->mnt_parent != m) {
		p.mnt = m->mnt_parent;
		p.dentry = m->mnt_mountpoint;
	}
	return d_path(&p, root, pathbuf, PATH_MAX);
}

/* The filesystem's own options (",size=...") after its rw/ro. */
static int super_options(struct super_block *sb, char *buf, size_t len)
{
	if (sb->s_op && sb->s_op->show_options)
		return sb->s_op->show_options(sb, buf, len);
	return 0;
}

static const char *mount_flags_str(struct vfsmount *m, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s", mnt_is_readonly(m) ? "ro" : "rw",
		 (m->mnt_flags & MNT_NOSUID) ? ",nosuid" : "",
		 (m->mnt_flags & MNT_NODEV) ? ",nodev" : "",
		 (m->mnt_flags & MNT_NOEXEC) ? ",noexec" : "",
		 (m->mnt_flags & MNT_NOATIME) ? ",noatime" :
		 (m->mnt_flags & MNT_RELATIME) ? ",relatime" : "");
	return buf;
}

/* One /proc/mounts line. */
int mnt_show(struct vfsmount *m, char *buf, size_t len, const struct path *root)
{
	char *pathbuf = kmalloc(PATH_MAX), *s, flags[64];
	int n = 0;

	if (!pathbuf)
		return -ENOMEM;
	s = mount_point(m, root, pathbuf);
	if (IS_ERR(s)) {
		kfree(pathbuf);
		return (int)PTR_ERR(s);
	}
	put_escaped(buf, len, &n, m->mnt_devname);
	if ((size_t)n < len)
		buf[n++] = ' ';
	put_escaped(buf, len, &n, s);
	if ((size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " %s %s",
			      m->mnt_sb->s_type->name,
			      mount_flags_str(m, flags, sizeof(flags)));
	if ((size_t)n < len)
		n += super_options(m->mnt_sb, buf + n, len - (size_t)n);
	if ((size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " 0 0\n");
	kfree(pathbuf);
	return n;
}

/*
 * One /proc/PID/mountinfo line: mount id, parent id, st_dev of the
 * filesystem, the mount's root within it, the mount point, per-mount
 * flags, no propagation tags (every mount is private), "-", type,
 * source and the superblock's flags and options.
 */
int mnt_show_info(struct vfsmount *m, char *buf, size_t len,
		  const struct path *root)
{
	char *pathbuf = kmalloc(PATH_MAX), *s, flags[64];
	struct path fsroot;
	int n;

	if (!pathbuf)
		return -ENOMEM;
	s = mount_point(m, root, pathbuf);
	if (IS_ERR(s)) {
		kfree(pathbuf);
		return (int)PTR_ERR(s);
	}
	n = snprintf(buf, len, "%d %d %u:%u ", m->mnt_id,
		     m->mnt_parent->mnt_id, MAJOR(m->mnt_sb->s_dev),
		     MINOR(m->mnt_sb->s_dev));
	/* A bind mount's root is a directory inside its filesystem. */
	fsroot.mnt = m;
	fsroot.dentry = m->mnt_sb->s_root;
	{
		char *rootbuf = kmalloc(PATH_MAX), *r;
		struct path mr = { m, m->mnt_root };

		r = rootbuf ? d_path(&mr, &fsroot, rootbuf, PATH_MAX) : NULL;
		put_escaped(buf, len, &n, (r && !IS_ERR(r) && *r) ? r : "/");
		kfree(rootbuf);
	}
	if ((size_t)n < len)
		buf[n++] = ' ';
	put_escaped(buf, len, &n, s);
	if ((size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " %s - %s ",
			      mount_flags_str(m, flags, sizeof(flags)),
			      m->mnt_sb->s_type->name);
	put_escaped(buf, len, &n, m->mnt_devname);
	if ((size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " %s",
			      (m->mnt_sb->s_flags & MS_RDONLY) ? "ro" : "rw");
	if ((size_t)n < len)
		n += super_options(m->mnt_sb, buf + n, len - (size_t)n);
	if ((size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "\n");
	kfree(pathbuf);
	return n;
}

static int copy_mount_string(uaddr_t u, char **out, size_t max)
{
	char *s;
	long n;

	*out = NULL;
	if (!u)
		return 0;
	s = kmalloc(max);
	if (!s)
		return -ENOMEM;
	n = strncpy_from_user(s, u, max);
	if (n < 0) {
		kfree(s);
		return n == -ENAMETOOLONG ? -EINVAL : (int)n;
	}
	*out = s;
	return 0;
}

static int do_remount(struct path *p, unsigned long flags, const char *data)
{
	struct super_block *sb = p->mnt->mnt_sb;
	int r;

	if (p->dentry != p->mnt->mnt_root)
		return -EINVAL;
	if (!(flags & MS_BIND)) {
		if (sb->s_op && sb->s_op->remount) {
			r = sb->s_op->remount(sb, flags);
			if (r)
				return r;
		}
		if (data && (sb->s_type == &tmpfs_fs_type ||
			     sb->s_type == &devtmpfs_fs_type)) {
			r = tmpfs_parse_options(sb, data, true);
			if (r)
				return r;
		}
		if (sb->s_type == &devpts_fs_type) {
			r = devpts_remount(data);
			if (r)
				return r;
		}
		sb->s_flags = (sb->s_flags & ~(unsigned long)MS_RDONLY) |
			      (flags & MS_RDONLY);
	}
	p->mnt->mnt_flags = ms_to_mnt_flags(flags);
	return 0;
}

/*
 * SysRq u: every mounted filesystem read-only, synced first. Returns how
 * many could not be (their remount refused).
 */
int emergency_remount_ro(void)
{
	struct vfsmount *m;
	int failed = 0;

	list_for_each_entry(m, &mount_list, mnt_list) {
		struct super_block *sb = m->mnt_sb;

		if (sb->s_flags & MS_RDONLY)
			continue;
		if (sb->s_op && sb->s_op->sync_fs)
			sb->s_op->sync_fs(sb);
		if (sb->s_op && sb->s_op->remount &&
		    sb->s_op->remount(sb, sb->s_flags | MS_RDONLY)) {
			failed++;
			continue;
		}
		sb->s_flags |= MS_RDONLY;
	}
	return failed;
}

static int do_bind(struct path *target, const char *src)
{
	struct path sp;
	struct vfsmount *m;
	int r;

	if (!src)
		return -EFAULT;
	r = kern_path(src, LOOKUP_FOLLOW, &sp);
	if (r)
		return r;
	if (S_ISDIR(sp.dentry->d_inode->i_mode) !=
	    S_ISDIR(target->dentry->d_inode->i_mode)) {
		path_put(&sp);
		return -ENOTDIR;
	}
	m = alloc_mnt(sp.mnt->mnt_sb, sp.dentry, sp.mnt->mnt_devname);
	if (!m) {
		path_put(&sp);
		return -ENOMEM;
	}
	sp.mnt->mnt_sb->s_active++;
	m->mnt_flags = sp.mnt->mnt_flags;
	path_put(&sp);
	return do_add_mount(m, target);
}

static bool mnt_is_under(struct vfsmount *m, struct vfsmount *top)
{
	while (m != top) {
		if (m->mnt_parent == m)
			return false;
		m = m->mnt_parent;
	}
	return true;
}

static int do_move(struct path *target, const char *src)
{
	struct path sp;
	int r;

	if (!src)
		return -EFAULT;
	r = kern_path(src, LOOKUP_FOLLOW, &sp);
	if (r)
		return r;
	r = -EINVAL;
	if (sp.dentry != sp.mnt->mnt_root || sp.mnt == root_mnt ||
	    !sp.mnt->mnt_attached)
		goto out;
	/* not into itself */
	if (mnt_is_under(target->mnt, sp.mnt))
		goto out;
	mntget(sp.mnt);
	detach_mnt(sp.mnt);
	r = do_add_mount(sp.mnt, target);
out:
	path_put(&sp);
	return r;
}

static int do_new_mount(struct path *target, const char *type, int flags,
			const char *src, const char *data)
{
	struct file_system_type *fs;
	struct vfsmount *m;

	if (!type)
		return -EINVAL;
	fs = get_fs_type(type);
	if (!fs)
		return -ENODEV;
	if (fs->fs_flags & FS_REQUIRES_DEV) {
		struct path dp;
		int r;

		if (!src)
			return -EINVAL;
		r = kern_path(src, LOOKUP_FOLLOW, &dp);
		if (r)
			return r;
		r = S_ISBLK(dp.dentry->d_inode->i_mode) ? 0 : -ENOTBLK;
		path_put(&dp);
		if (r)
			return r;
	}
	if (!S_ISDIR(target->dentry->d_inode->i_mode))
		return -ENOTDIR;
	m = vfs_kern_mount(fs, flags, src, data);
	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	return do_add_mount(m, target);
}

SYSCALL_DEFINE5(mount, uaddr_t, dev_name, uaddr_t, dir_name, uaddr_t, type,
		unsigned long, flags, uaddr_t, data)
{
	char *src = NULL, *fstype = NULL, *opts = NULL;
	struct path p;
	int r;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	r = copy_mount_string(type, &fstype, 256);
	if (!r)
		r = copy_mount_string(dev_name, &src, PATH_MAX);
	if (!r)
		r = copy_mount_string(data, &opts, PAGE_SIZE);
	if (r)
		goto out;
	r = user_path_at(AT_FDCWD, dir_name, LOOKUP_FOLLOW, &p);
	if (r)
		goto out;
	if (flags & MS_REMOUNT)
		r = do_remount(&p, flags, opts);
	else if (flags & MS_BIND)
		r = do_bind(&p, src);
	else if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		/* Mounts never propagate here: private is what they are. */
		r = (flags & MS_SHARED) ? -EINVAL : 0;
	else if (flags & MS_MOVE)
		r = do_move(&p, src);
	else
		r = do_new_mount(&p, fstype, (int)flags, src, opts);
	path_put(&p);
out:
	kfree(src);
	kfree(fstype);
	kfree(opts);
	return r;
}

#define MNT_FORCE	1
#define MNT_DETACH	2
#define MNT_EXPIRE	4
#define UMOUNT_NOFOLLOW	8

SYSCALL_DEFINE2(umount2, uaddr_t, name, int, flags)
{
	struct path p;
	struct vfsmount *m;
	int r;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	r = user_path_at(AT_FDCWD, name,
			 (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &p);
	if (r)
		return r;
	m = p.mnt;
	r = -EINVAL;
	if (p.dentry != m->mnt_root || !m->mnt_attached)
		goto out;
	r = -EBUSY;
	if (m == root_mnt)
		goto out;
	if (flags & MNT_EXPIRE) {
		r = -EAGAIN;
		goto out;
	}
	if (flags & MNT_DETACH) {
		umount_tree(m);
		r = 0;
		goto out;
	}
	/* the tree's reference and ours */
	if (m->mnt_count > 2 || has_children(m))
		goto out;
	detach_mnt(m);
	mntput(m);
	r = 0;
out:
	path_put(&p);
	return r;
}
