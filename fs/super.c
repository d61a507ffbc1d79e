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
