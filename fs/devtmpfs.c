// SPDX-License-Identifier: GPL-2.0
/*
 * devtmpfs: one tmpfs instance, shared by every mount of it, in which
 * drivers create their device nodes; mounted on /dev after the initramfs
 * is unpacked (as CONFIG_DEVTMPFS_MOUNT does).
 */
#include "kern/vfs.h"

static struct super_block *dev_sb;

static struct super_block *devtmpfs_get_sb(struct file_system_type *type,
					   int flags, const char *dev,
					   const void *data)
{
	if (!dev_sb)
		return ERR_PTR(-ENODEV);
	dev_sb->s_active++;
	return dev_sb;
}

struct file_system_type devtmpfs_fs_type = {
	.name = "devtmpfs",
	.mount = devtmpfs_get_sb,
};

int devtmpfs_init(void)
{
	struct super_block *sb;

	sb = tmpfs_fill_new(&devtmpfs_fs_type, 0, "mode=0755");
	if (IS_ERR(sb))
		return (int)PTR_ERR(sb);
	/* our reference keeps it alive with nothing mounted */
	dev_sb = sb;
	return 0;
}

/* The child name of dir, created by mk if missing (kernel: no checks). */
static int dev_child(struct dentry *dir, const char *name, unsigned int len,
		     mode_t mode, dev_t dev, struct dentry **out)
{
	struct inode *di = dir->d_inode;
	struct dentry *d;
	int r;

	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	d = d_lookup(dir, name, len);
	if (!d) {
		d = d_alloc(dir, name, len);
		if (!d)
			return -ENOMEM;
	}
	if (!d->d_inode && mode) {
		if (S_ISDIR(mode))
			r = di->i_op->mkdir(di, d, mode);
		else
			r = di->i_op->mknod(di, d, mode, dev);
		if (r) {
			dput(d);
			return r;
		}
		/* the nodes belong to root whoever registers them */
		d->d_inode->i_uid = 0;
		d->d_inode->i_gid = 0;
		d->d_inode->i_mode = mode;
	}
	*out = d;
	return 0;
}

int devtmpfs_create(const char *path, mode_t mode, dev_t dev)
{
	struct dentry *dir, *d;
	const char *s = path, *c;
	unsigned int len;
	int r;

	if (!dev_sb)
		return -ENODEV;
	if (!S_ISCHR(mode) && !S_ISBLK(mode) && !S_ISDIR(mode) &&
	    !S_ISFIFO(mode))
		return -EINVAL;
	dir = dget(dev_sb->s_root);
	for (;;) {
		while (*s == '/')
			s++;
		c = s;
		len = 0;
		while (c[len] && c[len] != '/')
			len++;
		s = c + len;
		while (*s == '/')
			s++;
		if (!len || (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.')) {
			dput(dir);
			return -EINVAL;
		}
		if (!*s)
			break;
		r = dev_child(dir, c, len, S_IFDIR | 0755, 0, &d);
		dput(dir);
		if (r)
			return r;
		if (!S_ISDIR(d->d_inode->i_mode)) {
			dput(d);
			return -ENOTDIR;
		}
		dir = d;
	}
	d = d_lookup(dir, c, len);
	if (d && d->d_inode) {
		/* registering the same node twice is harmless */
		r = (d->d_inode->i_mode == mode && d->d_inode->i_rdev == dev) ?
			0 : -EEXIST;
		dput(d);
		dput(dir);
		return r;
	}
	dput(d);
	r = dev_child(dir, c, len, mode, dev, &d);
	dput(dir);
	if (r)
		return r;
	dput(d);
	return 0;
}

/* Mounts devtmpfs on /dev (which must exist), as devtmpfs.mount=1. */
int devtmpfs_mount(void)
{
	struct vfsmount *m;
	struct path p;
	int r;

	r = kern_path("/dev", LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);
	if (r)
		return r;
	m = vfs_kern_mount(&devtmpfs_fs_type, 0, "devtmpfs", NULL);
	if (IS_ERR(m)) {
		path_put(&p);
		return (int)PTR_ERR(m);
	}
	r = do_add_mount(m, &p);
	path_put(&p);
	return r;
}

/*
 * Takes a driver's node away again (a disk unplugged), but only if it is
 * still the node the driver made: root may have replaced it since.
 */
int devtmpfs_remove(const char *name, mode_t mode, dev_t dev)
{
	struct dentry *root, *d;
	struct inode *dir;
	int r = -ENOENT;

	if (!dev_sb)
		return -ENODEV;
	if (strchr(name, '/'))
		return -EINVAL;
	root = dev_sb->s_root;
	dir = root->d_inode;
	d = d_lookup(root, name, (unsigned int)strlen(name));
	if (!d)
		return -ENOENT;
	if (d->d_inode && (d->d_inode->i_mode & S_IFMT) == (mode & S_IFMT) &&
	    d->d_inode->i_rdev == dev)
		r = dir->i_op->unlink(dir, d);
	dput(d);
	return r;
}
