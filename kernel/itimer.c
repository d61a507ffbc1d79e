// SPDX-License-Identifier: GPL-2.0
/*
 * Interval timers: setitimer, getitimer, alarm.
 *
 * Each of a thread group's three interval timers is a timer object of
 * kernel/posix-timers.c, made on first use: ITIMER_REAL on CLOCK_MONOTONIC
 * sending SIGALRM, ITIMER_VIRTUAL on the process's user CPU time sending
 * SIGVTALRM, ITIMER_PROF on its user + system CPU time sending SIGPROF.
 * signal->itimer[] mirrors their settings for the rest of the kernel.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/time.h"
#include "timers.h"

struct kitimerval {
	struct ktimeval it_interval;
	struct ktimeval it_value;
};

static const int itimer_signal[3] = { SIGALRM, SIGVTALRM, SIGPROF };

static struct k_itimer *get_itimer(struct task *t, int which, bool create)
{
	struct signal_struct *sig = t->signal;
	struct k_itimer *k = k_itimer_find(sig, ITIMER_ID(which));
	struct kclock kc;

	if (k || !create)
		return k;
	if (which == ITIMER_REAL)
		kclock_get(t, CLOCK_MONOTONIC, false, &kc);
	else
		/* this process's CPU clock, user only for VIRTUAL */
		kclock_get(t, (int)((~0U) << 3) | (which == ITIMER_VIRTUAL ?
					CPUCLOCK_VIRT : CPUCLOCK_PROF),
			   true, &kc);
	k = k_itimer_alloc(sig, ITIMER_ID(which), &kc);
	if (k) {
		k->notify = SIGEV_SIGNAL;
		k->signo = itimer_signal[which];
	}
	return k;
}

static struct ktimeval ns_to_tv_up(u64 ns)
{
	/* A running timer with under a microsecond left still shows 1 us. */
	struct ktimeval tv = { (s64)(ns / NSEC_PER_SEC),
			       (s64)DIV_ROUND_UP(ns % NSEC_PER_SEC,
						 NSEC_PER_USEC) };

	if (tv.tv_usec == 1000000) {
		tv.tv_sec++;
		tv.tv_usec = 0;
	}
	return tv;
}

static struct kitimerval itimer_value(struct task *t, int which)
{
	struct k_itimer *k = get_itimer(t, which, false);
	struct kitimerval v;
	u64 left = 0, interval = 0;

	if (k)
		k_itimer_get(k, &left, &interval);
	v.it_value = ns_to_tv_up(left);
	v.it_interval = ns_to_tv_up(interval);
	return v;
}

static bool tv_valid(const struct ktimeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

static u64 tv_to_ns(const struct ktimeval *tv)
{
	if ((u64)tv->tv_sec >= (u64)INT64_MAX / NSEC_PER_SEC)
		return INT64_MAX;
	return (u64)tv->tv_sec * NSEC_PER_SEC + (u64)tv->tv_usec * NSEC_PER_USEC;
}

static int do_setitimer(struct task *t, int which,
			const struct kitimerval *nv, struct kitimerval *ov)
{
	struct k_itimer *k;
	u64 value = tv_to_ns(&nv->it_value), now, expires = 0;
	u64 interval = tv_to_ns(&nv->it_interval);
	int r;

	if (ov)
		*ov = itimer_value(t, which);
	k = get_itimer(t, which, value != 0);
	if (!k)
		return value ? -ENOMEM : 0;
	if (value) {
		r = kclock_read(&k->clock, &now);
		if (r)
			return r;
		expires = value > (u64)INT64_MAX - now ? (u64)INT64_MAX :
			  now + value;
	}
	k_itimer_set(k, expires, interval);
	t->signal->itimer[which].expires_ns = k->expires;
	t->signal->itimer[which].interval_ns = k->interval;
	return 0;
}

SYSCALL_DEFINE2(getitimer, int, which, uaddr_t, uval)
{
	struct kitimerval v;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	v = itimer_value(current, which);
	if (copy_to_user(uval, &v, sizeof(v)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(setitimer, int, which, uaddr_t, unew, uaddr_t, uold)
{
	struct kitimerval nv, ov;
	int r;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	/* A NULL new value disarms, as Linux has long accepted. */
	memset(&nv, 0, sizeof(nv));
	if (unew && copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	if (!tv_valid(&nv.it_value) || !tv_valid(&nv.it_interval))
		return -EINVAL;
	r = do_setitimer(current, which, &nv, uold ? &ov : NULL);
	if (r)
		return r;
	if (uold && copy_to_user(uold, &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	struct kitimerval nv = { { 0, 0 }, { (s64)seconds, 0 } }, ov;
	unsigned int left;

	do_setitimer(current, ITIMER_REAL, &nv, &ov);
	/* Rounded to the nearest second, and never 0 for a running alarm. */
	left = (unsigned int)ov.it_value.tv_sec;
	if ((!left && ov.it_value.tv_usec) || ov.it_value.tv_usec >= 500000)
		left++;
	return left;
}
