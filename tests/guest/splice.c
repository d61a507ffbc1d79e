// SPDX-License-Identifier: GPL-2.0
/*
 * splice, tee and vmsplice, checked against what Linux does (the same
 * binary passes natively). Prints "PASS" or "FAIL: <what>" last. Files
 * are made in /tmp.
 *
 *	gcc -static -O2 -o splice tests/guest/splice.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

#include "check.h"


static void expect_read(int fd, const char *want, size_t n)
{
	char buf[256];
	ssize_t r = read(fd, buf, n);

	if (r != (ssize_t)n || memcmp(buf, want, n))
		fail("read %zd bytes '%.*s', want '%.*s'", r, (int)(r > 0 ? r : 0),
		     buf, (int)n, want);
}

int main(void)
{
	char name[64], buf[64];
	int p[2], q[2], fd, ro, ap;
	loff_t off;
	struct iovec iov[2];

	snprintf(name, sizeof(name), "/tmp/splice-%d", getpid());
	fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || pipe(p) || pipe(q)) {
		printf("FAIL: setup: errno %d\n", errno);
		return 1;
	}
	if (write(fd, "0123456789", 10) != 10)
		fail("write");
	ro = open(name, O_RDONLY);
	ap = open(name, O_WRONLY | O_APPEND);

	/* file -> pipe at an offset: the file position does not move */
	lseek(fd, 0, SEEK_SET);
	off = 2;
	EXPECT_VAL(splice(fd, &off, p[1], NULL, 4, 0), 4);
	if (off != 6 || lseek(fd, 0, SEEK_CUR) != 0)
		fail("offset %ld, position %ld", (long)off, (long)lseek(fd, 0, SEEK_CUR));
	expect_read(p[0], "2345", 4);
	/* file -> pipe at the file position */
	lseek(fd, 7, SEEK_SET);
	EXPECT_VAL(splice(fd, NULL, p[1], NULL, 100, 0), 3);
	if (lseek(fd, 0, SEEK_CUR) != 10)
		fail("the file position did not move");
	expect_read(p[0], "789", 3);
	/* end of the file */
	EXPECT_VAL(splice(fd, NULL, p[1], NULL, 100, 0), 0);

	/* pipe -> file at an offset */
	if (write(p[1], "abc", 3) != 3)
		fail("write pipe");
	off = 1;
	EXPECT_VAL(splice(p[0], NULL, fd, &off, 10, 0), 3);
	if (off != 4 || pread(fd, buf, 5, 0) != 5 || memcmp(buf, "0abc4", 5))
		fail("pipe -> file wrote '%.5s' (offset %ld)", buf, (long)off);
	/* an empty pipe with SPLICE_F_NONBLOCK */
	EXPECT_ERR(splice(p[0], NULL, fd, NULL, 10, SPLICE_F_NONBLOCK), EAGAIN);

	/* pipe -> pipe, and tee */
	if (write(p[1], "hello", 5) != 5)
		fail("write pipe");
	EXPECT_VAL(tee(p[0], q[1], 100, 0), 5);
	expect_read(q[0], "hello", 5);
	EXPECT_VAL(splice(p[0], NULL, q[1], NULL, 3, 0), 3);
	expect_read(q[0], "hel", 3);
	expect_read(p[0], "lo", 2);

	/* vmsplice into a pipe */
	iov[0].iov_base = "vm";
	iov[0].iov_len = 2;
	iov[1].iov_base = "splice";
	iov[1].iov_len = 6;
	EXPECT_VAL(vmsplice(p[1], iov, 2, 0), 8);
	expect_read(p[0], "vmsplice", 8);
	EXPECT_ERR(vmsplice(fd, iov, 2, 0), EBADF);

	/* errors */
	EXPECT_ERR(splice(fd, NULL, ro, NULL, 1, 0), EBADF);
	EXPECT_ERR(splice(fd, NULL, ap, NULL, 1, 0), EINVAL);
	EXPECT_ERR(splice(p[0], NULL, p[1], NULL, 1, 0), EINVAL);
	off = 0;
	EXPECT_ERR(splice(p[0], &off, fd, NULL, 1, 0), ESPIPE);
	EXPECT_ERR(splice(fd, NULL, p[1], &off, 1, 0), ESPIPE);
	EXPECT_ERR(splice(fd, NULL, p[1], NULL, 1, 0x100), EINVAL);
	EXPECT_ERR(splice(-1, NULL, p[1], NULL, 1, 0), EBADF);
	EXPECT_ERR(splice(p[1], NULL, fd, NULL, 1, 0), EBADF);
	EXPECT_ERR(tee(p[0], p[1], 1, 0), EINVAL);
	EXPECT_ERR(tee(fd, p[1], 1, 0), EINVAL);
	EXPECT_VAL(splice(fd, NULL, p[1], NULL, 0, 0), 0);
	if (write(p[1], "x", 1) != 1)
		fail("write pipe");
	EXPECT_ERR(splice(p[0], NULL, ap, NULL, 1, 0), EINVAL);
	/* a pipe whose writers are gone: end of file */
	close(p[1]);
	EXPECT_VAL(splice(p[0], NULL, fd, NULL, 10, 0), 1);
	EXPECT_VAL(splice(p[0], NULL, fd, NULL, 10, 0), 0);
	/* and one whose readers are gone: EPIPE (SIGPIPE ignored) */
	signal(SIGPIPE, SIG_IGN);
	close(q[0]);
	lseek(fd, 0, SEEK_SET);
	EXPECT_ERR(splice(fd, NULL, q[1], NULL, 4, 0), EPIPE);

	close(fd);
	close(ro);
	close(ap);
	unlink(name);
	return check_done();
}
