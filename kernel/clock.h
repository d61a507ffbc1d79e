/* SPDX-License-Identifier: GPL-2.0 */
/* Clock ids decoded: shared by kernel/time.c and kernel/posix-timers.c. */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include "kern/kernel.h"

struct task;

enum kclock_kind {
	KC_HOST,		/* a host clock we read directly */
	KC_CPU,			/* CPU time of a process or thread */
};

#define CPUCLOCK_PROF	0	/* user + system */
#define CPUCLOCK_VIRT	1	/* user */
#define CPUCLOCK_SCHED	2	/* runtime */

struct kclock {
	int id;			/* the guest's clock id */
	enum kclock_kind kind;
	int host;		/* KC_HOST: the host clock id */
	int which;		/* KC_CPU: CPUCLOCK_* */
	bool thread;		/* KC_CPU: a thread's clock */
	pid_t pid;		/* KC_CPU: tid or tgid it measures */
	bool settable;		/* clock_settime is defined */
	bool can_sleep;		/* clock_nanosleep and timers are defined */
};

/*
 * Decodes clock for task t: 0 or -EINVAL (unknown clock, or a CPU clock
 * of a task that t may not use). for_timer applies timer_create's rule
 * that a process CPU clock must name a thread group leader.
 */
int kclock_get(struct task *t, int clock, bool for_timer, struct kclock *kc);
/* Reads it: 0 or -EINVAL when the measured task is gone. */
int kclock_read(const struct kclock *kc, u64 *ns);
/* Converts a deadline on kc to CLOCK_MONOTONIC (for host clocks). */
u64 kclock_to_mono(const struct kclock *kc, u64 ns, u64 clock_now);

#endif
