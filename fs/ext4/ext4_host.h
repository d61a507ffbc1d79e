/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seam between ext4's kernel half (fs/ext4/ *.c: the VFS side, page
 * cache, inode and dentry caches) and its host half (fs/ext4/ *_user.c:
 * everything that touches libext2fs). Neutral types only: both halves
 * include this, neither sees the other's headers.
 *
 * Every e4h_* call runs under the big kernel lock and never sleeps in the
 * kernel's sense: libext2fs is never reentered and each call is atomic for
 * the VFS. Results are 0 (or a count) or a negative errno.
 */
#ifndef FS_EXT4_EXT4_HOST_H
#define FS_EXT4_EXT4_HOST_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

struct e4h_fs;

/* Provided by the kernel half: I/O on the mounted block device, in bytes
 * at 512-byte aligned offsets and lengths. */
int ext4_dev_rw(void *dev, int write, uint64_t off, void *buf, size_t len);
int ext4_dev_flush(void *dev);
/* Forgets a byte range (TRIM); errors are ignored. */
int ext4_dev_discard(void *dev, uint64_t off, uint64_t len);
/* Kernel log, for messages about the filesystem ("EXT4-fs (ubda): ..."). */
void ext4_host_msg(void *dev, int level, const char *msg);

/* Inode attributes as the VFS wants them. */
struct e4h_attr {
	uint32_t mode;			/* S_IFMT | permissions */
	uint32_t uid, gid;
	uint32_t nlink;
	uint64_t size;
	uint64_t blocks;		/* 512-byte units */
	uint32_t rdev_major, rdev_minor;
	int64_t atime, mtime, ctime, btime;
	uint32_t atime_ns, mtime_ns, ctime_ns, btime_ns;
};

/* which fields e4h_write_attr stores */
#define E4H_ATTR_MODE	0x1
#define E4H_ATTR_OWNER	0x2
#define E4H_ATTR_TIMES	0x4

struct e4h_statfs {
	uint32_t block_size;
	uint64_t blocks, free_blocks, avail_blocks;
	uint64_t inodes, free_inodes;
	uint32_t fsid[2];
	uint32_t max_name;
	uint64_t max_bytes;		/* largest file */
};

/* e4h_open flags */
#define E4H_RDONLY	0x1
#define E4H_DEV_RO	0x2	/* the device cannot be written at all */

/*
 * Opens the filesystem on dev (dev_size bytes). fstype is "ext2", "ext3"
 * or "ext4": the features each may use are checked as Linux does. A
 * refusal puts one line for the kernel log in msg.
 */
int e4h_open(void *dev, uint64_t dev_size, const char *fstype, int flags,
	     struct e4h_fs **out, char *msg, size_t msglen);
/* mount -o discard: freed blocks are discarded on the device. */
void e4h_set_discard(struct e4h_fs *fs, bool on);
/* Discards what was freed since the last call (with discard on). */
void e4h_flush_discards(struct e4h_fs *fs);
/* Writes everything, marks the filesystem clean if it was mounted rw, and
 * closes it. */
int e4h_close(struct e4h_fs *fs);
/* Superblock, descriptors and bitmaps to the device, then a flush. */
int e4h_sync(struct e4h_fs *fs);
/* Remount: ro -> rw (may refuse) or rw -> ro (marks clean). */
int e4h_set_readonly(struct e4h_fs *fs, bool ro, char *msg, size_t msglen);
int e4h_statfs(struct e4h_fs *fs, struct e4h_statfs *st);
uint32_t e4h_block_size(struct e4h_fs *fs);

int e4h_read_attr(struct e4h_fs *fs, uint32_t ino, struct e4h_attr *a);
int e4h_write_attr(struct e4h_fs *fs, uint32_t ino, const struct e4h_attr *a,
		   unsigned int which);

/* Directory operations. Names are not NUL-terminated (len given). */
int e4h_lookup(struct e4h_fs *fs, uint32_t dir, const char *name, int len,
	       uint32_t *ino);
/* A regular file, device, fifo or socket (mode has the type); a->mode,
 * uid, gid and times are the new inode's. */
int e4h_mknod(struct e4h_fs *fs, uint32_t dir, const char *name, int len,
	      const struct e4h_attr *a, uint32_t *ino);
int e4h_mkdir(struct e4h_fs *fs, uint32_t dir, const char *name, int len,
	      const struct e4h_attr *a, uint32_t *ino);
int e4h_symlink(struct e4h_fs *fs, uint32_t dir, const char *name, int len,
		const char *target, const struct e4h_attr *a, uint32_t *ino);
/* A new name for ino; its link count goes up. */
int e4h_link(struct e4h_fs *fs, uint32_t dir, const char *name, int len,
	     uint32_t ino);
/* Removes the name; ino's link count goes down (a directory's to 0, and
 * dir's by one). The inode is freed by e4h_free_inode once unused. */
int e4h_unlink(struct e4h_fs *fs, uint32_t dir, const char *name, int len,
	       uint32_t ino, bool isdir);
/* -ENOTEMPTY unless only "." and "..". */
int e4h_dir_empty(struct e4h_fs *fs, uint32_t dir);
#define E4H_RENAME_EXCHANGE	0x2
/* oino at (odir, oname) moves to (ndir, nname), replacing nino if not 0
 * (whose link count goes down as for unlink); with E4H_RENAME_EXCHANGE the
 * two swap. Directories get their ".." and link counts fixed. */
int e4h_rename(struct e4h_fs *fs, uint32_t odir, const char *oname, int olen,
	       uint32_t oino, uint32_t ndir, const char *nname, int nlen,
	       uint32_t nino, unsigned int flags);
/* Releases the blocks and the inode of an unlinked inode (nlink 0). */
int e4h_free_inode(struct e4h_fs *fs, uint32_t ino);

/*
 * Calls emit for each entry at or after position pos; emit returns
 * nonzero to stop. Positions are stable byte offsets in the directory.
 */
typedef int (*e4h_emit_t)(void *ctx, const char *name, int len, uint32_t ino,
			  unsigned int dtype, uint64_t next);
int e4h_readdir(struct e4h_fs *fs, uint32_t dir, uint64_t pos,
		e4h_emit_t emit, void *ctx);
/* The target of a symlink into buf (NUL-terminated); its length. */
int e4h_readlink(struct e4h_fs *fs, uint32_t ino, char *buf, size_t size);

/* Regular file data. */
/* Fills the (empty) host file fd with ino's data; holes stay holes. */
int e4h_fill(struct e4h_fs *fs, uint32_t ino, int fd, uint64_t size);
/* Writes fd's bytes [start, end) back (holes in fd punch the file) and
 * sets the file's size. */
int e4h_writeback(struct e4h_fs *fs, uint32_t ino, int fd, uint64_t start,
		  uint64_t end, uint64_t size);
/* Sets the size on disk, freeing blocks past it. */
int e4h_truncate(struct e4h_fs *fs, uint32_t ino, uint64_t size);

/* Extended attributes, by full name ("user.foo"). */
int e4h_getxattr(struct e4h_fs *fs, uint32_t ino, const char *name,
		 void *buf, size_t size);
int e4h_listxattr(struct e4h_fs *fs, uint32_t ino, char *buf, size_t size);
#define E4H_XATTR_CREATE	0x1
#define E4H_XATTR_REPLACE	0x2
int e4h_setxattr(struct e4h_fs *fs, uint32_t ino, const char *name,
		 const void *value, size_t size, int flags);
int e4h_removexattr(struct e4h_fs *fs, uint32_t ino, const char *name);

#endif
