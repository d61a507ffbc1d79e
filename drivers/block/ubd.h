/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ubd driver's two halves: ubd_kern.c (the disk, its COW logic and its
 * options, kernel code) calls ubd_user.c (the host calls, libc) through
 * these functions, which use neutral types only. Errors are -errno.
 */
#ifndef DRIVERS_BLOCK_UBD_H
#define DRIVERS_BLOCK_UBD_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

struct ubd_stat {
	uint64_t size;		/* bytes (a block device's too) */
	int64_t mtime;		/* seconds */
	uint64_t dev, ino;
};

/* Opens an image: read-write (O_SYNC if sync) or read-only. */
int ubd_user_open(const char *path, bool write, bool sync, int *fd);
/* Creates a new file (O_EXCL, mode 0644 less umask), read-write. */
int ubd_user_create(const char *path, bool sync, int *fd);
void ubd_user_close(int fd);
int ubd_user_unlink(const char *path);
int ubd_user_fstat(int fd, struct ubd_stat *st);
int ubd_user_stat(const char *path, struct ubd_stat *st);
/*
 * A whole-file fcntl lock (open-file-description lock, which conflicts
 * with the real UML's POSIX locks): write or read. -EAGAIN when another
 * holds it; *holder is then its pid, or 0 if unknown.
 */
int ubd_user_lock(int fd, bool write, int *holder);
/* All of len at off; past the end of the file reads zeroes. */
int ubd_user_pread(int fd, void *buf, size_t len, uint64_t off);
/* All of len at off. */
int ubd_user_pwrite(int fd, const void *buf, size_t len, uint64_t off);
/* Deallocates the range (it reads zeroes; the size stays). */
int ubd_user_punch(int fd, uint64_t off, uint64_t len);
int ubd_user_sync(int fd);
/* The path made absolute as the real COW writers do (directory part
 * canonicalized). */
int ubd_user_absolutize(const char *path, char *out, size_t size);
/* The host's text for an errno value. */
void ubd_user_strerror(int err, char *buf, size_t size);

#endif
