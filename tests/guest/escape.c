/*
 * escape HOSTFILE CREATEPATH KPID: tries to reach the host from a guest.
 *
 * HOSTFILE exists only on the host, CREATEPATH is a host path whose directory
 * exists only on the host (and holds a file "victim" the test checks is
 * left alone), KPID is the kernel's host pid. Every attempt must
 * be refused: with an error, or by the death of the attempting child (the
 * seccomp filter's SIGSYS). The host side of the test then checks that
 * CREATEPATH does not exist and that the kernel is still running.
 *
 * Attempts:
 *  - ordinary system calls on the host paths and pid;
 *  - the stub's own `syscall; ret` sequence, found in the stub's code at
 *    0x7f8000000000 and called with registers set up for openat, creat,
 *    kill, write to the stub's control socket, mprotect and mmap of the
 *    stub's code: the filter allows the stub's instruction only a handful
 *    of calls, so these must be trapped (and then refused by our kernel as
 *    guest calls) or kill the child;
 *  - writing into the stub's code.
 *
 * Natively (no stub mapped) the stub attempts are reported as not
 * applicable: the program then checks only that the ordinary calls fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define STUB_CODE_ADDR	0x7f8000000000UL
#define STUB_CODE_MAX	0x100000UL
#define STUB_CTL_FD	3

static int failures;

static void refused(const char *what, const char *how)
{
	printf("refused: %s (%s)\n", what, how);
}

static void escaped(const char *what, const char *how)
{
	printf("ESCAPED: %s (%s)\n", what, how);
	failures++;
}

/* An ordinary system call that must fail. */
static void expect_fail(const char *what, long r)
{
	char how[64];

	if (r < 0) {
		snprintf(how, sizeof(how), "%s", strerror(errno));
		refused(what, how);
	} else {
		snprintf(how, sizeof(how), "returned %ld", r);
		escaped(what, how);
	}
}

/*
 * Calls the `syscall; ret` at gadget with the given registers. The 128
 * bytes skipped keep the call's return address out of our red zone.
 */
static long raw_call(uintptr_t gadget, long nr, long a1, long a2, long a3,
		     long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("sub $128, %%rsp\n\t"
			 "call *%[g]\n\t"
			 "add $128, %%rsp"
			 : "=a"(ret), "+r"(r10), "+r"(r8), "+r"(r9)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), [g] "r"(gadget)
			 : "rcx", "r11", "memory", "cc");
	return ret;
}

/*
 * Finds `0f 05 c3` in the stub's code, in a child (reading past the end of
 * the mapping kills it). Returns 0 if there is none (e.g. natively).
 */
static uintptr_t find_gadget(void)
{
	int fds[2];
	uintptr_t found = 0;
	pid_t pid;
	int st;

	if (pipe(fds) < 0)
		return 0;
	pid = fork();
	if (pid == 0) {
		const volatile unsigned char *p = (const void *)STUB_CODE_ADDR;

		close(fds[0]);
		for (size_t i = 0; i + 2 < STUB_CODE_MAX; i++) {
			if (p[i] == 0x0f && p[i + 1] == 0x05 && p[i + 2] == 0xc3) {
				uintptr_t a = STUB_CODE_ADDR + i;

				if (write(fds[1], &a, sizeof(a)) != sizeof(a))
					_exit(1);
				_exit(0);
			}
		}
		_exit(0);
	}
	close(fds[1]);
	if (pid > 0) {
		if (read(fds[0], &found, sizeof(found)) != sizeof(found))
			found = 0;
		waitpid(pid, &st, 0);
	}
	close(fds[0]);
	return found;
}

struct attempt {
	uintptr_t gadget;	/* 0: an ordinary call */
	long nr, a[6];
};

/*
 * Makes one call in a child, which reports the return value (as -errno on
 * failure). A child killed by a signal was refused by the filter; one that
 * does not come back within 5 s is killed and counted as a failure (Linux
 * answers all of these at once).
 */
static void attempt(const char *what, const struct attempt *at)
{
	int fds[2];
	long r = 0;
	char how[80];
	pid_t pid;
	int st, i;

	fflush(stdout);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		escaped(what, "pipe failed: cannot test");
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		/* A guest kill(0, ...) then reaches only this child; one that
		 * reached the host would hit the kernel's process group. */
		setpgid(0, 0);
		if (at->gadget)
			r = raw_call(at->gadget, at->nr, at->a[0], at->a[1],
				     at->a[2], at->a[3], at->a[4], at->a[5]);
		else
			r = syscall(at->nr, at->a[0], at->a[1], at->a[2],
				    at->a[3], at->a[4], at->a[5]) < 0 ?
			    -errno : 0;
		if (write(fds[1], &r, sizeof(r)) != sizeof(r))
			_exit(2);
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		escaped(what, "fork failed: cannot test");
		return;
	}
	for (i = 0; i < 500; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	if (i == 500) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		close(fds[0]);
		printf("HUNG: %s (no answer within 5 s)\n", what);
		failures++;
		return;
	}
	if (read(fds[0], &r, sizeof(r)) != sizeof(r))
		r = 1L << 62;	/* no report: the child died first */
	close(fds[0]);
	if (WIFSIGNALED(st)) {
		snprintf(how, sizeof(how), "child killed by signal %d",
			 WTERMSIG(st));
		refused(what, how);
	} else if (r == 1L << 62) {
		snprintf(how, sizeof(how), "child exited %d without a result",
			 WEXITSTATUS(st));
		refused(what, how);
	} else if (r < 0 && r > -4096) {
		snprintf(how, sizeof(how), "%s", strerror((int)-r));
		refused(what, how);
	} else {
		snprintf(how, sizeof(how), "returned %ld", r);
		escaped(what, how);
	}
}

#define ATT(what, g, n, ...) do {					\
		const struct attempt at_ = { (g), (n), { __VA_ARGS__ } };	\
		attempt((what), &at_);					\
	} while (0)

/* The entry a patched site's slot k leads to, or 0 if unreadable. */
static uintptr_t patch_entry(int k)
{
	int fds[2];
	uintptr_t e = 0;
	pid_t pid;

	if (pipe(fds) < 0)
		return 0;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		e = *(volatile uintptr_t *)(0x050f0000UL + 8UL * (unsigned)k);
		_exit(write(fds[1], &e, sizeof(e)) == sizeof(e) ? 0 : 1);
	}
	close(fds[1]);
	if (pid > 0) {
		if (read(fds[0], &e, sizeof(e)) != sizeof(e))
			e = 0;
		waitpid(pid, NULL, 0);
	}
	close(fds[0]);
	/* no entry: a jump to address 1 faults, which refuses as well */
	return e ? e : 1;
}

static void raw_attempts(uintptr_t g, const char *hostfile,
			 const char *createpath, const char *victim, long kpid)
{
	const long rwx = PROT_READ | PROT_WRITE | PROT_EXEC;
	const long fixed = MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS;

	/* The stub's syscall instruction. */
	ATT("raw openat host file", g, SYS_openat, AT_FDCWD, (long)hostfile,
	    O_RDONLY);
	ATT("raw openat O_CREAT host path", g, SYS_openat, AT_FDCWD,
	    (long)createpath, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ATT("raw creat host path", g, SYS_creat, (long)createpath, 0644);
	ATT("raw unlink host file", g, SYS_unlink, (long)victim);
	ATT("raw write to the control socket", g, SYS_write, STUB_CTL_FD,
	    (long)"x", 1);
	ATT("raw kill(kernel pid, SIGKILL)", g, SYS_kill, kpid, SIGKILL);
	ATT("raw kill(0, SIGKILL)", g, SYS_kill, 0, SIGKILL);
	ATT("raw ptrace attach to the kernel", g, SYS_ptrace,
	    16 /* PTRACE_ATTACH */, kpid);
	ATT("raw mprotect of the stub's code", g, SYS_mprotect,
	    STUB_CODE_ADDR, 4096, rwx);
	ATT("raw mmap over the stub's code", g, SYS_mmap, STUB_CODE_ADDR,
	    4096, PROT_READ | PROT_WRITE, fixed, -1, 0);

	/*
	 * The patched-call entries (their slot table is at 0x050f0000): an
	 * entry whose slot the kernel never gave out, kind 0 and kind 1
	 * (number in rax). Natively nothing is mapped there either.
	 */
	ATT("jump into a patched-call entry (kind 0)", patch_entry(5),
	    SYS_openat, AT_FDCWD, (long)createpath, O_WRONLY | O_CREAT, 0644);
	ATT("jump into a patched-call entry (kind 1)", patch_entry(2048 + 5),
	    SYS_unlink, (long)victim);
	ATT("mmap over the patch slot table", 0, SYS_mmap, 0x050f0000, 4096,
	    PROT_READ | PROT_WRITE, fixed, -1, 0);
	ATT("mprotect the patch slot table", 0, SYS_mprotect, 0x050f0000,
	    4096, rwx);

	/* Above the guest's address space: ordinary calls must fail too. */
	ATT("mprotect the stub's code writable", 0, SYS_mprotect,
	    STUB_CODE_ADDR, 4096, rwx);
	ATT("munmap the stub's code", 0, SYS_munmap, STUB_CODE_ADDR, 4096);
	ATT("mmap over the stub's code", 0, SYS_mmap, STUB_CODE_ADDR, 4096,
	    PROT_READ | PROT_WRITE, fixed, -1, 0);
}

/* Writing into the stub's code must fault. */
static void write_stub_code(void)
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0) {
		*(volatile unsigned char *)STUB_CODE_ADDR = 0xcc;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		escaped("write to the stub's code", "fork/wait failed");
		return;
	}
	if (WIFSIGNALED(st))
		refused("write to the stub's code", "child killed");
	else
		escaped("write to the stub's code", "the write succeeded");
}

int main(int argc, char **argv)
{
	const char *hostfile, *createpath;
	uintptr_t gadget;
	char victim[4096];
	const char *slash;
	long kpid;

	if (argc != 4) {
		fprintf(stderr, "usage: escape HOSTFILE CREATEPATH KPID\n");
		printf("FAIL: usage\n");
		return 1;
	}
	hostfile = argv[1];
	createpath = argv[2];
	kpid = strtol(argv[3], NULL, 10);
	if (kpid <= 0) {
		printf("FAIL: bad KPID '%s'\n", argv[3]);
		return 1;
	}
	slash = strrchr(createpath, '/');
	snprintf(victim, sizeof(victim), "%.*s/victim",
		 slash ? (int)(slash - createpath) : 1, slash ? createpath : ".");
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* The stub's control socket is host fd 3: make sure guest fd 3 is
	 * not something of ours, so that a call reaching fd 3 is telling. */
	close(STUB_CTL_FD);

	/* 1. Ordinary calls. */
	expect_fail("open host file", open(hostfile, O_RDONLY));
	expect_fail("create host file",
		    open(createpath, O_WRONLY | O_CREAT | O_EXCL, 0644));
	expect_fail("unlink host file", unlink(victim));
	expect_fail("kill(kernel pid, 0)", kill((pid_t)kpid, 0));
	expect_fail("write to fd 3", write(STUB_CTL_FD, "x", 1));

	/* 2. The stub's own syscall instruction. */
	gadget = find_gadget();
	if (!gadget) {
		printf("raw: no stub code at %#lx (native run?): raw attempts not applicable\n",
		       STUB_CODE_ADDR);
	} else {
		printf("raw: gadget at %#lx\n", (unsigned long)gadget);
		raw_attempts(gadget, hostfile, createpath, victim, kpid);
		write_stub_code();
	}

	/* Still here: check the created path did not appear in our view. */
	if (access(createpath, F_OK) == 0)
		escaped("host path visible after the attempts", createpath);

	if (failures)
		printf("FAIL: %d attempt(s) reached the host\n", failures);
	else
		printf("PASS\n");
	return failures ? 1 : 0;
}
