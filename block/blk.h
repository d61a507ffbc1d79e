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

#endif
