// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling policy, I/O priority, membarrier, fadvise, readahead and
 * copy_file_range, checked against what Linux does (the same binary
 * passes natively, as root). Prints "PASS" or "FAIL: <what>" last.
 *
 *	gcc -static -O2 -o sysmisc tests/guest/sysmisc.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/membarrier.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "check.h"


struct sched_attr_v0 {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
};

static void test_sched(void)
{
	struct sched_param sp = { .sched_priority = 0 };
	struct sched_attr_v0 a;
	struct timespec ts;
	pid_t pid;
	int status;

	EXPECT_VAL(sched_getscheduler(0), SCHED_OTHER);
	EXPECT_VAL(sched_getparam(0, &sp), 0);
	if (sp.sched_priority != 0)
		fail("priority %d", sp.sched_priority);
	EXPECT_ERR(sched_getscheduler(-1), EINVAL);
	EXPECT_ERR(sched_getscheduler(999999), ESRCH);
	EXPECT_ERR(sched_setscheduler(0, 42, &sp), EINVAL);
	sp.sched_priority = 5;
	EXPECT_ERR(sched_setscheduler(0, SCHED_OTHER, &sp), EINVAL);
	sp.sched_priority = 100;
	EXPECT_ERR(sched_setscheduler(0, SCHED_FIFO, &sp), EINVAL);
	EXPECT_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL), EINVAL);
	EXPECT_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, (void *)8), EFAULT);
	sp.sched_priority = 0;
	EXPECT_VAL(sched_setscheduler(0, SCHED_BATCH, &sp), 0);
	EXPECT_VAL(sched_getscheduler(0), SCHED_BATCH);
	EXPECT_VAL(sched_setscheduler(0, SCHED_OTHER, &sp), 0);
	if (geteuid() == 0) {
		/* Clearing reset-on-fork again needs CAP_SYS_NICE. */
		EXPECT_VAL(sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp), 0);
		EXPECT_VAL(sched_getscheduler(0), SCHED_OTHER | SCHED_RESET_ON_FORK);
		EXPECT_VAL(sched_setscheduler(0, SCHED_OTHER, &sp), 0);
		sp.sched_priority = 10;
		EXPECT_VAL(sched_setscheduler(0, SCHED_RR, &sp), 0);
		EXPECT_VAL(sched_getscheduler(0), SCHED_RR);
		sp.sched_priority = 0;
		EXPECT_VAL(sched_getparam(0, &sp), 0);
		if (sp.sched_priority != 10)
			fail("RR priority read back as %d", sp.sched_priority);
		EXPECT_VAL(sched_rr_get_interval(0, &ts), 0);
		if (ts.tv_sec != 0 || ts.tv_nsec != 100000000)
			fail("RR interval %ld.%09ld", (long)ts.tv_sec, ts.tv_nsec);
		pid = fork();
		if (pid == 0)
			_exit(sched_getscheduler(0) == SCHED_RR ? 0 : 1);
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail("a child does not inherit SCHED_RR");
		sp.sched_priority = 0;
		EXPECT_VAL(sched_setscheduler(0, SCHED_OTHER, &sp), 0);
		/* As another user: no real-time, no raising. */
		pid = fork();
		if (pid == 0) {
			struct sched_param p2 = { .sched_priority = 1 };

			if (setuid(65534))
				_exit(2);
			_exit(sched_setscheduler(0, SCHED_FIFO, &p2) == -1 &&
			      errno == EPERM ? 0 : 1);
		}
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail("an unprivileged SCHED_FIFO was not refused with EPERM");
	}
	memset(&a, 0, sizeof(a));
	EXPECT_VAL(syscall(SYS_sched_getattr, 0, &a, sizeof(a), 0), 0);
	if (a.size != sizeof(a) || a.sched_policy != SCHED_OTHER)
		fail("sched_getattr: size %u policy %u", a.size, a.sched_policy);
	EXPECT_ERR(syscall(SYS_sched_getattr, 0, &a, 8, 0), EINVAL);
	EXPECT_ERR(syscall(SYS_sched_getattr, 0, &a, sizeof(a), 1), EINVAL);
	a.size = sizeof(a);
	a.sched_policy = SCHED_BATCH;
	a.sched_nice = 5;
	EXPECT_VAL(syscall(SYS_sched_setattr, 0, &a, 0), 0);
	EXPECT_VAL(sched_getscheduler(0), SCHED_BATCH);
	EXPECT_VAL(getpriority(PRIO_PROCESS, 0), 5);
	a.sched_policy = SCHED_OTHER;
	a.sched_nice = 0;
	/* Lowering nice again needs CAP_SYS_NICE. */
	if (geteuid() == 0)
		EXPECT_VAL(syscall(SYS_sched_setattr, 0, &a, 0), 0);
	else
		EXPECT_ERR(syscall(SYS_sched_setattr, 0, &a, 0), EPERM);
	a.sched_policy = SCHED_OTHER;
	a.sched_flags = 0x1000;
	EXPECT_ERR(syscall(SYS_sched_setattr, 0, &a, 0), EINVAL);
}

#define IOPRIO_VALUE(c, d)	(((c) << 13) | (d))

static void test_ioprio(void)
{
	EXPECT_VAL(syscall(SYS_ioprio_get, 1, 0), 0);
	EXPECT_ERR(syscall(SYS_ioprio_get, 7, 0), EINVAL);
	EXPECT_ERR(syscall(SYS_ioprio_get, 1, 999999), ESRCH);
	EXPECT_ERR(syscall(SYS_ioprio_set, 1, 0, IOPRIO_VALUE(5, 0)), EINVAL);
	EXPECT_VAL(syscall(SYS_ioprio_set, 1, 0, IOPRIO_VALUE(2, 6)), 0);
	EXPECT_VAL(syscall(SYS_ioprio_get, 1, 0), IOPRIO_VALUE(2, 6));
	EXPECT_VAL(syscall(SYS_ioprio_set, 1, 0, IOPRIO_VALUE(3, 0)), 0);
	EXPECT_VAL(syscall(SYS_ioprio_get, 1, 0), IOPRIO_VALUE(3, 0));
	EXPECT_VAL(syscall(SYS_ioprio_set, 1, 0, 0), 0);
}

static void test_membarrier(void)
{
	long q = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

	if (q < 0 || !(q & MEMBARRIER_CMD_GLOBAL) ||
	    !(q & MEMBARRIER_CMD_PRIVATE_EXPEDITED))
		fail("membarrier query gives %lx", q);
	EXPECT_ERR(syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 1, 0), EINVAL);
	EXPECT_ERR(syscall(SYS_membarrier, 1 << 20, 0, 0), EINVAL);
	EXPECT_ERR(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0), EPERM);
	EXPECT_VAL(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0), 0);
	EXPECT_VAL(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0), 0);
	EXPECT_VAL(syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0), 0);
}

static void test_files(void)
{
	char a[64], b[64], buf[32];
	int p[2], fa, fb, d;
	loff_t oi, oo;

	snprintf(a, sizeof(a), "/tmp/sysmisc-a-%d", getpid());
	snprintf(b, sizeof(b), "/tmp/sysmisc-b-%d", getpid());
	fa = open(a, O_RDWR | O_CREAT | O_TRUNC, 0600);
	fb = open(b, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fa < 0 || fb < 0) {
		fail("cannot create files in /tmp");
		return;
	}
	if (write(fa, "0123456789abcdef", 16) != 16)
		fail("write");
	if (pipe(p))
		fail("pipe");
	d = open("/tmp", O_RDONLY | O_DIRECTORY);

	EXPECT_VAL(posix_fadvise(fa, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
	EXPECT_VAL(posix_fadvise(fa, 0, 0, 99), EINVAL);
	EXPECT_VAL(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE);
	EXPECT_VAL(posix_fadvise(-1, 0, 0, POSIX_FADV_NORMAL), EBADF);
	EXPECT_VAL(readahead(fa, 0, 4096), 0);
	EXPECT_ERR(readahead(p[0], 0, 4096), EINVAL);
	EXPECT_ERR(readahead(p[1], 0, 4096), EBADF);

	/* copy_file_range with explicit offsets, then with file positions */
	oi = 4;
	oo = 0;
	EXPECT_VAL(copy_file_range(fa, &oi, fb, &oo, 6, 0), 6);
	if (oi != 10 || oo != 6)
		fail("copy_file_range offsets %ld %ld", (long)oi, (long)oo);
	if (pread(fb, buf, 6, 0) != 6 || memcmp(buf, "456789", 6))
		fail("copy_file_range copied the wrong bytes");
	lseek(fa, 10, SEEK_SET);
	lseek(fb, 6, SEEK_SET);
	EXPECT_VAL(copy_file_range(fa, NULL, fb, NULL, 100, 0), 6);
	if (lseek(fa, 0, SEEK_CUR) != 16 || lseek(fb, 0, SEEK_CUR) != 12)
		fail("copy_file_range did not move the file positions");
	oi = 16;
	EXPECT_VAL(copy_file_range(fa, &oi, fb, NULL, 10, 0), 0);
	EXPECT_ERR(copy_file_range(fa, NULL, fb, NULL, 1, 1), EINVAL);
	EXPECT_ERR(copy_file_range(fa, NULL, p[1], NULL, 1, 0), EINVAL);
	EXPECT_ERR(copy_file_range(d, NULL, fb, NULL, 1, 0), EISDIR);
	EXPECT_ERR(copy_file_range(-1, NULL, fb, NULL, 1, 0), EBADF);
	oi = 0;
	oo = 4;
	EXPECT_ERR(copy_file_range(fa, &oi, fa, &oo, 8, 0), EINVAL);
	{
		int ro = open(a, O_RDONLY);

		EXPECT_ERR(copy_file_range(fa, NULL, ro, NULL, 1, 0), EBADF);
		close(ro);
	}
	close(fa);
	close(fb);
	close(p[0]);
	close(p[1]);
	close(d);
	unlink(a);
	unlink(b);
}

int main(void)
{
	test_sched();
	test_ioprio();
	test_membarrier();
	test_files();
	return check_done();
}
