/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timers of a thread group: POSIX timers (timer_create) and the three
 * interval timers (setitimer) are the same object, kept on
 * signal->posix_timers. kernel/posix-timers.c owns it.
 */
#ifndef KERNEL_TIMERS_H
#define KERNEL_TIMERS_H

#include "kern/kernel.h"
#include "kern/time.h"
#include "clock.h"

struct signal_struct;

#define SIGEV_SIGNAL	0
#define SIGEV_NONE	1
#define SIGEV_THREAD	2
#define SIGEV_THREAD_ID	4

/* setitimer's timers have negative ids, invisible to timer_*() */
#define ITIMER_ID(which)	(-1 - (which))
#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2

struct k_itimer {
	struct list_head node;		/* in signal->posix_timers */
	struct signal_struct *sig;
	int id;
	struct kclock clock;
	int notify;			/* SIGEV_* */
	int signo;
	u64 sigval;
	pid_t target_tid;		/* SIGEV_THREAD_ID */
	u64 expires;			/* on the timer's clock; 0 = disarmed */
	u64 interval;
	int overrun_last;		/* of the last signal taken */
	int overrun_queued;		/* of the last signal queued */
	bool queued_any;		/* overrun_queued is not yet taken */
	struct ktimer kt;		/* host clocks */
	struct ktimer_poll poll;	/* CPU clocks */
};

struct k_itimer *k_itimer_alloc(struct signal_struct *sig, int id,
				const struct kclock *clock);
struct k_itimer *k_itimer_find(struct signal_struct *sig, int id);
void k_itimer_free(struct k_itimer *k);
/*
 * Arms k to expire at `expires` on its clock (0 disarms) and every
 * `interval` after.
 */
void k_itimer_set(struct k_itimer *k, u64 expires, u64 interval);
/* Time left (ns; 0 when disarmed) and the interval. */
void k_itimer_get(struct k_itimer *k, u64 *left, u64 *interval);

#endif
