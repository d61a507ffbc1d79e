// SPDX-License-Identifier: GPL-2.0
/*
 * Anonymous inodes: epoll, eventfd, timerfd, signalfd and inotify files
 * have no name in any filesystem. As in Linux they all share one inode of
 * a kernel-internal filesystem (so fstat shows one st_ino, mode 0600 with
 * no file type); each file gets a dentry of its own whose name, "[kind]",
 * is what /proc/PID/fd shows after "anon_inode:".
 */
#include "kern/vfs.h"
#include "kern/init.h"

#define ANON_INODE_FS_MAGIC	0x09041934

static struct vfsmount *anon_mnt;
static struct inode *anon_inode;

static struct super_block *anon_inodefs_mount(struct file_system_type *type,
					int flags, const char *dev,
					const void *data)
{
	return pseudo_fs_mount(type, flags, ANON_INODE_FS_MAGIC);
}

/* Not registered: nobody mounts it from user space. */
static struct file_system_type anon_inodefs_type = {
	.name = "anon_inodefs",
	.mount = anon_inodefs_mount,
};

static int anon_inode_init(void)
{
	struct vfsmount *m = vfs_kern_mount(&anon_inodefs_type, MS_KERNMOUNT,
					    "anon_inodefs", NULL);

	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	anon_inode = new_inode(m->mnt_sb);
	if (!anon_inode)
		return -ENOMEM;
	/* Linux's anonymous inode: no file type, owner-only bits. */
	anon_inode->i_mode = 0600;
	anon_mnt = m;
	return 0;
}
core_initcall(anon_inode_init);

struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops,
				void *priv, int flags)
{
	struct path path;
	struct file *f;

	if (!anon_mnt)
		return ERR_PTR(-ENFILE);
	path.mnt = anon_mnt;
	path.dentry = d_alloc_pseudo(igrab(anon_inode), name);
	if (!path.dentry) {
		iput(anon_inode);
		return ERR_PTR(-ENOMEM);
	}
	f = alloc_file(&path, flags & (O_ACCMODE | O_NONBLOCK), fops);
	dput(path.dentry);
	if (!f)
		return ERR_PTR(-ENFILE);
	f->f_mode &= ~FMODE_LSEEK;
	f->c.private_data = priv;
	return f;
}

int anon_inode_getfd(const char *name, const struct file_operations *fops,
		     void *priv, int flags)
{
	struct file *f = anon_inode_getfile(name, fops, priv, flags);
	int fd;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	fd = fd_install_cur(f, flags);
	if (fd < 0) {
		/* the caller still owns priv: do not release it with f */
		f->c.f_op = NULL;
		fput(f);
	}
	return fd;
}
