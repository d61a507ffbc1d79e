// SPDX-License-Identifier: GPL-2.0
/*
 * ubd's host half: the image files. Every call retries EINTR and returns
 * -errno; nothing here knows about disks or COW.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include "ubd.h"

int ubd_user_open(const char *path, bool write, bool sync, int *fd)
{
	int flags = (write ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_LARGEFILE;
	int r;

	if (write && sync)
		flags |= O_SYNC;
	do {
		r = open(path, flags);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	*fd = r;
	return 0;
}

int ubd_user_create(const char *path, bool sync, int *fd)
{
	int flags = O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_LARGEFILE;
	int r;

	if (sync)
		flags |= O_SYNC;
	do {
		r = open(path, flags, 0644);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	*fd = r;
	return 0;
}

void ubd_user_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

int ubd_user_unlink(const char *path)
{
	return unlink(path) ? -errno : 0;
}

static int fill_stat(int fd, const struct stat *s, struct ubd_stat *st)
{
	uint64_t size;

	st->mtime = s->st_mtime;
	st->dev = s->st_dev;
	st->ino = s->st_ino;
	if (S_ISBLK(s->st_mode)) {
		if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size) < 0)
			return fd < 0 ? -EINVAL : -errno;
		st->size = size;
	} else if (S_ISREG(s->st_mode)) {
		st->size = (uint64_t)s->st_size;
	} else {
		return S_ISDIR(s->st_mode) ? -EISDIR : -EINVAL;
	}
	return 0;
}

int ubd_user_fstat(int fd, struct ubd_stat *st)
{
	struct stat s;

	if (fstat(fd, &s))
		return -errno;
	return fill_stat(fd, &s, st);
}

int ubd_user_stat(const char *path, struct ubd_stat *st)
{
	struct stat s;
	int fd = -1, r;

	if (stat(path, &s))
		return -errno;
	if (!S_ISBLK(s.st_mode))
		return fill_stat(-1, &s, st);
	r = ubd_user_open(path, false, false, &fd);
	if (r)
		return r;
	r = fill_stat(fd, &s, st);
	close(fd);
	return r;
}

int ubd_user_lock(int fd, bool write, int *holder)
{
	struct flock fl = {
		.l_type = write ? F_WRLCK : F_RDLCK,
		.l_whence = SEEK_SET,
	};
	int r;

	*holder = 0;
	do {
		r = fcntl(fd, F_OFD_SETLK, &fl);
	} while (r < 0 && errno == EINTR);
	if (!r)
		return 0;
	if (errno != EAGAIN && errno != EACCES)
		return -errno;
	/* Who: a POSIX lock (the real UML's) has a pid, an OFD lock none. */
	fl.l_type = write ? F_WRLCK : F_RDLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = fl.l_len = 0;
	fl.l_pid = 0;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK &&
	    fl.l_pid > 0)
		*holder = fl.l_pid;
	return -EAGAIN;
}

int ubd_user_pread(int fd, void *buf, size_t len, uint64_t off)
{
	char *p = buf;
	ssize_t n;

	if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
		return -EINVAL;
	while (len) {
		n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			memset(p, 0, len);
			return 0;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int ubd_user_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;
	ssize_t n;

	if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
		return -EFBIG;
	while (len) {
		n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENOSPC;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int ubd_user_punch(int fd, uint64_t off, uint64_t len)
{
	int r;

	if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
		return -EINVAL;
	do {
		r = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)off, (off_t)len);
	} while (r < 0 && errno == EINTR);
	return r ? -errno : 0;
}

int ubd_user_sync(int fd)
{
	int r;

	do {
		r = fdatasync(fd);
	} while (r < 0 && errno == EINTR);
	return r ? -errno : 0;
}

int ubd_user_absolutize(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], *real;
	size_t n;

	if (!slash) {
		if (!getcwd(dir, sizeof(dir)))
			return -errno;
		real = dir;
		slash = path - 1;
	} else {
		n = (size_t)(slash - path);
		if (n >= sizeof(dir))
			return -ENAMETOOLONG;
		memcpy(dir, path, n);
		dir[n] = '\0';
		/* "/x": the directory is the root */
		real = realpath(n ? dir : "/", NULL);
		if (!real)
			return -errno;
	}
	n = (size_t)snprintf(out, size, "%s/%s", strcmp(real, "/") ? real : "",
			     slash + 1);
	if (real != dir)
		free(real);
	return n < size ? 0 : -ENAMETOOLONG;
}

void ubd_user_strerror(int err, char *buf, size_t size)
{
	snprintf(buf, size, "%s", strerror(err < 0 ? -err : err));
}
