// SPDX-License-Identifier: GPL-2.0
/*
 * pidfds: pidfd_open, poll, pidfd_send_signal, waitid(P_PIDFD),
 * pidfd_getfd and clone(CLONE_PIDFD), checked against what Linux does
 * (the same binary passes natively). Prints "PASS" or "FAIL: <what>".
 *
 *	gcc -static -O2 -o pidfd tests/guest/pidfd.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "check.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif


static int pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

int main(void)
{
	int pfd, pipefd[2], fd, st;
	siginfo_t si;
	pid_t pid;
	char buf[16], path[64], line[128];
	FILE *f;

	/* a child that waits for a signal */
	if (pipe(pipefd)) {
		printf("FAIL: pipe\n");
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		/* its fd 100 is the read end, for pidfd_getfd */
		dup2(pipefd[0], 100);
		pause();
		_exit(0);
	}
	pfd = pidfd_open(pid, 0);
	if (pfd < 0) {
		printf("FAIL: pidfd_open: errno %d\n", errno);
		return 1;
	}
	if (!(fcntl(pfd, F_GETFD) & FD_CLOEXEC))
		fail("a pidfd is not close-on-exec");
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pfd);
	f = fopen(path, "r");
	st = 0;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Pid:", 4) && atoi(line + 4) == pid)
			st = 1;
	if (f)
		fclose(f);
	if (!st)
		fail("fdinfo has no 'Pid: %d' line", pid);
	if (readable(pfd, 50))
		fail("a live process's pidfd polls readable");
	/* take the child's fd 100 (once it has it) */
	for (int i = 0; i < 200; i++) {
		fd = (int)syscall(SYS_pidfd_getfd, pfd, 100, 0);
		if (fd >= 0 || errno != EBADF)
			break;
		usleep(10000);
	}
	if (fd < 0) {
		fail("pidfd_getfd: errno %d", errno);
	} else {
		if (write(pipefd[1], "got", 3) != 3 || read(fd, buf, 3) != 3 ||
		    memcmp(buf, "got", 3))
			fail("the fd from pidfd_getfd is not the pipe");
		close(fd);
	}
	EXPECT_ERR(syscall(SYS_pidfd_getfd, pfd, 100, 1), EINVAL);
	EXPECT_ERR(syscall(SYS_pidfd_getfd, pfd, 999, 0), EBADF);
	EXPECT_ERR(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0x100), EINVAL);
	EXPECT_ERR(syscall(SYS_pidfd_send_signal, pipefd[0], SIGTERM, NULL, 0), EBADF);
	if (syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0))
		fail("pidfd_send_signal: errno %d", errno);
	if (!readable(pfd, 5000))
		fail("an exited process's pidfd does not poll readable");
	memset(&si, 0, sizeof(si));
	if (waitid(P_PIDFD, pfd, &si, WEXITED))
		fail("waitid(P_PIDFD): errno %d", errno);
	else if (si.si_pid != pid || si.si_code != CLD_KILLED ||
		 si.si_status != SIGKILL)
		fail("waitid(P_PIDFD): pid %d code %d status %d", si.si_pid,
		     si.si_code, si.si_status);
	/* reaped: gone for signals and waits */
	EXPECT_ERR(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0), ESRCH);
	EXPECT_ERR(waitid(P_PIDFD, pfd, &si, WEXITED), ECHILD);
	EXPECT_ERR(waitid(P_PIDFD, pipefd[0], &si, WEXITED), EBADF);
	close(pfd);

	EXPECT_ERR(pidfd_open(0, 0), EINVAL);
	EXPECT_ERR(pidfd_open(getpid(), 1), EINVAL);
	EXPECT_ERR(pidfd_open(999999, 0), ESRCH);

	/* clone(CLONE_PIDFD) */
	pfd = -1;
	pid = (pid_t)syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pfd, 0, 0);
	if (pid == 0)
		_exit(7);
	if (pid < 0) {
		fail("clone(CLONE_PIDFD): errno %d", errno);
	} else {
		if (pfd < 0)
			fail("clone(CLONE_PIDFD) gave no pidfd");
		memset(&si, 0, sizeof(si));
		if (pfd >= 0 && waitid(P_PIDFD, pfd, &si, WEXITED))
			fail("waitid on the clone pidfd: errno %d", errno);
		else if (si.si_code != CLD_EXITED || si.si_status != 7)
			fail("clone child: code %d status %d", si.si_code,
			     si.si_status);
		close(pfd);
	}
	EXPECT_ERR(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD,
			   0, &pfd, 0, 0), EINVAL);
	return check_done();
}
