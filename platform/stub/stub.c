// SPDX-License-Identifier: GPL-2.0
/*
 * The stub: the only code of ours inside a guest host process.
 *
 * It is a zygote first: started once by the kernel, it forks a fresh guest
 * process for every spawn request it receives on fd STUB_CTL_FD. Inside a
 * guest process it is a set of signal handlers running on a per-thread
 * alternate stack: a trapped system call (SIGSYS), a fault or an interrupt
 * from the kernel is posted to the thread's region, and the handler then
 * carries out the kernel's commands (host mapping calls, clone) until it is
 * told to resume guest code, which rt_sigreturn does from the (possibly
 * rewritten) ucontext.
 *
 * Freestanding: no libc, no TLS, no stack protector, no SSE (the guest's
 * FPU state must survive the stub untouched).
 */
#include "stub.h"

#pragma GCC visibility push(hidden)

#define NR_read			0
#define NR_close		3
#define NR_mmap			9
#define NR_sched_yield		24
#define NR_rt_sigaction		13
#define NR_rt_sigprocmask	14
#define NR_mprotect		10
#define NR_dup2			33
#define NR_getpid		39
#define NR_sendmsg		46
#define NR_recvmsg		47
#define NR_exit			60
#define NR_getppid		110
#define NR_sigaltstack		131
#define NR_prctl		157
#define NR_arch_prctl		158
#define NR_gettid		186
#define NR_futex		202
#define NR_set_tid_address	218
#define NR_exit_group		231
#define NR_seccomp		317
#define NR_close_range		436

#define SIGKILL		9
#define SIGSYS		31
#define SA_SIGINFO	0x4
#define SA_ONSTACK	0x08000000
#define SA_RESTORER	0x04000000
#define PR_SET_PDEATHSIG 1
#define PR_SET_NO_NEW_PRIVS 38
#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define FUTEX_WAIT	0
#define FUTEX_WAKE	1

long stub_syscall6(long nr, long a0, long a1, long a2, long a3, long a4,
		   long a5);
long stub_clone(unsigned long flags, void *child_stack, uint32_t *child_tid);
void stub_enter(void *uc) __attribute__((noreturn));
void stub_restorer(void);
void stub_child_main(struct stub_data *d) __attribute__((noreturn));
void stub_zygote_main(void *sp) __attribute__((noreturn));
void stub_patch_serve(struct stub_data *d);
void stub_patch_interrupted(struct stub_data *d);
extern char stub_patch_entries[], stub_patch_ret_start[], stub_patch_ret_end[];
extern char __stub_text_start[], __stub_text_end[];

_Static_assert(sizeof(struct stub_data) <= STUB_PATCH_OFF,
	       "struct stub_patch overlaps struct stub_data");

#define sys0(n)			stub_syscall6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a)		stub_syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b)		stub_syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c)	stub_syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d)	stub_syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

static inline uint32_t load(uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static inline void store(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

static __attribute__((noreturn)) void die(void)
{
	for (;;)
		sys1(NR_exit_group, 127);
}

static void *mem_set(void *dst, int c, unsigned long n)
{
	volatile unsigned char *p = dst;

	while (n--)
		*p++ = (unsigned char)c;
	return dst;
}

static void post(struct stub_data *d)
{
	store(&d->state, STUB_ST_EVENT);
	if (load(&d->kernel_waiting))
		sys3(NR_futex, &d->state, FUTEX_WAKE, 1);
}

static void wait_cmd(struct stub_data *d)
{
	uint64_t start = __builtin_ia32_rdtsc();
	uint32_t v;

	/* spin a bounded time, unless the kernel said the call will block */
	while (__builtin_ia32_rdtsc() - start < d->spin &&
	       !load(&d->kernel_blocked)) {
		if (load(&d->state) == STUB_ST_CMD)
			return;
		if (d->wait_mode == STUB_WAIT_YIELD)
			sys0(NR_sched_yield);
		else
			__builtin_ia32_pause();
	}
	while ((v = load(&d->state)) != STUB_ST_CMD) {
		store(&d->stub_waiting, 1);
		if (load(&d->state) == v)
			stub_syscall6(NR_futex, (long)&d->state, FUTEX_WAIT, v,
				      0, 0, 0);
		store(&d->stub_waiting, 0);
	}
}

/* struct msghdr and struct cmsghdr as the host kernel lays them out. */
struct s_iovec { void *base; unsigned long len; };
struct s_msghdr {
	void *name; int namelen; int pad0;
	struct s_iovec *iov; unsigned long iovlen;
	void *control; unsigned long controllen;
	int flags; int pad1;
};
struct s_cmsg { unsigned long len; int level; int type; int fds[4]; };

/* Receives up to n fds (and a few bytes of payload) from sock. */
static long recv_fds(int sock, int *fds, int n)
{
	char byte[8];
	struct s_iovec iov = { byte, sizeof(byte) };
	struct s_cmsg cm;
	struct s_msghdr m;
	long r;
	int i;

	mem_set(&m, 0, sizeof(m));
	mem_set(&cm, 0, sizeof(cm));
	m.iov = &iov;
	m.iovlen = 1;
	m.control = &cm;
	m.controllen = sizeof(cm);
	r = sys3(NR_recvmsg, sock, &m, 0x40000000 /* MSG_CMSG_CLOEXEC */);
	if (r <= 0)
		return r ? r : -1;
	if (cm.level != 1 /* SOL_SOCKET */ || cm.type != 1 /* SCM_RIGHTS */)
		return -22;
	for (i = 0; i < n; i++) {
		if (16 + 4 * (unsigned long)i >= cm.len)
			return i;
		fds[i] = cm.fds[i];
	}
	return n;
}

static long run_clone(uint64_t flags, uint64_t region, uint64_t ctl_fd)
{
	struct stub_data *cd = (struct stub_data *)region;
	unsigned long all = ~0UL, old;
	long r;

	if (region < STUB_REGION_BASE || region >= STUB_CODE_ADDR ||
	    (region & (STUB_REGION_SIZE - 1)))
		return -22;
	cd->new_ctl_fd = flags == STUB_CLONE_FORK ? (int32_t)ctl_fd : -1;
	/*
	 * The child starts with every signal blocked, whichever path its
	 * parent came by (a patched call runs with signals open): until its
	 * own altstack is set, a fork child's signal frames would land on
	 * the parent's region, which it still shares.
	 */
	sys4(NR_rt_sigprocmask, 2 /* SIG_SETMASK */, &all, &old, 8);
	r = stub_clone(flags, (void *)(region + STUB_REGION_SIZE),
		       &cd->host_tid);
	sys4(NR_rt_sigprocmask, 2, &old, 0, 8);
	return r;
}

/* Runs the kernel's calls; false if one failed (or was not run). */
static int run_calls(struct stub_data *d)
{
	uint32_t i, n = d->ncalls;
	long last_fd = -1;

	if (n > STUB_MAX_CALLS)
		n = STUB_MAX_CALLS;
	d->ndone = 0;
	for (i = 0; i < n; i++) {
		struct stub_call c = d->calls[i];
		long r;

		if (c.fd_arg < 6)
			c.args[c.fd_arg] = (uint64_t)last_fd;
		if (c.nr == STUB_CALL_RECVFD) {
			int fd;

			r = recv_fds(STUB_CTL_FD, &fd, 1);
			if (r == 1)
				r = last_fd = fd;
			else if (r >= 0)
				r = -22;
		} else if (c.nr == STUB_CALL_CLONE) {
			r = run_clone(c.args[0], c.args[1], c.args[2]);
		} else {
			r = stub_syscall6(c.nr, c.args[0], c.args[1], c.args[2],
					  c.args[3], c.args[4], c.args[5]);
		}
		d->calls[i].ret = r;
		d->ndone = i + 1;
		if (r < 0 && r > -4096)
			return 0;
	}
	return n == d->ncalls;
}

/* Carries out commands until told to resume guest code. */
static void serve(struct stub_data *d)
{
	for (;;) {
		wait_cmd(d);
		switch (d->cmd) {
		case STUB_CMD_RESUME:
			if (d->set_fs) {
				d->set_fs = 0;
				sys2(NR_arch_prctl, ARCH_SET_FS, d->fs_base);
			}
			return;
		case STUB_CMD_CALLS:
			run_calls(d);
			d->event = STUB_EV_CALLS_DONE;
			post(d);
			break;
		case STUB_CMD_CALLS_RESUME:
			if (!run_calls(d))
				die();
			if (d->set_fs) {
				d->set_fs = 0;
				sys2(NR_arch_prctl, ARCH_SET_FS, d->fs_base);
			}
			return;
		default:
			sys1(NR_exit, 0);
		}
	}
}

static struct stub_data *current_region(void)
{
	unsigned long sp = (unsigned long)__builtin_frame_address(0);

	return (struct stub_data *)(sp & ~(STUB_REGION_SIZE - 1));
}

/*
 * A system call answered here, without a round trip to the kernel: only
 * set_robust_list, which every new thread and process makes once and
 * which only records a pointer (Linux checks nothing but the length).
 */
static int local_call(struct stub_data *d, const char *si, char *uc)
{
	uint64_t *sc = (uint64_t *)(uc + UC_MCONTEXT_OFF);
	int32_t nr = *(const int32_t *)(si + 24);	/* si_syscall */
	uint32_t arch = *(const uint32_t *)(si + 28);	/* si_arch */

	if (nr != STUB_NR_SET_ROBUST_LIST || arch != STUB_AUDIT_ARCH_X86_64)
		return 0;
	if (sc[SC_RSI] != STUB_ROBUST_HEAD_SIZE) {
		sc[SC_RAX] = (uint64_t)-22;	/* EINVAL */
		return 1;
	}
	d->robust_head = sc[SC_RDI];
	store(&d->robust_set, 1);
	sc[SC_RAX] = 0;
	return 1;
}

static uint64_t *patch_mcontext(struct stub_data *d)
{
	return (uint64_t *)((char *)d + STUB_PATCH_MC_OFF);
}

/*
 * An interrupt that finds the thread in the stub's patched-call path
 * (the only stub code that runs with signals unblocked). Before the
 * guest's registers are being restored, it is only noted: the path
 * answers it before going back to guest code. While they are, the
 * interrupted context becomes the guest's as the kernel gave it (the
 * FPU is already the guest's there): the interrupt is then posted as if
 * it had come in guest code. False if it was noted.
 */
static int patch_interrupt(struct stub_data *d, char *uc)
{
	uint64_t *sc = (uint64_t *)(uc + UC_MCONTEXT_OFF);
	uint64_t *target = patch_mcontext(d);
	uint64_t rip = sc[SC_RIP];
	int i;

	if (rip < (uint64_t)__stub_text_start || rip >= (uint64_t)__stub_text_end)
		return 1;
	if (rip < (uint64_t)stub_patch_ret_start ||
	    rip >= (uint64_t)stub_patch_ret_end) {
		stub_patch_of(d)->intr_pending = 1;
		return 0;
	}
	for (i = SC_R8; i <= SC_EFLAGS; i++)
		sc[i] = target[i];
	stub_patch_of(d)->intr_pending = 0;
	return 1;
}

static void stub_handler(int sig, void *si, void *uc)
{
	struct stub_data *d = current_region();

	if (sig == SIGSYS && local_call(d, si, uc))
		return;
	if (sig == STUB_SIG_INTERRUPT && !patch_interrupt(d, uc))
		return;

	d->signo = sig;
	d->si = (uint64_t)si;
	d->uc = (uint64_t)uc;
	if (sig == SIGSYS)
		d->event = STUB_EV_SYSCALL;
	else if (sig == STUB_SIG_INTERRUPT)
		d->event = STUB_EV_INTERRUPT;
	else
		d->event = STUB_EV_FAULT;
	post(d);
	serve(d);
}

#define FP_XSTATE_MAGIC1	0x46505853U
#define FP_XSTATE_MAGIC2	0x46505845U

/* Posts a patched-call path's event, with its ucontext, and serves. */
static void patch_post(struct stub_data *d, uint32_t event)
{
	struct stub_patch *p = stub_patch_of(d);

	d->signo = event == STUB_EV_INTERRUPT ? STUB_SIG_INTERRUPT : 0;
	d->si = 0;
	d->uc = p->self + STUB_PATCH_UC_OFF;
	d->event = event;
	post(d);
	serve(d);
}

/*
 * Leaves the patched-call path: returns for the entry code's quick way
 * back, or resumes by rt_sigreturn from the call's ucontext when the
 * kernel's answer needs more (a signal handler's frame, changed FPU
 * state). Signals stay blocked from the last look for an interrupt to
 * the rt_sigreturn, which restores the guest's (empty) mask.
 */
static void patch_leave(struct stub_data *d)
{
	struct stub_patch *p = stub_patch_of(d);
	uint64_t *sc = patch_mcontext(d);
	unsigned long all = ~0UL, none = 0;

	for (;;) {
		if (!p->fpu_dirty && sc[SC_RCX] == sc[SC_RIP] &&
		    sc[SC_R11] == sc[SC_EFLAGS])
			return;
		sys4(NR_rt_sigprocmask, 2 /* SIG_SETMASK */, &all, 0, 8);
		if (!p->intr_pending)
			stub_enter((char *)d + STUB_PATCH_UC_OFF);
		p->intr_pending = 0;
		patch_post(d, STUB_EV_INTERRUPT);
		sys4(NR_rt_sigprocmask, 2, &none, 0, 8);
	}
}

/* Entry code's second half: the registers and the FPU are saved. */
void stub_patch_serve(struct stub_data *d)
{
	struct stub_patch *p = stub_patch_of(d);
	char *fp = (char *)d + STUB_PATCH_FPU_OFF;
	uint32_t size = (uint32_t)p->xstate_size;

	/* the software bytes a signal frame's image has */
	*(uint32_t *)(fp + 464) = FP_XSTATE_MAGIC1;
	*(uint32_t *)(fp + 468) = size + 4;
	*(uint64_t *)(fp + 472) = p->xfeatures;
	*(uint32_t *)(fp + 480) = size;
	if (size >= 576 && size <= STUB_FPU_MAX - 4)
		*(uint32_t *)(fp + size) = FP_XSTATE_MAGIC2;
	/* the image is the live state again: the kernel may change it */
	p->fpu_dirty = 0;
	patch_post(d, STUB_EV_PATCHED);
	patch_leave(d);
}

/*
 * The entry code found an interrupt noted: it is posted now, with the
 * kernel's answer as the interrupted context.
 */
void stub_patch_interrupted(struct stub_data *d)
{
	stub_patch_of(d)->intr_pending = 0;
	patch_post(d, STUB_EV_INTERRUPT);
	patch_leave(d);
}

struct k_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	unsigned long mask;
};

static void install_handlers(void)
{
	static const int sigs[] = { 4 /* ILL */, 5 /* TRAP */, 7 /* BUS */,
		8 /* FPE */, 11 /* SEGV */, SIGSYS, STUB_SIG_INTERRUPT };
	struct k_sigaction ka;
	unsigned i;

	ka.handler = (void *)stub_handler;
	ka.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER;
	ka.restorer = (void *)stub_restorer;
	ka.mask = ~0UL;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sys4(NR_rt_sigaction, sigs[i], &ka, 0, 8) < 0)
			die();
}

void stub_child_main(struct stub_data *d)
{
	struct { void *sp; int flags; int pad; unsigned long size; } ss;

	if (d->new_ctl_fd >= 0) {
		if (d->new_ctl_fd != STUB_CTL_FD) {
			sys2(NR_dup2, d->new_ctl_fd, STUB_CTL_FD);
			sys1(NR_close, d->new_ctl_fd);
		}
		d->new_ctl_fd = -1;
		sys2(NR_prctl, PR_SET_PDEATHSIG, SIGKILL);
		if ((uint64_t)sys0(NR_getppid) != d->kernel_pid)
			die();
	}
	/* GS base: the region, for patched sites' entry code */
	sys2(NR_arch_prctl, ARCH_SET_GS, d);
	ss.sp = (char *)d + STUB_STACK_OFF;
	ss.flags = 0;
	ss.size = STUB_STACK_SIZE;
	sys2(NR_sigaltstack, &ss, 0);
	/*
	 * Every signal stays blocked until the entry frame's (empty) mask
	 * is restored: an interrupt sent meanwhile waits for guest code.
	 */
	serve(d);
	stub_enter((char *)d + STUB_ENTRY_UC_OFF);
}

struct s_sock_fprog { unsigned short len; void *filter; };

static void __attribute__((noreturn)) zygote_child(int region_fd, int ctl_fd,
						   long kernel_pid)
{
	struct stub_data *d;
	struct s_sock_fprog prog;
	long r;

	r = stub_syscall6(NR_mmap, STUB_REGION_BASE, STUB_REGION_SIZE,
			  3 /* RW */, 0x01 | 0x10 /* SHARED|FIXED */,
			  region_fd, 0);
	if (r != (long)STUB_REGION_BASE)
		die();
	if (sys2(NR_dup2, ctl_fd, STUB_CTL_FD) < 0)
		die();
	sys3(NR_close_range, STUB_CTL_FD + 1, ~0U, 0);
	d = (struct stub_data *)STUB_REGION_BASE;
	d->kernel_pid = (uint64_t)kernel_pid;
	d->new_ctl_fd = -1;
	sys1(NR_set_tid_address, &d->host_tid);
	d->host_tid = (uint32_t)sys0(NR_gettid);
	if (sys2(NR_prctl, PR_SET_PDEATHSIG, SIGKILL) < 0 ||
	    sys0(NR_getppid) != kernel_pid)
		die();
	install_handlers();
	if (sys4(NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0) < 0)
		die();
	prog.len = (unsigned short)d->filter_len;
	prog.filter = (char *)d + STUB_FPU_OFF;
	if (!d->filter_len || d->filter_len > STUB_FPU_MAX / 8 ||
	    sys3(NR_seccomp, 1 /* SET_MODE_FILTER */, 0, &prog) < 0)
		die();
	mem_set((char *)d + STUB_FPU_OFF, 0, (unsigned long)prog.len * 8);
	__asm__ volatile("mov %0, %%rsp\n\tcall stub_child_main\n\thlt"
			 : : "r"((char *)d + STUB_REGION_SIZE), "D"(d)
			 : "memory");
	__builtin_unreachable();
}

/*
 * The patched sites' slot table, inherited by every guest process, when
 * the kernel patches (argv[1] "patch").
 */
static void map_patch_table(void)
{
	uint64_t *slot = (uint64_t *)STUB_PATCH_TABLE;
	unsigned long size = STUB_PATCH_SLOTS * 8;
	int k;

	if (stub_syscall6(NR_mmap, STUB_PATCH_TABLE, size, 3 /* RW */,
			  0x02 | 0x20 | 0x100000 /* PRIVATE|ANON|FIXED_NOREPLACE */,
			  -1, 0) != (long)STUB_PATCH_TABLE)
		sys1(NR_exit_group, 3);
	for (k = 0; k < STUB_PATCH_SLOTS; k++)
		slot[k] = (uint64_t)stub_patch_entries +
			  (uint64_t)k * STUB_PATCH_ENTRY_SIZE;
	if (sys3(NR_mprotect, STUB_PATCH_TABLE, size, 1 /* R */) < 0)
		sys1(NR_exit_group, 3);
}

/*
 * Zygote loop: each request carries two fds (the new process's region and
 * its control socket); we fork, and report the child's pid.
 */
void stub_zygote_main(void *sp)
{
	long kernel_pid = sys0(NR_getppid);
	unsigned long all = ~0UL;
	long argc = *(long *)sp;
	char **argv = (char **)sp + 1;

	if (argc >= 2 && argv[1][0] == 'p')
		map_patch_table();
	sys4(NR_rt_sigprocmask, 0 /* SIG_BLOCK */, &all, 0, 8);
	for (;;) {
		int fds[2];
		long pid;
		struct s_iovec iov;
		struct s_msghdr m;

		if (recv_fds(STUB_CTL_FD, fds, 2) != 2)
			sys1(NR_exit_group, 0);
		pid = stub_syscall6(56 /* clone */, 0x00008000 | 17, 0, 0, 0,
				    0, 0);
		if (pid == 0)
			zygote_child(fds[0], fds[1], kernel_pid);
		sys1(NR_close, fds[0]);
		sys1(NR_close, fds[1]);
		iov.base = &pid;
		iov.len = sizeof(pid);
		mem_set(&m, 0, sizeof(m));
		m.iov = &iov;
		m.iovlen = 1;
		if (sys3(NR_sendmsg, STUB_CTL_FD, &m, 0x4000 /* NOSIGNAL */) < 0)
			sys1(NR_exit_group, 0);
	}
}
