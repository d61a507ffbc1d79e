/*
 * sysfuzz: random system calls from disposable children; the kernel must
 * survive them.
 *
 *   sysfuzz [SEED [NCHILD [SECONDS]]]   fuzz: up to NCHILD children, or
 *                                       fewer if SECONDS run out
 *   sysfuzz -v SEED INDEX               one child, each call printed first
 *                                       (to find the call that broke it)
 *   sysfuzz smash [SEED [NCHILD]]       children scribble over their own
 *                                       stub region (0x7f0000000000..) while
 *                                       another thread makes system calls
 *   sysfuzz bomb [MAX]                  forks until fork fails (under a host
 *                                       process limit in the test)
 *
 * Child INDEX of run SEED draws everything from the seed SEED * 1000003 +
 * INDEX, so a failure is reproduced with `sysfuzz -v SEED INDEX` (up to the
 * kernel's own timing). A child makes system calls with random numbers
 * (0..460 and beyond, x32 numbers, garbage) and arguments drawn from small
 * integers, -1, huge values, pointers to buffers of random bytes, to
 * buffers whose end straddles an inaccessible page, to unmapped memory,
 * NULL, the addresses of the stub's region and code, paths in a private
 * directory, valid and invalid file descriptors. A SIGALRM tick every
 * 100 ms interrupts calls that block, and the child stops after
 * CHILD_SECONDS; one that outlives that (it may have blocked or ignored
 * SIGALRM, or be stuck in the kernel) is sent
 * SIGKILL, and a child that SIGKILL does not end within 10 s is a failure:
 * the kernel hung. Calls that would reach beyond the child (kill, tgkill,
 * ptrace (PTRACE_TRACEME), process_vm_writev, pidfd_open, prlimit64 on other pids,
 * F_SETOWN, CLONE_PARENT, reboot, pivot_root) are aimed back at the child
 * itself or left out; fork, vfork and clone children exit at once.
 *
 * At the end the parent checks that the kernel still answers: getpid,
 * a file written and read back in the current directory (/tmp in the
 * test), fork and wait. Prints PASS or
 * FAIL: reason as its last line. Natively (Linux is the oracle) the same
 * run must pass too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STUB_REGION_BASE	0x7f0000000000UL
#define STUB_REGION_SIZE	0x10000UL
#define STUB_CODE_ADDR		0x7f8000000000UL
#define PAGE			4096UL
#define POOL_SIZE		(256 * 1024UL)
#define CHILD_SECONDS		2
#define CALLS_PER_CHILD		4000
#define TOPDIR			"sysfuzz.d"	/* in the current directory */

#define VERBOSE_FD	1017	/* stderr, kept by a verbose child */

static __thread uint64_t rng;
static volatile unsigned long *ncalls;	/* shared with the parent */
static int verbose;
static pid_t self_pid;
static __thread pid_t self_tid;
static uint64_t child_seed;
static char dirname_buf[128];

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible on every libc */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void seed_rng(uint64_t s)
{
	rng = s * 0x9e3779b97f4a7c15ULL + 0x1234567;
	if (!rng)
		rng = 1;
	for (int i = 0; i < 8; i++)
		rnd();
}

/* Unbuffered output that works whatever state the child is in. */
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (write(VERBOSE_FD, buf, n) < 0)
		return;
}

/* ---- the child's material ---- */

static unsigned char *pool;		/* POOL_SIZE of random bytes */
static unsigned char *guard_edge;	/* first byte of a PROT_NONE page */
static unsigned char *unmapped;		/* an address known to be unmapped */
static uint64_t *ptrs;			/* a page of argument values */
static int fds[16];
static int nfds;
static const char *paths[24];
static int npaths;

static void fill_random(void *p, size_t n)
{
	uint64_t *q = p;

	for (size_t i = 0; i < n / 8; i++)
		q[i] = rnd();
}

static void add_path(const char *p)
{
	if (npaths < (int)(sizeof(paths) / sizeof(paths[0])))
		paths[npaths++] = p;
}

static void add_fd(int fd)
{
	if (fd >= 0 && nfds < (int)(sizeof(fds) / sizeof(fds[0])))
		fds[nfds++] = fd;
}

static void setup_child(int idx)
{
	static char pathbuf[8][160];
	struct rlimit rl;
	unsigned char *m;
	int p[2];
	char *longname;

	setsid();
	/* Bounds natively as on our kernel: no disk or memory hogging. */
	rl.rlim_cur = rl.rlim_max = 16 << 20;
	setrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = rl.rlim_max = 1UL << 30;
	setrlimit(RLIMIT_AS, &rl);
	rl.rlim_cur = rl.rlim_max = 64;
	setrlimit(RLIMIT_NPROC, &rl);

	snprintf(dirname_buf, sizeof(dirname_buf), TOPDIR "/c%d", idx);
	mkdir(dirname_buf, 0755);
	if (chdir(dirname_buf) < 0)
		_exit(3);

	pool = mmap(NULL, POOL_SIZE + 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pool == MAP_FAILED)
		_exit(3);
	fill_random(pool, POOL_SIZE);
	guard_edge = pool + POOL_SIZE;
	mprotect(guard_edge, PAGE, PROT_NONE);
	m = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(m, PAGE);
	unmapped = m;
	ptrs = (uint64_t *)(pool + POOL_SIZE - 2 * PAGE);

	/* Paths in the private directory, and a few read-only ones. */
	for (int i = 0; i < 4; i++) {
		snprintf(pathbuf[i], sizeof(pathbuf[i]), "%s/%s%d",
			 dirname_buf, i & 1 ? "d" : "f", i / 2);
		add_path(pathbuf[i]);
	}
	add_path("f0");
	add_path("f1");
	add_path("d0");
	add_path("d0/x");
	add_path("new");
	add_path(".");
	add_path("");
	add_path("/proc/self/maps");
	add_path("/proc/self/status");
	add_path("/proc/self/fd/0");
	add_path("/proc/self");
	add_path("/nonexistent/x");
	/* A name of 5000 bytes; one that runs into the guard page. */
	longname = (char *)pool + POOL_SIZE - 6 * PAGE;
	memset(longname, 'a', 5000);
	longname[5000] = 0;
	add_path(longname);
	memcpy(guard_edge - 6, "abcdef", 6);
	add_path((char *)guard_edge - 6);

	/* The child's own descriptors; nothing inherited. */
	if (verbose)
		dup2(2, VERBOSE_FD);
	for (int fd = 0; fd < 256; fd++)
		close(fd);
	add_fd(open("/dev/null", O_RDWR));
	add_fd(open("f0", O_RDWR | O_CREAT, 0644));
	if (nfds > 1 && write(fds[1], pool, 10000) < 0)
		nfds = 1;
	mkdir("d0", 0755);
	add_fd(open("d0", O_RDONLY | O_DIRECTORY));
	if (pipe(p) == 0) {
		add_fd(p[0]);
		add_fd(p[1]);
	}
	add_fd(open("/proc/self/maps", O_RDONLY));
	add_fd(open("/dev/zero", O_RDONLY));
	add_fd(open(".", O_RDONLY | O_DIRECTORY));
	add_fd(open("f1", O_RDWR | O_CREAT | O_APPEND, 0600));
}

/* ---- arguments ---- */

static uint64_t pool_ptr(void)
{
	return (uint64_t)(pool + below(POOL_SIZE - 8 * PAGE));
}

static uint64_t gen_arg(int depth)
{
	static const uint64_t huge[] = {
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL - 4095,
		~0ULL - 1, 0xffffffff80000000ULL, 1ULL << 47, (1ULL << 47) - 1,
		0x7ffffffff000ULL, 0xffff800000000000ULL,
		0xffffffffff600000ULL, 4096, 65536, 1 << 20, 1UL << 31,
	};
	static const uint64_t stubby[] = {
		STUB_REGION_BASE, STUB_REGION_BASE + 0x1000,
		STUB_REGION_BASE + 0x3000, STUB_REGION_BASE - 8,
		STUB_REGION_BASE - PAGE, STUB_REGION_BASE + STUB_REGION_SIZE,
		STUB_CODE_ADDR, STUB_CODE_ADDR + 0x40, STUB_CODE_ADDR - 1,
		0x7f7fffffffffULL, 0x7f7ffffff000ULL, 0x7effffffffffULL,
	};

	switch (below(depth > 0 ? 19 : 17)) {
	case 15:	/* a few flag bits */
		return (1UL << below(32)) | (below(2) ? 1UL << below(32) : 0) |
		       (below(4) ? 0 : 1UL << below(32));
	case 16: {	/* structure sizes */
		static const uint64_t sizes[] = { 4, 8, 16, 24, 32, 64, 88,
						  128, 144, 256, 1024, 4095 };
		return sizes[below(sizeof(sizes) / sizeof(sizes[0]))];
	}
	case 0:
		return 0;
	case 1:
		return below(8);
	case 2:
		return below(256);
	case 3:
		return (uint64_t)-1;
	case 4:
		return (uint64_t)-(int64_t)below(200);
	case 5:
		return rnd() & 0xffffffff;
	case 6:
		return rnd();
	case 7:
		return huge[below(sizeof(huge) / sizeof(huge[0]))];
	case 8:
		return pool_ptr();
	case 9: {
		/* a buffer whose end straddles the guard page */
		return (uint64_t)(guard_edge - below(64));
	}
	case 10:
		switch (below(4)) {
		case 0: return (uint64_t)unmapped + below(PAGE);
		case 1: return 1 + below(PAGE);
		case 2: return (uint64_t)guard_edge + below(PAGE);
		default: return stubby[below(sizeof(stubby) / sizeof(stubby[0]))] + below(4) * 8;
		}
	case 11:
		return stubby[below(sizeof(stubby) / sizeof(stubby[0]))] +
		       (below(2) ? below(STUB_REGION_SIZE * 4) : 0);
	case 12:
		return nfds ? (uint64_t)fds[below(nfds)] : 0;
	case 13:
		switch (below(4)) {
		case 0: return 1000;
		case 1: return 0x7fffffff;
		case 2: return (uint64_t)-100;	/* AT_FDCWD */
		default: return 3 + below(20);
		}
	case 14:
		return (uint64_t)paths[below(npaths)];
	default: {
		/* a table of argument values: iovecs, msghdrs, timespecs... */
		uint64_t *t = ptrs + below(256);
		int n = (int)(ptrs + 512 - t);

		for (int i = 0; i < n && i < 16; i++)
			t[i] = gen_arg(depth - 1);
		return (uint64_t)t;
	}
	}
}

/* ---- making the call ---- */

/*
 * fork, vfork and clone: the new task leaves at once, without touching a
 * stack it may share with its parent or that may not exist.
 */
static long call_clonelike(long nr, uint64_t a0, uint64_t a1, uint64_t a2,
			   uint64_t a3, uint64_t a4)
{
	register uint64_t r10 __asm__("r10") = a3;
	register uint64_t r8 __asm__("r8") = a4;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "1:"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10),
			   "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Picks a number and arguments; false if the call is to be skipped. */
static bool shape_call(long *pnr, uint64_t *a)
{
	uint64_t r = below(100);
	long nr;

	*pnr = -1;
	if (r < 85) {
		nr = (long)below(335 + 37);
		if (nr >= 335)
			nr += 424 - 335;
	} else if (r < 92) {
		nr = below(2) ? 335 + (long)below(424 - 335) : 461 + (long)below(600);
	} else if (r < 96) {
		nr = 0x40000000L | (long)below(548);
	} else {
		static const long odd[] = { -1, -2, 0x7fffffff, -0x7fffffffL - 1,
					    1000000, 0x80000000L, 0x100000000L + 39 };
		nr = odd[below(sizeof(odd) / sizeof(odd[0]))];
	}
	for (int i = 0; i < 6; i++)
		a[i] = gen_arg(2);
	/* Re-randomise the bytes behind a pointer into the pool. */
	if (below(4) == 0)
		fill_random(pool + (below(POOL_SIZE - 8 * PAGE) & ~7UL), 256);

	switch (nr) {
	case SYS_reboot:
	case SYS_pivot_root:
	case SYS_ptrace:	/* PTRACE_TRACEME would make our parent a tracer */
		return false;
	case SYS_exit:
	case SYS_exit_group:
	case SYS_rt_sigreturn:	/* jumps to garbage: ends the child too */
		*pnr = nr;
		return below(30) == 0;
	case SYS_kill:
	case SYS_rt_sigqueueinfo:
		a[0] = self_pid;
		break;
	case SYS_tkill:
		a[0] = self_tid;
		break;
	case SYS_tgkill:
	case SYS_rt_tgsigqueueinfo:
		a[0] = self_pid;
		a[1] = self_tid;
		break;
	case SYS_process_vm_readv:
	case SYS_process_vm_writev:
	case SYS_pidfd_open:
	case SYS_prlimit64:
		a[0] = below(2) ? 0 : self_pid;
		break;
	case SYS_fcntl:
		if (a[1] == F_SETOWN || a[1] == F_SETOWN_EX)
			a[2] = self_pid;
		break;
	case SYS_ioctl:
		/* FIOSETOWN, SIOCSPGRP, TIOCSPGRP, TIOCSCTTY, TIOCSTI */
		if (a[1] == 0x8901 || a[1] == 0x8902 || a[1] == 0x5410 ||
		    a[1] == 0x540e || a[1] == 0x5412)
			return false;
		break;
	case SYS_mknod:
	case SYS_mknodat: {
		/* no device nodes beyond null, zero, full and urandom */
		static const uint64_t devs[] = { 0x103, 0x105, 0x107, 0x109 };
		a[nr == SYS_mknod ? 2 : 3] = devs[below(4)];
		break;
	}
	case SYS_clone:
		/* the exit signal of a CLONE_PARENT child would go to our parent */
		a[0] &= ~(uint64_t)CLONE_PARENT;
		break;
	case SYS_clone3: {
		uint64_t *ca = ptrs + 400;

		for (int i = 0; i < 11; i++)
			ca[i] = below(3) ? gen_arg(1) : 0;
		ca[0] = below(2) ? (ca[0] & 0xffffffffUL) : below(1 << 20);
		ca[0] &= ~(uint64_t)CLONE_PARENT;
		ca[4] = below(2) ? SIGCHLD : ca[4];
		a[0] = (uint64_t)ca;
		a[1] = below(2) ? 88 : a[1];
		break;
	}
	}
	*pnr = nr;
	return true;
}

static void tick(int sig)
{
	(void)sig;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fuzz_loop(void)
{
	struct itimerval it = { { 0, 100000 }, { 0, 100000 } };
	double start = now();

	self_tid = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i < CALLS_PER_CHILD && now() - start < CHILD_SECONDS;
	     i++) {
		uint64_t a[6];
		long nr, ret;

		if (!shape_call(&nr, a))
			continue;
		if (ncalls)
			__atomic_add_fetch(ncalls, 1, __ATOMIC_RELAXED);
		if (verbose)
			say("%d call %d: %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
			    self_tid, i, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone ||
		    nr == SYS_clone3)
			ret = call_clonelike(nr, a[0], a[1], a[2], a[3], a[4]);
		else
			ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (verbose)
			say("%d   = %ld\n", self_tid, ret < 0 ? -(long)errno : ret);
		if (nr == SYS_alarm || nr == SYS_setitimer)
			setitimer(ITIMER_REAL, &it, NULL);
	}
}

static void *fuzz_thread(void *arg)
{
	(void)arg;
	seed_rng(child_seed ^ 0x5a5a5a5a);
	fuzz_loop();
	return NULL;
}

/*
 * Every third child has a second thread making calls of its own (closing
 * what the other blocks on...), every fourth one runs as an ordinary user.
 */
static void fuzz_child(uint64_t seed, int idx)
{
	struct itimerval it = { { 0, 100000 }, { 0, 100000 } };
	struct sigaction sa;
	pthread_t t;

	child_seed = seed;
	seed_rng(seed);
	setup_child(idx);
	self_pid = getpid();
	if (idx % 4 == 3) {
		for (int i = 0; i < npaths; i++)
			chown(paths[i], 1000, 1000);
		if (setresgid(1000, 1000, 1000) < 0 ||
		    setresuid(1000, 1000, 1000) < 0) {
			/* natively as an ordinary user already: fine */
		}
	}
	/* A tick interrupts calls that block; the budget ends the child. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tick;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	if (idx % 3 == 1)
		pthread_create(&t, NULL, fuzz_thread, NULL);
	fuzz_loop();
	_exit(0);
}

/* ---- smashing the stub region ---- */

static sigjmp_buf smash_jmp;
static volatile int smash_stop;

static void smash_fault(int sig)
{
	(void)sig;
	siglongjmp(smash_jmp, 1);
}

static void smash_usr1(int sig)
{
	(void)sig;
}

/*
 * The other thread: ordinary calls, including the ones that fork, and
 * signal handlers, whose return loads an FPU image through the stub.
 */
static void *smash_caller(void *arg)
{
	char buf[64];
	int p[2];

	(void)arg;
	if (pipe(p) < 0)
		return NULL;
	signal(SIGUSR1, smash_usr1);
	while (!smash_stop) {
		pid_t c;

		getpid();
		raise(SIGUSR1);
		if (write(p[1], "x", 1) == 1 && read(p[0], buf, 1) < 0)
			break;
		void *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m != MAP_FAILED) {
			memset(m, 1, 3 * PAGE);
			mprotect(m, PAGE, PROT_READ);
			munmap(m, 3 * PAGE);
		}
		if ((rnd() & 15) == 0) {
			c = fork();
			if (c == 0)
				_exit(0);
			if (c > 0)
				waitpid(c, NULL, 0);
		}
	}
	return NULL;
}

/* Writes garbage over the stub regions of the first few threads. */
static void smash_child(uint64_t seed)
{
	struct sigaction sa;
	pthread_t t;
	int mode;

	seed_rng(seed);
	setsid();
	alarm(1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = smash_fault;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	if (pthread_create(&t, NULL, smash_caller, NULL) != 0)
		_exit(3);
	mode = (int)below(5);
	for (int i = 0; i < 200000; i++) {
		uint64_t slot = below(8), off, v = rnd();
		volatile uint8_t *p;
		int width = below(2) ? 1 : 8;

		switch (mode) {
		case 0:	/* the control words at the start of a region */
			off = below(0x200);
			break;
		case 1:	/* anywhere, the signal stack included */
			off = below(STUB_REGION_SIZE);
			break;
		case 2:	/* the stub's code: must fault */
			slot = 0;
			off = (STUB_CODE_ADDR - STUB_REGION_BASE) + below(0x2000);
			break;
		case 3:	/* FPU images on the signal stack: sizes near the header */
			slot = below(3);	/* the host puts them near its top */
			off = (STUB_REGION_SIZE - 64 - below(0x3000)) & ~63UL;
			if (below(2)) {
				off += 16;
				v = 0x46505853;	/* FP_XSTATE_MAGIC1 */
			} else {
				off += 20;
				v = 560 + below(40);
			}
			width = 4;
			break;
		default:	/* small values: plausible states and pointers */
			off = below(0x200) & ~7UL;
			v = below(2) ? below(8) :
				STUB_REGION_BASE + slot * STUB_REGION_SIZE +
				below(STUB_REGION_SIZE);
			break;
		}
		p = (volatile uint8_t *)(STUB_REGION_BASE +
					 slot * STUB_REGION_SIZE + off);
		if (sigsetjmp(smash_jmp, 1))
			continue;
		if (width == 1)
			*p = (uint8_t)v;
		else if (width == 4)
			*(volatile uint32_t *)p = (uint32_t)v;
		else if (!((uintptr_t)p & 7))
			*(volatile uint64_t *)p = v;
		if ((i & 1023) == 0)
			sched_yield();
	}
	smash_stop = 1;
	pthread_join(t, NULL);
	_exit(0);
}

/* ---- a fork bomb ---- */

/*
 * Forks sleeping children until fork fails (the host may run out before
 * the guest's limits do: that must be EAGAIN, not a kernel panic), then
 * kills and reaps them all.
 */
static int bomb(int max)
{
	pid_t *kids = calloc(max, sizeof(*kids));
	int n = 0, err = 0;

	if (!kids)
		return -1;
	while (n < max) {
		pid_t p = fork();

		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0) {
			err = errno;
			break;
		}
		kids[n++] = p;
	}
	printf("bomb: %d children, then %s\n", n,
	       err ? strerror(err) : "the cap");
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	free(kids);
	if (err && err != EAGAIN && err != ENOMEM) {
		printf("FAIL: fork failed with %s\n", strerror(err));
		return -1;
	}
	return 0;
}

/* ---- the parent ---- */

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		umount2(path, MNT_DETACH);
	if (remove(path) < 0 && flag == FTW_DP) {
		chmod(path, 0700);
		remove(path);
	}
	return 0;
}

static void rm_tree(const char *path)
{
	chmod(path, 0700);
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void reap_strays(void)
{
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		;
}

/*
 * Runs one child to its end. Returns 0 if it ended (by itself or after
 * SIGKILL), -1 if even SIGKILL did not end it.
 */
static int run_child(int smash, uint64_t base, int idx, int *sig)
{
	uint64_t seed = base * 1000003ULL + (uint64_t)idx;
	double start, killed = 0;
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0) {
		printf("FAIL: fork for child %d: %s\n", idx, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (smash)
			smash_child(seed);
		fuzz_child(seed, idx);
	}
	start = now();
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG | __WALL);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			printf("FAIL: waitpid for child %d: %s\n", idx,
			       strerror(errno));
			return -1;
		}
		if (!killed && now() - start > CHILD_SECONDS + 3) {
			kill(pid, SIGKILL);
			killed = now();
		}
		if (killed && now() - killed > 10) {
			printf("FAIL: child %d (seed %llu index %d) still there "
			       "10 s after SIGKILL\n", idx,
			       (unsigned long long)base, idx);
			return -1;
		}
		usleep(2000);
	}
	reap_strays();
	*sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	return 0;
}

/* The kernel still answers ordinary calls. */
static int sanity(void)
{
	char buf[32];
	pid_t pid;
	int fd, status;

	if (getpid() <= 0) {
		printf("FAIL: getpid after the fuzzing\n");
		return -1;
	}
	fd = open("sysfuzz-check", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "still alive", 11) != 11 ||
	    pread(fd, buf, 11, 0) != 11 || memcmp(buf, "still alive", 11)) {
		printf("FAIL: file write/read in /tmp after the fuzzing: %s\n",
		       strerror(errno));
		return -1;
	}
	close(fd);
	unlink("sysfuzz-check");
	pid = fork();
	if (pid == 0)
		_exit(42);
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 42) {
		printf("FAIL: fork and wait after the fuzzing\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const int ign[] = { SIGIO, SIGURG, SIGPIPE, SIGHUP, SIGTTOU,
				   SIGTTIN, SIGTSTP, SIGXFSZ, SIGUSR1, SIGUSR2 };
	int smash = 0, nchild = 100, seconds = 50, ran = 0, sig;
	int bysig[65] = { 0 };
	uint64_t seed;
	double start;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "-v")) {
		if (argc < 4) {
			fprintf(stderr, "usage: sysfuzz -v SEED INDEX\n");
			return 2;
		}
		verbose = 1;
		seed = strtoull(argv[2], NULL, 0);
		mkdir(TOPDIR, 0755);
		if (run_child(0, seed, atoi(argv[3]), &sig) < 0)
			return 1;
		printf("child ended: %s\n", sig ? strsignal(sig) : "exit");
		rm_tree(TOPDIR);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "bomb")) {
		if (bomb(argc > 2 ? atoi(argv[2]) : 2000) < 0 || sanity() < 0)
			return 1;
		printf("PASS\n");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "smash")) {
		smash = 1;
		argv++;
		argc--;
		nchild = 20;
	}
	seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (uint64_t)time(NULL);
	if (argc > 2)
		nchild = atoi(argv[2]);
	if (argc > 3)
		seconds = atoi(argv[3]);
	printf("%s seed %llu, up to %d children, %d s\n",
	       smash ? "smash" : "sysfuzz", (unsigned long long)seed, nchild,
	       seconds);
	for (unsigned i = 0; i < sizeof(ign) / sizeof(ign[0]); i++)
		signal(ign[i], SIG_IGN);
	mkdir(TOPDIR, 0755);
	ncalls = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ncalls == MAP_FAILED)
		ncalls = NULL;
	start = now();
	for (int i = 0; i < nchild && now() - start < seconds; i++) {
		if (run_child(smash, seed, i, &sig) < 0)
			return 1;
		bysig[sig > 0 && sig < 65 ? sig : 0]++;
		ran++;
		snprintf(dirname_buf, sizeof(dirname_buf), TOPDIR "/c%d", i);
		rm_tree(dirname_buf);
	}
	rm_tree(TOPDIR);
	printf("%d children ran; ", ran);
	if (!smash)
		printf("%lu calls; ", ncalls ? *ncalls : 0);
	printf("%d exited", bysig[0]);
	for (int s = 1; s < 65; s++)
		if (bysig[s])
			printf(", %d by %s", bysig[s], strsignal(s));
	printf("\n");
	if (sanity() < 0)
		return 1;
	printf("PASS\n");
	return 0;
}
