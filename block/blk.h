/* SPDX-License-Identifier: GPL-2.0 */
/* block/ internals. */
#ifndef BLOCK_BLK_H
#define BLOCK_BLK_H

#include "kern/blkdev.h"

extern struct list_head disk_list;

struct block_device *disk_find(dev_t dev);
struct block_device *disk_find_name(const char *name);

/*
 * Opens a disk. check_ro: refuse a write open of a read-only disk with
 * -EROFS (mounts); a /dev node opened for writing is let through and its
 * writes fail with EPERM, as on Linux.
 */
struct block_device *blkdev_get(dev_t dev, unsigned int mode, void *holder,
				bool check_ro);

extern const struct file_operations blkdev_file_fops;

/* genhd.c: registers a partition of its disk (nodes, lists, sysfs) */
int add_partition(struct block_device *whole, int partno, u64 start,
		  u64 size);
void delete_partitions(struct block_device *whole);
bool partitions_busy(struct block_device *whole);

/* partitions.c: reads the disk's MBR and adds what it finds */
void scan_partitions(struct block_device *whole);
/* BLKRRPART: -EBUSY while a partition is open */
int rescan_partitions(struct block_device *whole);

#endif
