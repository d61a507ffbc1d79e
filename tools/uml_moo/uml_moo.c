// SPDX-License-Identifier: GPL-2.0
/*
 * uml_moo: merges a UML COW file with its backing file, into a new file
 * (the default) or in place (-d), with the behaviour of the uml-utilities
 * tool (see /work/shared/spec/cow-format.md §8).
 *
 *   uml_moo [ -b <actual backing file> ] <COW file> <new backing file>
 *   uml_moo [ -b <actual backing file> ] -d <COW file>
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cow_file.h"

/* Sectors handled per step: bounds memory whatever the image size. */
#define CHUNK_SECTORS	1024

static void usage(const char *prog)
{
	fprintf(stderr, "%s usage:\n", prog);
	fprintf(stderr, "\t%s [ -b <actual backing file> ] <COW file> "
		"<new backing file>\n", prog);
	fprintf(stderr, "\t%s [ -b <actual backing file> ] -d <COW file>\n",
		prog);
	fprintf(stderr, "Creates a new filesystem image from the COW file and "
		"its backing file.\n");
	fprintf(stderr, "Specifying -d will cause a destructive, in-place "
		"merge of the COW file into\n");
	fprintf(stderr, "its current backing file\n");
	fprintf(stderr, "Specifying -b overrides the backing_file specified in "
		"the COW file.  This is\n");
	fprintf(stderr, "needed when dealing with a COW file that was created "
		"inside a chroot jail.\n");
	fprintf(stderr, "%s supports version 1,2 and 3 COW files.\n", prog);
	exit(1);
}

static bool all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

struct merge {
	const struct cow_header *h;
	int cow_fd, back_fd, out_fd;	/* out_fd == back_fd with -d */
	bool destructive;
	uint64_t sectors;
	unsigned char *bitmap;		/* one chunk's bits */
	unsigned char *cow_buf, *back_buf;
};

/*
 * Loads the bits of sectors [first, first + n) into m->bitmap (bit i for
 * sector first + i). Bits past the recorded bitmap (v1/v2's rounding can
 * make it a byte short) count as clear.
 */
static int load_bits(struct merge *m, uint64_t first, size_t n)
{
	uint64_t byte = first / 8, len = (n + 7) / 8;

	memset(m->bitmap, 0, len);
	if (byte >= m->h->bitmap_len)
		return 0;
	if (len > m->h->bitmap_len - byte)
		len = m->h->bitmap_len - byte;
	return cow_pread_full(m->cow_fd, m->bitmap, len,
			      m->h->bitmap_offset + byte, false);
}

static int merge_chunk(struct merge *m, uint64_t first, size_t n)
{
	uint64_t ss = m->h->sectorsize;
	bool any_set = false, any_clear = false;
	size_t i;

	if (load_bits(m, first, n)) {
		perror("Reading COW bitmap");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (cow_bit_test(m->bitmap, i))
			any_set = true;
		else
			any_clear = true;
	}
	if (!any_set && m->destructive)
		return 0;
	if (any_set && cow_pread_full(m->cow_fd, m->cow_buf, n * ss,
				      m->h->data_offset + first * ss, true)) {
		perror("Reading COW data");
		return -1;
	}
	/* The backing data is needed for clear bits (copy) and, with -d,
	 * to know whether a zero sector from the COW must be written. */
	if ((any_clear || m->destructive) &&
	    cow_pread_full(m->back_fd, m->back_buf, n * ss, first * ss, true)) {
		perror("Reading backing file data");
		return -1;
	}
	for (i = 0; i < n; i++) {
		bool set = cow_bit_test(m->bitmap, i);
		bool last = first + i == m->sectors - 1;
		unsigned char *src = set ? m->cow_buf + i * ss :
					   m->back_buf + i * ss;

		if (m->destructive) {
			if (!set)
				continue;
			if (!last && all_zero(src, ss) &&
			    all_zero(m->back_buf + i * ss, ss))
				continue;
		} else if (!last && all_zero(src, ss)) {
			/* Left as a hole: the output stays sparse. */
			continue;
		}
		if (cow_pwrite_full(m->out_fd, src, ss, (first + i) * ss)) {
			perror("Writing data");
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *prog = argv[0] ? argv[0] : "uml_moo";
	const char *backing = NULL, *cow_name, *out_name = NULL;
	static struct cow_header h;
	struct cow_fd f = { .fd = -1 };
	struct merge m = { .h = &h };
	struct stat st;
	uint64_t size, s;
	int i = 1, err;

	/* The real tool's strict order: -d first, then -b FILE. */
	if (i < argc && !strcmp(argv[i], "-d")) {
		m.destructive = true;
		i++;
	}
	if (i < argc && !strcmp(argv[i], "-b")) {
		if (i + 1 >= argc)
			usage(prog);
		backing = argv[i + 1];
		i += 2;
	}
	if (argc - i != (m.destructive ? 1 : 2))
		usage(prog);
	cow_name = argv[i];
	if (!m.destructive)
		out_name = argv[i + 1];

	m.cow_fd = open(cow_name, O_RDONLY | O_CLOEXEC);
	if (m.cow_fd < 0) {
		perror("COW file open");
		return 1;
	}
	f.fd = m.cow_fd;
	err = cow_read_header(cow_fd_read, &f, &h);
	if (err) {
		/* stdout stays buffered, as in the real tool: redirected,
		 * the two streams interleave the same way. */
		cow_print_header_error(&h, err, f.err);
		fprintf(stderr, "Reading COW header failed\n");
		return 1;
	}
	if (!backing)
		backing = h.backing;

	if (stat(backing, &st)) {
		perror("Stating backing file");
		return 1;
	}
	if (cow_file_size(backing, &st, &size)) {
		perror("Getting backing file size");
		return 1;
	}
	if (size != h.size) {
		fprintf(stderr, "Size mismatch (%llu vs %llu) of COW header "
			"vs backing file \"%s\"\n", (unsigned long long)h.size,
			(unsigned long long)size, backing);
		return 1;
	}
	if ((uint32_t)st.st_mtime != h.mtime || st.st_mtime < 0 ||
	    st.st_mtime > UINT32_MAX) {
		fprintf(stderr, "mtime mismatch (%lu vs %lld) of COW header "
			"vs backing file \"%s\"\n", (unsigned long)h.mtime,
			(long long)st.st_mtime, backing);
		return 1;
	}

	m.back_fd = open(backing, (m.destructive ? O_RDWR : O_RDONLY) |
			 O_CLOEXEC);
	if (m.back_fd < 0) {
		perror("Opening backing file");
		return 1;
	}
	if (m.destructive) {
		m.out_fd = m.back_fd;
	} else {
		m.out_fd = open(out_name, O_WRONLY | O_CREAT | O_TRUNC |
				O_CLOEXEC, 0644);
		if (m.out_fd < 0) {
			perror("Output file open");
			return 1;
		}
	}

	m.sectors = h.size / h.sectorsize;
	m.bitmap = malloc(CHUNK_SECTORS / 8);
	m.cow_buf = malloc((size_t)CHUNK_SECTORS * h.sectorsize);
	m.back_buf = malloc((size_t)CHUNK_SECTORS * h.sectorsize);
	if (!m.bitmap || !m.cow_buf || !m.back_buf) {
		perror("Allocating buffers");
		return 1;
	}
	for (s = 0; s < m.sectors; s += CHUNK_SECTORS) {
		uint64_t n = m.sectors - s;

		if (n > CHUNK_SECTORS)
			n = CHUNK_SECTORS;
		if (merge_chunk(&m, s, (size_t)n))
			return 1;
	}
	if (m.out_fd != m.back_fd && close(m.out_fd)) {
		perror("Closing output file");
		return 1;
	}
	if (m.destructive && fsync(m.back_fd)) {
		perror("Syncing backing file");
		return 1;
	}
	return 0;
}
