// SPDX-License-Identifier: GPL-2.0
/*
 * System calls from the two site forms our kernel may rewrite
 * ("mov $nr,%eax; syscall" and libc syscall()'s "mov 0x8(%rsp),%r9;
 * syscall"), called often enough to be rewritten, must behave exactly
 * as on Linux: registers, red zone, flags and FPU kept, rcx and r11 as
 * the syscall instruction sets them, restarts after signal handlers,
 * restart_syscall after a stop, fork, threads taking signals in a loop
 * of calls, and code that moves or is replaced. Passes natively first;
 * prints "patched sites: N" (how many of its sites it finds rewritten:
 * 0 natively) for t-guest to check the rewrite happened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "check.h"

/* Sites of the first form: "mov $nr,%eax; syscall", then ret. */
#define SITE(name, nr)							\
	long name(long, long, long);					\
	__asm__(".text\n\t.globl " #name "\n" #name ":\n\t"		\
		"mov $" #nr ", %eax\n\tsyscall\n\tret\n")
SITE(site_getppid, 110);
SITE(site_getpid, 39);
SITE(site_read, 0);
SITE(site_write, 1);
SITE(site_nanosleep, 35);
SITE(site_gettid, 186);
SITE(site_mt_getpid, 39);

/*
 * A site whose syscall instruction is also jumped to from elsewhere, with
 * another number in eax: that path must still make its own call.
 */
long shared_getpid(void), shared_getppid(void);
__asm__(".text\n\t.globl shared_getpid\nshared_getpid:\n\t"
	"mov $39, %eax\n"
	"shared_syscall:\n\tsyscall\n\tret\n\t"
	".globl shared_getppid\nshared_getppid:\n\t"
	"mov $110, %eax\n\tjmp shared_syscall\n");

/* The second form, as libc's syscall() has it. */
long raw_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		 long a5);
__asm__(".text\n\t.globl raw_syscall\nraw_syscall:\n\t"
	"mov %rdi, %rax\n\tmov %rsi, %rdi\n\tmov %rdx, %rsi\n\t"
	"mov %rcx, %rdx\n\tmov %r8, %r10\n\tmov %r9, %r8\n\t"
	".globl raw_syscall_site\nraw_syscall_site:\n\t"
	"mov 0x8(%rsp), %r9\n\tsyscall\n\tret\n");
extern char raw_syscall_site[];

/*
 * Every register set to a pattern, 16 words of red zone written, DF set,
 * then getppid from a site of the first form; what came back is stored
 * in regs_out[]: rbx rbp r12 r13 r14 r15 rdi rsi rdx r8 r9 r10 rcx r11
 * rax, then the red zone, then rflags.
 */
uint64_t regs_out[15 + 16 + 1];
void regs_call(void);
extern char regs_site[], regs_after[];
__asm__(".text\n\t.globl regs_call\nregs_call:\n\t"
	"push %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\t"
	"push %r15\n\t"
	"mov $0x1001, %eax\n\t"
	".irp off, 8,16,24,32,40,48,56,64,72,80,88,96,104,112,120,128\n\t"
	"add $1, %rax\n\tmov %rax, -\\off(%rsp)\n\t"
	".endr\n\t"
	"movabs $0x1111111111111111, %rbx\n\t"
	"movabs $0x2222222222222222, %rbp\n\t"
	"movabs $0x3333333333333333, %r12\n\t"
	"movabs $0x4444444444444444, %r13\n\t"
	"movabs $0x5555555555555555, %r14\n\t"
	"movabs $0x6666666666666666, %r15\n\t"
	"movabs $0x7777777777777777, %rdi\n\t"
	"movabs $0x8888888888888888, %rsi\n\t"
	"movabs $0x9999999999999999, %rdx\n\t"
	"movabs $0xaaaaaaaaaaaaaaaa, %r8\n\t"
	"movabs $0xbbbbbbbbbbbbbbbb, %r9\n\t"
	"movabs $0xcccccccccccccccc, %r10\n\t"
	"std\n\t"
	".globl regs_site\nregs_site:\n\t"
	"mov $110, %eax\n\tsyscall\n\t"
	".globl regs_after\nregs_after:\n\t"
	"mov %rax, regs_out+112(%rip)\n\t"
	"mov %rbx, regs_out+0(%rip)\n\tmov %rbp, regs_out+8(%rip)\n\t"
	"mov %r12, regs_out+16(%rip)\n\tmov %r13, regs_out+24(%rip)\n\t"
	"mov %r14, regs_out+32(%rip)\n\tmov %r15, regs_out+40(%rip)\n\t"
	"mov %rdi, regs_out+48(%rip)\n\tmov %rsi, regs_out+56(%rip)\n\t"
	"mov %rdx, regs_out+64(%rip)\n\tmov %r8, regs_out+72(%rip)\n\t"
	"mov %r9, regs_out+80(%rip)\n\tmov %r10, regs_out+88(%rip)\n\t"
	"mov %rcx, regs_out+96(%rip)\n\tmov %r11, regs_out+104(%rip)\n\t"
	"lea regs_out+120(%rip), %rdi\n\t"
	".irp off, 8,16,24,32,40,48,56,64,72,80,88,96,104,112,120,128\n\t"
	"mov -\\off(%rsp), %rax\n\tmov %rax, (%rdi)\n\tadd $8, %rdi\n\t"
	".endr\n\t"
	"pushf\n\tpop %rax\n\tmov %rax, regs_out+248(%rip)\n\t"
	"cld\n\t"
	"pop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\t"
	"pop %rbx\n\tret\n");

/* xmm0-15 and MXCSR from in[], getppid, then out[] (MXCSR last). */
void fpu_call(const uint64_t *in, uint64_t *out, uint32_t *mxcsr);
__asm__(".text\n\t.globl fpu_call\nfpu_call:\n\t"
	"stmxcsr -4(%rsp)\n\tldmxcsr (%rdx)\n\t"
	".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
	"movdqu \\n*16(%rdi), %xmm\\n\n\t"
	".endr\n\t"
	"mov %rsi, %r8\n\tmov %rdx, %r9\n\t"
	"mov $110, %eax\n\tsyscall\n\t"
	".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
	"movdqu %xmm\\n, \\n*16(%r8)\n\t"
	".endr\n\t"
	"stmxcsr (%r9)\n\tldmxcsr -4(%rsp)\n\tret\n");

static int rewritten(const void *site)
{
	const unsigned char *p = site;

	return p[0] == 0xff && p[1] == 0x24 && p[2] == 0x25;
}

static void test_basic(void)
{
	long want = getppid();

	for (int i = 0; i < 100; i++) {
		EXPECT_VAL(site_getppid(0, 0, 0), want);
		EXPECT_VAL(raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0), want);
		EXPECT_VAL(raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), getpid());
		EXPECT_VAL(raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0), gettid());
	}
	for (int i = 0; i < 5; i++)
		EXPECT_VAL(shared_getpid(), getpid());
	for (int i = 0; i < 5; i++) {
		EXPECT_VAL(shared_getpid(), getpid());
		EXPECT_VAL(shared_getppid(), want);
	}
	/* garbage numbers from the second form */
	EXPECT_VAL(raw_syscall(100000, 0, 0, 0, 0, 0, 0), -ENOSYS);
	EXPECT_VAL(raw_syscall(-1, 0, 0, 0, 0, 0, 0), -ENOSYS);
}

static void test_regs(void)
{
	static const uint64_t want[12] = {
		0x1111111111111111, 0x2222222222222222, 0x3333333333333333,
		0x4444444444444444, 0x5555555555555555, 0x6666666666666666,
		0x7777777777777777, 0x8888888888888888, 0x9999999999999999,
		0xaaaaaaaaaaaaaaaa, 0xbbbbbbbbbbbbbbbb, 0xcccccccccccccccc,
	};

	for (int round = 0; round < 5; round++) {
		regs_call();
		for (int i = 0; i < 12; i++)
			if (regs_out[i] != want[i])
				fail("round %d: register %d is %#lx", round, i,
				     (unsigned long)regs_out[i]);
		if (regs_out[12] != (uint64_t)regs_after)
			fail("round %d: rcx %#lx, not the return address %p",
			     round, (unsigned long)regs_out[12], regs_after);
		/* r11: the flags at the call, DF set among them */
		if ((regs_out[13] & 0x400) == 0 ||
		    (regs_out[13] & 0xcd5) != (regs_out[31] & 0xcd5) ||
		    !(regs_out[31] & 0x400))
			fail("round %d: r11 %#lx, flags after %#lx", round,
			     (unsigned long)regs_out[13],
			     (unsigned long)regs_out[31]);
		if ((long)regs_out[14] != getppid())
			fail("round %d: getppid gave %ld", round,
			     (long)regs_out[14]);
		for (int i = 0; i < 16; i++)
			if (regs_out[15 + i] != 0x1002 + (uint64_t)i)
				fail("round %d: red zone word %d is %#lx", round,
				     i, (unsigned long)regs_out[15 + i]);
	}
}

static void test_fpu(void)
{
	uint64_t in[32], out[32];
	uint32_t mxcsr = 0x7f80 | 0x6000;	/* round toward zero, masked */

	for (int i = 0; i < 32; i++)
		in[i] = 0x0123456789abcdefULL * (uint64_t)(i + 1);
	for (int round = 0; round < 5; round++) {
		uint32_t got = mxcsr;

		memset(out, 0, sizeof(out));
		fpu_call(in, out, &got);
		if (memcmp(in, out, sizeof(in)))
			fail("round %d: xmm registers changed", round);
		if ((got & 0xffbf) != (mxcsr & 0xffbf))
			fail("round %d: MXCSR %#x, want %#x", round, got, mxcsr);
	}
}

static volatile int handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static void set_usr1(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

/*
 * A read from a rewritten site blocks, a handler runs: with SA_RESTART
 * the read goes on and returns the byte written later, without it EINTR.
 */
static void test_restart(int flags, long want)
{
	int p[2];
	char c = 'x';
	pid_t pid, parent = getpid();
	long r;

	if (pipe(p))
		return fail("pipe: %d", errno);
	for (int i = 0; i < 3; i++) {
		site_write(p[1], (long)&c, 1);
		site_read(p[0], (long)&c, 1);
	}
	set_usr1(flags);
	handled = 0;
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		kill(parent, SIGUSR1);
		nanosleep(&ts, NULL);
		if (write(p[1], "y", 1) != 1)
			_exit(1);
		_exit(0);
	}
	r = site_read(p[0], (long)&c, 1);
	if (r != want || handled != 1)
		fail("read with flags %#x: %ld, handler ran %d times, want %ld",
		     flags, r, handled, want);
	if (r == -EINTR && read(p[0], &c, 1) != 1)
		fail("the byte after EINTR: %d", errno);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A sleep stopped and continued goes on (restart_syscall), and ends. */
static void test_stop_cont(void)
{
	struct timespec ts = { 0, 1000 };
	pid_t pid;
	int st;

	for (int i = 0; i < 3; i++)
		site_nanosleep((long)&ts, 0, 0);
	pid = fork();
	if (pid == 0) {
		struct timespec t = { 0, 300 * 1000 * 1000 };
		double t0 = now();
		long r = site_nanosleep((long)&t, 0, 0);

		_exit(r == 0 && now() - t0 >= 0.3 ? 0 : 1);
	}
	usleep(50 * 1000);
	kill(pid, SIGSTOP);
	usleep(50 * 1000);
	kill(pid, SIGCONT);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		fail("stopped sleep: status %#x", st);
}

static void test_fork(void)
{
	pid_t pid, me = getpid();
	int st;

	for (int i = 0; i < 3; i++)
		site_getpid(0, 0, 0);
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 10; i++)
			if (site_getppid(0, 0, 0) != me ||
			    site_getpid(0, 0, 0) != getpid() ||
			    raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0) != me)
				_exit(1);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid || st != 0)
		fail("forked child's calls: status %#x", st);
	EXPECT_VAL(site_getpid(0, 0, 0), me);
}

#define NTHREADS 3
#define NCALLS 3000
static volatile int stop_signals;
static int rt_handled[NTHREADS];
static __thread int my_index;

static void on_rt(int sig)
{
	(void)sig;
	rt_handled[my_index]++;
}

struct worker {
	int index;
	pid_t tid;
	volatile int ready;
	int bad;
};

static void *worker(void *arg)
{
	struct worker *w = arg;
	pid_t tid = gettid();

	my_index = w->index;
	w->tid = tid;
	w->ready = 1;
	for (int i = 0; i < NCALLS || !stop_signals; i++) {
		if (site_gettid(0, 0, 0) != tid ||
		    raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0) != tid)
			w->bad++;
	}
	/* a signal sent before stop_signals is delivered by now */
	site_gettid(0, 0, 0);
	return NULL;
}

/* Threads making rewritten calls in a loop while signals rain on them. */
static void test_threads(void)
{
	struct worker w[NTHREADS];
	pthread_t t[NTHREADS];
	int sent[NTHREADS] = { 0 };
	struct sigaction sa;

	for (int i = 0; i < 3; i++)
		site_gettid(0, 0, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_rt;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGRTMIN, &sa, NULL);
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .index = i };
		pthread_create(&t[i], NULL, worker, &w[i]);
	}
	for (int i = 0; i < NTHREADS; i++)
		while (!w[i].ready)
			sched_yield();
	for (int round = 0; round < 200; round++)
		for (int i = 0; i < NTHREADS; i++)
			if (syscall(SYS_tgkill, getpid(), w[i].tid, SIGRTMIN) == 0)
				sent[i]++;
	stop_signals = 1;
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		if (w[i].bad)
			fail("thread %d: %d wrong answers", i, w[i].bad);
	}
	for (int i = 0; i < NTHREADS; i++)
		if (rt_handled[i] != sent[i])
			fail("thread %d: %d signals handled of %d", i,
			     rt_handled[i], sent[i]);
}

static volatile int mt_go;

static void *mt_worker(void *arg)
{
	long *bad = arg;

	while (!mt_go)
		;
	for (int i = 0; i < 2000; i++) {
		/* some time in guest code between calls, to meet the rewrite */
		for (volatile int spin = 0; spin < 2000; spin++)
			;
		if (site_mt_getpid(0, 0, 0) != getpid())
			(*bad)++;
	}
	return NULL;
}

/*
 * A site first called by several threads at once: it is rewritten while
 * the others run it (and perhaps sit between its two instructions).
 */
static void test_threads_first(void)
{
	pthread_t t[4];
	long bad[4] = { 0 };

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, mt_worker, &bad[i]);
	mt_go = 1;
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		if (bad[i])
			fail("thread %d: %ld wrong answers from a site rewritten "
			     "under it", i, bad[i]);
	}
}

/* Code that moves (mremap) or is replaced keeps working. */
static void test_moving_code(void)
{
	static const unsigned char getpid_code[] = { 0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0xc3 };
	static const unsigned char getppid_code[] = { 0xb8, 110, 0, 0, 0, 0x0f, 0x05, 0xc3 };
	unsigned char *p, *q;
	long (*fn)(void);

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	q = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || q == MAP_FAILED)
		return fail("mmap: %d", errno);
	memcpy(p + 100, getpid_code, sizeof(getpid_code));
	fn = (long (*)(void))(p + 100);
	for (int i = 0; i < 5; i++)
		EXPECT_VAL(fn(), getpid());
	p = mremap(p, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, q + 4096);
	if (p != q + 4096)
		return fail("mremap: %d", errno);
	fn = (long (*)(void))(p + 100);
	for (int i = 0; i < 5; i++)
		EXPECT_VAL(fn(), getpid());
	/* the guest writes new code over the site: it is that code that runs */
	memcpy(p + 100, getppid_code, sizeof(getppid_code));
	for (int i = 0; i < 5; i++)
		EXPECT_VAL(fn(), getppid());
	/* a fresh mapping at the same place, with other code */
	munmap(p, 4096);
	p = mmap(q + 4096, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p != q + 4096)
		return fail("mmap fixed: %d", errno);
	memcpy(p + 100, getpid_code, sizeof(getpid_code));
	for (int i = 0; i < 5; i++)
		EXPECT_VAL(fn(), getpid());
	munmap(q, 8192);
}

int main(void)
{
	int patched;

	setvbuf(stdout, NULL, _IONBF, 0);
	test_basic();
	test_regs();
	test_fpu();
	test_restart(SA_RESTART, 1);
	test_restart(0, -EINTR);
	test_stop_cont();
	test_fork();
	test_threads();
	test_threads_first();
	test_moving_code();
	patched = rewritten(site_getppid) + rewritten(raw_syscall_site) +
		  rewritten(regs_site) + rewritten(site_read) +
		  rewritten(site_gettid) + rewritten(shared_getpid) +
		  rewritten(site_mt_getpid);
	printf("patched sites: %d\n", patched);
	return check_done();
}
