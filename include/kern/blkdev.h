/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The block layer: disks registered by drivers (ubd), opened by
 * filesystems (ext4 through libext2fs) and by guests through /dev nodes.
 * block/ implements it; drivers/block/ubd provides disks.
 *
 * I/O is synchronous and in bytes, at offsets and lengths that are
 * multiples of the disk's logical block size (512), into kernel buffers.
 * The block layer checks bounds and alignment before calling the driver.
 *
 * Locking: everything runs under the big kernel lock. A driver may release
 * it around host I/O so that a task waiting on disk lets others run,
 * unless the caller passes BLK_HOLD_LOCK: filesystems call in the middle
 * of libext2fs, whose state must not change under them, and ask the driver
 * to keep the lock held. A driver that releases the lock serialises its
 * own state (COW bitmap, request order) itself.
 */
#ifndef KERN_BLKDEV_H
#define KERN_BLKDEV_H

#include "kern/kernel.h"
#include "kern/list.h"

struct block_device;

#define SECTOR_SHIFT	9
#define SECTOR_SIZE	512

/* op values */
#define BLK_READ	0
#define BLK_WRITE	1

/* flags */
#define BLK_HOLD_LOCK	0x1	/* do not release the kernel lock */
#define BLK_FUA		0x2	/* on the host file before returning */

struct block_device_operations {
	/* 0 or -errno (-EIO, -ENOSPC...); all of len or nothing. */
	int (*rw)(struct block_device *b, int op, u64 off, void *buf,
		  size_t len, unsigned int flags);
	/* Everything written so far reaches the host file (fsync). */
	int (*flush)(struct block_device *b, unsigned int flags);
	/* Forget the range: later reads give zeroes. -EOPNOTSUPP if the
	 * disk does not discard (ubd's t flag). */
	int (*discard)(struct block_device *b, u64 off, u64 len,
		       unsigned int flags);
	/* Optional: driver-specific ioctls, -ENOTTY if unknown. */
	long (*ioctl)(struct block_device *b, unsigned int cmd,
		      unsigned long arg);
};

struct block_device {
	char name[32];			/* "ubda": /dev/ubda, /sys/block/ubda */
	dev_t dev;			/* MKDEV(98, 16 * n) for ubd */
	u64 size;			/* bytes */
	unsigned int logical_block_size;	/* 512 */
	bool read_only;
	bool discard;			/* supports discard */
	const struct block_device_operations *ops;
	void *private_data;		/* the driver's */

	char serial[32];		/* /sys/block/NAME/serial; may be "" */
	int minors;			/* 1 + partitions it may have (ubd: 16) */

	/* owned by block/ */
	int open_count;			/* opens, files and mounts */
	void *holder;			/* exclusive owner (a mounted sb), or NULL */
	int holder_count;		/* the holder's gets not yet put */
	bool ro_policy;			/* BLKROSET: read-only by choice */
	struct block_device *whole;	/* a partition's disk, or NULL */
	u64 start;			/* a partition's first byte on it */
	int partno;			/* a partition's number (ubda1: 1) */
	void *sysfs;			/* its sysfs directory */
	struct list_head list;
};

/*
 * Registers a disk: /dev/NAME in devtmpfs, /proc/partitions, /sys/block.
 * The driver fills name, dev, size, logical_block_size, read_only,
 * discard, ops and private_data first (serial and minors may stay 0).
 * -EEXIST if dev or name is taken. A disk with minors > 1 gets the
 * partitions of an MBR partition table as disks of their own (NAME1...,
 * dev + n), whose requests reach the driver as the whole disk's.
 */
int add_disk(struct block_device *b);
/* Takes it away again; -EBUSY while open or mounted. */
int del_disk(struct block_device *b);
/* A driver's major, named in /proc/devices ("98 ubd"). */
int register_blkdev(unsigned int major, const char *name);

/* Read-only by the driver or by BLKROSET (its own or its disk's). */
static inline bool bdev_read_only(const struct block_device *b)
{
	return b->read_only || b->ro_policy ||
	       (b->whole && (b->whole->read_only || b->whole->ro_policy));
}

/*
 * Opening. mode is FMODE_READ and/or FMODE_WRITE (-EROFS for a write open
 * of a read-only disk). holder non-NULL asks for exclusive use (a mount):
 * -EBUSY if another holder has it. Every get is paired with a put.
 */
struct block_device *blkdev_get_by_dev(dev_t dev, unsigned int mode,
				       void *holder);
/* A device path (/dev/ubda, looked up through the VFS: the node's rdev),
 * or a bare disk name ("ubda") or "MAJ:MIN" as root= allows. */
struct block_device *blkdev_get_by_path(const char *path, unsigned int mode,
					void *holder);
void blkdev_put(struct block_device *b, unsigned int mode, void *holder);

/* Checked I/O (bounds, alignment, read-only). */
int blkdev_rw(struct block_device *b, int op, u64 off, void *buf,
	      size_t len, unsigned int flags);
int blkdev_flush(struct block_device *b, unsigned int flags);
int blkdev_discard(struct block_device *b, u64 off, u64 len,
		   unsigned int flags);

/* Calls fn for each disk and partition in device order (fn must not add
 * or delete any); stops at the first non-zero return. */
int blkdev_for_each(int (*fn)(struct block_device *b, void *arg), void *arg);

/* The text of /proc/partitions and of /proc/devices' block part. */
int blkdev_partitions_show(char *buf, size_t len);
int blkdev_majors_show(char *buf, size_t len);

#endif
