// SPDX-License-Identifier: GPL-2.0
/*
 * MBR (msdos) partition tables: the four primary entries, and the chain
 * of extended boot records of an extended partition (logical partitions
 * 5 and up). Everything on the disk is hostile: entries outside the disk
 * are dropped or cut to its end, the chain is bounded, and a table that
 * does not look like one (a bad boot flag, as a FAT boot sector has) is
 * not one. A GPT (protective 0xee entry) is not read.
 */
#include "blk.h"

#define MBR_SIG_OFF	510
#define MBR_PART_OFF	446
#define MAX_EBR		128	/* a chain longer than this is a loop */

struct mbr_entry {
	u8 boot, type;
	u64 start, nr;		/* sectors */
};

static u32 get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static bool is_extended(u8 type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/* Sector n of the whole disk; false if outside it or unreadable. */
static bool read_sector(struct block_device *b, u64 n, u8 *buf)
{
	u64 sectors = b->size >> SECTOR_SHIFT;

	if (n >= sectors)
		return false;
	return b->ops->rw(b, BLK_READ, n << SECTOR_SHIFT, buf, SECTOR_SIZE,
			  BLK_HOLD_LOCK) == 0;
}

/* The four entries of a table sector; false if it is not a table. */
static bool parse_table(const u8 *buf, struct mbr_entry e[4])
{
	if (buf[MBR_SIG_OFF] != 0x55 || buf[MBR_SIG_OFF + 1] != 0xaa)
		return false;
	for (int i = 0; i < 4; i++) {
		const u8 *p = buf + MBR_PART_OFF + 16 * i;

		e[i].boot = p[0];
		e[i].type = p[4];
		e[i].start = get_le32(p + 8);
		e[i].nr = get_le32(p + 12);
		if (e[i].boot != 0 && e[i].boot != 0x80)
			return false;
	}
	return true;
}

/* Adds partition n over [start, start + nr) sectors, cut to the disk. */
static void put_partition(struct block_device *b, int n, u64 start, u64 nr)
{
	u64 sectors = b->size >> SECTOR_SHIFT;

	if (!nr || start >= sectors || n >= b->minors)
		return;
	if (nr > sectors - start) {
		printk(KERN_WARNING "%s: p%d size %llu extends beyond EOD, "
		       "truncated\n", b->name, n, (unsigned long long)nr);
		nr = sectors - start;
	}
	add_partition(b, n, start << SECTOR_SHIFT, nr << SECTOR_SHIFT);
}

/* The logical partitions of the extended partition at ext (sectors). */
static void parse_extended(struct block_device *b, u8 *buf, u64 ext,
			   int *slot)
{
	u64 this = ext;

	for (int hops = 0; hops < MAX_EBR && *slot < b->minors; hops++) {
		struct mbr_entry e[4];
		u64 next = 0;

		if (!read_sector(b, this, buf) || !parse_table(buf, e))
			return;
		for (int i = 0; i < 4; i++) {
			if (!e[i].nr || !e[i].type || is_extended(e[i].type))
				continue;
			/* a logical partition is relative to its EBR */
			put_partition(b, (*slot)++, this + e[i].start, e[i].nr);
			break;
		}
		for (int i = 0; i < 4; i++) {
			if (e[i].nr && is_extended(e[i].type)) {
				/* the next EBR is relative to the first */
				next = ext + e[i].start;
				break;
			}
		}
		if (!next || next == this)
			return;
		this = next;
	}
}

void scan_partitions(struct block_device *b)
{
	struct mbr_entry e[4];
	int slot = 5;
	u8 *buf;

	buf = kmalloc(SECTOR_SIZE);
	if (!buf)
		return;
	if (!read_sector(b, 0, buf) || !parse_table(buf, e))
		goto out;
	for (int i = 0; i < 4; i++)
		if (e[i].type == 0xee)
			goto out;	/* GPT: not read */
	for (int i = 0; i < 4; i++) {
		if (!e[i].nr || !e[i].type)
			continue;
		if (is_extended(e[i].type)) {
			/* As Linux: 1 KiB of it, so nobody mkfs'es it. */
			put_partition(b, i + 1, e[i].start, min(e[i].nr, 2ULL));
			parse_extended(b, buf, e[i].start, &slot);
		} else {
			put_partition(b, i + 1, e[i].start, e[i].nr);
		}
	}
out:
	kfree(buf);
}

int rescan_partitions(struct block_device *b)
{
	if (b->whole || b->minors <= 1)
		return -EINVAL;
	if (partitions_busy(b))
		return -EBUSY;
	delete_partitions(b);
	scan_partitions(b);
	return 0;
}
