/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the host half of ext4 (fs/ext4/ *_user.c) only: the libext2fs
 * handle behind struct e4h_fs and small helpers.
 */
#ifndef FS_EXT4_EXT2FS_USER_H
#define FS_EXT4_EXT2FS_USER_H

#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>
#include "ext4_host.h"

struct e4h_fs {
	ext2_filsys fs;
	void *dev;
	bool rw;
	bool was_clean;		/* s_state had VALID_FS when mounted rw */
	bool discard;		/* mount -o discard */
	uint64_t disc_start, disc_count;	/* freed blocks not yet discarded */
};

/* libext2fs's error codes (and plain errnos from our I/O) as -errno. */
int e4h_err(errcode_t e);

/* The on-disk inode, as much of it as struct ext2_inode_large holds. */
int e4h_iget(struct e4h_fs *h, uint32_t ino, struct ext2_inode_large *in);
int e4h_iput(struct e4h_fs *h, uint32_t ino, struct ext2_inode_large *in);
/* Timestamps with their extra (nanoseconds, epoch) fields. */
void e4h_set_times(struct ext2_inode_large *in, const struct e4h_attr *a);
void e4h_set_owner(struct ext2_inode_large *in, uint32_t uid, uint32_t gid);
void e4h_get_attr(ext2_filsys fs, struct ext2_inode_large *in,
		  struct e4h_attr *a);

#endif
