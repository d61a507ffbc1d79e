/*
 * badargs: system calls with garbage arguments get the errno Linux gives.
 * Regression checks for what tests/guest/sysfuzz.c found: each of these
 * once crashed the kernel, tripped a sanitizer or answered wrongly.
 * Prints PASS or FAIL: reason (every failed check is listed first).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static char first[256];

static void check(const char *what, long r, int want_errno)
{
	char buf[256];

	if (want_errno ? (r == -1 && errno == want_errno) : r >= 0)
		return;
	snprintf(buf, sizeof(buf), "%s: got %ld (%s), want %s", what, r,
		 r < 0 ? strerror(errno) : "success",
		 want_errno ? strerror(want_errno) : "success");
	printf("%s\n", buf);
	if (!failures++)
		snprintf(first, sizeof(first), "%s", buf);
}

int main(void)
{
	struct f_owner_ex o;
	int fd = open("/dev/null", O_RDWR), ffd;
	pid_t pid;
	void *p;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (fd < 0) {
		printf("FAIL: open /dev/null: %s\n", strerror(errno));
		return 1;
	}

	/* -INT_MIN does not exist: no process group to wait for or signal */
	errno = 0;
	check("wait4(INT_MIN)", wait4(INT_MIN, NULL, WNOHANG, NULL), ESRCH);
	check("kill(INT_MIN, 0)", kill(INT_MIN, 0), ESRCH);

	/* F_SETOWN: INT_MIN is invalid, an owner that does not exist ESRCH */
	check("F_SETOWN INT_MIN", fcntl(fd, F_SETOWN, INT_MIN), EINVAL);
	check("F_SETOWN no such pid", fcntl(fd, F_SETOWN, 4000000), ESRCH);
	check("F_SETOWN no such group", fcntl(fd, F_SETOWN, -4000000), ESRCH);
	check("F_SETOWN self", fcntl(fd, F_SETOWN, getpid()), 0);
	if (fcntl(fd, F_GETOWN) != getpid())
		check("F_GETOWN after F_SETOWN self", -1, 0);
	check("F_SETOWN own group", fcntl(fd, F_SETOWN, -getpgrp()), 0);
	check("F_SETOWN 0", fcntl(fd, F_SETOWN, 0), 0);
	o.type = F_OWNER_PID;
	o.pid = -5;
	check("F_SETOWN_EX pid -5", fcntl(fd, F_SETOWN_EX, &o), ESRCH);
	o.type = F_OWNER_PGRP;
	o.pid = INT_MIN;
	check("F_SETOWN_EX pgrp INT_MIN", fcntl(fd, F_SETOWN_EX, &o), ESRCH);
	o.type = F_OWNER_PGRP;
	o.pid = getpgrp();
	check("F_SETOWN_EX own group", fcntl(fd, F_SETOWN_EX, &o), 0);

	/* MAP_SHARED_VALIDATE: files only; it knows the huge page size bits */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS,
		 -1, 0);
	check("mmap MAP_SHARED_VALIDATE anonymous", p == MAP_FAILED ? -1 : 0,
	      EINVAL);
	ffd = open("badargs.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (ffd < 0 || ftruncate(ffd, 4096) < 0) {
		check("create badargs.tmp", -1, 0);
	} else {
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE, ffd, 0);
		check("mmap MAP_SHARED_VALIDATE file", p == MAP_FAILED ? -1 : 0,
		      0);
		p = mmap(NULL, 4096, PROT_READ,
			 MAP_SHARED_VALIDATE | (30U << 26), ffd, 0);
		check("mmap MAP_SHARED_VALIDATE MAP_HUGE_1GB",
		      p == MAP_FAILED ? -1 : 0, 0);
		p = mmap(NULL, 4096, PROT_READ,
			 MAP_SHARED_VALIDATE | (63U << 26), ffd, 0);
		check("mmap MAP_SHARED_VALIDATE unknown size bits",
		      p == MAP_FAILED ? -1 : 0, EOPNOTSUPP);
		p = mmap((void *)0x200000000000UL, 4096, PROT_READ,
			 MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, ffd, 0);
		check("mmap MAP_SHARED_VALIDATE MAP_FIXED_NOREPLACE",
		      p == MAP_FAILED ? -1 : 0, EOPNOTSUPP);
		close(ffd);
		unlink("badargs.tmp");
	}

	/*
	 * An orphan cloned with exit signal SIGINT: re-parented, it must
	 * signal its new parent (init) with SIGCHLD. Init, a shell, once died
	 * of it and the kernel panicked (or looped re-parenting to itself).
	 */
	pid = fork();
	if (pid == 0) {
		if (syscall(SYS_clone, SIGINT, 0, 0, 0, 0) == 0) {
			usleep(200000);
			_exit(0);
		}
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		check("fork for the orphan test", -1, 0);
	usleep(500000);

	if (failures) {
		printf("FAIL: %d checks (first: %s)\n", failures, first);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
