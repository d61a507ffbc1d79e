// SPDX-License-Identifier: GPL-2.0
/*
 * Pausing the whole guest (mconsole "stop" / "go").
 *
 * Every guest thread runs guest code only from task_loop(), between its
 * events. A frozen machine parks each task there, at the point where it
 * would resume its guest: threads running guest code are interrupted
 * (plat_interrupt, as for a signal) and park at once; threads sleeping in
 * the kernel finish what woke them and park on their way out; new tasks
 * park before their first instruction. So no guest code runs, whatever the
 * guest does, and nothing depends on host job control (a SIGSTOPped guest
 * process could not answer the kernel's interrupts).
 *
 * What keeps going: host threads of the kernel (console input, timers,
 * mconsole). Guest clocks are the host's (the vDSO), so they do not stand
 * still; timers that expire meanwhile are delivered after "go".
 */
#include "kern/kernel.h"
#include "kern/sched.h"

static u32 frozen;		/* futex word: 1 while stopped */

bool guests_frozen(void)
{
	return __atomic_load_n(&frozen, __ATOMIC_SEQ_CST);
}

/* Under the kernel lock. Returns once no guest code runs (or after 2 s). */
int freeze_guests(void)
{
	u64 deadline = ktime_get_ns() + 2000000000ULL;
	struct task *t;
	bool busy;

	if (guests_frozen())
		return -EALREADY;
	__atomic_store_n(&frozen, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		busy = false;
		list_for_each_entry(t, &all_tasks, all_node) {
			if (!t->in_user || !t->pth || t->pth_dead)
				continue;
			busy = true;
			plat_interrupt(t->pth);
		}
		if (!busy || ktime_get_ns() > deadline)
			break;
		/* the lock is what the parking tasks need */
		os_kernel_unlock();
		os_futex_wait(&frozen, 1, ktime_get_ns() + 1000000ULL);
		os_kernel_lock();
	}
	return busy ? -ETIMEDOUT : 0;
}

void thaw_guests(void)
{
	__atomic_store_n(&frozen, 0, __ATOMIC_SEQ_CST);
	os_futex_wake(&frozen, INT_MAX);
}

/*
 * Called by task_loop() under the kernel lock before it resumes t's guest.
 * A task with a fatal signal goes on: it only exits, and running no guest
 * code on the way.
 */
void try_to_freeze(struct task *t)
{
	while (guests_frozen() && !fatal_signal_pending(t)) {
		if (t->pth)
			plat_set_blocking(t->pth, true);
		os_kernel_unlock();
		os_futex_wait(&frozen, 1, ktime_get_ns() + 100000000ULL);
		os_kernel_lock();
	}
}
