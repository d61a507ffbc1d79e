// SPDX-License-Identifier: GPL-2.0
/*
 * systrap: guest threads are host threads trapped by seccomp (DESIGN.md,
 * decision 2). See platform/stub/stub.h for the region layout and the
 * protocol, and docs/architecture.md for the whole path of a system call.
 *
 * Objects:
 *   struct host_as   a host address space: the control socket used to pass
 *                    fds to the stub, and the bitmap of region slots.
 *   struct host_proc a host process (a pid): shares a host_as with the other
 *                    processes created by plat_clone_vm().
 *   plat_thread      a host thread and its region, mapped here too.
 *
 * The platform lock (plock) guards these lists and the reaper's view of
 * them; it is held across a fork so that a child that dies at once is
 * still found by the reaper.
 *
 * This file: the state word protocol, events and registers, the reaper
 * and set-up. region.c: regions, slots, processes and address spaces.
 * calls.c: host calls made by the stub, and guest memory. process.c:
 * creating and ending processes and threads. fpu.c: FPU images.
 * patch.c: patched system call sites. filter.c: the seccomp program.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elf.h>
#include <linux/futex.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/personality.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "kern/platform.h"
#include "systrap.h"
#include "../stub/stub.h"

pthread_mutex_t plock = PTHREAD_MUTEX_INITIALIZER;
struct host_proc *procs;
pid_t zygote_pid;
int zygote_sock = -1;
uint64_t text_start, text_end;
unsigned char filter_prog[STUB_FPU_MAX];
int filter_len;
/*
 * Spinning: waiting for the other side by polling the state word instead
 * of sleeping saves two futex calls and a wake-up (microseconds) when the
 * other side answers quickly on another CPU, and wastes CPU otherwise. So
 * it is bounded in time (TSC cycles), and the kernel side adapts: a thread
 * whose guest keeps not answering within the window stops spinning for it.
 */
uint32_t spin_cycles;		/* the window */
/*
 * Polling for the other side cannot see its answer while both share a CPU:
 * the other side only runs once the waiter gives the CPU up. That is
 * always so on one host CPU, and often on two (more threads than CPUs, a
 * busy machine). So both sides wait by sched_yield(), which switches
 * straight to the other side when it is runnable on the same CPU (about
 * half the cost of a futex wake plus wait on the VM we measure on) and
 * returns at once when nothing else wants the CPU, polling as a pause
 * loop would. Measured on 2 CPUs against pausing: pipe and futex round
 * trips 3 to 10 times faster, getppid within a microsecond.
 */
uint32_t wait_mode;		/* STUB_WAIT_* */
pid_t kernel_pid;		/* ours: a system call per fork saved */
uint64_t vdso_base, vdso_size;
size_t fpu_size = 4096;
/* Patching system call sites (patch.c): on unless UML_PATCH=0. */
bool patching;
uint64_t xfeatures;		/* XCR0 */
uint32_t xstate_size;		/* the XSAVE image for XCR0 */

/* ---- the state word protocol ---- */

/*
 * Hands the stub a command. Only an EVENT state may become CMD: a thread
 * the reaper declared DEAD stays dead (false is returned).
 */
bool kick(struct plat_thread *th, uint32_t cmd)
{
	struct stub_data *d = th->d;
	uint32_t expected = STUB_ST_EVENT;

	/*
	 * The stub spins for our answer; if we took longer than its window
	 * this time, it wasted it: halve its next window (a later quick
	 * answer restores it). It reads the value when it next waits.
	 */
	if (th->event_tsc) {
		uint64_t took = __builtin_ia32_rdtsc() - th->event_tsc;

		if (took > th->stub_spin)
			th->stub_spin = th->stub_spin > spin_cycles / 16 ?
					th->stub_spin / 2 : 0;
		else
			th->stub_spin = spin_cycles;
		if (!th->stub_spin && ++th->spin_misses % 64 == 0)
			th->stub_spin = spin_cycles;
		d->spin = th->stub_spin;
	}
	d->cmd = cmd;
	if (!__atomic_compare_exchange_n(&d->state, &expected, STUB_ST_CMD,
					 false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST))
		return false;
	if (aload(&d->stub_waiting))
		futex(&d->state, FUTEX_WAKE, 1);
	return true;
}

long futex_wait_until(uint32_t *uaddr, uint32_t val, uint64_t deadline)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000000ULL),
		.tv_nsec = (long)(deadline % 1000000000ULL),
	};

	return syscall(SYS_futex, uaddr, FUTEX_WAIT_BITSET, val,
		       deadline ? &ts : NULL, NULL, FUTEX_BITSET_MATCH_ANY);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * An intact stub answers an interrupt at once; one that has not within
 * this time was wrecked by its own guest (say, its state word rewritten so
 * that the stub waits for a command while we wait for an event), and its
 * host process is killed: a guest killed from elsewhere must die.
 */
#define INTR_TIMEOUT_NS	(5ULL * 1000000000ULL)
#define WAIT_SLICE_NS	(1000000000ULL)

/*
 * Waits until the stub posts an event or the thread is declared dead, or
 * until the CLOCK_MONOTONIC deadline (0: none), which gives TIMEDOUT.
 * Sleeps in slices, so that an unanswered interrupt is noticed.
 */
uint32_t wait_event_until(struct plat_thread *th, uint64_t deadline)
{
	struct stub_data *d = th->d;
	uint64_t start = __builtin_ia32_rdtsc();
	uint32_t v;

	while (__builtin_ia32_rdtsc() - start < th->spin) {
		v = aload(&d->state);
		if (v == STUB_ST_EVENT || v == STUB_ST_DEAD) {
			th->spin = spin_cycles;
			return v;
		}
		if (wait_mode == STUB_WAIT_YIELD)
			sched_yield();
		else
			__builtin_ia32_pause();
	}
	/* the window was missed: spin less for this thread from now on */
	th->spin /= 2;
	if (th->spin < spin_cycles / 64)
		th->spin = ++th->spin_misses % 64 == 0 ? spin_cycles : 0;
	for (;;) {
		uint64_t now, until, intr;

		v = aload(&d->state);
		if (v == STUB_ST_EVENT || v == STUB_ST_DEAD)
			return v;
		now = now_ns();
		if (deadline && now >= deadline)
			return WAIT_TIMEDOUT;
		intr = __atomic_load_n(&th->intr_deadline, __ATOMIC_SEQ_CST);
		if (intr && now >= intr) {
			__atomic_store_n(&th->intr_deadline, 0, __ATOMIC_SEQ_CST);
			kill(th->proc->pid, SIGKILL);
		}
		until = now + WAIT_SLICE_NS;
		if (deadline && deadline < until)
			until = deadline;
		astore(&d->kernel_waiting, 1);
		if (aload(&d->state) == v)
			futex_wait_until(&d->state, v, until);
		astore(&d->kernel_waiting, 0);
	}
}

static uint32_t wait_event(struct plat_thread *th)
{
	return wait_event_until(th, 0);
}

/* ---- events and registers ---- */

uint64_t *cur_mcontext(struct plat_thread *th)
{
	char *uc = region_ptr(th, th->uc, UC_SIZE, STUB_STACK_OFF);

	return uc ? (uint64_t *)(uc + UC_MCONTEXT_OFF) : NULL;
}

/* Takes in the event the stub just posted. False if it is not credible. */
static bool take_event(struct plat_thread *th)
{
	uint64_t uc = th->d->uc, si = th->d->si;

	if (!region_ptr(th, uc, UC_SIZE, STUB_STACK_OFF))
		return false;
	if (si && !region_ptr(th, si, 128, STUB_STACK_OFF))
		return false;
	th->uc = uc;
	th->si = si;
	return true;
}

static void regs_to_mcontext(const struct plat_regs *r, uint64_t *sc)
{
	sc[SC_R8] = r->r8;
	sc[SC_R9] = r->r9;
	sc[SC_R10] = r->r10;
	sc[SC_R11] = r->r11;
	sc[SC_R12] = r->r12;
	sc[SC_R13] = r->r13;
	sc[SC_R14] = r->r14;
	sc[SC_R15] = r->r15;
	sc[SC_RDI] = r->rdi;
	sc[SC_RSI] = r->rsi;
	sc[SC_RBP] = r->rbp;
	sc[SC_RBX] = r->rbx;
	sc[SC_RDX] = r->rdx;
	sc[SC_RAX] = r->rax;
	sc[SC_RCX] = r->rcx;
	sc[SC_RSP] = r->rsp;
	sc[SC_RIP] = r->rip;
	sc[SC_EFLAGS] = r->eflags;
	sc[SC_CSGSFS] = 0x33 | (0x2bUL << 48);
}

static void mcontext_to_regs(const uint64_t *sc, struct plat_regs *r)
{
	r->r8 = sc[SC_R8];
	r->r9 = sc[SC_R9];
	r->r10 = sc[SC_R10];
	r->r11 = sc[SC_R11];
	r->r12 = sc[SC_R12];
	r->r13 = sc[SC_R13];
	r->r14 = sc[SC_R14];
	r->r15 = sc[SC_R15];
	r->rdi = sc[SC_RDI];
	r->rsi = sc[SC_RSI];
	r->rbp = sc[SC_RBP];
	r->rbx = sc[SC_RBX];
	r->rdx = sc[SC_RDX];
	r->rax = sc[SC_RAX];
	r->rcx = sc[SC_RCX];
	r->rsp = sc[SC_RSP];
	r->rip = sc[SC_RIP];
	r->eflags = sc[SC_EFLAGS];
	r->cs = 0x33;
	r->ss = 0x2b;
	r->orig_rax = (uint64_t)-1;
}

/* The host fault signals the stub catches (platform/stub/stub.c). */
static bool stub_fault_signal(int sig)
{
	return sig == SIGILL || sig == SIGTRAP || sig == SIGBUS ||
	       sig == SIGFPE || sig == SIGSEGV;
}

static void fill_dead(struct plat_thread *th, struct plat_event *ev)
{
	ev->type = PLAT_EV_DEAD;
	ev->dead_signal = th->proc->dead_signal;
	ev->dead_status = th->proc->dead_status;
}

/* Hands the stub regs and the command to resume guest code. */
bool resume(struct plat_thread *th, const struct plat_regs *regs)
{
	uint64_t *sc = cur_mcontext(th);

	if (!sc || aload(&th->d->state) == STUB_ST_DEAD)
		return false;
	regs_to_mcontext(regs, sc);
	patch_resume(th, regs, sc);
	if (regs->fs_base != th->fs_base) {
		th->d->fs_base = regs->fs_base;
		th->d->set_fs = 1;
		th->fs_base = regs->fs_base;
	}
	batch_release_fd(th);
	th->d->ncalls = th->deferred;
	if (!kick(th, th->deferred ? STUB_CMD_CALLS_RESUME : STUB_CMD_RESUME))
		return false;
	th->deferred = 0;
	th->batch = false;
	return true;
}

int plat_start(struct plat_thread *th, const struct plat_regs *regs)
{
	if (th->started || !resume(th, regs))
		return -ESRCH;
	th->started = true;
	return 0;
}

/* The guest scribbled over its own region or forged an event: it dies. */
static int forged(struct plat_thread *th, struct plat_event *ev)
{
	kill(th->proc->pid, SIGKILL);
	ev->type = PLAT_EV_DEAD;
	ev->dead_signal = SIGKILL;
	return 0;
}

int plat_run(struct plat_thread *th, struct plat_regs *regs,
	     struct plat_event *ev)
{
	uint64_t *sc, restart_slot;
	uint32_t st, event;
	int signo;

	memset(ev, 0, sizeof(*ev));
	if (th->started)
		th->started = false;
	else if (!resume(th, regs)) {
		fill_dead(th, ev);
		return 0;
	}
	st = wait_event(th);
	__atomic_store_n(&th->intr_deadline, 0, __ATOMIC_SEQ_CST);
	if (st == STUB_ST_DEAD) {
		fill_dead(th, ev);
		return 0;
	}
	th->event_tsc = __builtin_ia32_rdtsc();
	if (!take_event(th) || !(sc = cur_mcontext(th)))
		return forged(th, ev);
	event = aload(&th->d->event);
	signo = (int)aload((uint32_t *)&th->d->signo);
	th->trapped = event == STUB_EV_SYSCALL;
	/*
	 * What the stub posted is re-read from memory the guest can write:
	 * an event without its siginfo, or a fault signal the stub does not
	 * catch, was forged by the guest, which dies of it.
	 */
	if ((event == STUB_EV_SYSCALL || event == STUB_EV_FAULT) &&
	    (!th->si || (event == STUB_EV_FAULT && !stub_fault_signal(signo))))
		return forged(th, ev);
	mcontext_to_regs(sc, regs);
	regs->fs_base = th->fs_base;
	/* what the last resume set up counts for this event only */
	restart_slot = th->restart_slot;
	th->restart_slot = 0;
	if (event == STUB_EV_PATCHED) {
		/* a slot that no patched site has was forged */
		if (!patch_event(th, regs, restart_slot))
			return forged(th, ev);
		ev->type = PLAT_EV_SYSCALL;
		return 0;
	}
	switch (event) {
	case STUB_EV_SYSCALL: {
		const char *si = (const char *)th->d + (th->si - th->gaddr);
		int32_t nr;
		uint32_t arch;

		memcpy(&nr, si + 24, 4);
		memcpy(&arch, si + 28, 4);
		regs->orig_rax = (uint64_t)(int64_t)nr;
		regs->rax = (uint64_t)-ENOSYS;
		ev->type = arch == 0xc000003eU ? PLAT_EV_SYSCALL :
						 PLAT_EV_SYSCALL_COMPAT;
		break;
	}
	case STUB_EV_FAULT: {
		const char *si = (const char *)th->d + (th->si - th->gaddr);
		int32_t code;

		memcpy(&code, si + 8, 4);
		ev->type = PLAT_EV_FAULT;
		ev->fault.signo = signo;
		ev->fault.code = code;
		memcpy(&ev->fault.addr, si + 16, 8);
		ev->fault.trapno = sc[SC_TRAPNO];
		ev->fault.err = sc[SC_ERR];
		break;
	}
	default:
		ev->type = PLAT_EV_INTERRUPT;
		break;
	}
	return 0;
}

void plat_set_blocking(struct plat_thread *th, bool blocking)
{
	astore(&th->d->kernel_blocked, blocking);
}

bool plat_take_robust_list(struct plat_thread *th, uint64_t *head)
{
	if (!__atomic_exchange_n(&th->d->robust_set, 0, __ATOMIC_SEQ_CST))
		return false;
	*head = __atomic_load_n(&th->d->robust_head, __ATOMIC_SEQ_CST);
	return true;
}

void plat_interrupt(struct plat_thread *th)
{
	uint64_t none = 0;

	__atomic_compare_exchange_n(&th->intr_deadline, &none,
				    now_ns() + INTR_TIMEOUT_NS, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	if (th->tid > 0)
		syscall(SYS_tgkill, th->proc->pid, th->tid, STUB_SIG_INTERRUPT);
}

int plat_host_pid(struct plat_thread *th)
{
	return th->proc->pid;
}

int plat_host_tid(struct plat_thread *th)
{
	return th->tid > 0 ? th->tid : 0;
}

/* ---- the reaper ---- */

static void (*zygote_died)(void);

static void *reaper(void *arg)
{
	(void)arg;
	for (;;) {
		siginfo_t si;
		struct host_proc *p;

		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | __WALL) < 0) {
			if (errno == EINTR)
				continue;
			usleep(10000);
			continue;
		}
		pthread_mutex_lock(&plock);
		if (si.si_pid == zygote_pid) {
			pthread_mutex_unlock(&plock);
			if (zygote_died)
				zygote_died();
			continue;
		}
		for (p = procs; p; p = p->next)
			if (p->pid == si.si_pid && !p->dead)
				break;
		if (p) {
			p->dead = true;
			if (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
				p->dead_signal = si.si_status;
			else
				p->dead_status = si.si_status;
			for (struct plat_thread *th = p->threads; th; th = th->next)
				mark_dead(th);
			proc_maybe_free(p);
		}
		pthread_mutex_unlock(&plock);
	}
	return NULL;
}

/* ---- set-up ---- */

/*
 * Every region keeps its memfd open (a spare one is handed out again),
 * besides each process's control socket and the page cache's memfds: the
 * usual soft limit of 1024 fds would bound guest threads, not the host.
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int stub_text_range(void)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)stub_elf_start;
	size_t size = (size_t)(stub_elf_end - stub_elf_start);

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size)
		return -ENOEXEC;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(stub_elf_start +
					eh->e_phoff) + i;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			text_start = ph->p_vaddr;
			text_end = ph->p_vaddr + ph->p_memsz;
			return 0;
		}
	}
	return -ENOEXEC;
}

/* TSC cycles per microsecond, measured against CLOCK_MONOTONIC. */
static double tsc_per_us(void)
{
	static double rate;
	uint64_t t0, c0, t1, c1;

	if (rate)
		return rate;
	t0 = now_ns();
	c0 = __builtin_ia32_rdtsc();
	do {
		t1 = now_ns();
	} while (t1 - t0 < 2000000);
	c1 = __builtin_ia32_rdtsc();
	rate = (double)(c1 - c0) / ((double)(t1 - t0) / 1000.0);
	if (rate < 100 || rate > 10000)
		rate = 2500;
	return rate;
}

static void measure_fpu(void)
{
	unsigned eax, ebx, ecx, edx;

	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx)
			 : "a"(0xd), "c"(0));
	/* ebx: XSAVE area size for the features enabled in XCR0 */
	if (ebx >= 512 + 64 && ebx + 4 <= STUB_FPU_MAX)
		fpu_size = ebx + 4;
	else
		fpu_size = 512;
	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx)
			 : "a"(1), "c"(0));
	if (fpu_size > 512 && (ecx & (1u << 27))) {	/* OSXSAVE */
		__asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
		xfeatures = (uint64_t)edx << 32 | eax;
		xstate_size = (uint32_t)fpu_size - 4;
	}
}

/* Patching needs XSAVE (the entry code saves the FPU with it). */
static bool patching_possible(void)
{
	const char *env = getenv("UML_PATCH");

	return !(env && !strcmp(env, "0")) && xstate_size;
}

int plat_init(void (*on_zygote_death)(void))
{
	int sv[2], memfd, r;
	pthread_t t;
	pid_t pid;

	zygote_died = on_zygote_death;
	raise_fd_limit();
	r = stub_text_range();
	if (r < 0)
		return r;
	r = systrap_build_filter(filter_prog, sizeof(filter_prog), text_start,
				 text_end);
	if (r < 0)
		return r;
	filter_len = r;
	measure_fpu();
	patching = patching_possible();
	kernel_pid = getpid();
	wait_mode = STUB_WAIT_YIELD;
	if (getenv("UML_WAIT") && !strcmp(getenv("UML_WAIT"), "pause"))
		wait_mode = STUB_WAIT_PAUSE;
	/*
	 * Yielding costs nothing while anything else wants the CPU, so its
	 * window is longer: it must outlast the other side's whole answer.
	 */
	spin_cycles = (uint32_t)((wait_mode == STUB_WAIT_YIELD ? 100 : 30) *
				 tsc_per_us());
	if (getenv("UML_SPIN"))	/* microseconds */
		spin_cycles = (uint32_t)(strtoul(getenv("UML_SPIN"), NULL, 0) *
					 tsc_per_us());

	/* MFD_EXEC: hosts with vm.memfd_noexec make memfds non-executable */
	memfd = memfd_create("uml-stub", MFD_CLOEXEC | 0x10U /* MFD_EXEC */);
	if (memfd < 0)
		memfd = memfd_create("uml-stub", MFD_CLOEXEC);
	if (memfd < 0)
		return -errno;
	if (write(memfd, stub_elf_start, (size_t)(stub_elf_end - stub_elf_start)) !=
	    stub_elf_end - stub_elf_start) {
		close(memfd);
		return -EIO;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		close(memfd);
		return -errno;
	}
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		char *argv[] = { "uml-stub", patching ? "patch" : NULL, NULL };
		static char *const envp[] = { NULL };
		sigset_t none;

		int sock, exe;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/*
		 * Without address randomization the host puts the zygote's
		 * vDSO (which every guest process inherits and may use) at
		 * the top of the address space, far above the guest's space
		 * and the stub's, every time. Guest layouts are ours anyway.
		 */
		personality(ADDR_NO_RANDOMIZE);
		/* move both out of the way first: either may be fd 3 or 4 */
		sock = fcntl(sv[1], F_DUPFD, 10);
		exe = fcntl(memfd, F_DUPFD, 10);
		if (sock < 0 || exe < 0 || dup2(sock, STUB_CTL_FD) < 0 ||
		    dup2(exe, 4) < 0)
			_exit(127);
		syscall(SYS_close_range, 5, ~0U, 0);
		syscall(SYS_execveat, 4, "", argv, envp, AT_EMPTY_PATH);
		_exit(127);
	}
	close(sv[1]);
	close(memfd);
	zygote_pid = pid;
	zygote_sock = sv[0];
	if (pthread_create(&t, NULL, reaper, NULL) != 0)
		return -EAGAIN;
	pthread_detach(t);
	return 0;
}

void plat_shutdown(void)
{
	struct host_proc *p;

	pthread_mutex_lock(&plock);
	for (p = procs; p; p = p->next)
		if (!p->dead)
			kill(p->pid, SIGKILL);
	if (zygote_pid > 0)
		kill(zygote_pid, SIGKILL);
	zygote_died = NULL;
	pthread_mutex_unlock(&plock);
}

uint64_t plat_vdso_base(size_t *size)
{
	if (size)
		*size = vdso_size;
	return vdso_base;
}

uint64_t plat_hwcap(int which)
{
	return getauxval(which == 2 ? AT_HWCAP2 : AT_HWCAP);
}
