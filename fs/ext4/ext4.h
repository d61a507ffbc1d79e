/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ext2/ext3/ext4, kernel half: what fs/ext4/ *.c share. The filesystem
 * itself is libext2fs's business (the host half behind ext4_host.h); this
 * side is the VFS: inodes by number, a bounded set of cached dentries,
 * file data in memfds, and writeback.
 */
#ifndef FS_EXT4_EXT4_H
#define FS_EXT4_EXT4_H

#include "kern/vfs.h"
#include "kern/blkdev.h"
#include "ext4_host.h"

#define EXT4_SUPER_MAGIC	0xEF53
#define EXT4_IHASH		256

/* mount options */
#define EXT4_OPT_DISCARD	0x1
#define EXT4_OPT_ERRORS_RO	0x2
#define EXT4_OPT_ERRORS_PANIC	0x4
#define EXT4_OPT_ERRORS_CONT	0x8

struct ext4_sb_info {
	struct super_block *sb;
	struct block_device *bdev;
	unsigned int bdev_mode;
	struct e4h_fs *fs;		/* NULL once shut down */
	unsigned int opts;
	u32 block_size;
	u64 max_bytes;			/* largest file */
	struct list_head ihash[EXT4_IHASH];
	struct list_head lru;		/* pinned dentries, oldest first */
	unsigned int lru_count;
	struct list_head dirty;		/* inodes with unwritten changes */
	u64 cached_bytes;		/* memfd bytes of loaded inodes */
	u64 dirty_bytes;		/* data written and not yet written back */
	bool meta_dirty;		/* superblock/bitmaps changed since sync */
	struct list_head all;		/* in the writeback thread's list */
};

struct ext4_inode_info {
	struct inode *inode;
	struct list_head hash;
	struct list_head dirty;		/* in sbi->dirty, or empty */
	u64 dirty_start, dirty_end;	/* data to write back */
	u64 dirty_counted;		/* its part of sbi->dirty_bytes */
	u64 dirtied_ns;			/* when it first became dirty */
	u64 loaded_bytes;		/* charged to sbi->cached_bytes */
	u64 disk_blocks;		/* i_blocks on disk (512-byte units) */
	bool loaded;			/* the memfd holds the data */
	bool data_dirty, attr_dirty;
	bool mapped_shared;		/* writable shared mappings may exist */
	int writers;			/* open for writing */
};

static inline struct ext4_sb_info *EXT4_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline struct ext4_inode_info *EXT4_I(struct inode *inode)
{
	return inode->i_private;
}

/* super.c */
void ext4_msg(struct super_block *sb, const char *level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ext4_pin(struct dentry *d);
void ext4_unpin(struct dentry *d);
void ext4_lru_trim(struct ext4_sb_info *sbi);
void ext4_kattr(struct inode *inode, struct e4h_attr *a);
int ext4_writeback_all(struct ext4_sb_info *sbi);

/* inode.c */
struct inode *ext4_iget(struct super_block *sb, u32 ino);
void ext4_evict_inode(struct inode *inode);
int ext4_write_inode(struct inode *inode);
int ext4_writeback_inode(struct inode *inode);
int ext4_setattr(struct dentry *d, struct iattr *ia);
void ext4_mark_attr_dirty(struct inode *inode);
extern const struct file_operations ext4_file_fops;
extern const struct inode_operations ext4_file_iops;
extern const struct inode_operations ext4_special_iops;

/* namei.c */
extern const struct inode_operations ext4_dir_iops;
extern const struct inode_operations ext4_symlink_iops;
extern const struct file_operations ext4_dir_fops;
ssize_t ext4_getxattr(struct dentry *d, const char *name, void *buf,
		      size_t size);
int ext4_setxattr(struct dentry *d, const char *name, const void *value,
		  size_t size, int flags);
ssize_t ext4_listxattr(struct dentry *d, char *buf, size_t size);
int ext4_removexattr(struct dentry *d, const char *name);

void ext4_getattr(struct inode *inode, struct kstat *st);

#define EXT4_XATTR_OPS				\
	.getattr = ext4_getattr,		\
	.getxattr = ext4_getxattr,		\
	.setxattr = ext4_setxattr,		\
	.listxattr = ext4_listxattr,		\
	.removexattr = ext4_removexattr

#endif
