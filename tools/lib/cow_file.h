/* SPDX-License-Identifier: GPL-2.0 */
/* Host-file helpers for the COW tools (libc side of tools/lib/cow.h). */
#ifndef TOOLS_LIB_COW_FILE_H
#define TOOLS_LIB_COW_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "cow.h"

/* The callback context: a host fd, and the errno of the last failure. */
struct cow_fd {
	int fd;
	int err;
};

long cow_fd_read(void *ctx, void *buf, size_t len, uint64_t off);
long cow_fd_write(void *ctx, const void *buf, size_t len, uint64_t off);

/*
 * Reads exactly len bytes at off, zero-filling past end of file. 0, or -1
 * with errno set.
 */
int cow_pread_full(int fd, void *buf, size_t len, uint64_t off,
		   bool zero_fill);
/* Writes exactly len bytes at off. 0, or -1 with errno set. */
int cow_pwrite_full(int fd, const void *buf, size_t len, uint64_t off);

/*
 * Makes the backing path absolute as the real writers do (the directory
 * part canonicalized by chdir + getcwd). Prints the real code's messages on
 * stdout. 0 or -1.
 */
int cow_absolutize(char *to, size_t size, const char *from);

/* The size of a file or block device from its stat. 0 or -1 with errno. */
int cow_file_size(const char *path, const struct stat *st, uint64_t *size);

/* Prints (stdout) the reader's message for a cow_read_header() error. */
void cow_print_header_error(const struct cow_header *h, int err, int io_errno);

#endif /* TOOLS_LIB_COW_FILE_H */
