// SPDX-License-Identifier: GPL-2.0
/*
 * Opening disks and checked I/O: every request is checked here (bounds,
 * alignment, read-only) so that drivers see only sane ones.
 */
#include "kern/blkdev.h"
#include "kern/vfs.h"
#include "blk.h"

struct block_device *blkdev_get(dev_t dev, unsigned int mode, void *holder,
				bool check_ro)
{
	struct block_device *b = disk_find(dev);

	if (!b)
		return ERR_PTR(-ENXIO);
	if (check_ro && (mode & FMODE_WRITE) && bdev_read_only(b))
		return ERR_PTR(-EROFS);
	if (holder) {
		if (b->holder && b->holder != holder)
			return ERR_PTR(-EBUSY);
		b->holder = holder;
		b->holder_count++;
	}
	b->open_count++;
	return b;
}

struct block_device *blkdev_get_by_dev(dev_t dev, unsigned int mode,
				       void *holder)
{
	return blkdev_get(dev, mode, holder, true);
}

/* "MAJ:MIN" (decimal) or a bare hexadecimal number (old encoding). */
static bool parse_devnum(const char *s, dev_t *dev)
{
	unsigned long long ma, mi, v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	ma = strtoull(s, &end, 10);
	if (*end == ':') {
		mi = strtoull(end + 1, &end, 10);
		if (*end || end == s || ma >= 4096 || mi > 0xfffff)
			return false;
		*dev = MKDEV((unsigned int)ma, (unsigned int)mi);
		return true;
	}
	v = strtoull(s, &end, 16);
	if (*end || v > 0xffff)
		return false;
	*dev = MKDEV((unsigned int)(v >> 8), (unsigned int)(v & 0xff));
	return true;
}

struct block_device *blkdev_get_by_path(const char *path, unsigned int mode,
					void *holder)
{
	struct block_device *b;
	struct path p;
	dev_t dev;
	int r;

	/* root= is resolved before /dev exists: names first, as Linux. */
	if (!strncmp(path, "/dev/", 5) && (b = disk_find_name(path + 5)))
		return blkdev_get_by_dev(b->dev, mode, holder);
	if (path[0] != '/') {
		b = disk_find_name(path);
		if (b)
			return blkdev_get_by_dev(b->dev, mode, holder);
		if (parse_devnum(path, &dev))
			return blkdev_get_by_dev(dev, mode, holder);
		return ERR_PTR(-ENODEV);
	}
	r = kern_path(path, LOOKUP_FOLLOW, &p);
	if (r)
		return ERR_PTR(r);
	if (!S_ISBLK(p.dentry->d_inode->i_mode)) {
		path_put(&p);
		return ERR_PTR(-ENOTBLK);
	}
	if (p.mnt->mnt_flags & MNT_NODEV) {
		path_put(&p);
		return ERR_PTR(-EACCES);
	}
	dev = p.dentry->d_inode->i_rdev;
	path_put(&p);
	return blkdev_get_by_dev(dev, mode, holder);
}

void blkdev_put(struct block_device *b, unsigned int mode, void *holder)
{
	if (holder && b->holder == holder && !--b->holder_count)
		b->holder = NULL;
	if (b->open_count > 0)
		b->open_count--;
}

/* A range inside the disk, in whole logical blocks. */
static int check_range(struct block_device *b, u64 off, u64 len)
{
	u64 mask = b->logical_block_size - 1;

	if ((off & mask) || (len & mask))
		return -EINVAL;
	if (off > b->size || len > b->size - off)
		return -EIO;
	return 0;
}

int blkdev_rw(struct block_device *b, int op, u64 off, void *buf,
	      size_t len, unsigned int flags)
{
	int r;

	if (op != BLK_READ && op != BLK_WRITE)
		return -EINVAL;
	r = check_range(b, off, len);
	if (r)
		return r;
	if (op == BLK_WRITE && bdev_read_only(b))
		return -EROFS;
	if (!len)
		return 0;
	if (b->whole) {
		off += b->start;
		b = b->whole;
	}
	return b->ops->rw(b, op, off, buf, len, flags);
}

int blkdev_flush(struct block_device *b, unsigned int flags)
{
	if (b->whole)
		b = b->whole;
	if (!b->ops->flush)
		return 0;	/* nothing cached below us */
	return b->ops->flush(b, flags);
}

int blkdev_discard(struct block_device *b, u64 off, u64 len,
		   unsigned int flags)
{
	int r = check_range(b, off, len);

	if (r)
		return r;
	if (!b->discard || !b->ops->discard)
		return -EOPNOTSUPP;
	if (bdev_read_only(b))
		return -EROFS;
	if (!len)
		return 0;
	if (b->whole) {
		off += b->start;
		b = b->whole;
	}
	return b->ops->discard(b, off, len, flags);
}
