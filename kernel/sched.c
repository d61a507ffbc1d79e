// SPDX-License-Identifier: GPL-2.0
/*
 * Task execution and sleeping.
 *
 * Each task has its own host thread running task_loop(). The loop resumes
 * the guest through the platform without the kernel lock, and takes the
 * lock for everything else: system calls, faults, signal delivery. Sleeping
 * is a futex wait on the task's wake_seq with the lock dropped.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "kern/signal.h"
#include "kern/mm.h"

__thread struct task *current;
LIST_HEAD(all_tasks);
struct task *init_task_ptr;
u64 boot_time_ns;

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	if (!w->queued) {
		list_add_tail(&w->link, &wq->head);
		w->queued = true;
	}
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	(void)wq;
	if (w->queued) {
		list_del(&w->link);
		w->queued = false;
	}
}

void wake_up_task(struct task *t)
{
	__atomic_add_fetch(&t->wake_seq, 1, __ATOMIC_SEQ_CST);
	os_futex_wake_late(&t->wake_seq);
}

void wake_up_poll(struct wait_queue_head *wq, unsigned int key)
{
	struct wait_queue_entry *w, *n;

	list_for_each_entry_safe(w, n, &wq->head, link) {
		if (w->func)
			w->func(w, key);
		else
			wake_up_task(w->task);
	}
}

void wake_up(struct wait_queue_head *wq)
{
	wake_up_poll(wq, 0);
}

bool waitqueue_active(struct wait_queue_head *wq)
{
	return !list_empty(&wq->head);
}

/*
 * A wake-up after the caller last checked its condition moved wake_seq;
 * the caller checked under the lock, so sampling wake_seq here (still under
 * the lock) and sleeping only while it is unchanged loses nothing.
 *
 * This variant sleeps even with a signal pending (until woken or the
 * deadline, 0 for none): for waits that only a fatal signal may end,
 * which the caller checks itself. schedule_timeout() returns at once
 * when a signal is pending.
 */
int schedule_timeout_uninterruptible(u64 deadline_ns)
{
	struct task *t = current;
	u32 seq = __atomic_load_n(&t->wake_seq, __ATOMIC_SEQ_CST);
	int r;

	if (t->pth)
		plat_set_blocking(t->pth, true);
	os_kernel_unlock();
	r = os_futex_wait(&t->wake_seq, seq, deadline_ns);
	os_kernel_lock();
	return r == -ETIMEDOUT ? -ETIMEDOUT : 0;
}

int schedule_timeout(u64 deadline_ns)
{
	if (signal_pending(current))
		return 0;
	return schedule_timeout_uninterruptible(deadline_ns);
}

int schedule(void)
{
	return schedule_timeout(0);
}

void schedule_uninterruptible(void)
{
	schedule_timeout_uninterruptible(0);
}

bool fatal_signal_pending(struct task *t)
{
	return (t->pending.signal & sigmask(SIGKILL)) ||
	       (t->signal->flags & SIGNAL_GROUP_EXIT);
}

bool signal_pending_current(void)
{
	return signal_pending(current);
}

static void handle_fault(struct task *t, const struct plat_fault *f)
{
	/* Host signal numbers and codes are the guest's: x86-64 on both. */
	force_sig_fault_trap(f->signo, f->code, f->addr, f->trapno, f->err);
}

/* The host process vanished under us (killed from outside, or the guest
 * wrecked its own stub). The guest process dies of that signal. */
static void host_died(struct task *t, const struct plat_event *ev)
{
	int sig = ev->dead_signal ? ev->dead_signal : SIGKILL;

	if (!(t->signal->flags & SIGNAL_GROUP_EXIT))
		pr_warn("%s[%d]: host process died (signal %d)\n", t->comm,
			t->pid, ev->dead_signal);
	t->pth_dead = true;
	do_group_exit(sig & 0x7f);
}

/*
 * A call site that keeps trapping may be rewritten by the platform to
 * skip the trap (platform/systrap/patch.c): only in a private executable
 * mapping, where the change stays this process's and its fork children's
 * and never reaches a file or memory shared with anyone.
 */
static void maybe_patch_site(struct task *t)
{
	int slot = plat_patch_wanted(t->pth, &t->regs);
	uaddr_t site = t->regs.rip - 7;
	struct vma *vma;
	bool ok;

	if (slot < 0)
		return;
	vma = find_vma(t->mm, site);
	ok = vma && vma->start <= site && site + 7 <= vma->end &&
	     (vma->flags & VM_EXEC) && !(vma->flags & (VM_SHARED | VM_MAYSHARE));
	plat_patch_site(t->pth, &t->regs, slot, ok);
}

void task_loop(void *arg)
{
	struct task *t = arg;
	struct plat_event ev;

	current = t;
	os_kernel_lock();
	for (;;) {
		/* A new task's guest code may have been started by do_fork. */
		if (!t->in_user) {
			task_return_to_user(t);
			if (guests_frozen() && !fatal_signal_pending(t)) {
				/* signals may come meanwhile: deliver them after */
				try_to_freeze(t);
				continue;
			}
			if (t->pth)
				plat_set_blocking(t->pth, false);
			t->in_user = true;
		}
		os_kernel_unlock();
		plat_run(t->pth, &t->regs, &ev);
		os_kernel_lock();
		t->in_user = false;
		switch (ev.type) {
		case PLAT_EV_SYSCALL:
			maybe_patch_site(t);
			t->in_syscall = true;
			do_syscall(t);
			t->in_syscall = false;
			break;
		case PLAT_EV_SYSCALL_COMPAT:
			t->regs.rax = (u64)-ENOSYS;
			break;
		case PLAT_EV_FAULT:
			if (!plat_patch_trap(t->pth, &t->regs, &ev.fault))
				handle_fault(t, &ev.fault);
			break;
		case PLAT_EV_INTERRUPT:
			break;
		case PLAT_EV_DEAD:
			host_died(t, &ev);
			break;
		}
	}
}

/* Everything that must happen before guest code runs again. */
void task_return_to_user(struct task *t)
{
	do_signal(t);
}
