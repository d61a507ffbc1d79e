// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing the VFS up and down: the filesystem types, the root tmpfs,
 * devtmpfs, pipefs and the memory devices.
 */
#include "kern/vfs.h"

int mount_root_tmpfs(void);
int devtmpfs_init(void);
int pipe_init(void);
int proc_init(void);
int sysfs_init(void);

/*
 * The superblock of an internal filesystem (pipefs, sockfs, anon_inodefs):
 * no name space, only a root directory for its files' dentries to hang on.
 */
struct super_block *pseudo_fs_mount(struct file_system_type *type, int flags,
				     unsigned long magic)
{
	struct super_block *sb = sget_nodev(type, flags);
	struct inode *root;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_magic = magic;
	root = new_inode(sb);
	if (!root) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	root->i_mode = S_IFDIR | 0700;
	sb->s_root = d_alloc_root(root);
	if (!sb->s_root) {
		iput(root);
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	return sb;
}

/*
 * The file operations of a device, fifo or socket inode, whatever
 * filesystem holds it; i_op is the filesystem's (setattr, xattrs).
 */
void init_special_inode(struct inode *inode, const struct inode_operations *iop)
{
	inode->i_op = iop;
	switch (inode->i_mode & S_IFMT) {
	case S_IFCHR:
		inode->i_fop = &def_chr_fops;
		break;
	case S_IFBLK:
		inode->i_fop = &def_blk_fops;
		break;
	case S_IFIFO:
		inode->i_fop = &fifo_fops;
		break;
	case S_IFSOCK:
		inode->i_fop = &bad_sock_fops;
		break;
	}
}

int vfs_init(void)
{
	int r;

	r = register_filesystem(&tmpfs_fs_type);
	if (!r)
		r = register_filesystem(&devtmpfs_fs_type);
	if (!r)
		r = proc_init();
	if (!r)
		r = sysfs_init();
	if (r)
		return r;
	r = mount_root_tmpfs();
	if (r)
		return r;
	r = devtmpfs_init();
	if (r)
		return r;
	r = pipe_init();
	if (r)
		return r;
	return mem_devices_init();
}

/*
 * Shutdown: every filesystem writes what it holds and, where it has a
 * disk, leaves it clean (a bind mount shares its superblock: once each).
 */
void vfs_shutdown(void)
{
	struct vfsmount *m;

	list_for_each_entry(m, &mount_list, mnt_list) {
		struct super_block *sb = m->mnt_sb;

		if (sb->s_op && sb->s_op->sync_fs)
			sb->s_op->sync_fs(sb);
	}
	list_for_each_entry(m, &mount_list, mnt_list) {
		struct super_block *sb = m->mnt_sb;

		if (sb->s_op && sb->s_op->shutdown)
			sb->s_op->shutdown(sb);
	}
}
