// SPDX-License-Identifier: GPL-2.0
/*
 * Block device semantics through a disk's /dev node: byte-granular
 * pread/pwrite at odd offsets and lengths, the end of the disk, llseek,
 * fsync, the BLK* ioctls, read-only disks, O_EXCL claims, /proc/partitions
 * and /sys/block.
 *
 * Usage: blkdev DEV RO_DEV (e.g. /dev/ubdb /dev/ubdc): DEV is a scratch
 * disk (its contents are overwritten) at least 256 KiB, RO_DEV a
 * read-only disk. Run by tests/t-ubd.sh in our kernel and in the real
 * UML (the oracle), not natively (it needs disks).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>

static int failures;

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			printf("FAIL: line %d: ", __LINE__);		\
			printf(__VA_ARGS__);				\
			printf(" (errno %d %s)\n", errno, strerror(errno)); \
			failures++;					\
		}							\
	} while (0)

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 131 + seed * 7 + (i >> 9)) ^ seed);
}

static const char *base(const char *dev)
{
	const char *s = strrchr(dev, '/');

	return s ? s + 1 : dev;
}

static long long read_num(const char *path)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return atoll(buf);
}

/* The /proc/partitions line of dev: its size in KiB, or -1. */
static long long partitions_kb(const char *dev)
{
	char line[256], name[64];
	unsigned int ma, mi;
	unsigned long long kb;
	FILE *f = fopen("/proc/partitions", "r");
	long long r = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %u %llu %63s", &ma, &mi, &kb, name) == 4 &&
		    !strcmp(name, base(dev)))
			r = (long long)kb;
	fclose(f);
	return r;
}

static void test_rw(const char *dev)
{
	unsigned char *buf, *got, *want;
	uint64_t size = 0, range[2];
	unsigned long sectors = 0;
	int fd, fd2, v = -1;
	unsigned int uv = 0;
	char path[128];
	struct stat st;
	ssize_t n;
	off_t o;

	fd = open(dev, O_RDWR);
	CHECK(fd >= 0, "open %s", dev);
	if (fd < 0)
		return;
	CHECK(fstat(fd, &st) == 0 && S_ISBLK(st.st_mode), "fstat: a block device");
	CHECK(ioctl(fd, BLKGETSIZE64, &size) == 0 && size >= 262144 &&
	      size % 512 == 0, "BLKGETSIZE64 %llu", (unsigned long long)size);
	CHECK(ioctl(fd, BLKGETSIZE, &sectors) == 0 && sectors == size / 512,
	      "BLKGETSIZE %lu", sectors);
	CHECK(ioctl(fd, BLKSSZGET, &v) == 0 && v == 512, "BLKSSZGET %d", v);
	CHECK(ioctl(fd, BLKPBSZGET, &uv) == 0 && uv == 512, "BLKPBSZGET %u", uv);
	v = -1;
	CHECK(ioctl(fd, BLKROGET, &v) == 0 && v == 0, "BLKROGET %d", v);
	CHECK(ioctl(fd, BLKGETSIZE64, (void *)8) < 0 && errno == EFAULT,
	      "BLKGETSIZE64 to a bad pointer");
	/* ubd's own answer to what the block layer does not know */
	CHECK(ioctl(fd, _IO(0x12, 200), 0) < 0 && errno == EINVAL,
	      "an unknown ioctl");
	CHECK(partitions_kb(dev) == (long long)(size >> 10),
	      "/proc/partitions: %lld", partitions_kb(dev));
	snprintf(path, sizeof(path), "/sys/block/%s/size", base(dev));
	CHECK(read_num(path) == (long long)(size / 512), "%s: %lld", path,
	      read_num(path));
	snprintf(path, sizeof(path), "/sys/block/%s/ro", base(dev));
	CHECK(read_num(path) == 0, "%s: %lld", path, read_num(path));

	/* llseek stays within the disk */
	CHECK(lseek(fd, 0, SEEK_END) == (off_t)size, "SEEK_END");
	CHECK(lseek(fd, 1, SEEK_END) < 0 && errno == EINVAL, "SEEK_END + 1");
	CHECK(lseek(fd, -1, SEEK_SET) < 0 && errno == EINVAL, "SEEK_SET -1");
	o = lseek(fd, (off_t)size - 10, SEEK_SET);
	CHECK(o == (off_t)size - 10, "SEEK_SET near the end");

	buf = malloc(1 << 20);
	got = malloc(1 << 20);
	want = malloc(1 << 20);
	/* a known pattern over the first 256 KiB */
	fill(want, 262144, 1);
	CHECK(pwrite(fd, want, 262144, 0) == 262144, "pwrite 256 KiB");
	/* odd offsets and lengths: a read-modify-write of partial sectors */
	fill(buf, 7, 2);
	CHECK(pwrite(fd, buf, 7, 1001) == 7, "pwrite 7 at 1001");
	memcpy(want + 1001, buf, 7);
	fill(buf, 70001, 3);
	CHECK(pwrite(fd, buf, 70001, 4095) == 70001, "pwrite 70001 at 4095");
	memcpy(want + 4095, buf, 70001);
	fill(buf, 1, 4);
	CHECK(pwrite(fd, buf, 1, 262143) == 1, "pwrite 1 at 262143");
	want[262143] = buf[0];
	memset(got, 0xee, 262144);
	CHECK(pread(fd, got, 262144, 0) == 262144 &&
	      !memcmp(got, want, 262144), "the pattern read back whole");
	CHECK(pread(fd, got, 3, 1003) == 3 && !memcmp(got, want + 1003, 3),
	      "pread 3 at 1003");
	CHECK(pread(fd, got, 1000, 70000) == 1000 &&
	      !memcmp(got, want + 70000, 1000), "pread 1000 at 70000");
	/* read/write at the file position */
	CHECK(lseek(fd, 513, SEEK_SET) == 513 && read(fd, got, 100) == 100 &&
	      !memcmp(got, want + 513, 100) && lseek(fd, 0, SEEK_CUR) == 613,
	      "read at the position");

	/* the end of the disk */
	CHECK(pread(fd, got, 10, (off_t)size) == 0, "pread at the end");
	CHECK(pread(fd, got, 100, (off_t)size - 10) == 10, "pread over the end");
	CHECK(pwrite(fd, buf, 10, (off_t)size) < 0 && errno == ENOSPC,
	      "pwrite at the end");
	n = pwrite(fd, buf, 100, (off_t)size - 10);
	CHECK(n == 10, "pwrite over the end: %zd", n);

	CHECK(fsync(fd) == 0, "fsync");
	CHECK(fdatasync(fd) == 0, "fdatasync");
	CHECK(ioctl(fd, BLKFLSBUF, 0) == 0, "BLKFLSBUF");

	/* discard: aligned ranges inside the disk; they read back zeroes */
	range[0] = 8192;
	range[1] = 16384;
	CHECK(ioctl(fd, BLKDISCARD, range) == 0, "BLKDISCARD");
	CHECK(pread(fd, got, 16384, 8192) == 16384, "pread the discarded");
	memset(buf, 0, 16384);
	CHECK(!memcmp(got, buf, 16384), "discarded sectors read zeroes");
	CHECK(pread(fd, got, 512, 8192 - 512) == 512 &&
	      !memcmp(got, want + 8192 - 512, 512), "before the discard kept");
	range[0] = 1;
	range[1] = 512;
	CHECK(ioctl(fd, BLKDISCARD, range) < 0 && errno == EINVAL,
	      "BLKDISCARD unaligned");
	range[0] = size - 512;
	range[1] = 1024;
	CHECK(ioctl(fd, BLKDISCARD, range) < 0 && errno == EINVAL,
	      "BLKDISCARD past the end");
	range[0] = 0;
	range[1] = 4096;
	CHECK(ioctl(fd, BLKZEROOUT, range) == 0, "BLKZEROOUT");
	CHECK(pread(fd, got, 4096, 0) == 4096 && !memcmp(got, buf, 4096),
	      "zeroed out");

	/* BLKROSET makes writes fail until cleared */
	v = 1;
	CHECK(ioctl(fd, BLKROSET, &v) == 0, "BLKROSET 1");
	v = 0;
	CHECK(ioctl(fd, BLKROGET, &v) == 0 && v == 1, "BLKROGET after ROSET");
	CHECK(pwrite(fd, buf, 512, 0) < 0 && errno == EPERM,
	      "write to a BLKROSET disk");
	v = 0;
	CHECK(ioctl(fd, BLKROSET, &v) == 0, "BLKROSET 0");
	CHECK(pwrite(fd, buf, 512, 0) == 512, "write after BLKROSET 0");

	/* O_EXCL claims the disk: a second claim is refused */
	fd2 = open(dev, O_RDONLY | O_EXCL);
	CHECK(fd2 >= 0, "O_EXCL open");
	CHECK(open(dev, O_RDONLY | O_EXCL) < 0 && errno == EBUSY,
	      "a second O_EXCL open");
	close(fd2);
	fd2 = open(dev, O_RDONLY | O_EXCL);
	CHECK(fd2 >= 0, "O_EXCL open after the first closed");
	close(fd2);
	free(buf);
	free(got);
	free(want);
	close(fd);
}

static void test_ro(const char *dev)
{
	char buf[512] = "x", path[128];
	uint64_t range[2] = { 0, 512 };
	int fd, v = 0;

	/* As on Linux, a read-only disk opens for writing; writes fail. */
	fd = open(dev, O_RDWR);
	CHECK(fd >= 0, "open %s O_RDWR", dev);
	if (fd < 0)
		return;
	CHECK(ioctl(fd, BLKROGET, &v) == 0 && v == 1, "BLKROGET %d", v);
	CHECK(pwrite(fd, buf, 512, 0) < 0 && errno == EPERM, "write");
	CHECK(pwrite(fd, buf, 1, 3) < 0 && errno == EPERM, "a partial write");
	CHECK(pread(fd, buf, 512, 0) == 512, "read");
	CHECK(ioctl(fd, BLKDISCARD, range) < 0 && errno == EPERM,
	      "BLKDISCARD");
	v = 0;
	CHECK(ioctl(fd, BLKROSET, &v) == 0, "BLKROSET 0");
	CHECK(ioctl(fd, BLKROGET, &v) == 0 && v == 1, "still read-only");
	snprintf(path, sizeof(path), "/sys/block/%s/ro", base(dev));
	CHECK(read_num(path) == 1, "%s: %lld", path, read_num(path));
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: blkdev DEV RO_DEV\n");
		return 2;
	}
	test_rw(argv[1]);
	test_ro(argv[2]);
	if (failures)
		printf("FAIL: %d checks\n", failures);
	else
		printf("PASS\n");
	return failures != 0;
}
