// SPDX-License-Identifier: GPL-2.0
/*
 * Character devices: drivers register ranges of (major, minor); opening a
 * device inode finds the range and hands the file to the driver's ops.
 */
#include "kern/vfs.h"

struct char_region {
	unsigned int major, minor, count;
	const char *name;
	const struct file_operations *fops;
	struct char_region *next;
};

static struct char_region *regions;

int register_chrdev_region(unsigned int major, unsigned int minor,
			   unsigned int count, const char *name,
			   const struct file_operations *fops)
{
	struct char_region *r, *p;

	if (!count || major >= 4096 || minor > MINOR(~0U) ||
	    count > MINOR(~0U) + 1 - minor || !fops)
		return -EINVAL;
	for (p = regions; p; p = p->next) {
		if (p->major != major)
			continue;
		if (minor < p->minor + p->count && p->minor < minor + count)
			return -EBUSY;
	}
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->major = major;
	r->minor = minor;
	r->count = count;
	r->name = name;
	r->fops = fops;
	r->next = regions;
	regions = r;
	return 0;
}

static struct char_region *find_region(dev_t dev)
{
	struct char_region *p;

	for (p = regions; p; p = p->next)
		if (p->major == MAJOR(dev) && MINOR(dev) >= p->minor &&
		    MINOR(dev) - p->minor < p->count)
			return p;
	return NULL;
}

const char *chrdev_name(unsigned int major)
{
	struct char_region *p;

	for (p = regions; p; p = p->next)
		if (p->major == major)
			return p->name;
	return NULL;
}

/* "  1 mem\n" lines for /proc/devices, lowest major first. */
int chrdev_show(char *buf, size_t len)
{
	size_t n = 0;
	int last = -1;

	for (;;) {
		struct char_region *p, *best = NULL;

		for (p = regions; p; p = p->next)
			if ((int)p->major > last &&
			    (!best || p->major < best->major))
				best = p;
		if (!best)
			break;
		n += (size_t)snprintf(buf + n, len > n ? len - n : 0,
				      "%3u %s\n", best->major, best->name);
		last = (int)best->major;
	}
	return (int)n;
}

int chrdev_open(struct inode *inode, struct file *f)
{
	struct char_region *r = find_region(inode->i_rdev);

	if (!r)
		return -ENXIO;
	f->c.f_op = r->fops;
	if (r->fops->open)
		return r->fops->open(inode, f);
	return 0;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};

const struct file_operations def_blk_fops = {
	.open = blkdev_open,
};
