// SPDX-License-Identifier: GPL-2.0
/*
 * memfd_create, file seals and O_TMPFILE, checked against what Linux
 * does (the same binary passes natively). Prints "PASS" or "FAIL: <what>"
 * as its last line. O_TMPFILE files are made in /tmp.
 *
 *	gcc -static -O2 -o memfd tests/guest/memfd.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "check.h"

#define EXPECT_OK(call) do {						\
		errno = 0;						\
		long _r = (long)(call);					\
		if (_r < 0)						\
			fail("%s: errno %d (line %d)", #call, errno,	\
			     __LINE__);					\
	} while (0)

static void test_memfd_basic(void)
{
	char link[PATH_MAX], path[64], buf[16];
	struct stat st;
	ssize_t n;
	char *p;
	int fd = memfd_create("test", MFD_CLOEXEC);

	if (fd < 0) {
		fail("memfd_create: errno %d", errno);
		return;
	}
	if (fcntl(fd, F_GETFD) != FD_CLOEXEC)
		fail("MFD_CLOEXEC not set");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0 || (link[n] = 0, strcmp(link, "/memfd:test (deleted)")))
		fail("fd link is '%s'", n < 0 ? strerror(errno) : link);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_nlink != 0 ||
	    st.st_size != 0 || (st.st_mode & 0777) != 0777)
		fail("fstat: mode %o nlink %lu size %ld", st.st_mode,
		     (unsigned long)st.st_nlink, (long)st.st_size);
	if (write(fd, "hello", 5) != 5)
		fail("write: errno %d", errno);
	EXPECT_OK(ftruncate(fd, 4096));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fail("mmap shared: errno %d", errno);
	} else {
		pid_t pid;
		int status;

		if (memcmp(p, "hello", 5))
			fail("mapping does not show the written data");
		pid = fork();
		if (pid == 0) {
			memcpy(p, "HELLO", 5);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		if (pread(fd, buf, 5, 0) != 5 || memcmp(buf, "HELLO", 5))
			fail("a child's store through the mapping is not read back");
		munmap(p, 4096);
	}
	/* The name is not in any directory: opening through /proc works. */
	{
		int fd2 = open(path, O_RDWR);

		if (fd2 < 0)
			fail("reopen through /proc/self/fd: errno %d", errno);
		else if (pread(fd2, buf, 5, 0) != 5 || memcmp(buf, "HELLO", 5))
			fail("reopened memfd reads other data");
		if (fd2 >= 0)
			close(fd2);
	}
	close(fd);
}

static void test_memfd_errors(void)
{
	char name[300];

	EXPECT_ERR(memfd_create("x", 0x100), EINVAL);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	EXPECT_ERR(memfd_create(name, 0), EINVAL);
	name[249] = 0;		/* the longest name */
	{
		int fd = memfd_create(name, 0);

		if (fd < 0)
			fail("a 249-byte name: errno %d", errno);
		else
			close(fd);
	}
	EXPECT_ERR(syscall(SYS_memfd_create, (void *)8, 0), EFAULT);
	EXPECT_ERR(fcntl(0 + 1000, F_GET_SEALS), EBADF);
}

static void test_seals(void)
{
	int fd = memfd_create("noseal", 0), fd2;
	char *p;

	if (fcntl(fd, F_GET_SEALS) != F_SEAL_SEAL)
		fail("a memfd without MFD_ALLOW_SEALING has seals %d",
		     fcntl(fd, F_GET_SEALS));
	EXPECT_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
	close(fd);

	fd = memfd_create("seal", MFD_ALLOW_SEALING);
	if (fcntl(fd, F_GET_SEALS) != 0)
		fail("a new sealable memfd has seals");
	EXPECT_ERR(fcntl(fd, F_ADD_SEALS, 0x100), EINVAL);
	EXPECT_OK(ftruncate(fd, 8192));
	EXPECT_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	EXPECT_ERR(ftruncate(fd, 4096), EPERM);
	EXPECT_OK(ftruncate(fd, 16384));
	EXPECT_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	EXPECT_ERR(ftruncate(fd, 32768), EPERM);
	EXPECT_ERR(pwrite(fd, "x", 1, 16384), EPERM);
	EXPECT_OK(pwrite(fd, "x", 1, 100));
	EXPECT_ERR(fallocate(fd, 0, 0, 65536), EPERM);
	EXPECT_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	EXPECT_ERR(pwrite(fd, "x", 1, 100), EPERM);
	EXPECT_ERR((long)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EPERM);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		fail("read-only shared mapping of a write-sealed memfd: errno %d", errno);
	else {
		EXPECT_ERR(mprotect(p, 4096, PROT_READ | PROT_WRITE), EACCES);
		munmap(p, 4096);
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		fail("private writable mapping of a write-sealed memfd: errno %d", errno);
	else
		munmap(p, 4096);
	if (fcntl(fd, F_GET_SEALS) != (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE))
		fail("seals are %d", fcntl(fd, F_GET_SEALS));
	EXPECT_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	EXPECT_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE), EPERM);
	/* A read-only reopen cannot add seals. */
	fd2 = memfd_create("ro", MFD_ALLOW_SEALING);
	{
		char path[64];
		int ro;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd2);
		ro = open(path, O_RDONLY);
		EXPECT_ERR(fcntl(ro, F_ADD_SEALS, F_SEAL_GROW), EPERM);
		close(ro);
	}
	close(fd2);
	close(fd);
	/* Not a memfd. */
	fd = open("/proc/self/exe", O_RDONLY);
	EXPECT_ERR(fcntl(fd, F_GET_SEALS), EINVAL);
	close(fd);
}

static void test_tmpfile(void)
{
	char path[64], name[64];
	struct stat st;
	int fd;

	EXPECT_ERR(open("/tmp", O_TMPFILE | O_RDONLY, 0600), EINVAL);
	EXPECT_ERR(open("/proc/self/exe", O_TMPFILE | O_RDWR, 0600), ENOTDIR);
	fd = open("/tmp", O_TMPFILE | O_RDWR, 0640);
	if (fd < 0) {
		fail("O_TMPFILE in /tmp: errno %d", errno);
		return;
	}
	if (fstat(fd, &st) || st.st_nlink != 0 || !S_ISREG(st.st_mode) ||
	    (st.st_mode & 0777) != (0640 & ~umask(022)))
		fail("O_TMPFILE fstat: nlink %lu mode %o",
		     (unsigned long)st.st_nlink, st.st_mode);
	umask(022);
	if (write(fd, "data", 4) != 4)
		fail("write to O_TMPFILE: errno %d", errno);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	snprintf(name, sizeof(name), "/tmp/memfd-test-%d", getpid());
	unlink(name);
	if (linkat(AT_FDCWD, path, AT_FDCWD, name, AT_SYMLINK_FOLLOW)) {
		fail("linkat of an O_TMPFILE file: errno %d", errno);
	} else {
		if (stat(name, &st) || st.st_size != 4 || st.st_nlink != 1)
			fail("the linked O_TMPFILE file: size %ld nlink %lu",
			     (long)st.st_size, (unsigned long)st.st_nlink);
		unlink(name);
	}
	close(fd);
	fd = open("/tmp", O_TMPFILE | O_RDWR | O_EXCL, 0600);
	if (fd < 0) {
		fail("O_TMPFILE|O_EXCL: errno %d", errno);
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	EXPECT_ERR(linkat(AT_FDCWD, path, AT_FDCWD, name, AT_SYMLINK_FOLLOW), ENOENT);
	close(fd);
}

int main(void)
{
	umask(022);
	test_memfd_basic();
	test_memfd_errors();
	test_seals();
	test_tmpfile();
	return check_done();
}
