// SPDX-License-Identifier: GPL-2.0
/*
 * The disk registry: the disks drivers add, their /dev nodes, their
 * /sys/block entries, and the text of /proc/partitions and of the block
 * half of /proc/devices.
 */
#include "kern/blkdev.h"
#include "kern/vfs.h"
#include "kern/sysfs.h"
#include "blk.h"

LIST_HEAD(disk_list);

/* Linux creates disk nodes root-only; udev would relax that. */
#define DISK_NODE_MODE	(S_IFBLK | 0600)

static u64 sysfs_nr_sectors(void *priv)
{
	struct block_device *b = priv;

	return b->size >> SECTOR_SHIFT;
}

static bool sysfs_read_only(void *priv)
{
	return bdev_read_only(priv);
}

static const struct sysfs_blk_ops disk_sysfs_ops = {
	.nr_sectors = sysfs_nr_sectors,
	.read_only = sysfs_read_only,
};

struct block_device *disk_find(dev_t dev)
{
	struct block_device *b;

	list_for_each_entry(b, &disk_list, list)
		if (b->dev == dev)
			return b;
	return NULL;
}

struct block_device *disk_find_name(const char *name)
{
	struct block_device *b;

	list_for_each_entry(b, &disk_list, list)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

/* Kept sorted by device number, as /proc/partitions lists them. */
static void disk_list_add(struct block_device *b)
{
	struct block_device *p;

	list_for_each_entry(p, &disk_list, list)
		if (p->dev > b->dev)
			break;
	list_add_tail(&b->list, &p->list);
}

int add_disk(struct block_device *b)
{
	struct sysfs_node *d;
	struct block_device *p;
	char serial[sizeof(b->serial) + 1];
	int r;

	if (!b->name[0] || strchr(b->name, '/') || !b->ops || !b->ops->rw ||
	    b->logical_block_size != SECTOR_SIZE ||
	    (b->size & (SECTOR_SIZE - 1)))
		return -EINVAL;
	list_for_each_entry(p, &disk_list, list)
		if ((p->dev <= b->dev && b->dev < p->dev + max(p->minors, 1)) ||
		    (b->dev <= p->dev && p->dev < b->dev + max(b->minors, 1)) ||
		    !strcmp(p->name, b->name))
			return -EEXIST;
	b->open_count = 0;
	b->holder = NULL;
	b->holder_count = 0;
	b->ro_policy = false;
	r = devtmpfs_create(b->name, DISK_NODE_MODE, b->dev);
	if (r)
		return r;
	d = sysfs_add_blkdev(b->name, b->dev, &disk_sysfs_ops, b);
	if (IS_ERR(d)) {
		devtmpfs_remove(b->name, DISK_NODE_MODE, b->dev);
		return (int)PTR_ERR(d);
	}
	snprintf(serial, sizeof(serial), "%s\n", b->serial);
	r = sysfs_add_text(d, "serial", serial);
	if (r) {
		sysfs_remove_blkdev(b->name);
		devtmpfs_remove(b->name, DISK_NODE_MODE, b->dev);
		return r;
	}
	b->whole = NULL;
	b->start = 0;
	b->partno = 0;
	b->sysfs = d;
	disk_list_add(b);
	if (b->minors > 1)
		scan_partitions(b);
	return 0;
}

int del_disk(struct block_device *b)
{
	if (b->whole)
		return -EINVAL;
	if (b->open_count || b->holder || partitions_busy(b))
		return -EBUSY;
	delete_partitions(b);
	list_del(&b->list);
	sysfs_remove_blkdev(b->name);
	devtmpfs_remove(b->name, DISK_NODE_MODE, b->dev);
	return 0;
}

/* ---- partitions ---- */

static int show_part_ro(void *priv, char *buf, size_t size)
{
	return snprintf(buf, size, "%d\n", bdev_read_only(priv));
}

static const struct sysfs_attr_ops part_ro_ops = { .show = show_part_ro };

/*
 * A partition is a disk of its own for everyone above the block layer
 * (its node, /proc/partitions, its own opens and holder); its requests
 * go to the whole disk's driver. In sysfs it is a directory of its
 * disk's, as in Linux (/sys/block/ubda/ubda1).
 */
int add_partition(struct block_device *whole, int partno, u64 start,
		  u64 size)
{
	struct block_device *b;
	struct sysfs_node *d;
	char text[64];
	size_t len;
	int r;

	if (partno <= 0 || partno >= whole->minors)
		return -EINVAL;
	b = kzalloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	/* As Linux: "ubda1", but "nbd0p1" after a digit */
	len = strlen(whole->name);
	if (snprintf(b->name, sizeof(b->name), "%s%s%d", whole->name,
		     len && whole->name[len - 1] >= '0' &&
		     whole->name[len - 1] <= '9' ? "p" : "",
		     partno) >= (int)sizeof(b->name)) {
		kfree(b);
		return -ENAMETOOLONG;
	}
	b->dev = whole->dev + (dev_t)partno;
	b->size = size;
	b->logical_block_size = whole->logical_block_size;
	b->discard = whole->discard;
	b->ops = whole->ops;
	b->private_data = whole->private_data;
	b->minors = 1;
	b->whole = whole;
	b->start = start;
	b->partno = partno;
	r = devtmpfs_create(b->name, DISK_NODE_MODE, b->dev);
	if (r)
		goto out_free;
	d = sysfs_mkdir(whole->sysfs, b->name);
	if (IS_ERR(d)) {
		r = (int)PTR_ERR(d);
		goto out_node;
	}
	b->sysfs = d;
	snprintf(text, sizeof(text), "%u:%u\n", MAJOR(b->dev), MINOR(b->dev));
	r = sysfs_add_text(d, "dev", text);
	snprintf(text, sizeof(text), "%d\n", partno);
	if (!r)
		r = sysfs_add_text(d, "partition", text);
	snprintf(text, sizeof(text), "%llu\n",
		 (unsigned long long)(start >> SECTOR_SHIFT));
	if (!r)
		r = sysfs_add_text(d, "start", text);
	snprintf(text, sizeof(text), "%llu\n",
		 (unsigned long long)(size >> SECTOR_SHIFT));
	if (!r)
		r = sysfs_add_text(d, "size", text);
	if (!r)
		r = sysfs_add_file(d, "ro", 0444, &part_ro_ops, b);
	if (r) {
		sysfs_remove(d);
		goto out_node;
	}
	disk_list_add(b);
	return 0;
out_node:
	devtmpfs_remove(b->name, DISK_NODE_MODE, b->dev);
out_free:
	kfree(b);
	return r;
}

bool partitions_busy(struct block_device *whole)
{
	struct block_device *b;

	list_for_each_entry(b, &disk_list, list)
		if (b->whole == whole && (b->open_count || b->holder))
			return true;
	return false;
}

void delete_partitions(struct block_device *whole)
{
	struct block_device *b, *n;

	list_for_each_entry_safe(b, n, &disk_list, list) {
		if (b->whole != whole)
			continue;
		list_del(&b->list);
		sysfs_remove(b->sysfs);
		devtmpfs_remove(b->name, DISK_NODE_MODE, b->dev);
		kfree(b);
	}
}

int blkdev_for_each(int (*fn)(struct block_device *b, void *arg), void *arg)
{
	struct block_device *b;
	int r;

	list_for_each_entry(b, &disk_list, list) {
		r = fn(b, arg);
		if (r)
			return r;
	}
	return 0;
}

/* /proc/partitions: sizes in 1 KiB blocks, as Linux prints them. */
int blkdev_partitions_show(char *buf, size_t len)
{
	struct block_device *b;
	size_t n;

	n = (size_t)snprintf(buf, len, "major minor  #blocks  name\n\n");
	list_for_each_entry(b, &disk_list, list)
		n += (size_t)snprintf(buf + min(n, len), len > n ? len - n : 0,
				      "%4u  %7u %10llu %s\n", MAJOR(b->dev),
				      MINOR(b->dev),
				      (unsigned long long)(b->size >> 10),
				      b->name);
	return (int)n;
}

/* Block majors by driver (register_blkdev), for /proc/devices. */
struct blk_major {
	unsigned int major;
	const char *name;
	struct blk_major *next;
};

static struct blk_major *majors;

int register_blkdev(unsigned int major, const char *name)
{
	struct blk_major *m, **pp;

	if (!major || major >= 4096 || !name)
		return -EINVAL;
	for (pp = &majors; *pp && (*pp)->major <= major; pp = &(*pp)->next)
		if ((*pp)->major == major)
			return -EBUSY;
	m = kzalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->major = major;
	m->name = name;
	m->next = *pp;
	*pp = m;
	return 0;
}

/* The "Block devices:" part of /proc/devices, lowest major first. */
int blkdev_majors_show(char *buf, size_t len)
{
	struct blk_major *m;
	size_t n = 0;

	for (m = majors; m; m = m->next)
		n += (size_t)snprintf(buf + min(n, len), len > n ? len - n : 0,
				      "%3u %s\n", m->major, m->name);
	return (int)n;
}
