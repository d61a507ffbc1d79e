// SPDX-License-Identifier: GPL-2.0
/*
 * The memory devices of major 1: /dev/null (3), /dev/zero (5), /dev/full
 * (7), /dev/random (8), /dev/urandom (9) and /dev/kmsg (11, whose
 * operations are in kernel/syslog.c), with Linux's semantics.
 */
#include "kern/vfs.h"
#include "kern/uaccess.h"
#include "kern/signal.h"
#include "kern/sysfs.h"

#define CHUNK	4096

static loff_t mem_lseek_zero(struct file *f, loff_t off, int whence)
{
	f->c.f_pos = 0;
	return 0;
}

static ssize_t null_read(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	return 0;
}

static ssize_t null_write(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	return (ssize_t)len;
}

static ssize_t null_read_k(struct file *f, void *buf, size_t len, loff_t *pos)
{
	return 0;
}

static ssize_t null_write_k(struct file *f, const void *buf, size_t len,
			    loff_t *pos)
{
	return (ssize_t)len;
}

/* Long reads stop early (with what they have) when a signal arrives. */
static ssize_t zero_read(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	size_t done = 0;

	while (done < len) {
		size_t n = min(len - done, (size_t)65536);

		if (clear_user(buf + done, n))
			return done ? (ssize_t)done : -EFAULT;
		done += n;
		if (done < len && current && signal_pending(current))
			break;
	}
	return (ssize_t)done;
}

static ssize_t zero_read_k(struct file *f, void *buf, size_t len, loff_t *pos)
{
	memset(buf, 0, len);
	return (ssize_t)len;
}

static ssize_t full_write(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	return -ENOSPC;
}

static ssize_t full_write_k(struct file *f, const void *buf, size_t len,
			    loff_t *pos)
{
	return -ENOSPC;
}

static ssize_t random_read(struct file *f, uaddr_t buf, size_t len,
			   loff_t *pos)
{
	char tmp[CHUNK];
	size_t done = 0;
	int r;

	while (done < len) {
		size_t n = min(len - done, sizeof(tmp));

		r = os_getrandom(tmp, n);
		if (r < 0)
			return done ? (ssize_t)done : r;
		if (copy_to_user(buf + done, tmp, n))
			return done ? (ssize_t)done : -EFAULT;
		done += n;
		if (done < len && current && signal_pending(current))
			break;
	}
	memset(tmp, 0, sizeof(tmp));
	return (ssize_t)done;
}

static ssize_t random_read_k(struct file *f, void *buf, size_t len,
			     loff_t *pos)
{
	int r = os_getrandom(buf, len);

	return r < 0 ? r : (ssize_t)len;
}

/* Writes are accepted and, like Linux without RNDADDENTROPY, credit none. */
static ssize_t random_write(struct file *f, uaddr_t buf, size_t len,
			    loff_t *pos)
{
	char tmp[256];
	size_t done = 0;

	while (done < len) {
		size_t n = min(len - done, sizeof(tmp));

		if (copy_from_user(tmp, buf + done, n))
			return done ? (ssize_t)done : -EFAULT;
		done += n;
	}
	return (ssize_t)done;
}

static unsigned int mem_poll(struct file *f, struct poll_table *pt)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

static const struct file_operations null_fops = {
	.read = null_read,
	.write = null_write,
	.read_kernel = null_read_k,
	.write_kernel = null_write_k,
	.llseek = mem_lseek_zero,
	.poll = mem_poll,
};

static const struct file_operations zero_fops = {
	.read = zero_read,
	.write = null_write,
	.read_kernel = zero_read_k,
	.write_kernel = null_write_k,
	.llseek = mem_lseek_zero,
	.poll = mem_poll,
};

static const struct file_operations full_fops = {
	.read = zero_read,
	.write = full_write,
	.read_kernel = zero_read_k,
	.write_kernel = full_write_k,
	.llseek = mem_lseek_zero,
	.poll = mem_poll,
};

static const struct file_operations random_fops = {
	.read = random_read,
	.write = random_write,
	.read_kernel = random_read_k,
	.write_kernel = null_write_k,
	.llseek = mem_lseek_zero,
	.poll = mem_poll,
};

extern const struct file_operations kmsg_fops;

static const struct {
	const char *name;
	unsigned int minor;
	mode_t mode;
	const struct file_operations *fops;
} devs[] = {
	{ "null", 3, 0666, &null_fops },
	{ "zero", 5, 0666, &zero_fops },
	{ "full", 7, 0666, &full_fops },
	{ "random", 8, 0666, &random_fops },
	{ "urandom", 9, 0666, &random_fops },
	{ "kmsg", 11, 0644, &kmsg_fops },
};

static int mem_open(struct inode *inode, struct file *f)
{
	unsigned int minor = MINOR(inode_rdev(inode));

	for (size_t i = 0; i < ARRAY_SIZE(devs); i++) {
		if (devs[i].minor == minor) {
			f->c.f_op = devs[i].fops;
			return f->c.f_op->open ? f->c.f_op->open(inode, f) : 0;
		}
	}
	return -ENXIO;
}

static const struct file_operations mem_fops = {
	.open = mem_open,
};

int mem_devices_init(void)
{
	int r = register_chrdev_region(1, 0, 256, "mem", &mem_fops);

	if (r)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(devs); i++) {
		r = devtmpfs_create(devs[i].name, S_IFCHR | devs[i].mode,
				    MKDEV(1, devs[i].minor));
		if (!r)
			r = sysfs_add_chrdev("mem", devs[i].name,
					     MKDEV(1, devs[i].minor));
		if (r)
			return r;
	}
	return 0;
}
