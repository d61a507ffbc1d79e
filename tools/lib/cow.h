/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UML copy-on-write (COW) file format (docs: /work/shared/spec/cow-format.md).
 *
 * Shared by the host tools (uml_mkcow, uml_moo) and the kernel's ubd driver,
 * so it does no I/O itself and sees no libc: the caller passes a read or
 * write callback. Everything read from a file is treated as hostile: a header
 * that parses has sane, non-overflowing offsets.
 */
#ifndef TOOLS_LIB_COW_H
#define TOOLS_LIB_COW_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define COW_MAGIC		0x4F4F4F4DU
#define COW_PATH_MAX		4096	/* the v2/v3 path field, NUL included */
#define COW_V1_PATH_MAX		256
#define COW_V1_SIZE		280
#define COW_V2_SIZE		4120
#define COW_V3_SIZE		4128
#define COW_V3_BROKEN_SIZE	4136
#define COW_HEADER_MAX		4136	/* what a reader reads from offset 0 */
#define COW_SECTOR_SIZE		512	/* what writers record */
/* Larger sectors or alignments are refused: no writer ever made them. */
#define COW_SECTOR_MAX		(1U << 20)
#define COW_ALIGN_MAX		(1U << 20)

/* Errors, returned negated. cow_strerror() gives the text. */
enum cow_error {
	COW_OK = 0,
	COW_ENOTCOW,		/* no COW magic: a plain image */
	COW_ESHORT,		/* the file ends inside the header */
	COW_EVERSION,		/* version not 1, 2 or 3 */
	COW_EALIGN,		/* alignment 0, too big or not a power of 2 */
	COW_ESECTOR,		/* sector size 0, too big or not a power of 2 */
	COW_EPATH,		/* backing path not NUL-terminated, or too long */
	COW_ERANGE,		/* size/offsets out of range or overflowing */
	COW_EIO,		/* the callback failed */
	COW_NERRORS
};

/* A parsed header, with the derived layout. */
struct cow_header {
	uint32_t version;	/* 1, 2 or 3 */
	bool broken_v3;		/* the old 64-bit v3 layout */
	bool swapped_magic;	/* magic read byte-swapped (written big-endian) */
	uint32_t mtime;		/* of the backing file, seconds */
	uint64_t size;		/* of the backing file, bytes */
	uint32_t sectorsize;
	uint32_t align;
	uint32_t header_size;	/* bytes of header the version occupies */
	uint64_t bitmap_offset;
	uint64_t bitmap_len;
	uint64_t data_offset;
	char backing[COW_PATH_MAX];	/* NUL-terminated */
};

/*
 * Callbacks: transfer up to len bytes at file offset off; return the number
 * of bytes done (less than len only at end of file, for reads) or a negative
 * value on error (the library then returns -COW_EIO; keep the errno in ctx).
 */
typedef long (*cow_read_fn)(void *ctx, void *buf, size_t len, uint64_t off);
typedef long (*cow_write_fn)(void *ctx, const void *buf, size_t len,
			     uint64_t off);

/* Parses the first len bytes of a file into h. 0 or -COW_E*. */
int cow_parse_header(const void *buf, size_t len, struct cow_header *h);

/* Reads (up to COW_HEADER_MAX bytes) and parses. 0 or -COW_E*. */
int cow_read_header(cow_read_fn rd, void *ctx, struct cow_header *h);

/*
 * Fills h for a new v3 header (absolute backing path, its mtime and size,
 * sector size, alignment) and computes its layout. 0 or -COW_E*.
 */
int cow_init_header(struct cow_header *h, const char *backing,
		    uint32_t mtime, uint64_t size, uint32_t sectorsize,
		    uint32_t align);

/* Encodes h as a v3 header into buf (COW_V3_SIZE bytes, zero-filled). */
void cow_encode_v3(const struct cow_header *h, uint8_t buf[COW_V3_SIZE]);

/*
 * Creates a COW file as the real writers do: the v3 header at 0, then one
 * zero byte at data_offset + size - 1 to set the end of file; the bitmap
 * and the data stay holes. 0 or -COW_E*.
 */
int cow_create(const struct cow_header *h, cow_write_fn wr, void *ctx);

/* Sector n's bit in a bitmap (bit n % 8 of byte n / 8, LSB first). */
static inline bool cow_bit_test(const uint8_t *bitmap, uint64_t n)
{
	return (bitmap[n >> 3] >> (n & 7)) & 1;
}

static inline void cow_bit_set(uint8_t *bitmap, uint64_t n)
{
	bitmap[n >> 3] |= (uint8_t)(1U << (n & 7));
}

static inline void cow_bit_clear(uint8_t *bitmap, uint64_t n)
{
	bitmap[n >> 3] &= (uint8_t)~(1U << (n & 7));
}

const char *cow_strerror(int err);

#endif /* TOOLS_LIB_COW_H */
