// SPDX-License-Identifier: GPL-2.0
/*
 * The UML COW file format: header parsing for versions 1, 2, 3 and the
 * "broken" 64-bit v3, layout computation, and the v3 writer. No libc and no
 * I/O of its own, so that the kernel can build it too (see cow.h).
 */
#include "cow.h"

#define OFF_MAX		((uint64_t)INT64_MAX)

static const char *const cow_errors[COW_NERRORS] = {
	[COW_OK] = "success",
	[COW_ENOTCOW] = "not a COW file",
	[COW_ESHORT] = "short COW header",
	[COW_EVERSION] = "invalid COW version",
	[COW_EALIGN] = "invalid COW header alignment",
	[COW_ESECTOR] = "invalid COW header sector size",
	[COW_EPATH] = "invalid backing file name in COW header",
	[COW_ERANGE] = "COW header size or offsets out of range",
	[COW_EIO] = "I/O error on COW file",
};

const char *cow_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= COW_NERRORS)
		return "unknown COW error";
	return cow_errors[err];
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p + 4) << 32 | get_le32(p);
}

/* v1 fields are in the writer's host order, which is taken to be ours. */
static uint32_t get_host32(const uint8_t *p)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return get_be32(p);
#else
	return get_le32(p);
#endif
}

static uint64_t get_host64(const uint8_t *p)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return get_be64(p);
#else
	return get_le64(p);
#endif
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, (uint32_t)v);
}

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* Rounds v up to a multiple of a (a power of two); false on overflow. */
static bool round_up(uint64_t v, uint32_t a, uint64_t *res)
{
	uint64_t r = (v + a - 1) & ~((uint64_t)a - 1);

	if (r < v)
		return false;
	*res = r;
	return true;
}

/* Copies a NUL-terminated path out of a field of n bytes. */
static int copy_path(char *dst, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		dst[i] = (char)src[i];
		if (!src[i])
			return 0;
	}
	dst[0] = '\0';
	return -COW_EPATH;
}

/*
 * Checks the fields common to all versions and computes bitmap length and
 * data offset (bitmap_offset is already set).
 */
static int cow_layout(struct cow_header *h)
{
	uint64_t sectors, end;

	if (!is_pow2(h->sectorsize) || h->sectorsize > COW_SECTOR_MAX)
		return -COW_ESECTOR;
	if (!is_pow2(h->align) || h->align > COW_ALIGN_MAX)
		return -COW_EALIGN;
	if (h->size > OFF_MAX)
		return -COW_ERANGE;
	if (h->version == 3) {
		sectors = h->size / h->sectorsize +
			  (h->size % h->sectorsize != 0);
		h->bitmap_len = sectors / 8 + (sectors % 8 != 0);
	} else {
		/* The historical formula: can be one byte short; kept so
		 * that old files are read where their writers put things. */
		h->bitmap_len = (h->size + h->sectorsize - 1) /
				(8 * (uint64_t)h->sectorsize);
	}
	if (h->bitmap_offset > OFF_MAX - h->bitmap_len)
		return -COW_ERANGE;
	end = h->bitmap_offset + h->bitmap_len;
	if (!round_up(end, h->align, &h->data_offset))
		return -COW_ERANGE;
	if (h->data_offset > OFF_MAX || h->size > OFF_MAX - h->data_offset)
		return -COW_ERANGE;
	return 0;
}

int cow_parse_header(const void *buf, size_t len, struct cow_header *h)
{
	const uint8_t *p = buf;
	uint32_t magic, v;
	int err;

	h->backing[0] = '\0';
	h->version = 0;
	h->broken_v3 = false;
	h->swapped_magic = false;
	h->align = 0;
	if (len < 8)
		return -COW_ESHORT;
	magic = get_host32(p);
	if (magic == COW_MAGIC) {
		h->swapped_magic = false;
		h->version = get_host32(p + 4);
	} else if (magic == __builtin_bswap32(COW_MAGIC)) {
		h->swapped_magic = true;
		h->version = __builtin_bswap32(get_host32(p + 4));
	} else {
		return -COW_ENOTCOW;
	}

	switch (h->version) {
	case 1:
		if (len < COW_V1_SIZE)
			return -COW_ESHORT;
		err = copy_path(h->backing, p + 8, COW_V1_PATH_MAX);
		if (err)
			return err;
		h->mtime = get_host32(p + 264);
		h->size = get_host64(p + 268);
		v = get_host32(p + 276);
		h->sectorsize = v;
		h->align = v;
		h->header_size = COW_V1_SIZE;
		h->bitmap_offset = COW_V1_SIZE;
		break;
	case 2:
		if (len < COW_V2_SIZE)
			return -COW_ESHORT;
		err = copy_path(h->backing, p + 8, COW_PATH_MAX);
		if (err)
			return err;
		h->mtime = get_be32(p + 4104);
		h->size = get_be64(p + 4108);
		v = get_be32(p + 4116);
		h->sectorsize = v;
		h->align = v;
		h->header_size = COW_V2_SIZE;
		h->bitmap_offset = COW_V2_SIZE;
		break;
	case 3:
		/* Bytes past the end count as zero, as in a zeroed buffer, so
		 * a very short file is reported as a short broken v3. */
		if (len < 36 || (!p[32] && !p[33] && !p[34] && !p[35])) {
			h->broken_v3 = true;
			if (len < COW_V3_BROKEN_SIZE)
				return -COW_ESHORT;
			/* The low half of a 64-bit slot in host order,
			 * byte-swapped: the BE u32 at offset 8 on x86. */
			h->mtime = __builtin_bswap32(
				(uint32_t)get_host64(p + 8));
			h->size = get_be64(p + 16);
			h->sectorsize = get_be32(p + 24);
			h->align = get_be32(p + 28);
			err = copy_path(h->backing, p + 36, COW_PATH_MAX);
			h->header_size = COW_V3_BROKEN_SIZE;
		} else {
			if (len < COW_V3_SIZE)
				return -COW_ESHORT;
			h->mtime = get_be32(p + 8);
			h->size = get_be64(p + 12);
			h->sectorsize = get_be32(p + 20);
			h->align = get_be32(p + 24);
			err = copy_path(h->backing, p + 32, COW_PATH_MAX);
			h->header_size = COW_V3_SIZE;
		}
		if (err)
			return err;
		if (!h->align)
			return -COW_EALIGN;
		if (!is_pow2(h->align) || h->align > COW_ALIGN_MAX)
			return -COW_EALIGN;
		if (!round_up(h->header_size, h->align, &h->bitmap_offset))
			return -COW_ERANGE;
		break;
	default:
		return -COW_EVERSION;
	}
	return cow_layout(h);
}

int cow_read_header(cow_read_fn rd, void *ctx, struct cow_header *h)
{
	uint8_t buf[COW_HEADER_MAX];
	size_t got = 0;
	long n;

	/* Short reads are retried until end of file. */
	while (got < sizeof(buf)) {
		n = rd(ctx, buf + got, sizeof(buf) - got, got);
		if (n < 0)
			return -COW_EIO;
		if (n == 0)
			break;
		if ((size_t)n > sizeof(buf) - got)
			return -COW_EIO;
		got += n;
	}
	return cow_parse_header(buf, got, h);
}

int cow_init_header(struct cow_header *h, const char *backing,
		    uint32_t mtime, uint64_t size, uint32_t sectorsize,
		    uint32_t align)
{
	size_t i;

	for (i = 0; backing[i]; i++) {
		if (i >= COW_PATH_MAX - 1)
			return -COW_EPATH;
		h->backing[i] = backing[i];
	}
	/* An empty path would be read back as the broken v3 layout. */
	if (!i)
		return -COW_EPATH;
	for (; i < COW_PATH_MAX; i++)
		h->backing[i] = '\0';
	h->version = 3;
	h->broken_v3 = false;
	h->swapped_magic = true;
	h->mtime = mtime;
	h->size = size;
	h->sectorsize = sectorsize;
	h->align = align;
	h->header_size = COW_V3_SIZE;
	if (!is_pow2(align) || align > COW_ALIGN_MAX)
		return -COW_EALIGN;
	if (!round_up(COW_V3_SIZE, align, &h->bitmap_offset))
		return -COW_ERANGE;
	return cow_layout(h);
}

void cow_encode_v3(const struct cow_header *h, uint8_t buf[COW_V3_SIZE])
{
	size_t i;

	for (i = 0; i < COW_V3_SIZE; i++)
		buf[i] = 0;
	put_be32(buf, COW_MAGIC);
	put_be32(buf + 4, 3);
	put_be32(buf + 8, h->mtime);
	put_be64(buf + 12, h->size);
	put_be32(buf + 20, h->sectorsize);
	put_be32(buf + 24, h->align);
	/* cow_format at 28: 0, the bitmap format, is the only one. */
	for (i = 0; i < COW_PATH_MAX - 1 && h->backing[i]; i++)
		buf[32 + i] = (uint8_t)h->backing[i];
}

static int write_all(cow_write_fn wr, void *ctx, const void *buf, size_t len,
		     uint64_t off)
{
	const uint8_t *p = buf;
	long n;

	while (len) {
		n = wr(ctx, p, len, off);
		if (n <= 0 || (size_t)n > len)
			return -COW_EIO;
		p += n;
		len -= n;
		off += n;
	}
	return 0;
}

int cow_create(const struct cow_header *h, cow_write_fn wr, void *ctx)
{
	uint8_t buf[COW_V3_SIZE];
	uint8_t zero = 0;
	int err;

	cow_encode_v3(h, buf);
	err = write_all(wr, ctx, buf, sizeof(buf), 0);
	if (err)
		return err;
	/* data_offset >= bitmap_offset >= COW_V3_SIZE, so this is never
	 * before the header even for an empty backing file. */
	return write_all(wr, ctx, &zero, 1, h->data_offset + h->size - 1);
}
