// SPDX-License-Identifier: GPL-2.0
/*
 * ubd's copy-on-write disks, in the real UML's COW format (the format
 * library is tools/lib/cow.c, shared with uml_mkcow and uml_moo).
 *
 * A sector whose bit is set lives in the COW file at data_offset + its
 * offset; the others are read from the backing file, which is only ever
 * opened read-only, so any number of disks may share it. A write puts the
 * data in the COW file first and sets the bits after, so a set bit never
 * points at data not written. The bitmap is kept in memory and changed
 * only under the kernel lock; its bytes are written back under the lock
 * too, so two writers never store stale copies of one byte out of order.
 *
 * Everything in a COW header is hostile: the library refuses malformed
 * headers, and the recorded size must equal the backing file's before
 * anything (the bitmap) is sized from it.
 */
#include "kern/kernel.h"
#include "kern/printk.h"
#include "ubd_int.h"

#define COW_ALIGN	4096	/* what the real writers use: the page size */

static long cow_fd_write(void *ctx, const void *buf, size_t len, uint64_t off)
{
	int r = ubd_user_pwrite(*(int *)ctx, buf, len, off);

	return r ? r : (long)len;
}

/* The first bytes of a file, for a header: how many there were. */
static int read_head(int fd, u8 *buf, size_t *got)
{
	struct ubd_stat st;
	int r = ubd_user_fstat(fd, &st);

	if (r)
		return r;
	*got = (size_t)min(st.size, (u64)COW_HEADER_MAX);
	return ubd_user_pread(fd, buf, *got, 0);
}

static int cow_create_file(struct ubd *d, const char *cow, const char *backing,
			   struct cow_header *h)
{
	struct ubd_stat st;
	char eb[64], *abs;
	int fd, bfd, r;

	/* Nothing is created for a backing file we could not use. */
	r = ubd_user_open(backing, false, false, &bfd);
	if (!r) {
		r = ubd_user_fstat(bfd, &st);
		if (r)
			ubd_user_close(bfd);
	}
	if (r)
		return ubd_err(d, "cannot use backing file %s: %s", backing,
			       ubd_strerror(r, eb, sizeof(eb)));
	r = ubd_lock(d, bfd, backing, false);
	ubd_user_close(bfd);
	if (r)
		return r;
	abs = kmalloc(COW_PATH_MAX);
	if (!abs)
		return -ENOMEM;
	r = ubd_user_absolutize(backing, abs, COW_PATH_MAX);
	if (r) {
		kfree(abs);
		return ubd_err(d, "backing file name %s: %s", backing,
			       ubd_strerror(r, eb, sizeof(eb)));
	}
	r = cow_init_header(h, abs, (u32)st.mtime, st.size, SECTOR_SIZE,
			    COW_ALIGN);
	kfree(abs);
	if (r)
		return ubd_err(d, "cannot make a COW header for %s: %s",
			       backing, cow_strerror(r));
	r = ubd_user_create(cow, d->sync, &fd);
	if (r)
		return ubd_err(d, "cannot create COW file %s: %s", cow,
			       ubd_strerror(r, eb, sizeof(eb)));
	r = cow_create(h, cow_fd_write, &fd);
	ubd_user_close(fd);
	if (r) {
		ubd_user_unlink(cow);
		return ubd_err(d, "cannot write COW file %s", cow);
	}
	printk(KERN_INFO "Creating \"%s\" as COW file for \"%s\"\n", cow,
	       backing);
	return 0;
}

/*
 * The backing file to use: the header's, or the one given on the command
 * line if it is the same file, or one that matches the header's size and
 * mtime (the header then records the new path, as the real UML does).
 */
static int cow_backing(struct ubd *d, int fd, struct cow_header *h,
		       const char **path)
{
	struct ubd_stat hs, gs;
	char eb[64], *abs;
	u8 buf[COW_V3_SIZE];
	int r;

	*path = h->backing;
	if (!d->backing || !strcmp(d->backing, h->backing))
		return 0;
	r = ubd_user_stat(d->backing, &gs);
	if (r)
		return ubd_err(d, "cannot use backing file %s: %s", d->backing,
			       ubd_strerror(r, eb, sizeof(eb)));
	if (!ubd_user_stat(h->backing, &hs) && hs.dev == gs.dev &&
	    hs.ino == gs.ino) {
		*path = d->backing;
		return 0;
	}
	if (gs.size != h->size || gs.mtime != (s64)h->mtime ||
	    h->version != 3 || h->broken_v3)
		return ubd_err(d, "backing file mismatch: %s records \"%s\", "
			       "not %s", d->file, h->backing, d->backing);
	*path = d->backing;
	if (d->ro)
		return 0;
	abs = kmalloc(COW_PATH_MAX);
	if (!abs)
		return -ENOMEM;
	r = ubd_user_absolutize(d->backing, abs, COW_PATH_MAX);
	if (!r)
		r = cow_init_header(h, abs, h->mtime, h->size, h->sectorsize,
				    h->align) ? -ENAMETOOLONG : 0;
	kfree(abs);
	if (r)
		return ubd_err(d, "backing file name %s: %s", d->backing,
			       ubd_strerror(r, eb, sizeof(eb)));
	cow_encode_v3(h, buf);
	r = ubd_user_pwrite(fd, buf, sizeof(buf), 0);
	if (r)
		return ubd_err(d, "cannot update the header of %s: %s",
			       d->file, ubd_strerror(r, eb, sizeof(eb)));
	printk(KERN_INFO "Switching backing file to '%s'\n", d->backing);
	*path = d->backing;
	return 0;
}

static int cow_open(struct ubd *d, const char *cow)
{
	struct cow_header *h;
	struct ubd_stat st;
	const char *backing;
	size_t got, maplen;
	char eb[64];
	u8 *head;
	int r;

	h = kzalloc(sizeof(*h));
	head = kmalloc(COW_HEADER_MAX);
	if (!h || !head) {
		kfree(h);
		kfree(head);
		return -ENOMEM;
	}
	d->cow = h;
	r = ubd_user_stat(cow, &st);
	if (r == -ENOENT && d->backing) {
		if (d->ro) {
			kfree(head);
			return ubd_err(d, "COW file %s does not exist and the "
				       "disk is read-only", cow);
		}
		r = cow_create_file(d, cow, d->backing, h);
		if (r) {
			kfree(head);
			return r;
		}
	}
	r = ubd_open_file(d, cow, &d->fd);
	if (!r) {
		r = read_head(d->fd, head, &got);
		if (r)
			ubd_err(d, "cannot read %s: %s", cow,
				ubd_strerror(r, eb, sizeof(eb)));
	}
	if (!r) {
		r = cow_parse_header(head, got, h);
		if (r == -COW_ENOTCOW)
			ubd_err(d, "%s is not a COW file (no COW magic)", cow);
		else if (r)
			ubd_err(d, "invalid COW file %s: %s", cow,
				cow_strerror(r));
		if (r)
			r = -EINVAL;
	}
	kfree(head);
	if (r)
		return r;
	if (h->sectorsize != SECTOR_SIZE)
		return ubd_err(d, "COW file %s: sector size %u is not "
			       "supported (only 512)", cow, h->sectorsize);
	r = ubd_lock(d, d->fd, cow, !d->ro);
	if (r)
		return r;
	r = cow_backing(d, d->fd, h, &backing);
	if (r)
		return r;
	r = ubd_user_open(backing, false, false, &d->bfd);
	if (!r)
		r = ubd_user_fstat(d->bfd, &st);
	if (r)
		return ubd_err(d, "cannot open backing file %s: %s", backing,
			       ubd_strerror(r, eb, sizeof(eb)));
	/* HowTo, "COW validity": a changed backing file invalidates it. */
	if (st.size != h->size)
		return ubd_err(d, "Size mismatch (%llu vs %llu) of COW header "
			       "vs backing file %s",
			       (unsigned long long)h->size,
			       (unsigned long long)st.size, backing);
	if (st.mtime != (s64)h->mtime)
		return ubd_err(d, "mtime mismatch (%u vs %lld) of COW header "
			       "vs backing file %s: the backing file changed "
			       "since the COW file was made", h->mtime,
			       (long long)st.mtime, backing);
	r = ubd_lock(d, d->bfd, backing, false);
	if (r)
		return r;
	d->size = ALIGN(h->size, (u64)SECTOR_SIZE);
	/* v1/v2 files may have a bitmap one byte short; memory has all. */
	maplen = (size_t)max(h->bitmap_len,
			     DIV_ROUND_UP(d->size / SECTOR_SIZE, 8));
	d->bitmap = kzalloc(maplen ? maplen : 1);
	if (!d->bitmap)
		return ubd_err(d, "no memory for the bitmap of %s", cow);
	r = ubd_user_pread(d->fd, d->bitmap, (size_t)h->bitmap_len,
			   h->bitmap_offset);
	if (r)
		return ubd_err(d, "cannot read the bitmap of %s: %s", cow,
			       ubd_strerror(r, eb, sizeof(eb)));
	return 1;
}

int ubd_cow_probe(struct ubd *d)
{
	struct cow_header *h;
	size_t got = 0;
	char eb[64];
	int fd, r, cr;
	u8 *head;

	if (d->backing)
		return cow_open(d, d->file);
	if (d->flag_no_cow)
		return 0;
	/* One file: a COW file names its backing file in its header. */
	if (ubd_user_open(d->file, false, false, &fd))
		return 0;	/* the plain open reports why */
	h = kmalloc(sizeof(*h));
	head = kmalloc(COW_HEADER_MAX);
	r = h && head ? read_head(fd, head, &got) : -ENOMEM;
	ubd_user_close(fd);
	cr = r ? 0 : cow_parse_header(head, got, h);
	kfree(head);
	kfree(h);
	if (r)
		return ubd_err(d, "cannot read %s: %s", d->file,
			       ubd_strerror(r, eb, sizeof(eb)));
	if (cr == -COW_ENOTCOW || (cr == -COW_ESHORT && got < 8))
		return 0;
	if (cr)
		return ubd_err(d, "invalid COW file %s: %s", d->file,
			       cow_strerror(cr));
	return cow_open(d, d->file);
}

/* Bits of sectors [s, s + n) set: the bitmap bytes they touch go back to
 * the file (with the kernel lock held, see above). */
static int cow_set_bits(struct ubd *d, u64 s, u64 n)
{
	struct cow_header *h = d->cow;
	u64 first = s / 8, last = (s + n - 1) / 8, i;
	bool changed = false;

	if (last >= h->bitmap_len)
		return -EIO;	/* the short bitmap of a v1/v2 file */
	for (i = s; i < s + n; i++) {
		if (!cow_bit_test(d->bitmap, i)) {
			cow_bit_set(d->bitmap, i);
			changed = true;
		}
	}
	if (!changed)
		return 0;
	return ubd_user_pwrite(d->fd, d->bitmap + first,
			       (size_t)(last - first + 1),
			       h->bitmap_offset + first);
}

int ubd_cow_rw(struct ubd *d, int op, u64 off, void *buf, size_t len,
	       unsigned int flags)
{
	struct cow_header *h = d->cow;
	u64 s = off / SECTOR_SIZE, n = len / SECTOR_SIZE, i = 0;
	char *p = buf;
	int r = 0;

	if (op == BLK_WRITE) {
		if ((s + n - 1) / 8 >= h->bitmap_len)
			return -EIO;
		r = ubd_pwrite(d, d->fd, buf, len, h->data_offset + off, flags);
		if (!r)
			r = cow_set_bits(d, s, n);
		if (!r && (flags & BLK_FUA) && !d->sync)
			r = ubd_sync(d->fd, flags);
		return r;
	}
	/* Runs of sectors from one file, one host read each. */
	while (i < n && !r) {
		bool in_cow = cow_bit_test(d->bitmap, s + i);
		u64 j = i + 1;

		while (j < n && cow_bit_test(d->bitmap, s + j) == in_cow)
			j++;
		if (in_cow)
			r = ubd_pread(d->fd, p + i * SECTOR_SIZE,
				      (size_t)(j - i) * SECTOR_SIZE,
				      h->data_offset + (s + i) * SECTOR_SIZE,
				      flags);
		else
			r = ubd_pread(d->bfd, p + i * SECTOR_SIZE,
				      (size_t)(j - i) * SECTOR_SIZE,
				      (s + i) * SECTOR_SIZE, flags);
		i = j;
	}
	return r;
}

/*
 * As the real UML: the COW's data is punched and the bits set, so the
 * sectors read as zeroes and the host file gives its blocks back. (Bits
 * cleared instead would bring the backing file's data back.)
 */
int ubd_cow_discard(struct ubd *d, u64 off, u64 len, unsigned int flags)
{
	struct cow_header *h = d->cow;
	u64 s = off / SECTOR_SIZE, n = len / SECTOR_SIZE;
	int r;

	if ((s + n - 1) / 8 >= h->bitmap_len)
		return -EIO;
	r = ubd_punch(d, d->fd, h->data_offset + off, len, flags);
	if (r)
		return r;
	return cow_set_bits(d, s, n);
}
