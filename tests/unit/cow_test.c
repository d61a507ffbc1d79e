// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the COW format library (tools/lib/cow.c): header parsing of
 * every version and byte order, the layout formulas, refusals of hostile
 * headers, and the v3 writer. Prints PASS or FAIL: reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../tools/lib/cow.c"

static int failures;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL: line %d: ", __LINE__);		\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

static uint8_t buf[8192];
static struct cow_header h;

static void be32(size_t off, uint32_t v)
{
	put_be32(buf + off, v);
}

static void be64(size_t off, uint64_t v)
{
	put_be64(buf + off, v);
}

static void le32(size_t off, uint32_t v)
{
	memcpy(buf + off, &v, 4);	/* x86-64: host order */
}

static void le64(size_t off, uint64_t v)
{
	memcpy(buf + off, &v, 8);
}

static void v3(uint64_t size, uint32_t ss, uint32_t align, const char *path)
{
	memset(buf, 0, sizeof(buf));
	be32(0, COW_MAGIC);
	be32(4, 3);
	be32(8, 1234567890);
	be64(12, size);
	be32(20, ss);
	be32(24, align);
	strcpy((char *)buf + 32, path);
}

static int parse(size_t len)
{
	memset(&h, 0xa5, sizeof(h));
	return cow_parse_header(buf, len, &h);
}

static void test_v3(void)
{
	int err;

	/* The spec's verified example. */
	v3(1024000, 512, 4096, "/tmp/base.img");
	err = parse(COW_V3_SIZE);
	CHECK(err == 0, "v3: %s", cow_strerror(err));
	CHECK(h.version == 3 && !h.broken_v3 && h.swapped_magic, "v3 kind");
	CHECK(h.mtime == 1234567890 && h.size == 1024000, "v3 fields");
	CHECK(h.sectorsize == 512 && h.align == 4096, "v3 ss/align");
	CHECK(!strcmp(h.backing, "/tmp/base.img"), "v3 path '%s'", h.backing);
	CHECK(h.bitmap_offset == 8192 && h.bitmap_len == 250 &&
	      h.data_offset == 12288, "v3 layout %llu %llu %llu",
	      (unsigned long long)h.bitmap_offset,
	      (unsigned long long)h.bitmap_len,
	      (unsigned long long)h.data_offset);
	/* A partial sector and a partial bitmap byte round up. */
	v3(512 * 9 + 1, 512, 4096, "/b");
	CHECK(parse(COW_V3_SIZE) == 0 && h.bitmap_len == 2, "v3 rounding");
	/* The magic in host order: the version too, fields still BE. */
	v3(4096, 512, 4096, "/b");
	le32(0, COW_MAGIC);
	le32(4, 3);
	CHECK(parse(COW_V3_SIZE) == 0 && !h.swapped_magic && h.size == 4096,
	      "v3 with a host-order magic");
	/* One byte short. */
	v3(4096, 512, 4096, "/b");
	CHECK(parse(COW_V3_SIZE - 1) == -COW_ESHORT, "v3 short");
	/* Hostile fields. */
	v3(4096, 512, 0, "/b");
	CHECK(parse(COW_V3_SIZE) == -COW_EALIGN && h.align == 0, "align 0");
	v3(4096, 512, 3000, "/b");
	CHECK(parse(COW_V3_SIZE) == -COW_EALIGN, "align 3000");
	v3(4096, 512, 1U << 31, "/b");
	CHECK(parse(COW_V3_SIZE) == -COW_EALIGN, "align 2^31");
	v3(4096, 0, 4096, "/b");
	CHECK(parse(COW_V3_SIZE) == -COW_ESECTOR, "sectorsize 0");
	v3(4096, 513, 4096, "/b");
	CHECK(parse(COW_V3_SIZE) == -COW_ESECTOR, "sectorsize 513");
	v3(4096, 0x80000000, 4096, "/b");
	CHECK(parse(COW_V3_SIZE) == -COW_ESECTOR, "sectorsize 2^31");
	v3(UINT64_MAX, 512, 4096, "/b");
	CHECK(parse(COW_V3_SIZE) == -COW_ERANGE, "size 2^64-1");
	v3((uint64_t)INT64_MAX, 1, 4096, "/b");
	CHECK(parse(COW_V3_SIZE) == -COW_ERANGE, "data end past 2^63");
	v3(1ULL << 40, 512, 4096, "/b");
	CHECK(parse(COW_V3_SIZE) == 0 && h.bitmap_len == (1ULL << 28),
	      "1 TiB");
	v3(4096, 512, 4096, "/b");
	memset(buf + 32, 'x', COW_PATH_MAX);
	CHECK(parse(COW_V3_SIZE) == -COW_EPATH, "unterminated path");
}

static void test_broken_v3(void)
{
	memset(buf, 0, sizeof(buf));
	be32(0, COW_MAGIC);
	be32(4, 3);
	be32(8, 1111111111);	/* low half of the 64-bit slot, swapped */
	be64(16, 1 << 20);
	be32(24, 512);
	be32(28, 4096);
	strcpy((char *)buf + 36, "/old/base");
	CHECK(parse(COW_V3_BROKEN_SIZE) == 0, "broken v3");
	CHECK(h.broken_v3 && h.mtime == 1111111111 && h.size == 1 << 20 &&
	      h.sectorsize == 512 && h.align == 4096 &&
	      !strcmp(h.backing, "/old/base"), "broken v3 fields");
	CHECK(h.bitmap_offset == 8192 && h.bitmap_len == 256 &&
	      h.data_offset == 12288, "broken v3 layout");
	CHECK(parse(COW_V3_BROKEN_SIZE - 1) == -COW_ESHORT && h.broken_v3,
	      "broken v3 short");
	CHECK(parse(10) == -COW_ESHORT && h.broken_v3 && h.version == 3,
	      "10-byte v3");
}

static void test_v2(void)
{
	int big;

	for (big = 0; big < 2; big++) {
		memset(buf, 0, sizeof(buf));
		if (big) {
			be32(0, COW_MAGIC);
			be32(4, 2);
		} else {
			le32(0, COW_MAGIC);
			le32(4, 2);
		}
		strcpy((char *)buf + 8, "/v2/base");
		be32(4104, 42);
		be64(4108, 512 * 9);
		be32(4116, 512);
		CHECK(parse(COW_V2_SIZE) == 0, "v2 (big %d)", big);
		CHECK(h.version == 2 && h.swapped_magic == big &&
		      h.mtime == 42 && h.size == 512 * 9 &&
		      h.sectorsize == 512 && h.align == 512 &&
		      !strcmp(h.backing, "/v2/base"), "v2 fields");
		/* The historical formula: one byte short here. */
		CHECK(h.bitmap_offset == 4120 && h.bitmap_len == 1 &&
		      h.data_offset == 4608, "v2 layout %llu %llu",
		      (unsigned long long)h.bitmap_len,
		      (unsigned long long)h.data_offset);
		CHECK(parse(COW_V2_SIZE - 1) == -COW_ESHORT, "v2 short");
		be32(4116, 0xfffffe00);	/* a negative s32 */
		CHECK(parse(COW_V2_SIZE) == -COW_ESECTOR, "v2 negative ss");
	}
}

static void test_v1(void)
{
	memset(buf, 0, sizeof(buf));
	le32(0, COW_MAGIC);
	le32(4, 1);
	strcpy((char *)buf + 8, "v1base");
	le32(264, 77);
	le64(268, 1 << 20);
	le32(276, 1024);
	CHECK(parse(COW_V1_SIZE) == 0, "v1");
	CHECK(h.version == 1 && h.mtime == 77 && h.size == 1 << 20 &&
	      h.sectorsize == 1024 && h.align == 1024 &&
	      !strcmp(h.backing, "v1base"), "v1 fields");
	CHECK(h.bitmap_offset == 280 && h.bitmap_len == 128 &&
	      h.data_offset == 1024, "v1 layout");
	CHECK(parse(COW_V1_SIZE - 1) == -COW_ESHORT, "v1 short");
	memset(buf + 8, 'y', 256);
	CHECK(parse(COW_V1_SIZE) == -COW_EPATH, "v1 unterminated path");
}

static void test_misc(void)
{
	memset(buf, 0, sizeof(buf));
	CHECK(parse(4136) == -COW_ENOTCOW, "zeros are not a COW file");
	CHECK(parse(7) == -COW_ESHORT, "7 bytes");
	CHECK(parse(0) == -COW_ESHORT, "empty");
	be32(0, COW_MAGIC);
	be32(4, 4);
	CHECK(parse(4136) == -COW_EVERSION, "version 4");
	be32(4, 0);
	CHECK(parse(4136) == -COW_EVERSION, "version 0");
	CHECK(!strcmp(cow_strerror(-COW_ENOTCOW), "not a COW file"),
	      "strerror");
	CHECK(cow_strerror(-1000) != NULL, "strerror out of range");
}

/* A file in memory, for the callbacks. */
static uint8_t file[16384];
static uint64_t file_len;

static long mem_write(void *ctx, const void *p, size_t len, uint64_t off)
{
	if (off > sizeof(file) || len > sizeof(file) - off)
		return -1;
	memcpy(file + off, p, len);
	if (off + len > file_len)
		file_len = off + len;
	return (long)len;
}

static long mem_read(void *ctx, void *p, size_t len, uint64_t off)
{
	if (off >= file_len)
		return 0;
	if (len > file_len - off)
		len = file_len - off;
	/* Short reads on purpose: the reader must retry. */
	if (len > 1000)
		len = 1000;
	memcpy(p, file + off, len);
	return (long)len;
}

static void test_writer(void)
{
	static struct cow_header w;
	static char longpath[COW_PATH_MAX + 1];
	int err;

	err = cow_init_header(&w, "/tmp/base.img", 1234567890, 1024, 512,
			      4096);
	CHECK(err == 0, "init: %s", cow_strerror(err));
	memset(file, 0x77, sizeof(file));
	file_len = 0;
	CHECK(cow_create(&w, mem_write, NULL) == 0, "create");
	CHECK(file_len == 8192 + 4096 + 1024, "created length %llu",
	      (unsigned long long)file_len);
	CHECK(!memcmp(file, "OOOM\0\0\0\3", 8), "magic and version bytes");
	CHECK(file[28] == 0 && file[31] == 0, "cow_format 0");
	CHECK(file[32 + 13] == 0 && file[COW_V3_SIZE - 1] == 0,
	      "path zero-filled");
	CHECK(cow_read_header(mem_read, NULL, &h) == 0, "read back");
	CHECK(h.version == 3 && h.mtime == 1234567890 && h.size == 1024 &&
	      h.data_offset == w.data_offset && !strcmp(h.backing, w.backing),
	      "round trip");
	/* An empty backing file: EOF at data_offset - 1 + 0 + 1. */
	CHECK(cow_init_header(&w, "/e", 0, 0, 512, 4096) == 0, "empty init");
	file_len = 0;
	CHECK(cow_create(&w, mem_write, NULL) == 0 && file_len == 8192,
	      "empty backing file: length %llu", (unsigned long long)file_len);
	memset(longpath, 'p', COW_PATH_MAX);
	CHECK(cow_init_header(&w, longpath, 0, 0, 512, 4096) == -COW_EPATH,
	      "path too long");
	CHECK(cow_init_header(&w, "", 0, 0, 512, 4096) == -COW_EPATH,
	      "empty path");
	CHECK(cow_init_header(&w, "/b", 0, 0, 512, 0) == -COW_EALIGN,
	      "init align 0");
	/* Bits: LSB first. */
	memset(file, 0, 4);
	cow_bit_set(file, 9);
	CHECK(file[1] == 2 && cow_bit_test(file, 9) && !cow_bit_test(file, 8),
	      "bit 9");
	cow_bit_clear(file, 9);
	CHECK(file[1] == 0, "bit clear");
}

int main(void)
{
	test_v3();
	test_broken_v3();
	test_v2();
	test_v1();
	test_misc();
	test_writer();
	if (failures)
		printf("FAIL: %d checks failed\n", failures);
	else
		printf("PASS\n");
	return failures ? 1 : 0;
}
