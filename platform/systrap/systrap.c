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
#include <sys/personality.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "kern/platform.h"
#include "systrap.h"
#include "../stub/stub.h"

/*
 * Regions of ended threads stay mapped, here and in the guest, on the
 * address space's idle list, and a new thread takes one instead of a
 * fresh memfd that the stub must receive and map. One whose host thread
 * has not finished exiting (host_tid not yet cleared by the host) is not
 * taken; at most IDLE_MAX are kept.
 */
#define IDLE_MAX	8

struct host_as {
	int refs;
	int ctl;			/* our end of the control socket */
	int nidle;
	struct plat_thread *idle;
	uint8_t slots[STUB_MAX_SLOTS / 8];
	struct patch_sites *sites;	/* NULL: no patching */
};

struct host_proc {
	pid_t pid;
	int nthreads;
	bool dead;			/* reaped */
	int dead_signal;
	int dead_status;
	struct host_as *as;
	struct plat_thread *threads;
	struct host_proc *next;
};

struct plat_thread {
	struct host_proc *proc;
	struct plat_thread *next;	/* in proc->threads */
	int slot;
	pid_t tid;
	struct stub_data *d;		/* our mapping of the region */
	uint64_t gaddr;			/* the region's address in the guest */
	uint64_t uc;			/* current event's ucontext (guest addr) */
	uint64_t si;
	uint64_t fs_base;		/* FS base the host thread has */
	uint64_t intr_deadline;		/* an interrupt unanswered by then: kill */
	uint32_t spin;			/* current spin window (cycles) */
	uint32_t spin_misses;
	uint32_t stub_spin;		/* the stub's window, adapted here */
	uint64_t event_tsc;		/* when the current event arrived */
	uint32_t deferred;		/* calls[] to run before the next resume */
	bool batch;			/* queue mapping calls in calls[] (exec) */
	bool started;			/* resumed by plat_start(), not waited for */
	bool trapped;			/* the event is a SIGSYS-trapped call */
	/*
	 * A restarted call from a patched site resumes at the site, whose
	 * entry then stands for this number instead (restart_syscall).
	 */
	uint64_t restart_slot;		/* slot + 1, or 0 */
	uint64_t restart_nr;
};

static pthread_mutex_t plock = PTHREAD_MUTEX_INITIALIZER;
static struct host_proc *procs;
static pid_t zygote_pid;
static int zygote_sock = -1;
static uint64_t text_start, text_end;
static unsigned char filter_prog[STUB_FPU_MAX];
static int filter_len;
/*
 * Spinning: waiting for the other side by polling the state word instead
 * of sleeping saves two futex calls and a wake-up (microseconds) when the
 * other side answers quickly on another CPU, and wastes CPU otherwise. So
 * it is bounded in time (TSC cycles), and the kernel side adapts: a thread
 * whose guest keeps not answering within the window stops spinning for it.
 */
static uint32_t spin_cycles;		/* the window */
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
static uint32_t wait_mode;		/* STUB_WAIT_* */
static pid_t kernel_pid;		/* ours: a system call per fork saved */
static uint64_t vdso_base, vdso_size;
static size_t fpu_size = 4096;
/* Patching system call sites (patch.c): on unless UML_PATCH=0. */
static bool patching;
static uint64_t xfeatures;		/* XCR0 */
static uint32_t xstate_size;		/* the XSAVE image for XCR0 */

#define REGION_ADDR(slot)	(STUB_REGION_BASE + (uint64_t)(slot) * STUB_REGION_SIZE)
#define CHUNK			0x40000000UL	/* mapping calls stay under 4 GiB */

static inline uint32_t aload(uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static inline void astore(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

static long futex(uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* ---- the state word protocol ---- */

/*
 * Hands the stub a command. Only an EVENT state may become CMD: a thread
 * the reaper declared DEAD stays dead (false is returned).
 */
static bool kick(struct plat_thread *th, uint32_t cmd)
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

static long futex_wait_until(uint32_t *uaddr, uint32_t val, uint64_t deadline)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000000ULL),
		.tv_nsec = (long)(deadline % 1000000000ULL),
	};

	return syscall(SYS_futex, uaddr, FUTEX_WAIT_BITSET, val,
		       deadline ? &ts : NULL, NULL, FUTEX_BITSET_MATCH_ANY);
}

static uint64_t now_ns(void)
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
#define WAIT_TIMEDOUT	0xffffffffU
static uint32_t wait_event_until(struct plat_thread *th, uint64_t deadline)
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

/* ---- regions and slots ---- */

static int slot_alloc(struct host_as *as)
{
	for (int i = 0; i < STUB_MAX_SLOTS; i++)
		if (!(as->slots[i / 8] & (1u << (i % 8)))) {
			as->slots[i / 8] |= (uint8_t)(1u << (i % 8));
			return i;
		}
	return -EAGAIN;
}

static void slot_free(struct host_as *as, int slot)
{
	as->slots[slot / 8] &= (uint8_t)~(1u << (slot % 8));
}

/* A new region for a thread of as; *fd is the memfd to hand to the stub. */
static struct plat_thread *region_new(struct host_as *as, int *fd)
{
	struct plat_thread *th;
	int slot;
	void *p;

	th = calloc(1, sizeof(*th));
	if (!th)
		return NULL;
	slot = slot_alloc(as);
	if (slot < 0)
		goto out_free;
	*fd = memfd_create("uml-region", MFD_CLOEXEC);
	if (*fd < 0)
		goto out_slot;
	if (ftruncate(*fd, STUB_REGION_SIZE) < 0)
		goto out_fd;
	p = mmap(NULL, STUB_REGION_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 *fd, 0);
	if (p == MAP_FAILED)
		goto out_fd;
	th->d = p;
	th->slot = slot;
	th->gaddr = REGION_ADDR(slot);
	return th;
out_fd:
	close(*fd);
out_slot:
	slot_free(as, slot);
out_free:
	free(th);
	return NULL;
}

static void region_free(struct plat_thread *th)
{
	munmap(th->d, STUB_REGION_SIZE);
	free(th);
}

static bool region_idle(struct plat_thread *th)
{
	return aload(&th->d->host_tid) == 0;
}

/*
 * A region for a new thread of as: an idle one (*fd = -1: it is already
 * mapped in the guest) or a new one (*fd: the memfd to hand to the stub).
 * Called with plock held.
 */
static struct plat_thread *region_get(struct host_as *as, int *fd)
{
	struct plat_thread **pp, *th;

	for (pp = &as->idle; *pp; pp = &(*pp)->next) {
		th = *pp;
		if (region_idle(th)) {
			*pp = th->next;
			as->nidle--;
			*fd = -1;
			return th;
		}
	}
	return region_new(as, fd);
}

/*
 * Parks the region of an ended thread on as's idle list, making room by
 * dropping an idle one if needed. Called with plock held.
 */
static void region_park(struct host_as *as, struct plat_thread *th)
{
	struct plat_thread **pp, *o;

	if (as->nidle >= IDLE_MAX)
		for (pp = &as->idle; *pp; pp = &(*pp)->next) {
			o = *pp;
			if (region_idle(o)) {
				*pp = o->next;
				as->nidle--;
				slot_free(as, o->slot);
				region_free(o);
				break;
			}
		}
	if (as->nidle >= IDLE_MAX) {
		/* A slot is reused only once its host thread is known gone. */
		if (region_idle(th))
			slot_free(as, th->slot);
		region_free(th);
		return;
	}
	th->proc = NULL;
	th->next = as->idle;
	as->idle = th;
	as->nidle++;
}

/* Room on as's idle list for one more region, without waiting? */
static bool idle_room(struct host_as *as)
{
	struct plat_thread *o;

	if (as->nidle < IDLE_MAX)
		return true;
	for (o = as->idle; o; o = o->next)
		if (region_idle(o))
			return true;
	return false;
}

/*
 * Makes th's region ready for a new host thread: control fields reset,
 * the state EVENT (the kernel's first command may be posted at once),
 * and the entry ucontext the stub will resume guest code from.
 */
static void patch_prepare(struct plat_thread *th);

static void region_prepare(struct plat_thread *th)
{
	struct stub_data *d = th->d;
	char *uc = (char *)d + STUB_ENTRY_UC_OFF;
	uint64_t *w = (uint64_t *)uc;
	uint64_t *sc = (uint64_t *)(uc + UC_MCONTEXT_OFF);
	struct stub_data *keep_d = th->d;
	int slot = th->slot;
	uint64_t gaddr = th->gaddr;

	memset(th, 0, sizeof(*th));
	th->d = keep_d;
	th->slot = slot;
	th->gaddr = gaddr;
	th->spin = spin_cycles;
	th->stub_spin = spin_cycles;
	th->uc = gaddr + STUB_ENTRY_UC_OFF;

	memset(d, 0, sizeof(*d));
	d->spin = spin_cycles;
	d->wait_mode = wait_mode;
	d->kernel_pid = (uint64_t)kernel_pid;
	d->new_ctl_fd = -1;
	memset(uc - 8, 0, UC_SIZE + 8 + 128);
	w[0] = 0x2 | 0x4;	/* UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
	w[2] = gaddr + STUB_STACK_OFF;	/* uc_stack: the signal stack */
	w[4] = STUB_STACK_SIZE;
	sc[SC_CSGSFS] = 0x33 | (0x2bUL << 48);
	sc[SC_EFLAGS] = 0x202;
	patch_prepare(th);
	astore(&d->state, STUB_ST_EVENT);
}

/*
 * The patched-call ucontext: as the host would build a signal frame's,
 * so that rt_sigreturn can resume from it (platform/stub/stub.c).
 */
static void patch_prepare(struct plat_thread *th)
{
	struct stub_patch *p = (struct stub_patch *)((char *)th->d + STUB_PATCH_OFF);
	char *uc = (char *)th->d + STUB_PATCH_UC_OFF;
	uint64_t *w = (uint64_t *)uc;
	uint64_t *sc = (uint64_t *)(uc + UC_MCONTEXT_OFF);

	memset(p, 0, sizeof(*p));
	p->self = th->gaddr;
	if (!patching)
		return;
	p->xfeatures = xfeatures;
	p->xstate_size = xstate_size;
	memset(uc, 0, UC_SIZE);
	/* UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
	w[0] = 0x7;
	w[2] = th->gaddr + STUB_STACK_OFF;
	w[4] = STUB_STACK_SIZE;
	sc[SC_CSGSFS] = 0x33 | (0x2bUL << 48);
	sc[SC_FPSTATE] = th->gaddr + STUB_PATCH_FPU_OFF;
	/* XSAVE leaves the header's reserved bytes alone: they must be 0 */
	memset((char *)th->d + STUB_PATCH_FPU_OFF + 512, 0, 64);
}

/* Translates a guest address inside th's region, or NULL if outside. */
static void *region_ptr(struct plat_thread *th, uint64_t gaddr, size_t len,
			uint64_t min_off)
{
	if (gaddr < th->gaddr + min_off || gaddr & 7 ||
	    gaddr - th->gaddr > STUB_REGION_SIZE - len)
		return NULL;
	return (char *)th->d + (gaddr - th->gaddr);
}

static struct host_proc *proc_new(pid_t pid, struct host_as *as)
{
	struct host_proc *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->pid = pid;
	p->as = as;
	as->refs++;
	p->next = procs;
	procs = p;
	return p;
}

static void proc_add_thread(struct host_proc *p, struct plat_thread *th)
{
	th->proc = p;
	th->next = p->threads;
	p->threads = th;
	p->nthreads++;
}

static void as_put(struct host_as *as)
{
	if (--as->refs == 0) {
		while (as->idle) {
			struct plat_thread *th = as->idle;

			as->idle = th->next;
			region_free(th);
		}
		if (as->ctl >= 0)
			close(as->ctl);
		patch_sites_free(as->sites);
		free(as);
	}
}

static void proc_maybe_free(struct host_proc *p)
{
	struct host_proc **pp;

	if (p->nthreads || !p->dead)
		return;
	for (pp = &procs; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	as_put(p->as);
	free(p);
}

static void mark_dead(struct plat_thread *th)
{
	astore(&th->d->state, STUB_ST_DEAD);
	futex(&th->d->state, FUTEX_WAKE, INT_MAX);
	astore(&th->d->host_tid, 0);
	futex(&th->d->host_tid, FUTEX_WAKE, INT_MAX);
}

/* ---- fd passing and host calls ---- */

static int send_fds(int sock, const int *fds, int n)
{
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} u;
	struct msghdr m = { 0 };
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	if (sendmsg(sock, &m, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

static void set_call(struct stub_call *c, long nr, uint64_t a0, uint64_t a1,
		     uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
		     int fd_arg)
{
	c->nr = nr;
	c->args[0] = a0;
	c->args[1] = a1;
	c->args[2] = a2;
	c->args[3] = a3;
	c->args[4] = a4;
	c->args[5] = a5;
	c->ret = -ENOSYS;
	c->fd_arg = (uint8_t)(fd_arg < 0 ? STUB_ARG_NONE : fd_arg);
}

/*
 * Runs the n calls already placed in th's region. Returns the number run
 * (the last one may have failed), or -ESRCH if the thread died.
 */
#define CALLS_TIMEOUT_NS	(5ULL * 1000000000ULL)

/*
 * Host calls are made with the kernel lock held and take microseconds; a
 * stub that does not answer in seconds has been tampered with by its own
 * guest, which is then killed rather than waited for.
 */
static long run_calls(struct plat_thread *th, unsigned n)
{
	uint32_t st;

	th->d->ncalls = n;
	th->d->ndone = 0;
	if (!kick(th, STUB_CMD_CALLS))
		return -ESRCH;
	st = wait_event_until(th, now_ns() + CALLS_TIMEOUT_NS);
	if (st == WAIT_TIMEDOUT) {
		kill(th->proc->pid, SIGKILL);
		return -ESRCH;
	}
	if (st != STUB_ST_EVENT || th->d->event != STUB_EV_CALLS_DONE)
		return -ESRCH;
	return th->d->ndone;
}

static long call1(struct plat_thread *th, long nr, uint64_t a0, uint64_t a1,
		  uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	set_call(&th->d->calls[0], nr, a0, a1, a2, a3, a4, a5, -1);
	if (run_calls(th, 1) != 1)
		return -ESRCH;
	return th->d->calls[0].ret;
}

/*
 * Batching. While a new image is set up (execve past its point of no
 * return) nobody needs the result of each mapping call at once: they are
 * queued in calls[] and run in one command when guest memory is next read
 * or written, when calls[] is full, or with the first resume (which kills
 * the process if one fails, as a failure past the point of no return
 * must). An ELF image with its interpreter and stack then costs one or
 * two hand-overs with the stub instead of one per segment.
 */
static long flush_batch(struct plat_thread *th)
{
	unsigned n = th->deferred;
	long done;

	if (!n)
		return 0;
	th->deferred = 0;
	done = run_calls(th, n);
	if (done < 0)
		return done;
	if (done != (long)n)
		return -EFAULT;
	if (th->d->calls[n - 1].ret < 0 && th->d->calls[n - 1].ret > -4096)
		return th->d->calls[n - 1].ret;
	return 0;
}

/* Room for n more queued calls; false if flushing what is queued failed. */
static bool batch_room(struct plat_thread *th, unsigned n)
{
	if (th->deferred + n <= STUB_MAX_CALLS)
		return true;
	return flush_batch(th) == 0;
}

/* A call whose result is not needed: queued when batching, else run. */
static long call1_nowait(struct plat_thread *th, long nr, uint64_t a0,
			 uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			 uint64_t a5)
{
	if (!th->batch)
		return call1(th, nr, a0, a1, a2, a3, a4, a5);
	if (!batch_room(th, 1))
		return -EFAULT;
	set_call(&th->d->calls[th->deferred++], nr, a0, a1, a2, a3, a4, a5,
		 -1);
	return 0;
}

void plat_batch_begin(struct plat_thread *th)
{
	th->batch = true;
}

long plat_mmap(struct plat_thread *th, uint64_t addr, uint64_t len, int prot,
	       int flags, int host_fd, uint64_t off)
{
	struct stub_call *c;
	long r, fd;

	if (!(flags & MAP_FIXED))
		return -EINVAL;
	if (th->proc->as->sites)
		patch_sites_unmapped(th->proc->as->sites, addr, len);
	if (host_fd < 0) {
		for (uint64_t done = 0; done < len; done += CHUNK) {
			uint64_t n = len - done < CHUNK ? len - done : CHUNK;
			r = call1_nowait(th, SYS_mmap, addr + done, n, prot,
					 flags, (uint64_t)-1, 0);
			if (r < 0)
				return r;
		}
		return (long)addr;
	}
	for (uint64_t done = 0; done < len; done += CHUNK) {
		uint64_t n = len - done < CHUNK ? len - done : CHUNK;

		/* the three calls go in one command: fd_arg needs it */
		if (th->batch && !batch_room(th, 3))
			return -EFAULT;
		r = send_fds(th->proc->as->ctl, &host_fd, 1);
		if (r < 0)
			return r;
		c = &th->d->calls[th->batch ? th->deferred : 0];
		set_call(&c[0], STUB_CALL_RECVFD, 0, 0, 0, 0, 0, 0, -1);
		set_call(&c[1], SYS_mmap, addr + done, n, prot, flags, 0,
			 off + done, 4);
		set_call(&c[2], SYS_close, 0, 0, 0, 0, 0, 0, 0);
		if (th->batch) {
			th->deferred += 3;
			continue;
		}
		r = run_calls(th, 3);
		if (r < 0)
			return r;
		fd = c[0].ret;
		if (r == 1)
			return fd < 0 ? fd : -EIO;
		if (r == 2) {	/* mmap failed: the fd is still open there */
			r = c[1].ret;
			call1(th, SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
			return r;
		}
	}
	return (long)addr;
}

static long range_call(struct plat_thread *th, long nr, uint64_t addr,
		       uint64_t len, uint64_t arg)
{
	long r = 0;

	if (!len)
		return 0;
	for (uint64_t done = 0; done < len; done += CHUNK) {
		uint64_t n = len - done < CHUNK ? len - done : CHUNK;
		r = call1_nowait(th, nr, addr + done, n, arg, 0, 0, 0);
		if (r < 0)
			return r;
	}
	return r;
}

long plat_munmap(struct plat_thread *th, uint64_t addr, uint64_t len)
{
	if (th->proc->as->sites)
		patch_sites_unmapped(th->proc->as->sites, addr, len);
	return range_call(th, SYS_munmap, addr, len, 0);
}

long plat_mprotect(struct plat_thread *th, uint64_t addr, uint64_t len,
		   int prot)
{
	return range_call(th, SYS_mprotect, addr, len, (uint64_t)prot);
}

long plat_madvise(struct plat_thread *th, uint64_t addr, uint64_t len,
		  int advice)
{
	return range_call(th, SYS_madvise, addr, len, (uint64_t)advice);
}

long plat_mremap(struct plat_thread *th, uint64_t old, uint64_t old_len,
		 uint64_t new_len, int flags, uint64_t new_addr)
{
	if (old_len >= (1UL << 32) || new_len >= (1UL << 32))
		return -ENOMEM;
	long r;

	if (th->batch && flush_batch(th) < 0)
		return -EFAULT;
	r = call1(th, SYS_mremap, old, old_len, new_len, (uint64_t)flags,
		  new_addr, 0);
	if (r >= 0 && th->proc->as->sites) {
		/* MREMAP_FIXED replaced what was at the target */
		if ((uint64_t)r != old)
			patch_sites_unmapped(th->proc->as->sites, (uint64_t)r,
					     new_len);
		patch_sites_moved(th->proc->as->sites, old, old_len,
				  (uint64_t)r, new_len);
	}
	return r;
}

/* ---- guest memory ---- */

long plat_read_mem(struct plat_thread *th, uint64_t addr, void *buf,
		   size_t len)
{
	struct iovec l = { buf, len }, r = { (void *)addr, len };
	ssize_t n;

	if (!len)
		return 0;
	if (th->batch && flush_batch(th) < 0)
		return -EFAULT;
	if (addr >= GUEST_TASK_SIZE || len > GUEST_TASK_SIZE - addr)
		return -EFAULT;
	n = process_vm_readv(th->proc->pid, &l, 1, &r, 1, 0);
	return n <= 0 ? -EFAULT : n;
}

long plat_write_mem(struct plat_thread *th, uint64_t addr, const void *buf,
		    size_t len)
{
	struct iovec l = { (void *)buf, len }, r = { (void *)addr, len };
	ssize_t n;

	if (!len)
		return 0;
	if (th->batch && flush_batch(th) < 0)
		return -EFAULT;
	if (addr >= GUEST_TASK_SIZE || len > GUEST_TASK_SIZE - addr)
		return -EFAULT;
	n = process_vm_writev(th->proc->pid, &l, 1, &r, 1, 0);
	return n <= 0 ? -EFAULT : n;
}

/* ---- events and registers ---- */

static uint64_t *cur_mcontext(struct plat_thread *th)
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

/*
 * Resuming 5 bytes into a patched site (a call from it restarted, or a
 * context saved between its two original instructions) would run the
 * middle of the jump: it resumes at the site, whose slot then stands for
 * the number in rax once.
 */
static void patch_resume(struct plat_thread *th, const struct plat_regs *regs,
			 uint64_t *sc)
{
	struct patch_sites *sites = th->proc->as->sites;
	int slot;

	th->restart_slot = 0;
	if (!sites || regs->rip < 5)
		return;
	slot = patch_sites_at(sites, regs->rip - 5);
	if (slot < 0)
		return;
	sc[SC_RIP] = regs->rip - 5;
	th->restart_slot = (uint64_t)slot + 1;
	th->restart_nr = regs->rax;
}

/* A call from a patched site: what its slot stands for. */
static bool patch_event(struct plat_thread *th, struct plat_regs *regs)
{
	struct stub_patch *p = (struct stub_patch *)((char *)th->d + STUB_PATCH_OFF);
	uint64_t slot = __atomic_load_n(&p->slot, __ATOMIC_RELAXED);
	uint64_t site;
	int nr;

	if (!th->proc->as->sites ||
	    !patch_sites_slot(th->proc->as->sites, slot, &site, &nr))
		return false;
	if (slot / STUB_PATCH_KIND_SLOTS == STUB_PATCH_NR_RAX)
		nr = (int)regs->rax;
	else if (th->restart_slot == slot + 1)
		nr = (int)th->restart_nr;
	regs->rip = regs->rcx = site + 7;
	regs->r11 = regs->eflags;
	regs->orig_rax = (uint64_t)(int64_t)nr;
	regs->rax = (uint64_t)-ENOSYS;
	return true;
}

/* Hands the stub regs and the command to resume guest code. */
static bool resume(struct plat_thread *th, const struct plat_regs *regs)
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

int plat_run(struct plat_thread *th, struct plat_regs *regs,
	     struct plat_event *ev)
{
	uint64_t *sc;
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
	if (!take_event(th) || !(sc = cur_mcontext(th))) {
		/* The guest scribbled over its own region: it dies. */
		kill(th->proc->pid, SIGKILL);
		ev->type = PLAT_EV_DEAD;
		ev->dead_signal = SIGKILL;
		return 0;
	}
	event = aload(&th->d->event);
	signo = (int)aload((uint32_t *)&th->d->signo);
	th->trapped = event == STUB_EV_SYSCALL;
	/*
	 * What the stub posted is re-read from memory the guest can write:
	 * an event without its siginfo, or a fault signal the stub does not
	 * catch, was forged by the guest, which dies of it.
	 */
	if ((event == STUB_EV_SYSCALL || event == STUB_EV_FAULT) &&
	    (!th->si || (event == STUB_EV_FAULT && !stub_fault_signal(signo)))) {
		kill(th->proc->pid, SIGKILL);
		ev->type = PLAT_EV_DEAD;
		ev->dead_signal = SIGKILL;
		return 0;
	}
	mcontext_to_regs(sc, regs);
	regs->fs_base = th->fs_base;
	if (event == STUB_EV_PATCHED) {
		bool ok = patch_event(th, regs);

		th->restart_slot = 0;
		if (!ok) {
			/* no patched site has that slot: forged */
			kill(th->proc->pid, SIGKILL);
			ev->type = PLAT_EV_DEAD;
			ev->dead_signal = SIGKILL;
			return 0;
		}
		ev->type = PLAT_EV_SYSCALL;
		return 0;
	}
	th->restart_slot = 0;
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

/*
 * The kernel calls this after a trapped call; a slot (>= 0) means the
 * site should be rewritten now, by plat_patch_site(). Only in a process
 * with one host thread, sharing its memory with nobody: no other thread
 * can be between the site's two instructions while they change.
 */
int plat_patch_wanted(struct plat_thread *th, const struct plat_regs *regs)
{
	struct host_proc *p = th->proc;

	if (!th->trapped || !p->as->sites || regs->orig_rax >= 1024 ||
	    regs->rip < STUB_GUEST_LOW + 7 || regs->rip > GUEST_TASK_SIZE ||
	    p->nthreads != 1 || p->as->refs != 1)
		return -1;
	/* within one page: the 7 bytes change in one write or not at all */
	if (((regs->rip - 7) ^ (regs->rip - 1)) & ~4095UL)
		return -1;
	return patch_sites_note(p->as->sites, regs->rip - 7,
				(int)regs->orig_rax);
}

void plat_patch_site(struct plat_thread *th, const struct plat_regs *regs,
		     int slot, bool allowed)
{
	struct host_proc *p = th->proc;
	uint64_t site = regs->rip - 7;
	static const unsigned char load_r9[7] = { 0x4c, 0x8b, 0x4c, 0x24, 0x08,
						  0x0f, 0x05 };
	unsigned char code[7], jmp[7] = { 0xff, 0x24, 0x25 };
	uint32_t nr, target;
	int kind = -1;
	bool ok = false;

	if (allowed && plat_read_mem(th, site, code, 7) == 7) {
		memcpy(&nr, code + 1, 4);
		if (code[0] == 0xb8 && nr == (uint32_t)regs->orig_rax &&
		    code[5] == 0x0f && code[6] == 0x05)
			kind = STUB_PATCH_NR_IMM;
		else if (!memcmp(code, load_r9, 7))
			kind = STUB_PATCH_NR_RAX;
	}
	if (kind >= 0)
		slot = patch_sites_rekind(p->as->sites, slot, kind);
	if (kind >= 0 && slot >= 0) {
		char path[64];
		int fd;

		/*
		 * /proc/PID/mem writes read-only private pages as ptrace
		 * does: the page becomes the process's own copy. Not kept
		 * open: a few rewrites per process against an fd per guest
		 * process held by the kernel.
		 */
		snprintf(path, sizeof(path), "/proc/%d/mem", p->pid);
		fd = open(path, O_RDWR | O_CLOEXEC);
		target = (uint32_t)(STUB_PATCH_TABLE + 8 * (uint64_t)slot);
		memcpy(jmp + 3, &target, 4);
		ok = fd >= 0 && pwrite(fd, jmp, 7, (off_t)site) == 7;
		if (fd >= 0)
			close(fd);
	}
	patch_sites_done(p->as->sites, slot, ok);
}

int plat_host_pid(struct plat_thread *th)
{
	return th->proc->pid;
}

int plat_host_tid(struct plat_thread *th)
{
	return th->tid > 0 ? th->tid : 0;
}

/* ---- FPU images ---- */

#define FP_XSTATE_MAGIC1	0x46505853U
#define FP_XSTATE_MAGIC2	0x46505845U

/* A patched call's FPU image changed: the stub must load it. */
static void patch_fpu_dirty(struct plat_thread *th)
{
	struct stub_patch *p = (struct stub_patch *)((char *)th->d + STUB_PATCH_OFF);

	__atomic_store_n(&p->fpu_dirty, 1, __ATOMIC_RELAXED);
}

/* Size of the image at fp, from its software-reserved bytes. */
static size_t image_size(const unsigned char *fp, size_t max)
{
	uint32_t magic1, ext;

	memcpy(&magic1, fp + 464, 4);
	memcpy(&ext, fp + 468, 4);
	/* legacy area, XSAVE header, and MAGIC2 after the extended state */
	if (magic1 == FP_XSTATE_MAGIC1 && ext >= 512 + 64 + 4 && ext <= max)
		return ext;
	return 512;
}

static unsigned char *cur_fpu(struct plat_thread *th, size_t *len)
{
	uint64_t *sc = cur_mcontext(th);
	unsigned char *fp;
	uint64_t at;

	if (!sc)
		return NULL;
	/* read once: the guest may change it under us */
	at = __atomic_load_n(&sc[SC_FPSTATE], __ATOMIC_RELAXED);
	fp = at ? region_ptr(th, at, 512, STUB_FPU_OFF) : NULL;
	if (!fp)
		return NULL;
	*len = image_size(fp, STUB_REGION_SIZE - (at - th->gaddr));
	return fp;
}

size_t plat_fpu_size(void)
{
	return fpu_size;
}

int plat_fpu_save(struct plat_thread *th, void *buf, size_t len)
{
	size_t n;
	unsigned char *fp = cur_fpu(th, &n);

	memset(buf, 0, len);
	if (!fp) {
		/* initial state: x87 control word and MXCSR defaults */
		if (len >= 512) {
			uint16_t fcw = 0x37f;
			uint32_t mxcsr = 0x1f80;
			memcpy(buf, &fcw, 2);
			memcpy((char *)buf + 24, &mxcsr, 4);
		}
		return 0;
	}
	if (n > len)
		n = len;
	memcpy(buf, fp, n);
	return 0;
}

int plat_fpu_load(struct plat_thread *th, const void *buf, size_t len)
{
	size_t n;
	unsigned char *fp = cur_fpu(th, &n);
	uint32_t mxcsr;

	if (!fp || len < 512)
		return -EFAULT;
	patch_fpu_dirty(th);
	/* Keep the host's software bytes and XSAVE header, take the rest. */
	memcpy(fp, buf, 464);
	memcpy(&mxcsr, fp + 24, 4);
	mxcsr &= 0xffff;
	memcpy(fp + 24, &mxcsr, 4);
	if (n >= 576 + 4 && len >= n) {
		uint64_t host_bv, guest_bv;

		memcpy(&host_bv, fp + 512, 8);
		memcpy(&guest_bv, (const char *)buf + 512, 8);
		memcpy(fp + 576, (const char *)buf + 576, n - 576 - 4);
		guest_bv &= host_bv | 3;
		memcpy(fp + 512, &guest_bv, 8);
	}
	return 0;
}

/* The copy of a thread starts with its parent's FPU state. */
static void copy_fpu_to_child(struct plat_thread *parent,
			      struct plat_thread *child)
{
	size_t n, at;
	unsigned char *fp = cur_fpu(parent, &n);
	uint64_t *sc = cur_mcontext(child);

	if (!sc)
		return;
	if (!fp || n > STUB_FPU_MAX) {
		sc[SC_FPSTATE] = 0;
		return;
	}
	at = (STUB_ENTRY_UC_OFF - 8 - n) & ~(size_t)63;	/* XSAVE alignment */
	memcpy((char *)child->d + at, fp, n);
	sc[SC_FPSTATE] = child->gaddr + at;
	/* uc_flags: UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
	*(uint64_t *)((char *)sc - UC_MCONTEXT_OFF + UC_FLAGS_OFF) = 0x7;
}

/* ---- creating processes and threads ---- */

static void find_vdso(pid_t pid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (strstr(line, "[vdso]") &&
		    sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
		    lo >= STUB_CODE_ADDR + STUB_CODE_MAX) {
			vdso_base = lo;
			vdso_size = hi - lo;
		}
	}
	fclose(f);
}

static int spawn_one(struct plat_thread **out)
{
	struct host_as *as;
	struct plat_thread *th;
	struct host_proc *p;
	int sv[2], fds[2], rfd, r;
	long pid = 0;
	static bool vdso_known;

	as = calloc(1, sizeof(*as));
	if (!as)
		return -ENOMEM;
	as->ctl = -1;
	if (patching && !(as->sites = patch_sites_new())) {
		free(as);
		return -ENOMEM;
	}
	pthread_mutex_lock(&plock);
	th = region_new(as, &rfd);
	if (!th) {
		r = -ENOMEM;
		goto out_as;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		r = -errno;
		goto out_region;
	}
	as->ctl = sv[0];
	region_prepare(th);
	memcpy((char *)th->d + STUB_FPU_OFF, filter_prog, (size_t)filter_len * 8);
	th->d->filter_len = (uint32_t)filter_len;
	fds[0] = rfd;
	fds[1] = sv[1];
	r = send_fds(zygote_sock, fds, 2);
	close(rfd);
	close(sv[1]);
	if (r < 0)
		goto out_region;
	if (recv(zygote_sock, &pid, sizeof(pid), 0) != sizeof(pid) ||
	    pid <= 0) {
		r = -EAGAIN;
		goto out_region;
	}
	p = proc_new((pid_t)pid, as);
	if (!p) {
		kill((pid_t)pid, SIGKILL);
		r = -ENOMEM;
		goto out_region;
	}
	th->tid = (pid_t)pid;
	proc_add_thread(p, th);
	pthread_mutex_unlock(&plock);

	/* An empty command: the stub has set itself up (or died trying). */
	if (run_calls(th, 0) != 0) {
		plat_kill(th);
		plat_thread_put(th);
		return -EAGAIN;
	}
	if (!vdso_known) {
		vdso_known = true;
		find_vdso((pid_t)pid);
	}
	*out = th;
	return 0;

out_region:
	region_free(th);
out_as:
	if (as->ctl >= 0)
		close(as->ctl);
	patch_sites_free(as->sites);
	free(as);
	pthread_mutex_unlock(&plock);
	return r;
}

/*
 * A fresh process costs a host fork of the zygote and the stub's set-up
 * (hundreds of microseconds). One is kept ready, made by a host thread of
 * ours while the guest runs, so that execve rarely waits for one.
 */
#define POOL_SIZE	1
static struct plat_thread *pool[POOL_SIZE];
static int pool_n;
static uint32_t pool_seq;
static bool pool_started;

static void *pool_refill(void *arg)
{
	(void)arg;
	for (;;) {
		uint32_t seq = aload(&pool_seq);
		struct plat_thread *th;
		bool need;

		pthread_mutex_lock(&plock);
		need = pool_n < POOL_SIZE;
		pthread_mutex_unlock(&plock);
		if (!need) {
			futex(&pool_seq, FUTEX_WAIT_PRIVATE, seq);
			continue;
		}
		if (spawn_one(&th) < 0) {
			usleep(100000);
			continue;
		}
		pthread_mutex_lock(&plock);
		if (pool_n < POOL_SIZE) {
			pool[pool_n++] = th;
			th = NULL;
		}
		pthread_mutex_unlock(&plock);
		if (th) {
			plat_kill(th);
			plat_thread_put(th);
		}
	}
	return NULL;
}

int plat_spawn(struct plat_thread **out)
{
	struct plat_thread *th = NULL;
	pthread_t t;

	pthread_mutex_lock(&plock);
	while (pool_n > 0 && !th) {
		th = pool[--pool_n];
		if (th->proc->dead) {
			/* died while waiting (killed from outside): drop it */
			pthread_mutex_unlock(&plock);
			plat_thread_put(th);
			th = NULL;
			pthread_mutex_lock(&plock);
		}
	}
	if (!pool_started) {
		pool_started = true;
		if (pthread_create(&t, NULL, pool_refill, NULL) == 0)
			pthread_detach(t);
	}
	pthread_mutex_unlock(&plock);
	__atomic_add_fetch(&pool_seq, 1, __ATOMIC_SEQ_CST);
	futex(&pool_seq, FUTEX_WAKE_PRIVATE, 1);
	if (th) {
		*out = th;
		return 0;
	}
	return spawn_one(out);
}

/* Back to the initial x87 and SSE state, every XSAVE component init. */
static void fpu_reset(struct plat_thread *th)
{
	size_t n;
	unsigned char *fp = cur_fpu(th, &n);
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;

	if (!fp)
		return;
	patch_fpu_dirty(th);
	memset(fp, 0, 464);
	memcpy(fp, &fcw, 2);
	memcpy(fp + 24, &mxcsr, 4);
	if (n >= 576 + 4)
		memset(fp + 512, 0, 8);		/* XSTATE_BV */
}

/*
 * Reusing the host process saves a host fork of the zygote, the new
 * process's set-up (filter, handlers, region) and the old process's exit:
 * about a third of a fork + exec on a single CPU. The guest's whole range
 * goes in one munmap, which the filter allows for exactly that range.
 */
bool plat_exec_in_place(struct plat_thread *th)
{
	struct host_proc *p = th->proc;
	bool alone;

	pthread_mutex_lock(&plock);
	alone = !p->dead && p->nthreads == 1 && p->as->refs == 1 &&
		th->tid == p->pid;
	pthread_mutex_unlock(&plock);
	return alone;
}

int plat_exec_reset(struct plat_thread *th)
{
	long r;

	if (!plat_exec_in_place(th))
		return -EBUSY;
	th->batch = true;
	/* everything but the hole with the patch slot table */
	r = call1_nowait(th, SYS_munmap, STUB_GUEST_LOW,
			 STUB_PATCH_TABLE - STUB_GUEST_LOW, 0, 0, 0, 0);
	if (r >= 0)
		r = call1_nowait(th, SYS_munmap, STUB_PATCH_HOLE_END,
				 GUEST_TASK_SIZE - STUB_PATCH_HOLE_END, 0, 0, 0,
				 0);
	if (r < 0)
		return (int)r;
	if (th->proc->as->sites)
		patch_sites_clear(th->proc->as->sites);
	astore(&th->d->robust_set, 0);
	th->d->robust_head = 0;
	fpu_reset(th);
	return 0;
}

enum clone_kind { CK_FORK, CK_VM, CK_THREAD };

#define PID_LIMIT	4194304		/* the host's pid_max ceiling */

/*
 * The pid a stub reports for the process it cloned comes from memory its
 * guest can write. It is believed only if it is a child of ours that we
 * do not know yet: we send SIGKILL to it later. Called with plock held.
 */
static bool new_child(pid_t pid)
{
	siginfo_t si;
	struct host_proc *p;

	if (pid <= 0 || pid > PID_LIMIT || pid == zygote_pid)
		return false;
	for (p = procs; p; p = p->next)
		if (p->pid == pid && !p->dead)
			return false;
	memset(&si, 0, sizeof(si));
	return waitid(P_PID, (id_t)pid, &si,
		      WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL) == 0;
}

/*
 * The new host thread or process is made by the parent's stub in one
 * command: receive and map the region if it is a new one, clone, and for
 * a fork unmap the child's region from the parent. The child does not
 * report back: its region was prepared here, and its first command comes
 * from its own task's first plat_run(). Called without plock.
 */
static int clone_common(struct plat_thread *parent, enum clone_kind kind,
			struct plat_thread **out)
{
	static const uint64_t flags[] = { STUB_CLONE_FORK, STUB_CLONE_VM,
					  STUB_CLONE_THREAD };
	struct host_as *pas = parent->proc->as, *cas = pas;
	struct stub_call *c = parent->d->calls;
	struct plat_thread *child;
	struct host_proc *p = parent->proc;
	int rfd, sv[2] = { -1, -1 }, r;
	unsigned n = 0, at_clone, k;
	bool fresh;
	long tid, done;

	pthread_mutex_lock(&plock);
	child = region_get(pas, &rfd);
	if (!child) {
		pthread_mutex_unlock(&plock);
		return -EAGAIN;
	}
	fresh = rfd >= 0;
	region_prepare(child);
	child->fs_base = parent->fs_base;
	copy_fpu_to_child(parent, child);
	if (fresh) {
		r = send_fds(pas->ctl, &rfd, 1);
		close(rfd);
		if (r < 0)
			goto fail;
		set_call(&c[n++], STUB_CALL_RECVFD, 0, 0, 0, 0, 0, 0, -1);
		set_call(&c[n++], SYS_mmap, child->gaddr, STUB_REGION_SIZE,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, 0, 0, 4);
		set_call(&c[n++], SYS_close, 0, 0, 0, 0, 0, 0, 0);
	}
	if (kind == CK_FORK) {
		cas = calloc(1, sizeof(*cas));
		if (cas && pas->sites && !(cas->sites = patch_sites_copy(pas->sites))) {
			free(cas);
			cas = NULL;
		}
		if (!cas ||
		    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
			if (cas)
				patch_sites_free(cas->sites);
			free(cas);
			cas = pas;
			r = -EAGAIN;
			goto fail;
		}
		cas->ctl = sv[0];
		cas->slots[child->slot / 8] |= (uint8_t)(1u << (child->slot % 8));
		r = send_fds(pas->ctl, &sv[1], 1);
		close(sv[1]);
		sv[1] = -1;
		if (r < 0)
			goto fail;
		set_call(&c[n++], STUB_CALL_RECVFD, 0, 0, 0, 0, 0, 0, -1);
	}
	at_clone = n;
	set_call(&c[n++], STUB_CALL_CLONE, flags[kind], child->gaddr, 0, 0, 0,
		 0, kind == CK_FORK ? 2 : -1);
	if (kind == CK_FORK) {
		set_call(&c[n++], SYS_close, 0, 0, 0, 0, 0, 0, 0);
		set_call(&c[n++], SYS_munmap, child->gaddr, STUB_REGION_SIZE,
			 0, 0, 0, 0, -1);
	}
	done = run_calls(parent, n);
	tid = c[at_clone].ret;
	if (done <= (long)at_clone || tid <= 0 || tid > PID_LIMIT ||
	    (kind != CK_THREAD && !new_child((pid_t)tid))) {
		r = tid < 0 && tid > -4096 ? (int)tid : -EAGAIN;
		/* a clone that may have run: its region is not reused */
		if (done > (long)at_clone)
			fresh = true;
		goto fail;
	}
	if (kind == CK_FORK && done != (long)n) {
		/* the child's region is still the parent's too: not safe */
		kill((pid_t)tid, SIGKILL);
		r = -EAGAIN;
		fresh = true;
		goto fail;
	}
	if (kind == CK_FORK) {
		slot_free(pas, child->slot);
		p = proc_new((pid_t)tid, cas);
	} else if (kind == CK_VM) {
		p = proc_new((pid_t)tid, pas);
	}
	if (!p) {
		kill((pid_t)tid, SIGKILL);
		r = -ENOMEM;
		fresh = true;
		goto fail;
	}
	child->tid = (pid_t)tid;
	proc_add_thread(p, child);
	if (kind == CK_FORK) {
		/*
		 * Before any guest code runs there, the child drops the
		 * regions of the parent's other threads: every slot but its
		 * own, in at most two calls.
		 */
		uint64_t lo = REGION_ADDR(0), hi = REGION_ADDR(STUB_MAX_SLOTS);

		k = 0;
		if (child->gaddr > lo)
			set_call(&child->d->calls[k++], SYS_munmap, lo,
				 child->gaddr - lo, 0, 0, 0, 0, -1);
		if (child->gaddr + STUB_REGION_SIZE < hi)
			set_call(&child->d->calls[k++], SYS_munmap,
				 child->gaddr + STUB_REGION_SIZE,
				 hi - child->gaddr - STUB_REGION_SIZE, 0, 0, 0,
				 0, -1);
		child->deferred = k;
	}
	pthread_mutex_unlock(&plock);
	*out = child;
	return 0;

fail:
	if (sv[1] >= 0)
		close(sv[1]);
	if (cas != pas)
		as_put(cas);
	if (fresh) {
		slot_free(pas, child->slot);
		region_free(child);
	} else {
		region_park(pas, child);
	}
	pthread_mutex_unlock(&plock);
	return r;
}

int plat_fork(struct plat_thread *parent, struct plat_thread **child)
{
	return clone_common(parent, CK_FORK, child);
}

int plat_clone_vm(struct plat_thread *parent, struct plat_thread **child)
{
	return clone_common(parent, CK_VM, child);
}

int plat_clone_thread(struct plat_thread *parent, struct plat_thread **child)
{
	return clone_common(parent, CK_THREAD, child);
}

/* ---- ending threads and processes ---- */

void plat_kill(struct plat_thread *th)
{
	pthread_mutex_lock(&plock);
	if (!th->proc->dead)
		kill(th->proc->pid, SIGKILL);
	pthread_mutex_unlock(&plock);
}

/*
 * The host thread is told to exit; its region is parked for reuse once
 * the host has cleared host_tid, so nobody waits for it to be gone,
 * unless the idle list is full of regions whose threads are still going.
 */
void plat_thread_exit(struct plat_thread *th)
{
	uint32_t tid;
	bool room;

	if (kick(th, STUB_CMD_EXIT)) {
		pthread_mutex_lock(&plock);
		room = idle_room(th->proc->as);
		pthread_mutex_unlock(&plock);
		if (room)
			goto put;
		uint64_t deadline = now_ns() + CALLS_TIMEOUT_NS;

		while ((tid = aload(&th->d->host_tid)) != 0) {
			if (now_ns() >= deadline) {
				kill(th->proc->pid, SIGKILL);
				break;
			}
			futex_wait_until(&th->d->host_tid, tid, deadline);
		}
	}
put:
	plat_thread_put(th);
}

void plat_thread_put(struct plat_thread *th)
{
	struct host_proc *p = th->proc;
	struct plat_thread **pp;

	pthread_mutex_lock(&plock);
	for (pp = &p->threads; *pp; pp = &(*pp)->next)
		if (*pp == th) {
			*pp = th->next;
			break;
		}
	p->nthreads--;
	region_park(p->as, th);
	proc_maybe_free(p);
	pthread_mutex_unlock(&plock);
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
