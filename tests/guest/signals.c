// SPDX-License-Identifier: GPL-2.0
/*
 * Signal semantics, checked against themselves: passes on the host's
 * Linux first (gcc -static -O2 -o /tmp/signals tests/guest/signals.c),
 * then inside our kernel. Prints one line per failure and a final line
 * "PASS" or "FAIL: reason".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define SIGBIT(s) (1UL << ((s) - 1))

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

static const char *failed;
static volatile uintptr_t bad_ptr = 0x10;
static char failbuf[256];

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			snprintf(failbuf, sizeof(failbuf), __VA_ARGS__); \
			failed = failbuf;				\
			printf("FAIL: %s (line %d, errno %d)\n", failbuf, \
			       __LINE__, errno);			\
			fflush(stdout);					\
			exit(1);					\
		}							\
	} while (0)

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void set_handler(int sig, void (*fn)(int, siginfo_t *, void *),
			int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags | SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction(%d)", sig);
}

static void set_default(int sig)
{
	signal(sig, SIG_DFL);
}

static sigset_t cur_mask(void)
{
	sigset_t s;

	sigprocmask(SIG_BLOCK, NULL, &s);
	return s;
}

/* ---- SA_SIGINFO ---- */

static volatile int got_sig, got_code, got_pid, got_uid, got_val;
static volatile int hits;
static volatile uintptr_t got_addr;
static volatile int in_handler_blocked;

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	sigset_t s = cur_mask();

	got_sig = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_uid = si->si_uid;
	got_val = si->si_value.sival_int;
	in_handler_blocked = sigismember(&s, sig);
	hits++;
	(void)uc;
}

static void test_siginfo(void)
{
	set_handler(SIGUSR1, info_handler, 0);
	hits = 0;
	CHECK(kill(getpid(), SIGUSR1) == 0, "kill self");
	CHECK(hits == 1, "handler ran %d times", hits);
	CHECK(got_sig == SIGUSR1, "signo %d", got_sig);
	CHECK(got_code == SI_USER, "si_code %d, want SI_USER", got_code);
	CHECK(got_pid == getpid(), "si_pid %d", got_pid);
	CHECK(got_uid == (int)getuid(), "si_uid %d", got_uid);
	CHECK(in_handler_blocked, "signal not blocked inside its handler");
	CHECK(!sigismember(&(sigset_t){0}, SIGUSR1), "sanity");
	{
		sigset_t s = cur_mask();
		CHECK(!sigismember(&s, SIGUSR1), "mask not restored");
	}

	/* tgkill gives SI_TKILL */
	CHECK(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1) == 0, "tgkill");
	CHECK(got_code == SI_TKILL, "tgkill si_code %d", got_code);

	/* sigqueue carries a value */
	union sigval v = { .sival_int = 1234 };
	CHECK(sigqueue(getpid(), SIGUSR1, v) == 0, "sigqueue");
	CHECK(got_code == SI_QUEUE && got_val == 1234,
	      "sigqueue code %d value %d", got_code, got_val);
	set_default(SIGUSR1);
}

/* ---- errors ---- */

static void test_errors(void)
{
	struct sigaction sa;
	sigset_t s;
	siginfo_t si;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	errno = 0;
	CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL,
	      "sigaction(SIGKILL) allowed");
	CHECK(sigaction(SIGSTOP, &sa, NULL) == -1 && errno == EINVAL,
	      "sigaction(SIGSTOP) allowed");
	CHECK(sigaction(SIGKILL, NULL, &sa) == 0, "query SIGKILL");
	CHECK(syscall(SYS_rt_sigaction, 0, NULL, &sa, 8) == -1 &&
	      errno == EINVAL, "sigaction(0)");
	CHECK(syscall(SYS_rt_sigaction, 65, NULL, &sa, 8) == -1 &&
	      errno == EINVAL, "sigaction(65)");
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &sa, 4) == -1 &&
	      errno == EINVAL, "sigaction sigsetsize 4");
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8) == -1 &&
	      errno == EFAULT, "sigaction bad pointer");
	CHECK(syscall(SYS_rt_sigprocmask, 7, &s, NULL, 8) == -1 &&
	      errno == EINVAL, "sigprocmask bad how");
	CHECK(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &s, NULL, 16) == -1 &&
	      errno == EINVAL, "sigprocmask sigsetsize 16");
	CHECK(kill(getpid(), 999) == -1 && errno == EINVAL, "kill sig 999");
	CHECK(kill(getpid(), -1) == -1 && errno == EINVAL, "kill sig -1");
	CHECK(kill(99999999, 0) == -1 && errno == ESRCH, "kill no such pid");
	CHECK(kill(getpid(), 0) == 0, "kill sig 0");
	CHECK(syscall(SYS_tkill, 0, SIGUSR1) == -1 && errno == EINVAL,
	      "tkill 0");
	CHECK(syscall(SYS_tgkill, getpid() + 100000, getpid(), 0) == -1 &&
	      errno == ESRCH, "tgkill wrong tgid");

	/* unknown flags read back as 0 (the SA_UNSUPPORTED probe) */
	{
		struct { void *h; unsigned long flags; void *r;
			 unsigned long mask; } ka = {
			(void *)info_handler, 0xffffffffUL, NULL, ~0UL }, ko;

		CHECK(syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8) == 0 &&
		      syscall(SYS_rt_sigaction, SIGUSR1, NULL, &ko, 8) == 0,
		      "raw rt_sigaction");
		CHECK(ko.flags == 0xdc000807UL, "flags read back %#lx",
		      ko.flags);
		CHECK(ko.mask == ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP)) &&
		      ko.h == (void *)info_handler, "mask read back %#lx",
		      ko.mask);
		set_default(SIGUSR1);
	}

	/* SIGKILL and SIGSTOP cannot be blocked: silently dropped */
	sigemptyset(&s);
	sigaddset(&s, SIGKILL);
	sigaddset(&s, SIGSTOP);
	sigaddset(&s, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &s, NULL) == 0, "block");
	s = cur_mask();
	CHECK(!sigismember(&s, SIGKILL) && !sigismember(&s, SIGSTOP),
	      "SIGKILL/SIGSTOP blocked");
	CHECK(sigismember(&s, SIGUSR2), "SIGUSR2 not blocked");
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_UNBLOCK, &s, NULL);

	/* forged kernel siginfo to another process */
	memset(&si, 0, sizeof(si));
	si.si_code = SI_KERNEL;
	CHECK(syscall(SYS_rt_sigqueueinfo, getppid(), 0, &si) == -1 &&
	      errno == EPERM, "rt_sigqueueinfo with si_code >= 0 to parent");
}

/* ---- masks and pending ---- */

static void test_mask_pending(void)
{
	sigset_t s, p;

	set_handler(SIGUSR2, info_handler, 0);
	hits = 0;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR2);
	raise(SIGUSR2);		/* standard signals coalesce */
	CHECK(hits == 0, "blocked signal delivered");
	CHECK(sigpending(&p) == 0 && sigismember(&p, SIGUSR2),
	      "sigpending misses SIGUSR2");
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	/* delivered on the way out of the unblocking sigprocmask */
	CHECK(hits == 1, "unblocked signal delivered %d times", hits);
	CHECK(sigpending(&p) == 0 && !sigismember(&p, SIGUSR2),
	      "still pending");

	/* SIG_IGN discards a pending signal */
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR2);
	signal(SIGUSR2, SIG_IGN);
	sigpending(&p);
	CHECK(!sigismember(&p, SIGUSR2), "SIG_IGN kept pending signal");
	set_handler(SIGUSR2, info_handler, 0);
	hits = 0;
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	CHECK(hits == 0, "discarded signal delivered");
	set_default(SIGUSR2);

	/* an ignored signal is dropped at once */
	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	sigpending(&p);
	CHECK(!sigismember(&p, SIGUSR2), "ignored signal queued");
	set_default(SIGUSR2);
}

/* ---- SA_NODEFER, SA_RESETHAND, raising from a handler ---- */

static volatile int depth, max_depth, order[8], norder;

static void nested_handler(int sig, siginfo_t *si, void *uc)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	order[norder++ & 7] = sig;
	if (sig == SIGUSR1 && hits++ == 0)
		raise(SIGUSR1);
	depth--;
	(void)si;
	(void)uc;
}

static void chain_handler(int sig, siginfo_t *si, void *uc)
{
	order[norder++ & 7] = sig;
	if (sig == SIGUSR1)
		raise(SIGUSR2);		/* runs nested, before we return */
	order[norder++ & 7] = -sig;
	(void)si;
	(void)uc;
}

static void test_flags(void)
{
	struct sigaction sa;

	/* without SA_NODEFER the raise inside waits for the handler to end */
	set_handler(SIGUSR1, nested_handler, 0);
	hits = depth = max_depth = 0;
	raise(SIGUSR1);
	CHECK(hits == 2 && max_depth == 1, "deferred: hits %d depth %d",
	      hits, max_depth);

	set_handler(SIGUSR1, nested_handler, SA_NODEFER);
	hits = depth = max_depth = 0;
	raise(SIGUSR1);
	CHECK(hits == 2 && max_depth == 2, "SA_NODEFER: hits %d depth %d",
	      hits, max_depth);

	set_handler(SIGUSR1, info_handler, SA_RESETHAND);
	hits = 0;
	raise(SIGUSR1);
	CHECK(hits == 1, "SA_RESETHAND handler did not run");
	sigaction(SIGUSR1, NULL, &sa);
	CHECK(sa.sa_handler == SIG_DFL, "SA_RESETHAND left the handler");

	set_handler(SIGUSR1, chain_handler, 0);
	set_handler(SIGUSR2, chain_handler, 0);
	norder = 0;
	raise(SIGUSR1);
	CHECK(norder == 4 && order[0] == SIGUSR1 && order[1] == SIGUSR2 &&
	      order[2] == -SIGUSR2 && order[3] == -SIGUSR1,
	      "raise from handler: order %d %d %d %d", order[0], order[1],
	      order[2], order[3]);
	set_default(SIGUSR1);
	set_default(SIGUSR2);
}

/* ---- sigaltstack ---- */

static char *alt_base;
static size_t alt_size;
static volatile int on_alt, alt_flags, alt_eperm;

static void alt_handler(int sig, siginfo_t *si, void *uc)
{
	char here;
	stack_t ss, cur;

	on_alt = &here >= alt_base && &here < alt_base + alt_size;
	sigaltstack(NULL, &cur);
	alt_flags = cur.ss_flags;
	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = alt_base;
	ss.ss_size = alt_size;
	alt_eperm = sigaltstack(&ss, NULL) == -1 && errno == EPERM;
	hits++;
	(void)sig;
	(void)si;
	(void)uc;
}

static void alt_query_handler(int sig, siginfo_t *si, void *uc)
{
	char here;
	stack_t cur;

	on_alt = &here >= alt_base && &here < alt_base + alt_size;
	sigaltstack(NULL, &cur);
	alt_flags = cur.ss_flags;
	(void)sig;
	(void)si;
	(void)uc;
}

static void test_altstack(void)
{
	stack_t ss, old;

	alt_size = 65536;
	alt_base = malloc(alt_size);
	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = alt_base;
	ss.ss_size = 1024;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM,
	      "tiny sigaltstack accepted");
	ss.ss_flags = 12345;
	ss.ss_size = alt_size;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == EINVAL,
	      "bad ss_flags accepted");
	ss.ss_flags = 0;
	CHECK(sigaltstack(&ss, &old) == 0, "sigaltstack");
	CHECK(old.ss_flags == SS_DISABLE, "initial flags %d", old.ss_flags);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == 0,
	      "query flags %d", old.ss_flags);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_sp == alt_base &&
	      old.ss_size == alt_size && old.ss_flags == 0,
	      "sigaltstack query");

	set_handler(SIGUSR1, alt_handler, SA_ONSTACK);
	hits = 0;
	raise(SIGUSR1);
	CHECK(hits == 1 && on_alt, "handler not on the alternate stack");
	CHECK(alt_flags == SS_ONSTACK, "in-handler ss_flags %d", alt_flags);
	CHECK(alt_eperm, "sigaltstack while on it: no EPERM");

	/* without SA_ONSTACK the normal stack is used */
	set_handler(SIGUSR1, alt_handler, 0);
	raise(SIGUSR1);
	CHECK(!on_alt, "handler on the alternate stack without SA_ONSTACK");

	/* SS_AUTODISARM: disarmed inside, restored by sigreturn */
	ss.ss_flags = SS_AUTODISARM;
	CHECK(sigaltstack(&ss, NULL) == 0, "SS_AUTODISARM");
	set_handler(SIGUSR1, alt_handler, SA_ONSTACK);
	raise(SIGUSR1);
	CHECK(on_alt, "autodisarm handler not on the alternate stack");
	CHECK(alt_flags == SS_DISABLE, "autodisarm in-handler flags %#x",
	      alt_flags);
	/* the handler re-armed it without SS_AUTODISARM, while on it */
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_sp == alt_base &&
	      old.ss_flags == 0, "autodisarm: flags after %#x", old.ss_flags);
	ss.ss_flags = SS_AUTODISARM;
	CHECK(sigaltstack(&ss, NULL) == 0, "SS_AUTODISARM again");
	set_handler(SIGUSR1, alt_query_handler, SA_ONSTACK);
	raise(SIGUSR1);
	CHECK(on_alt && alt_flags == SS_DISABLE, "autodisarm query: %#x",
	      alt_flags);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_sp == alt_base &&
	      old.ss_flags == SS_AUTODISARM,
	      "autodisarm not restored: flags %#x", old.ss_flags);

	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0, "SS_DISABLE");
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE,
	      "disabled flags %d", old.ss_flags);
	set_default(SIGUSR1);
}

/* ---- sigsuspend, sigtimedwait, realtime queueing ---- */

static volatile int rt_sigs[8], rt_vals[8], nrt;

static void rt_handler(int sig, siginfo_t *si, void *uc)
{
	if (nrt < 8) {
		rt_sigs[nrt] = sig;
		rt_vals[nrt] = si->si_value.sival_int;
	}
	nrt++;
	(void)uc;
}

static void test_waiting(void)
{
	sigset_t s, empty, old;
	siginfo_t si;
	struct timespec ts = { 0, 50000000 };
	union sigval v;
	int r;

	/* sigsuspend: runs the handler, returns EINTR, restores the mask */
	set_handler(SIGUSR1, info_handler, 0);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, &old);
	raise(SIGUSR1);
	hits = 0;
	sigemptyset(&empty);
	r = sigsuspend(&empty);
	CHECK(r == -1 && errno == EINTR && hits == 1,
	      "sigsuspend r %d hits %d", r, hits);
	s = cur_mask();
	CHECK(sigismember(&s, SIGUSR1), "sigsuspend did not restore mask");

	/* sigtimedwait: a timeout, then a signal with its info */
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	errno = 0;
	r = sigtimedwait(&s, &si, &ts);
	CHECK(r == -1 && errno == EAGAIN, "sigtimedwait timeout: r %d", r);
	ts.tv_nsec = -1;
	CHECK(sigtimedwait(&s, &si, &ts) == -1 && errno == EINVAL,
	      "sigtimedwait bad timespec");
	ts.tv_nsec = 0;
	CHECK(sigtimedwait(&s, &si, &ts) == -1 && errno == EAGAIN,
	      "sigtimedwait poll");
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
	ts.tv_sec = 5;
	r = sigtimedwait(&s, &si, &ts);
	CHECK(r == SIGUSR2 && si.si_signo == SIGUSR2 &&
	      /* glibc shows SI_TKILL as SI_USER here */
	      (si.si_code == SI_TKILL || si.si_code == SI_USER) &&
	      si.si_pid == getpid(),
	      "sigtimedwait got %d code %d", r, si.si_code);
	/* SIGCHLD with SIG_DFL is not lost while waited for */
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, NULL);
	if (fork() == 0)
		_exit(3);
	r = sigwaitinfo(&s, &si);
	CHECK(r == SIGCHLD && si.si_code == CLD_EXITED && si.si_status == 3,
	      "sigwaitinfo SIGCHLD: r %d code %d status %d", r, si.si_code,
	      si.si_status);
	wait(NULL);

	/* realtime signals queue, lowest number first, FIFO within one */
	set_handler(SIGRTMIN, rt_handler, 0);
	set_handler(SIGRTMIN + 1, rt_handler, 0);
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	sigaddset(&s, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	v.sival_int = 1;
	sigqueue(getpid(), SIGRTMIN + 1, v);
	v.sival_int = 2;
	sigqueue(getpid(), SIGRTMIN + 1, v);
	v.sival_int = 3;
	sigqueue(getpid(), SIGRTMIN, v);
	v.sival_int = 4;
	sigqueue(getpid(), SIGRTMIN, v);
	nrt = 0;
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	CHECK(nrt == 4, "%d realtime signals delivered", nrt);
	/*
	 * Linux builds a frame for SIGRTMIN (value 3), which then blocks
	 * it, and above it one for SIGRTMIN+1 (value 1): that one runs
	 * first, its sigreturn lets the second SIGRTMIN+1 in, and so on.
	 */
	CHECK(rt_sigs[0] == SIGRTMIN + 1 && rt_vals[0] == 1 &&
	      rt_sigs[1] == SIGRTMIN + 1 && rt_vals[1] == 2 &&
	      rt_sigs[2] == SIGRTMIN && rt_vals[2] == 3 &&
	      rt_sigs[3] == SIGRTMIN && rt_vals[3] == 4,
	      "realtime order %d/%d %d/%d %d/%d %d/%d",
	      rt_sigs[0], rt_vals[0], rt_sigs[1], rt_vals[1],
	      rt_sigs[2], rt_vals[2], rt_sigs[3], rt_vals[3]);
	/* dequeued one by one: lowest first, FIFO within one */
	sigprocmask(SIG_BLOCK, &s, NULL);
	for (int i = 0; i < 4; i++) {
		v.sival_int = i;
		sigqueue(getpid(), i < 2 ? SIGRTMIN + 1 : SIGRTMIN, v);
	}
	ts.tv_sec = 0;
	for (int i = 0; i < 4; i++) {
		static const int want_sig[4] = { 0, 0, 1, 1 };
		static const int want_val[4] = { 2, 3, 0, 1 };

		r = sigtimedwait(&s, &si, &ts);
		CHECK(r == SIGRTMIN + want_sig[i] &&
		      si.si_value.sival_int == want_val[i] &&
		      si.si_code == SI_QUEUE,
		      "sigtimedwait realtime %d: %d/%d", i, r,
		      si.si_value.sival_int);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	set_default(SIGRTMIN);
	set_default(SIGRTMIN + 1);
	set_default(SIGUSR1);
}

/* ---- SA_RESTART against EINTR on a pipe read ---- */

static int read_interrupted(int flags, char *byte)
{
	int fd[2], r, saved;
	pid_t parent = getpid(), pid;

	set_handler(SIGUSR1, info_handler, flags);
	CHECK(pipe(fd) == 0, "pipe");
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		msleep(100);
		kill(parent, SIGUSR1);
		msleep(100);
		write(fd[1], "x", 1);
		_exit(0);
	}
	hits = 0;
	r = read(fd[0], byte, 1);
	saved = errno;
	waitpid(pid, NULL, 0);
	close(fd[0]);
	close(fd[1]);
	set_default(SIGUSR1);
	CHECK(hits == 1, "handler did not run during read");
	errno = saved;
	return r;
}

static void test_restart(void)
{
	char c = 0;
	int r;

	r = read_interrupted(0, &c);
	CHECK(r == -1 && errno == EINTR, "read without SA_RESTART: %d", r);
	r = read_interrupted(SA_RESTART, &c);
	CHECK(r == 1 && c == 'x', "read with SA_RESTART: %d", r);
}

/* ---- children: kill, wait statuses, job control ---- */

static volatile int chld_code, chld_status, chld_pid, chld_hits;

static void chld_handler(int sig, siginfo_t *si, void *uc)
{
	chld_code = si->si_code;
	chld_status = si->si_status;
	chld_pid = si->si_pid;
	chld_hits++;
	(void)sig;
	(void)uc;
}

static void usr1_exit(int sig)
{
	_exit(40 + sig - SIGUSR1);
}

static void wait_for_code(int code)
{
	for (int i = 0; i < 500 && chld_code != code; i++)
		msleep(10);
}

static void test_children(void)
{
	int st, r;
	pid_t pid;

	set_handler(SIGCHLD, chld_handler, SA_RESTART);

	/* plain exit: SIGCHLD with CLD_EXITED */
	chld_code = 0;
	pid = fork();
	if (pid == 0)
		_exit(7);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 7, "exit status %#x", st);
	wait_for_code(CLD_EXITED);
	CHECK(chld_code == CLD_EXITED && chld_status == 7 && chld_pid == pid,
	      "SIGCHLD exit: code %d status %d", chld_code, chld_status);

	/* killed by a signal */
	chld_code = 0;
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	msleep(20);
	CHECK(kill(pid, SIGTERM) == 0, "kill child");
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGTERM, "SIGTERM status %#x", st);
	wait_for_code(CLD_KILLED);
	CHECK(chld_code == CLD_KILLED && chld_status == SIGTERM,
	      "SIGCHLD kill: code %d status %d", chld_code, chld_status);

	/* a fault's default action: killed by SIGSEGV */
	pid = fork();
	if (pid == 0) {
		*(volatile int *)bad_ptr = 1;
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGSEGV, "SIGSEGV status %#x", st);

	/* stop, continue, kill: WUNTRACED, WCONTINUED */
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	chld_code = 0;
	CHECK(kill(pid, SIGSTOP) == 0, "SIGSTOP");
	r = waitpid(pid, &st, WUNTRACED);
	CHECK(r == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	      "stopped status %#x", st);
	wait_for_code(CLD_STOPPED);
	CHECK(chld_code == CLD_STOPPED && chld_status == SIGSTOP,
	      "SIGCHLD stop: code %d status %d", chld_code, chld_status);
	/* a signal to a stopped process waits for SIGCONT */
	CHECK(kill(pid, SIGTERM) == 0, "SIGTERM to stopped");
	msleep(50);
	CHECK(waitpid(pid, &st, WNOHANG) == 0, "stopped child died");
	chld_code = 0;
	CHECK(kill(pid, SIGCONT) == 0, "SIGCONT");
	r = waitpid(pid, &st, WCONTINUED);
	/* the pending SIGTERM may already have ended it */
	CHECK(r == pid && (WIFCONTINUED(st) ||
			   (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM)),
	      "continued status %#x", st);
	if (WIFCONTINUED(st))
		CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
		      WTERMSIG(st) == SIGTERM, "killed after SIGCONT %#x", st);

	/* SIGKILL a stopped child */
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st),
	      "second stop %#x", st);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGKILL, "SIGKILL while stopped %#x", st);

	/* SIGTSTP with a handler runs the handler instead of stopping */
	pid = fork();
	if (pid == 0) {
		signal(SIGTSTP, usr1_exit);
		for (;;)
			pause();
	}
	msleep(20);
	kill(pid, SIGTSTP);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 40 + SIGTSTP - SIGUSR1,
	      "SIGTSTP handler status %#x", st);

	/* a process group, by kill(-pgrp) */
	pid = fork();
	if (pid == 0) {
		signal(SIGUSR2, usr1_exit);
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(pid, pid);
	msleep(20);
	CHECK(kill(-pid, SIGUSR2) == 0, "kill(-pgrp)");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 42, "pgrp member status %#x", st);
	CHECK(kill(-pid, SIGUSR2) == -1 && errno == ESRCH,
	      "kill(empty pgrp)");

	/* kill(0) reaches our own group (a new one: spare our caller's) */
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		set_handler(SIGUSR1, info_handler, 0);
		hits = 0;
		_exit(kill(0, SIGUSR1) == 0 && hits == 1 ? 0 : 1);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "kill(0): status %#x", st);

	/* pause() returns EINTR after a handler */
	set_handler(SIGUSR1, info_handler, 0);
	pid = fork();
	if (pid == 0) {
		msleep(50);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	hits = 0;
	r = pause();
	CHECK(r == -1 && errno == EINTR && hits == 1, "pause: %d", r);
	waitpid(pid, &st, 0);

	/* SA_NOCLDSTOP: no SIGCHLD for a stop */
	set_handler(SIGCHLD, chld_handler, SA_NOCLDSTOP | SA_RESTART);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	chld_hits = 0;
	kill(pid, SIGSTOP);
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st),
	      "stop with SA_NOCLDSTOP");
	msleep(20);
	CHECK(chld_hits == 0, "SIGCHLD despite SA_NOCLDSTOP");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);

	/* SIG_IGN for SIGCHLD: children are reaped at once */
	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0)
		_exit(0);
	r = waitpid(pid, &st, 0);
	CHECK(r == -1 && errno == ECHILD, "SIG_IGN SIGCHLD: waitpid %d", r);
	set_default(SIGCHLD);
	set_default(SIGUSR1);
}

/* ---- faults ---- */

static sigjmp_buf jb;

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	got_sig = sig;
	got_code = si->si_code;
	got_addr = (uintptr_t)si->si_addr;
	hits++;
	siglongjmp(jb, 1);
	(void)uc;
}

extern char ud2_insn[], int3_after[];

static void skip_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	got_sig = sig;
	got_code = si->si_code;
	got_addr = (uintptr_t)si->si_addr;
	hits++;
	if (sig == SIGILL)
		uc->uc_mcontext.gregs[REG_RIP] += 2;	/* over ud2 */
	got_val = (int)(uc->uc_mcontext.gregs[REG_RIP] ==
			(greg_t)(uintptr_t)int3_after);
}

static volatile int zero;

static void test_faults(void)
{
	char path[] = "/tmp/sigbusXXXXXX";
	volatile char *p;
	int fd;

	set_handler(SIGSEGV, fault_handler, SA_NODEFER);
	set_handler(SIGBUS, fault_handler, SA_NODEFER);
	set_handler(SIGFPE, fault_handler, SA_NODEFER);

	hits = 0;
	if (!sigsetjmp(jb, 1))
		*(volatile int *)bad_ptr = 1;
	CHECK(hits == 1 && got_sig == SIGSEGV && got_code == SEGV_MAPERR &&
	      got_addr == 0x10, "SEGV_MAPERR: sig %d code %d addr %#lx",
	      got_sig, got_code, (unsigned long)got_addr);

	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap");
	hits = 0;
	if (!sigsetjmp(jb, 1))
		p[8] = 1;
	CHECK(hits == 1 && got_sig == SIGSEGV && got_code == SEGV_ACCERR &&
	      got_addr == (uintptr_t)p + 8, "SEGV_ACCERR: code %d addr %#lx",
	      got_code, (unsigned long)got_addr);
	munmap((void *)p, 4096);

	fd = mkstemp(path);
	if (fd < 0) {
		strcpy(path, "sigbusXXXXXX");
		fd = mkstemp(path);
	}
	CHECK(fd >= 0, "mkstemp");
	unlink(path);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap file");
	hits = 0;
	if (!sigsetjmp(jb, 1))
		(void)p[100];
	CHECK(hits == 1 && got_sig == SIGBUS && got_code == BUS_ADRERR &&
	      got_addr == (uintptr_t)p + 100, "SIGBUS: sig %d code %d addr %#lx",
	      got_sig, got_code, (unsigned long)got_addr);
	munmap((void *)p, 8192);
	close(fd);

	hits = 0;
	if (!sigsetjmp(jb, 1))
		zero = 10 / zero;
	CHECK(hits == 1 && got_sig == SIGFPE && got_code == FPE_INTDIV &&
	      got_addr != 0, "SIGFPE: sig %d code %d", got_sig, got_code);

	/* handlers that return: sigreturn with an edited rip */
	set_handler(SIGILL, skip_handler, 0);
	set_handler(SIGTRAP, skip_handler, 0);
	hits = 0;
	__asm__ volatile(".globl ud2_insn\nud2_insn: ud2");
	CHECK(hits == 1 && got_sig == SIGILL && got_code == ILL_ILLOPN &&
	      got_addr == (uintptr_t)ud2_insn, "SIGILL: code %d addr %#lx",
	      got_code, (unsigned long)got_addr);
	hits = 0;
	__asm__ volatile("int3\n.globl int3_after\nint3_after:");
	CHECK(hits == 1 && got_sig == SIGTRAP && got_code == SI_KERNEL &&
	      got_val == 1, "SIGTRAP: code %d rip ok %d", got_code, got_val);

	/* a blocked fault still kills; an ignored one too */
	for (int i = 0; i < 2; i++) {
		int st;
		pid_t pid = fork();

		if (pid == 0) {
			sigset_t s;

			if (i == 0) {
				sigemptyset(&s);
				sigaddset(&s, SIGSEGV);
				sigprocmask(SIG_BLOCK, &s, NULL);
			} else {
				signal(SIGSEGV, SIG_IGN);
			}
			*(volatile int *)bad_ptr = 1;
			_exit(0);
		}
		CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
		      WTERMSIG(st) == SIGSEGV, "%s SIGSEGV: status %#x",
		      i ? "ignored" : "blocked", st);
	}

	/* no SA_RESTORER: the frame cannot return, the process dies */
	{
		int st;
		pid_t pid = fork();

		if (pid == 0) {
			struct { void *h; unsigned long flags; void *r;
				 unsigned long mask; } ka = {
				(void *)info_handler, SA_SIGINFO, NULL, 0 };
			set_default(SIGSEGV);
			syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8);
			raise(SIGUSR1);
			_exit(0);
		}
		CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
		      WTERMSIG(st) == SIGSEGV, "no SA_RESTORER: status %#x",
		      st);
	}
	set_default(SIGSEGV);
	set_default(SIGBUS);
	set_default(SIGFPE);
	set_default(SIGILL);
	set_default(SIGTRAP);
}

/* ---- FPU state across a handler ---- */

static volatile unsigned int handler_mxcsr;

static void fpu_handler(int sig, siginfo_t *si, void *uc)
{
	unsigned int m;
	double d = 1.0;

	__asm__ volatile("stmxcsr %0" : "=m"(m));
	handler_mxcsr = m;
	/* clobber vector registers and the rounding mode */
	m = (m & ~0x6000u) | 0x6000u;
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
	__asm__ volatile("pcmpeqd %%xmm8, %%xmm8\n\tpxor %%xmm0, %%xmm0\n\t"
			 "pcmpeqd %%xmm15, %%xmm15" ::: "xmm0", "xmm8", "xmm15");
	for (int i = 0; i < 10; i++)
		d = d * 1.5 + 0.1;
	hits += d > 0;
	(void)sig;
	(void)si;
	(void)uc;
}

static void test_fpu(void)
{
	unsigned long long in = 0x0123456789abcdefULL, out8 = 0, out15 = 0;
	unsigned int mx = 0x1f80 | 0x2000, mxafter = 0, mxold;
	long nr = SYS_kill, pid = getpid(), sig = SIGUSR1;

	set_handler(SIGUSR1, fpu_handler, 0);
	hits = 0;
	__asm__ volatile("stmxcsr %0" : "=m"(mxold));
	__asm__ volatile(
		"ldmxcsr %[mx]\n\t"
		"movq %[in], %%xmm8\n\t"
		"movq %[in], %%xmm15\n\t"
		"mov %[nr], %%rax\n\t"
		"mov %[pid], %%rdi\n\t"
		"mov %[sig], %%rsi\n\t"
		"syscall\n\t"
		"movq %%xmm8, %[o8]\n\t"
		"movq %%xmm15, %[o15]\n\t"
		"stmxcsr %[mxa]\n\t"
		"ldmxcsr %[mxo]"
		: [o8] "=m"(out8), [o15] "=m"(out15), [mxa] "=m"(mxafter)
		: [in] "r"(in), [mx] "m"(mx), [mxo] "m"(mxold), [nr] "r"(nr),
		  [pid] "r"(pid), [sig] "r"(sig)
		: "rax", "rdi", "rsi", "rcx", "r11", "xmm8", "xmm15",
		  "memory");
	CHECK(hits == 1, "FPU handler did not run");
	CHECK(out8 == in && out15 == in, "xmm not preserved: %#llx %#llx",
	      out8, out15);
	CHECK(mxafter == mx, "MXCSR not preserved: %#x", mxafter);
	CHECK((handler_mxcsr & 0x6000) == 0,
	      "handler inherited the rounding mode: %#x", handler_mxcsr);
	set_default(SIGUSR1);
}

/* ---- threads: who takes a process signal, group stop and death ---- */

static volatile pid_t handler_tid;
static volatile int thread_ready, thread_stop;

static void tid_handler(int sig)
{
	handler_tid = gettid();
	hits++;
}

static void *unblocked_thread(void *arg)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	*(volatile pid_t *)arg = gettid();
	thread_ready = 1;
	while (!thread_stop)
		usleep(1000);
	return NULL;
}

static void *spin_thread(void *arg)
{
	volatile unsigned long *n = arg;

	for (;;)
		(*n)++;
	return NULL;
}

static void test_threads(void)
{
	volatile pid_t tid = 0;
	pthread_t th;
	sigset_t s, old;
	int st;
	pid_t pid;

	/* a process signal goes to the one thread that does not block it */
	signal(SIGUSR1, tid_handler);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, &old);
	thread_ready = thread_stop = 0;
	CHECK(pthread_create(&th, NULL, unblocked_thread, (void *)&tid) == 0,
	      "pthread_create");
	while (!thread_ready)
		usleep(1000);
	hits = 0;
	kill(getpid(), SIGUSR1);
	for (int i = 0; i < 500 && !hits; i++)
		usleep(1000);
	CHECK(hits == 1 && handler_tid == tid,
	      "process signal taken by %d, not the thread %d",
	      (int)handler_tid, (int)tid);
	/* tgkill picks the thread itself */
	hits = 0;
	syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
	for (int i = 0; i < 500 && !hits; i++)
		usleep(1000);
	CHECK(hits == 1 && handler_tid == tid, "tgkill to the thread");
	thread_stop = 1;
	pthread_join(th, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	set_default(SIGUSR1);

	/* a group stop stops every thread; SIGCONT resumes them all */
	pid = fork();
	if (pid == 0) {
		static volatile unsigned long n;
		pthread_t t2;

		pthread_create(&t2, NULL, spin_thread, (void *)&n);
		for (;;)
			pause();
	}
	msleep(50);
	kill(pid, SIGSTOP);
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) &&
	      WSTOPSIG(st) == SIGSTOP, "threaded stop: status %#x", st);
	kill(pid, SIGCONT);
	CHECK(waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st),
	      "threaded continue: status %#x", st);
	/* a fatal signal ends every thread */
	kill(pid, SIGTERM);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGTERM, "threaded SIGTERM: status %#x", st);

	/* a fault in one thread kills the whole process */
	pid = fork();
	if (pid == 0) {
		static volatile unsigned long n;
		pthread_t t2;

		pthread_create(&t2, NULL, spin_thread, (void *)&n);
		msleep(20);
		*(volatile int *)bad_ptr = 1;
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGSEGV, "threaded fault: status %#x", st);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_siginfo();
	test_errors();
	test_mask_pending();
	test_flags();
	test_altstack();
	test_waiting();
	test_restart();
	test_children();
	test_faults();
	test_fpu();
	test_threads();
	printf("PASS\n");
	return 0;
}
