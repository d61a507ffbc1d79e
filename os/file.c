// SPDX-License-Identifier: GPL-2.0
/* Host files: console channels, the initrd, memfd-backed page cache. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "os.h"

#define CATCH_EINTR(expr) ({ long __r; do { __r = (long)(expr); } \
	while (__r < 0 && errno == EINTR); __r; })

int os_open(const char *path, int flags, int mode)
{
	int fd = (int)CATCH_EINTR(open(path, flags | O_CLOEXEC, mode));

	return fd < 0 ? -errno : fd;
}

int os_close(int fd)
{
	return close(fd) < 0 ? -errno : 0;
}

long os_read(int fd, void *buf, size_t len)
{
	long r = CATCH_EINTR(read(fd, buf, len));

	return r < 0 ? -errno : r;
}

long os_write(int fd, const void *buf, size_t len)
{
	long r = CATCH_EINTR(write(fd, buf, len));

	return r < 0 ? -errno : r;
}

long os_pread(int fd, void *buf, size_t len, uint64_t off)
{
	long r = CATCH_EINTR(pread(fd, buf, len, (off_t)off));

	return r < 0 ? -errno : r;
}

long os_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	long r = CATCH_EINTR(pwrite(fd, buf, len, (off_t)off));

	return r < 0 ? -errno : r;
}

long os_file_size(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	return (long)st.st_size;
}

int os_ftruncate(int fd, uint64_t len)
{
	return ftruncate(fd, (off_t)len) < 0 ? -errno : 0;
}

int64_t os_file_alloc(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	return (int64_t)st.st_blocks * 512;
}

int64_t os_lseek(int fd, int64_t off, int whence)
{
	off_t r = lseek(fd, (off_t)off, whence);

	return r < 0 ? -errno : (int64_t)r;
}

int os_fallocate(int fd, int mode, uint64_t off, uint64_t len)
{
	return fallocate(fd, mode, (off_t)off, (off_t)len) < 0 ? -errno : 0;
}

int os_memfd(const char *name)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int os_reopen_readonly(int fd)
{
	char path[64];
	int r;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = open(path, O_RDONLY | O_CLOEXEC);
	return r < 0 ? -errno : r;
}

int os_fsync(int fd)
{
	return fsync(fd) < 0 ? -errno : 0;
}

int os_isatty(int fd)
{
	return isatty(fd);
}

int os_dup(int fd)
{
	int r = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	return r < 0 ? -errno : r;
}

int os_poll_in(int fd, uint64_t deadline_ns)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int timeout = -1, r;

	if (deadline_ns) {
		struct timespec ts;
		uint64_t now;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
		timeout = deadline_ns > now ?
			(int)((deadline_ns - now + 999999) / 1000000) : 0;
	}
	r = poll(&p, 1, timeout);
	if (r < 0)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	return p.revents;
}

void *os_map_shared(int fd, size_t len, uint64_t off, bool writable)
{
	void *p = mmap(NULL, len, PROT_READ | (writable ? PROT_WRITE : 0),
		       MAP_SHARED, fd, (off_t)off);

	return p == MAP_FAILED ? NULL : p;
}

int os_unmap(void *addr, size_t len)
{
	return munmap(addr, len) < 0 ? -errno : 0;
}
