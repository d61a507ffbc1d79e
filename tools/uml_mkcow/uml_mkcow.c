// SPDX-License-Identifier: GPL-2.0
/*
 * uml_mkcow [-f] COW_FILE BACKING_FILE: creates a UML COW file over a
 * backing file, with the messages and exit statuses of the uml-utilities
 * tool (see /work/shared/spec/cow-format.md §7).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cow_file.h"

static void usage(const char *prog)
{
	fprintf(stderr, "%s usage: \n", prog);
	fprintf(stderr, "\t%s [-f] <COW file> <backing file>\n", prog);
	fprintf(stderr, "\t-f forces overwrite of an existing COW file\n");
	exit(2);
}

/* Fills and writes the header; 0, or -1 with errno set for perror(). */
static int write_cow_header(int fd, const char *backing)
{
	static struct cow_header h;
	char path[COW_PATH_MAX];
	struct cow_fd f = { .fd = fd };
	struct stat st;
	uint64_t size;
	long page;
	int err;

	if (strlen(backing) > COW_PATH_MAX - 1) {
		printf("Backing file name \"%s\" is too long - names are "
		       "limited to %d characters\n", backing, COW_PATH_MAX - 1);
		errno = EINVAL;
		return -1;
	}
	if (cow_absolutize(path, sizeof(path), backing)) {
		errno = EINVAL;
		return -1;
	}
	/* The real tool reports any stat failure as err = 1 (EPERM). */
	if (stat(path, &st)) {
		printf("write_cow_header - backing file '%s' mtime request "
		       "failed, err = %d\n", path, EPERM);
		errno = EPERM;
		return -1;
	}
	if (cow_file_size(path, &st, &size)) {
		err = errno;
		printf("write_cow_header - couldn't get size of backing file "
		       "'%s', err = %d\n", path, err);
		errno = err;
		return -1;
	}
	page = sysconf(_SC_PAGESIZE);
	err = cow_init_header(&h, path, (uint32_t)st.st_mtime, size,
			      COW_SECTOR_SIZE, page > 0 ? (uint32_t)page : 4096);
	if (err) {
		printf("write_cow_header - %s\n", cow_strerror(err));
		errno = err == -COW_ERANGE ? EFBIG : EINVAL;
		return -1;
	}
	err = cow_create(&h, cow_fd_write, &f);
	if (err) {
		errno = f.err ? f.err : EIO;
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *prog = argv[0] ? argv[0] : "uml_mkcow";
	int force = 0, fd;

	if (argc > 1 && !strcmp(argv[1], "-f")) {
		force = 1;
		argv++;
		argc--;
	}
	/* Extra operands are ignored, as by the real tool. */
	if (argc < 3)
		usage(prog);
	fd = open(argv[1], O_RDWR | O_CREAT | O_CLOEXEC | (force ? 0 : O_EXCL),
		  0644);
	if (fd < 0) {
		perror("open COW file");
		return 1;
	}
	if (write_cow_header(fd, argv[2])) {
		perror("write_cow_header");
		return 1;
	}
	if (close(fd)) {
		perror("close COW file");
		return 1;
	}
	return 0;
}
