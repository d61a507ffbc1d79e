// SPDX-License-Identifier: GPL-2.0
/*
 * ext4's host half, part three: regular file data between the image and
 * the page cache (a host memfd per inode, filled on first use and written
 * back when dirty), truncation, and extended attributes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ext2fs_user.h"

#define CHUNK		(1U << 20)
/* Bounds the walk of a (maybe crafted) extent tree. */
#define MAX_EXTENT_STEPS	(1U << 22)

static bool all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Copies a run of physical blocks to the memfd, leaving zero pages out so
 * the memfd stays sparse. */
static int copy_run(struct e4h_fs *h, int fd, char *buf, uint64_t lblk,
		    uint64_t pblk, uint64_t count, uint64_t size)
{
	ext2_filsys fs = h->fs;
	uint64_t bs = fs->blocksize, done = 0;

	if (pblk < fs->super->s_first_data_block ||
	    pblk >= ext2fs_blocks_count(fs->super) ||
	    count > ext2fs_blocks_count(fs->super) - pblk)
		return -EUCLEAN;
	while (done < count) {
		uint64_t off = (lblk + done) * bs, n = count - done, bytes;
		errcode_t e;

		if (off >= size)
			break;
		if (n > CHUNK / bs)
			n = CHUNK / bs;
		e = io_channel_read_blk64(fs->io, pblk + done, (int)n, buf);
		if (e)
			return e4h_err(e);
		bytes = n * bs;
		if (bytes > size - off)
			bytes = size - off;
		for (uint64_t p = 0; p < bytes; p += 4096) {
			size_t len = bytes - p < 4096 ? bytes - p : 4096;

			if (all_zero(buf + p, len))
				continue;
			if (pwrite(fd, buf + p, len, (off_t)(off + p)) !=
			    (ssize_t)len)
				return -EIO;
		}
		done += n;
	}
	return 0;
}

static int fill_extents(struct e4h_fs *h, uint32_t ino,
			struct ext2_inode_large *in, int fd, char *buf,
			uint64_t size)
{
	ext2_extent_handle_t eh;
	struct ext2fs_extent ex;
	unsigned int steps = 0;
	errcode_t e;
	int r = 0;

	e = ext2fs_extent_open2(h->fs, ino, (struct ext2_inode *)in, &eh);
	if (e)
		return e4h_err(e);
	e = ext2fs_extent_get(eh, EXT2_EXTENT_ROOT, &ex);
	while (!e) {
		if (++steps > MAX_EXTENT_STEPS) {
			r = -EUCLEAN;
			break;
		}
		if ((ex.e_flags & EXT2_EXTENT_FLAGS_LEAF) &&
		    !(ex.e_flags & EXT2_EXTENT_FLAGS_SECOND_VISIT) &&
		    !(ex.e_flags & EXT2_EXTENT_FLAGS_UNINIT) && ex.e_len) {
			r = copy_run(h, fd, buf, ex.e_lblk, ex.e_pblk, ex.e_len,
				     size);
			if (r)
				break;
		}
		e = ext2fs_extent_get(eh, EXT2_EXTENT_NEXT, &ex);
	}
	if (!r && e && e != EXT2_ET_EXTENT_NO_NEXT)
		r = e4h_err(e);
	ext2fs_extent_free(eh);
	return r;
}

/* Block-mapped files (ext2/ext3): runs of contiguous blocks. */
struct run_ctx {
	struct e4h_fs *h;
	int fd;
	char *buf;
	uint64_t size;
	uint64_t lblk, pblk, count;
	int err;
};

static int flush_run(struct run_ctx *c)
{
	int r = 0;

	if (c->count)
		r = copy_run(c->h, c->fd, c->buf, c->lblk, c->pblk, c->count,
			     c->size);
	c->count = 0;
	return r;
}

static int run_cb(ext2_filsys fs, blk64_t *blocknr, e2_blkcnt_t blockcnt,
		  blk64_t ref_blk, int ref_offset, void *priv)
{
	struct run_ctx *c = priv;

	if (blockcnt < 0)
		return 0;
	if (c->count && c->lblk + c->count == (uint64_t)blockcnt &&
	    c->pblk + c->count == *blocknr && c->count < CHUNK / fs->blocksize) {
		c->count++;
		return 0;
	}
	c->err = flush_run(c);
	if (c->err)
		return BLOCK_ABORT;
	c->lblk = (uint64_t)blockcnt;
	c->pblk = *blocknr;
	c->count = 1;
	return 0;
}

int e4h_fill(struct e4h_fs *h, uint32_t ino, int fd, uint64_t size)
{
	struct ext2_inode_large in;
	char *buf;
	int r = e4h_iget(h, ino, &in);

	if (r)
		return r;
	if (EXT2_I_SIZE((struct ext2_inode *)&in) < size)
		size = EXT2_I_SIZE((struct ext2_inode *)&in);
	if (!size)
		return 0;
	if (in.i_flags & EXT4_INLINE_DATA_FL) {
		size_t got = 0;
		errcode_t e = ext2fs_inline_data_size(h->fs, ino, &got);

		if (e)
			return e4h_err(e);
		buf = malloc(got + 1);
		if (!buf)
			return -ENOMEM;
		e = ext2fs_inline_data_get(h->fs, ino, (struct ext2_inode *)&in,
					   buf, &got);
		if (!e && got > size)
			got = size;
		if (!e && got && pwrite(fd, buf, got, 0) != (ssize_t)got)
			r = -EIO;
		free(buf);
		return e ? e4h_err(e) : r;
	}
	buf = malloc(CHUNK);
	if (!buf)
		return -ENOMEM;
	if (in.i_flags & EXT4_EXTENTS_FL) {
		r = fill_extents(h, ino, &in, fd, buf, size);
	} else {
		struct run_ctx c = { .h = h, .fd = fd, .buf = buf,
				     .size = size };
		errcode_t e = ext2fs_block_iterate3(h->fs, ino,
			BLOCK_FLAG_READ_ONLY | BLOCK_FLAG_DATA_ONLY, NULL,
			run_cb, &c);

		r = c.err;
		if (!r)
			r = e4h_err(e);
		if (!r)
			r = flush_run(&c);
	}
	free(buf);
	return r;
}

/* Writes fd's data in [off, end) through an open file. */
static int write_data(struct e4h_fs *h, ext2_file_t f, int fd, char *buf,
		      uint64_t off, uint64_t end)
{
	while (off < end) {
		size_t n = end - off > CHUNK ? CHUNK : (size_t)(end - off);
		ssize_t got = pread(fd, buf, n, (off_t)off);
		unsigned int done = 0;
		errcode_t e;

		if (got <= 0)
			return got < 0 ? -EIO : 0;
		e = ext2fs_file_llseek(f, off, EXT2_SEEK_SET, NULL);
		while (!e && done < (unsigned int)got) {
			unsigned int w = 0;

			e = ext2fs_file_write(f, buf + done,
					      (unsigned int)got - done, &w);
			if (!e && !w)
				e = EXT2_ET_SHORT_WRITE;
			done += w;
		}
		if (e)
			return e4h_err(e);
		off += (uint64_t)got;
	}
	return 0;
}

/* The data segments of fd in [start, end) (clipped to size), in bytes. */
static uint64_t data_bytes(int fd, uint64_t start, uint64_t end,
			   uint64_t size, uint64_t bs, bool (*each)(void *,
			   uint64_t, uint64_t), void *arg)
{
	uint64_t pos = start, total = 0;

	while (pos < end) {
		off_t d = lseek(fd, (off_t)pos, SEEK_DATA), h;
		uint64_t data, hole;

		if (d < 0 || (uint64_t)d >= end)
			break;
		data = (uint64_t)d / bs * bs;
		h = lseek(fd, d, SEEK_HOLE);
		hole = h < 0 ? end : (uint64_t)h;
		if (hole > end)
			hole = end;
		if (hole > size)
			hole = size;
		if (hole <= data)
			break;
		total += (hole - data + bs - 1) / bs * bs;
		if (each && !each(arg, data / bs, (hole + bs - 1) / bs))
			break;
		pos = (hole + bs - 1) / bs * bs;
	}
	return total;
}

struct unmapped_ctx {
	struct e4h_fs *h;
	uint32_t ino;
	struct ext2_inode_large *in;
	uint64_t count;
	bool failed;
};

static bool count_unmapped(void *arg, uint64_t from, uint64_t to)
{
	struct unmapped_ctx *c = arg;

	for (uint64_t b = from; b < to; b++) {
		blk64_t p = 0;

		if (ext2fs_bmap2(c->h->fs, c->ino, (struct ext2_inode *)c->in,
				 NULL, 0, b, NULL, &p)) {
			c->failed = true;
			return false;
		}
		c->count += !p;
	}
	return true;
}

static int check_space(struct e4h_fs *h, uint32_t ino,
		       struct ext2_inode_large *in, int fd, uint64_t start,
		       uint64_t end, uint64_t size)
{
	uint64_t bs = h->fs->blocksize;
	uint64_t free = ext2fs_free_blocks_count(h->fs->super);
	uint64_t need = data_bytes(fd, start, end, size, bs, NULL, NULL) / bs;
	struct unmapped_ctx c = { h, ino, in, 0, false };

	/* extent tree blocks on top: one per 300 data blocks is plenty */
	if (need + need / 300 + 8 <= free)
		return 0;
	data_bytes(fd, start, end, size, bs, count_unmapped, &c);
	if (c.failed)
		return -EUCLEAN;
	return c.count + c.count / 300 + 8 <= free ? 0 : -ENOSPC;
}

int e4h_writeback(struct e4h_fs *h, uint32_t ino, int fd, uint64_t start,
		  uint64_t end, uint64_t size)
{
	ext2_filsys fs = h->fs;
	uint64_t bs = fs->blocksize, pos, limit;
	struct ext2_inode_large in;
	ext2_file_t f;
	char *buf;
	errcode_t e;
	int r;

	if (!h->rw)
		return -EROFS;
	r = e4h_iget(h, ino, &in);
	if (r)
		return r;
	limit = (size + bs - 1) / bs * bs;
	start = start / bs * bs;
	end = (end + bs - 1) / bs * bs;
	if (end > limit)
		end = limit;
	/* inline data is small: write it all, libext2fs moves it to blocks
	 * when it outgrows the inode */
	if (in.i_flags & EXT4_INLINE_DATA_FL) {
		start = 0;
		end = limit;
	}
	/*
	 * libext2fs can leave blocks allocated but unmapped when it runs out
	 * of space in the middle of a write: make sure the blocks are there
	 * before starting (counting only unmapped ones when space is tight).
	 */
	r = check_space(h, ino, &in, fd, start, end, size);
	if (r)
		return r;
	/* holes first, while no file handle caches the inode */
	for (pos = start; pos < end && !(in.i_flags & EXT4_INLINE_DATA_FL);) {
		off_t d = lseek(fd, (off_t)pos, SEEK_DATA);
		uint64_t data = d < 0 ? end : (uint64_t)d, hole;

		if (data > end)
			data = end;
		data = data / bs * bs;
		if (data > pos) {
			e = ext2fs_punch(fs, ino, NULL, NULL, pos / bs,
					 data / bs - 1);
			if (e)
				return e4h_err(e);
		}
		if (data >= end)
			break;
		d = lseek(fd, (off_t)data, SEEK_HOLE);
		hole = d < 0 ? end : (uint64_t)d;
		pos = (hole + bs - 1) / bs * bs;
		if (pos <= data)
			pos = data + bs;
	}
	e4h_flush_discards(h);
	e = ext2fs_file_open(fs, ino, EXT2_FILE_WRITE, &f);
	if (e)
		return e4h_err(e);
	buf = malloc(CHUNK);
	if (!buf) {
		ext2fs_file_close(f);
		return -ENOMEM;
	}
	r = 0;
	for (pos = start; pos < end && !r;) {
		off_t d = lseek(fd, (off_t)pos, SEEK_DATA);
		uint64_t data, hole;

		if (d < 0)
			break;
		data = (uint64_t)d;
		if (data >= end)
			break;
		d = lseek(fd, (off_t)data, SEEK_HOLE);
		hole = d < 0 ? end : (uint64_t)d;
		if (hole > end)
			hole = end;
		if (hole > size)
			hole = size;
		if (hole <= data)
			break;
		r = write_data(h, f, fd, buf, data, hole);
		pos = hole;
	}
	free(buf);
	if (!r)
		r = e4h_err(ext2fs_file_set_size2(f, size));
	e = ext2fs_file_close(f);
	if (!r)
		r = e4h_err(e);
	return r;
}

int e4h_truncate(struct e4h_fs *h, uint32_t ino, uint64_t size)
{
	ext2_file_t f;
	errcode_t e, e2;

	if (!h->rw)
		return -EROFS;
	e = ext2fs_file_open(h->fs, ino, EXT2_FILE_WRITE, &f);
	if (e)
		return e4h_err(e);
	e = ext2fs_file_set_size2(f, size);
	e2 = ext2fs_file_close(f);
	e4h_flush_discards(h);
	return e4h_err(e ? e : e2);
}

/* ------------------------------------------------------------------ */
/* extended attributes */

static int xopen(struct e4h_fs *h, uint32_t ino,
		 struct ext2_xattr_handle **x)
{
	errcode_t e = ext2fs_xattrs_open(h->fs, ino, x);

	if (e)
		return e4h_err(e);
	e = ext2fs_xattrs_read(*x);
	if (e) {
		ext2fs_xattrs_close(x);
		return e4h_err(e);
	}
	return 0;
}

int e4h_getxattr(struct e4h_fs *h, uint32_t ino, const char *name,
		 void *buf, size_t size)
{
	struct ext2_xattr_handle *x;
	void *val = NULL;
	size_t len = 0;
	errcode_t e;
	int r = xopen(h, ino, &x);

	if (r)
		return r;
	e = ext2fs_xattr_get(x, name, &val, &len);
	ext2fs_xattrs_close(&x);
	if (e)
		return e4h_err(e);
	if (len > 65536)
		r = -E2BIG;
	else if (size && len > size)
		r = -ERANGE;
	else
		r = (int)len;
	if (r > 0 && size)
		memcpy(buf, val, len);
	ext2fs_free_mem(&val);
	return r;
}

struct list_ctx {
	char *buf;
	size_t size, used;
};

static int list_cb(char *name, char *value, size_t value_len, void *data)
{
	struct list_ctx *c = data;
	size_t n = strlen(name) + 1;

	/* inline file data lives in an attribute Linux does not show */
	if (!strcmp(name, "system.data"))
		return 0;
	if (c->size && c->used + n <= c->size)
		memcpy(c->buf + c->used, name, n);
	c->used += n;
	return 0;
}

int e4h_listxattr(struct e4h_fs *h, uint32_t ino, char *buf, size_t size)
{
	struct ext2_xattr_handle *x;
	struct list_ctx c = { buf, size, 0 };
	errcode_t e;
	int r = xopen(h, ino, &x);

	if (r)
		return r;
	e = ext2fs_xattrs_iterate(x, list_cb, &c);
	ext2fs_xattrs_close(&x);
	if (e)
		return e4h_err(e);
	if (size && c.used > size)
		return -ERANGE;
	if (c.used > 65536)
		return -E2BIG;
	return (int)c.used;
}

int e4h_setxattr(struct e4h_fs *h, uint32_t ino, const char *name,
		 const void *value, size_t size, int flags)
{
	struct ext2_xattr_handle *x;
	void *old = NULL;
	size_t oldlen = 0;
	errcode_t e;
	int r;

	if (!h->rw)
		return -EROFS;
	r = xopen(h, ino, &x);
	if (r)
		return r;
	e = ext2fs_xattr_get(x, name, &old, &oldlen);
	if (!e)
		ext2fs_free_mem(&old);
	if (!e && (flags & E4H_XATTR_CREATE))
		r = -EEXIST;
	else if (e == EXT2_ET_EA_KEY_NOT_FOUND && (flags & E4H_XATTR_REPLACE))
		r = -ENODATA;
	else if (e && e != EXT2_ET_EA_KEY_NOT_FOUND)
		r = e4h_err(e);
	if (!r)
		r = e4h_err(ext2fs_xattr_set(x, name, value, size));
	e = ext2fs_xattrs_close(&x);
	if (!r)
		r = e4h_err(e);
	return r;
}

int e4h_removexattr(struct e4h_fs *h, uint32_t ino, const char *name)
{
	struct ext2_xattr_handle *x;
	void *old = NULL;
	size_t oldlen = 0;
	errcode_t e;
	int r;

	if (!h->rw)
		return -EROFS;
	r = xopen(h, ino, &x);
	if (r)
		return r;
	e = ext2fs_xattr_get(x, name, &old, &oldlen);
	if (!e) {
		ext2fs_free_mem(&old);
		r = e4h_err(ext2fs_xattr_remove(x, name));
	} else {
		r = e4h_err(e);
	}
	e = ext2fs_xattrs_close(&x);
	if (!r)
		r = e4h_err(e);
	return r;
}
