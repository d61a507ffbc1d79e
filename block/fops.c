// SPDX-License-Identifier: GPL-2.0
/*
 * The file operations of a disk's /dev node: byte-granular read and write
 * over the disk's whole blocks (a partial block is read, patched and
 * written back), llseek within the disk, fsync, and the block ioctls with
 * Linux's answers. There is no page cache for disks: every write reaches
 * the driver before write() returns, as with O_DIRECT.
 */
#include "kern/blkdev.h"
#include "kern/vfs.h"
#include "kern/uaccess.h"
#include "kern/signal.h"
#include <linux/ioctl.h>
#include "blk.h"

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4

/* <linux/fs.h> and <linux/hdreg.h> numbers (those headers clash with ours) */
#define BLKROSET	_IO(0x12, 93)
#define BLKROGET	_IO(0x12, 94)
#define BLKRRPART	_IO(0x12, 95)
#define BLKGETSIZE	_IO(0x12, 96)
#define BLKFLSBUF	_IO(0x12, 97)
#define BLKRAGET	_IO(0x12, 99)
#define BLKFRAGET	_IO(0x12, 101)
#define BLKSECTGET	_IO(0x12, 103)
#define BLKSSZGET	_IO(0x12, 104)
#define BLKBSZGET	_IOR(0x12, 112, size_t)
#define BLKGETSIZE64	_IOR(0x12, 114, size_t)
#define BLKDISCARD	_IO(0x12, 119)
#define BLKIOMIN	_IO(0x12, 120)
#define BLKIOOPT	_IO(0x12, 121)
#define BLKALIGNOFF	_IO(0x12, 122)
#define BLKPBSZGET	_IO(0x12, 123)
#define BLKDISCARDZEROES _IO(0x12, 124)
#define BLKSECDISCARD	_IO(0x12, 125)
#define BLKROTATIONAL	_IO(0x12, 126)
#define BLKZEROOUT	_IO(0x12, 127)
#define HDIO_GETGEO	0x0301

#define CHUNK		(128U << 10)	/* bytes per request to the driver */
#define READ_AHEAD_KB	128		/* what sysfs' queue/read_ahead_kb says */
#define MAX_SECTORS_KB	1280		/* and queue/max_sectors_kb */

static struct block_device *file_bdev(struct file *f)
{
	return f->c.private_data;
}

static int blkdev_file_open(struct inode *inode, struct file *f)
{
	struct block_device *b;

	/* O_EXCL claims the disk as a mount does (mkfs uses it). */
	b = blkdev_get(inode->i_rdev, f->f_mode & (FMODE_READ | FMODE_WRITE),
		       (f->f_mode & FMODE_EXCL) ? f : NULL, false);
	if (IS_ERR(b))
		return (int)PTR_ERR(b);
	f->c.private_data = b;
	f->c.f_op = &blkdev_file_fops;
	return 0;
}

static void blkdev_file_release(struct inode *inode, struct file *f)
{
	blkdev_put(file_bdev(f), f->f_mode & (FMODE_READ | FMODE_WRITE),
		   (f->f_mode & FMODE_EXCL) ? f : NULL);
}

/*
 * Moves len bytes at pos between the disk and a guest (ubuf) or kernel
 * (kbuf) buffer, through a bounce buffer of whole blocks.
 */
static ssize_t blkdev_xfer(struct file *f, uaddr_t ubuf, void *kbuf,
			   size_t len, loff_t *pos, bool write)
{
	struct block_device *b = file_bdev(f);
	u64 bs = b->logical_block_size, p = (u64)*pos;
	size_t done = 0;
	char *bounce;
	int r = 0;

	if (*pos < 0)
		return -EINVAL;
	if (write && bdev_read_only(b))
		return -EPERM;
	if (p >= b->size || !len)
		return write && len ? -ENOSPC : 0;
	len = (size_t)min((u64)len, b->size - p);
	bounce = kmalloc(CHUNK);
	if (!bounce)
		return -ENOMEM;
	while (done < len) {
		u64 start = ALIGN_DOWN(p, bs), skip = p - start;
		u64 span = min((u64)CHUNK, ALIGN(skip + (len - done), bs));
		size_t n = (size_t)min(span - skip, (u64)(len - done));
		/* A partial block is read, patched and written back under
		 * the kernel lock, so that no other write slips between. */
		bool partial = skip || (skip + n) % bs;
		unsigned int flags = write && partial ? BLK_HOLD_LOCK : 0;

		if (!write) {
			r = blkdev_rw(b, BLK_READ, start, bounce, span, 0);
		} else if (partial) {
			/* only the blocks the write does not cover whole */
			u64 last = span - bs;

			if (skip)
				r = blkdev_rw(b, BLK_READ, start, bounce, bs,
					      flags);
			if (!r && (skip + n) % bs && (!skip || last))
				r = blkdev_rw(b, BLK_READ, start + last,
					      bounce + last, bs, flags);
		}
		if (r)
			break;
		if (write) {
			if (kbuf)
				memcpy(bounce + skip, (char *)kbuf + done, n);
			else if (copy_from_user(bounce + skip, ubuf + done, n))
				r = -EFAULT;
			if (!r)
				r = blkdev_rw(b, BLK_WRITE, start, bounce, span,
					      flags);
		} else if (kbuf) {
			memcpy((char *)kbuf + done, bounce + skip, n);
		} else if (copy_to_user(ubuf + done, bounce + skip, n)) {
			r = -EFAULT;
		}
		if (r)
			break;
		done += n;
		p += n;
		if (done < len && current && fatal_signal_pending(current))
			break;
	}
	kfree(bounce);
	*pos = (loff_t)p;
	return done ? (ssize_t)done : r;
}

static ssize_t blkdev_read(struct file *f, uaddr_t buf, size_t len,
			   loff_t *pos)
{
	return blkdev_xfer(f, buf, NULL, len, pos, false);
}

static ssize_t blkdev_write(struct file *f, uaddr_t buf, size_t len,
			    loff_t *pos)
{
	return blkdev_xfer(f, buf, NULL, len, pos, true);
}

static ssize_t blkdev_read_kernel(struct file *f, void *buf, size_t len,
				  loff_t *pos)
{
	return blkdev_xfer(f, 0, buf, len, pos, false);
}

static ssize_t blkdev_write_kernel(struct file *f, const void *buf,
				   size_t len, loff_t *pos)
{
	return blkdev_xfer(f, 0, (void *)buf, len, pos, true);
}

/* Positions stay within the disk (Linux's fixed_size_llseek). */
static loff_t blkdev_llseek(struct file *f, loff_t off, int whence)
{
	loff_t size = (loff_t)file_bdev(f)->size, pos;

	switch (whence) {
	case SEEK_SET:
		pos = off;
		break;
	case SEEK_CUR:
		if (off == 0)
			return f->c.f_pos;
		if (__builtin_add_overflow(f->c.f_pos, off, &pos))
			return -EINVAL;
		break;
	case SEEK_END:
		if (__builtin_add_overflow(size, off, &pos))
			return -EINVAL;
		break;
	case SEEK_DATA:
		if (off < 0 || off >= size)
			return -ENXIO;
		pos = off;
		break;
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return -ENXIO;
		pos = size;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0 || pos > size)
		return -EINVAL;
	f->c.f_pos = pos;
	return pos;
}

static int blkdev_fsync(struct file *f, int datasync)
{
	return blkdev_flush(file_bdev(f), 0);
}

static int put_int(unsigned long arg, int v)
{
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

static int put_uint(unsigned long arg, unsigned int v)
{
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

static int put_ushort(unsigned long arg, unsigned short v)
{
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

static int put_ulong(unsigned long arg, unsigned long v)
{
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

static int put_u64(unsigned long arg, u64 v)
{
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

/* The soft block size Linux starts a disk with: the largest power of two
 * up to a page that divides the size. */
static int block_size(struct block_device *b)
{
	unsigned int bs = b->logical_block_size;

	while (bs < PAGE_SIZE && !(b->size & bs))
		bs <<= 1;
	return (int)bs;
}

/* BLKDISCARD and BLKZEROOUT: a u64 {start, len} pair, checked as Linux. */
static int range_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct block_device *b = file_bdev(f);
	u64 range[2], start, len, end;
	char *zero;
	int r = 0;

	if (!file_writable(f))
		return -EBADF;
	if (cmd == BLKDISCARD && !b->discard)
		return -EOPNOTSUPP;
	if (copy_from_user(range, arg, sizeof(range)))
		return -EFAULT;
	start = range[0];
	len = range[1];
	if ((start & (SECTOR_SIZE - 1)) || (len & (SECTOR_SIZE - 1)))
		return -EINVAL;
	if (__builtin_add_overflow(start, len, &end) || end > b->size)
		return -EINVAL;
	if (bdev_read_only(b))
		return -EPERM;
	if (cmd == BLKDISCARD)
		return blkdev_discard(b, start, len, 0);
	/* BLKZEROOUT: discard where the disk can (it reads back zeroes),
	 * else write zeroes. */
	if (b->discard && blkdev_discard(b, start, len, 0) == 0)
		return 0;
	zero = kzalloc(CHUNK);
	if (!zero)
		return -ENOMEM;
	while (len && !r) {
		size_t n = (size_t)min(len, (u64)CHUNK);

		r = blkdev_rw(b, BLK_WRITE, start, zero, n, 0);
		start += n;
		len -= n;
	}
	kfree(zero);
	return r;
}

static long blkdev_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct block_device *b = file_bdev(f);
	struct {
		unsigned char heads, sectors;
		unsigned short cylinders;
		unsigned long start;
	} geo;
	int v;

	switch (cmd) {
	case BLKGETSIZE64:
		return put_u64(arg, b->size);
	case BLKGETSIZE:
		return put_ulong(arg, (unsigned long)(b->size >> SECTOR_SHIFT));
	case BLKSSZGET:
		return put_int(arg, (int)b->logical_block_size);
	case BLKPBSZGET:
	case BLKIOMIN:
		return put_uint(arg, b->logical_block_size);
	case BLKIOOPT:
	case BLKDISCARDZEROES:
		return put_uint(arg, 0);
	case BLKALIGNOFF:
		return put_int(arg, 0);
	case BLKBSZGET:
		return put_int(arg, block_size(b));
	case BLKSECTGET:
		return put_ushort(arg, MAX_SECTORS_KB * 2);
	case BLKRAGET:
	case BLKFRAGET:
		if (!arg)
			return -EINVAL;
		return put_ulong(arg, READ_AHEAD_KB * 2);
	case BLKROGET:
		return put_int(arg, bdev_read_only(b));
	case BLKROSET:
		if (!capable(CAP_SYS_ADMIN))
			return -EACCES;
		if (copy_from_user(&v, arg, sizeof(v)))
			return -EFAULT;
		b->ro_policy = v != 0;
		return 0;
	case BLKFLSBUF:
		if (!capable(CAP_SYS_ADMIN))
			return -EACCES;
		return blkdev_flush(b, 0);
	case BLKDISCARD:
	case BLKZEROOUT:
		return range_ioctl(f, cmd, arg);
	case BLKSECDISCARD:
		return file_writable(f) ? -EOPNOTSUPP : -EBADF;
	case BLKRRPART:
		if (!capable(CAP_SYS_ADMIN))
			return -EACCES;
		return rescan_partitions(b);
	case HDIO_GETGEO:
		/* The geometry ubd reports: 128 heads, 32 sectors. */
		if (!arg)
			return -EINVAL;
		memset(&geo, 0, sizeof(geo));
		geo.heads = 128;
		geo.sectors = 32;
		geo.cylinders = (unsigned short)((b->size >> SECTOR_SHIFT) /
						 (128 * 32));
		geo.start = (unsigned long)(b->start >> SECTOR_SHIFT);
		return copy_to_user(arg, &geo, sizeof(geo)) ? -EFAULT : 0;
	}
	if (b->ops->ioctl)
		return b->ops->ioctl(b, cmd, arg);
	return -ENOTTY;
}

const struct file_operations blkdev_file_fops = {
	.read = blkdev_read,
	.write = blkdev_write,
	.read_kernel = blkdev_read_kernel,
	.write_kernel = blkdev_write_kernel,
	.llseek = blkdev_llseek,
	.ioctl = blkdev_ioctl,
	.release = blkdev_file_release,
	.fsync = blkdev_fsync,
};

/* What opening any block-device inode does (fs/char_dev.c's default). */
int blkdev_open(struct inode *inode, struct file *f)
{
	return blkdev_file_open(inode, f);
}
