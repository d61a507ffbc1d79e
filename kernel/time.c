// SPDX-License-Identifier: GPL-2.0
/*
 * Clocks and sleeps: clock_gettime/getres/settime, gettimeofday,
 * settimeofday, time, nanosleep, clock_nanosleep.
 *
 * Guests also read the time through the host's vDSO without trapping, so
 * our clocks are the host's: CLOCK_MONOTONIC and CLOCK_BOOTTIME are the
 * host's, not counted from our boot. For the same reason the clock cannot
 * be set: a guest-only offset would disagree with the vDSO, and setting
 * the host clock is not ours to do, so clock_settime and settimeofday
 * answer EPERM once the arguments are found valid.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/time.h"
#include "clock.h"

/* The timezone of settimeofday(2), reported by gettimeofday(2). */
static struct {
	int minuteswest;
	int dsttime;
} sys_tz;

/* ---- clock ids ---- */

static int cpuclock_pid(int clock)
{
	return ~(clock >> 3);
}

int kclock_get(struct task *t, int clock, bool for_timer, struct kclock *kc)
{
	memset(kc, 0, sizeof(*kc));
	kc->id = clock;
	kc->kind = KC_HOST;
	kc->host = clock;
	switch (clock) {
	case CLOCK_REALTIME:
		kc->settable = true;
		/* fall through */
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		kc->can_sleep = true;
		return 0;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return 0;
	case CLOCK_REALTIME_ALARM:
		/* Without a wake-up source these are their base clocks. */
		kc->host = CLOCK_REALTIME;
		kc->can_sleep = true;
		return 0;
	case CLOCK_BOOTTIME_ALARM:
		kc->host = CLOCK_BOOTTIME;
		kc->can_sleep = true;
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		clock = (int)((~0U) << 3) | CPUCLOCK_SCHED;
		break;
	case CLOCK_THREAD_CPUTIME_ID:
		clock = (int)((~0U) << 3) | 4 | CPUCLOCK_SCHED;
		break;
	default:
		if (clock >= 0)
			return -EINVAL;
		/* only the pid-encoded ids answer clock_settime (EPERM) */
		kc->settable = true;
		break;
	}
	/* A CPU clock: ~pid << 3 | per-thread bit | which. */
	kc->kind = KC_CPU;
	kc->which = clock & 3;
	kc->thread = clock & 4;
	kc->can_sleep = true;
	if (kc->which == 3)	/* posix clock fds (PTP) and invalid ids */
		return -EINVAL;
	kc->pid = cpuclock_pid(clock);
	if (kc->thread) {
		struct task *p;

		if (!kc->pid) {
			kc->pid = t->pid;
			return 0;
		}
		p = find_task(kc->pid);
		if (!p || p->tgid != t->tgid)
			return -EINVAL;
		return 0;
	}
	if (!kc->pid) {
		kc->pid = t->tgid;
		return 0;
	}
	{
		struct task *p = find_task(kc->pid);

		if (!p || !p->signal)
			return -EINVAL;
		if (for_timer && p->tgid != kc->pid)
			return -EINVAL;
		kc->pid = p->tgid;
	}
	return 0;
}

int kclock_read(const struct kclock *kc, u64 *ns)
{
	struct task *p;
	u64 u, s;

	if (kc->kind == KC_HOST) {
		*ns = os_clock_ns(kc->host);
		return 0;
	}
	if (kc->thread) {
		p = find_task(kc->pid);
		if (!p || p->state == TASK_DEAD)
			return -EINVAL;
		if (kc->which == CPUCLOCK_VIRT) {
			task_cputime(p, &u, &s);
			*ns = u;
		} else {
			*ns = task_runtime(p);
		}
		return 0;
	}
	p = find_process(kc->pid);
	if (!p || p->state == TASK_DEAD || !p->signal)
		return -EINVAL;
	if (kc->which == CPUCLOCK_SCHED) {
		*ns = thread_group_runtime(p);
		return 0;
	}
	thread_group_cputime(p, &u, &s);
	*ns = kc->which == CPUCLOCK_VIRT ? u : u + s;
	return 0;
}

u64 kclock_to_mono(const struct kclock *kc, u64 ns, u64 clock_now)
{
	u64 mono = ktime_get_ns();

	if (kc->host == CLOCK_MONOTONIC)
		return ns;
	if (ns <= clock_now)
		return mono;
	if (ns - clock_now > (u64)INT64_MAX - mono)
		return INT64_MAX;
	return mono + (ns - clock_now);
}

int clock_read(struct task *t, int clock, u64 *ns)
{
	struct kclock kc;
	int r = kclock_get(t, clock, false, &kc);

	return r ? r : kclock_read(&kc, ns);
}

/* ---- reading and setting ---- */

SYSCALL_DEFINE2(clock_gettime, int, clock, uaddr_t, utp)
{
	struct ktimespec ts;
	u64 ns;
	int r;

	r = clock_read(current, clock, &ns);
	if (r)
		return r;
	ts = ns_to_ts(ns);
	if (copy_to_user(utp, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(clock_getres, int, clock, uaddr_t, utp)
{
	struct kclock kc;
	struct ktimespec ts;
	u64 res;
	int r;

	r = kclock_get(current, clock, false, &kc);
	if (r)
		return r;
	if (kc.kind == KC_HOST)
		res = os_clock_res_ns(kc.host);
	else if (kc.which == CPUCLOCK_SCHED)
		res = 1;
	else	/* tick-sampled: the host's own process VIRT clock */
		res = os_clock_res_ns((int)((~0U) << 3) | CPUCLOCK_VIRT);
	if (!utp)
		return 0;
	ts = ns_to_ts(res);
	if (copy_to_user(utp, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(clock_settime, int, clock, uaddr_t, utp)
{
	struct kclock kc;
	struct ktimespec ts;
	int r;

	r = kclock_get(current, clock, false, &kc);
	if (r)
		return r;
	if (!kc.settable)
		return -EINVAL;
	if (copy_from_user(&ts, utp, sizeof(ts)))
		return -EFAULT;
	if (kc.kind == KC_CPU)
		return -EPERM;
	if (!ts_valid(&ts))
		return -EINVAL;
	/* Valid, but the host clock is not ours to set (see the top). */
	return -EPERM;
}

SYSCALL_DEFINE2(gettimeofday, uaddr_t, utv, uaddr_t, utz)
{
	if (utv) {
		u64 ns = os_clock_ns(OS_CLOCK_REALTIME);
		struct ktimeval tv = { (s64)(ns / NSEC_PER_SEC),
				       (s64)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };

		if (copy_to_user(utv, &tv, sizeof(tv)))
			return -EFAULT;
	}
	if (utz && copy_to_user(utz, &sys_tz, sizeof(sys_tz)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(settimeofday, uaddr_t, utv, uaddr_t, utz)
{
	struct ktimeval tv;
	struct { int minuteswest, dsttime; } tz;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
	}
	if (utz && copy_from_user(&tz, utz, sizeof(tz)))
		return -EFAULT;
	if (!capable(CAP_SYS_TIME))
		return -EPERM;
	if (utv)
		return -EPERM;		/* the host clock is not ours */
	if (utz) {
		if (tz.minuteswest > 15 * 60 || tz.minuteswest < -15 * 60)
			return -EINVAL;
		sys_tz.minuteswest = tz.minuteswest;
		sys_tz.dsttime = tz.dsttime;
	}
	return 0;
}

SYSCALL_DEFINE1(time, uaddr_t, tloc)
{
	s64 now = (s64)(os_clock_ns(OS_CLOCK_REALTIME) / NSEC_PER_SEC);

	if (tloc && put_user(now, tloc))
		return -EFAULT;
	return now;
}

/* ---- sleeping ---- */

static long clock_nanosleep_restart(struct task *t);

/*
 * Sleeps until clock kc reads target. A relative sleep broken by a signal
 * stores the time left in *urem and continues through restart_syscall
 * toward the same target; an absolute one simply restarts unless a
 * handler ran.
 */
static long do_nanosleep(const struct kclock *kc, u64 target, bool abs,
			 uaddr_t urem)
{
	struct task *t = current;
	u64 now = 0;
	int r;

	for (;;) {
		u64 deadline;

		r = kclock_read(kc, &now);
		if (r)
			return r;
		if (now >= target)
			return 0;
		if (signal_pending(t))
			break;
		if (kc->kind == KC_HOST) {
			deadline = kclock_to_mono(kc, target, now);
		} else {
			/*
			 * CPU time cannot be slept on: look again after a
			 * fraction of what is left, between 1 ms and 100 ms.
			 */
			u64 step = (target - now) / (u64)max(os_nprocs(), 1);

			step = max_t(u64, step, NSEC_PER_MSEC);
			step = min_t(u64, step, 100 * NSEC_PER_MSEC);
			deadline = ktime_get_ns() + step;
		}
		schedule_timeout(deadline);
	}
	if (abs)
		return -ERESTARTNOHAND;
	if (urem) {
		struct ktimespec rem = ns_to_ts(target - now);

		if (copy_to_user(urem, &rem, sizeof(rem)))
			return -EFAULT;
	}
	t->restart_fn = clock_nanosleep_restart;
	t->restart_args[0] = (u64)(s64)kc->id;
	t->restart_args[1] = target;
	t->restart_args[2] = urem;
	return -ERESTART_RESTARTBLOCK;
}

static long clock_nanosleep_restart(struct task *t)
{
	struct kclock kc;
	int r;

	r = kclock_get(t, (int)(s64)t->restart_args[0], false, &kc);
	if (r)
		return r;
	return do_nanosleep(&kc, t->restart_args[1], false,
			    t->restart_args[2]);
}

static u64 add_sat(u64 a, u64 b)
{
	return b > (u64)INT64_MAX - a ? (u64)INT64_MAX : a + b;
}

SYSCALL_DEFINE2(nanosleep, uaddr_t, ureq, uaddr_t, urem)
{
	struct kclock kc;
	struct ktimespec req;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (!ts_valid(&req))
		return -EINVAL;
	kclock_get(current, CLOCK_MONOTONIC, false, &kc);
	return do_nanosleep(&kc, add_sat(ktime_get_ns(), ts_to_ns(&req)),
			    false, urem);
}

SYSCALL_DEFINE4(clock_nanosleep, int, clock, int, flags, uaddr_t, ureq,
		uaddr_t, urem)
{
	struct task *t = current;
	struct kclock kc;
	struct ktimespec req;
	u64 now, target;
	int r;

	r = kclock_get(t, clock, false, &kc);
	if (r)
		return r;
	if (!kc.can_sleep)
		return -EOPNOTSUPP;
	/* Sleeping on one's own thread clock would never end. */
	if (kc.kind == KC_CPU && kc.thread && kc.pid == t->pid)
		return -EINVAL;
	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (!ts_valid(&req))
		return -EINVAL;
	if (flags & TIMER_ABSTIME)
		return do_nanosleep(&kc, ts_to_ns(&req), true, 0);
	r = kclock_read(&kc, &now);
	if (r)
		return r;
	target = add_sat(now, ts_to_ns(&req));
	return do_nanosleep(&kc, target, false, urem);
}

/* ---- adjtimex: the host clock's discipline, read-only ---- */

#define TIMEX_SIZE		208	/* struct timex, x86-64 */
#define ADJ_ADJTIME		0x8000
#define ADJ_OFFSET_SINGLESHOT	0x0001
#define ADJ_OFFSET_READONLY	0x2000

static long do_adjtimex(uaddr_t utx)
{
	u8 tx[TIMEX_SIZE];
	unsigned int modes;
	long r;

	if (copy_from_user(tx, utx, sizeof(tx)))
		return -EFAULT;
	memcpy(&modes, tx, sizeof(modes));
	if (modes & ADJ_ADJTIME) {
		if (!(modes & ADJ_OFFSET_SINGLESHOT))
			return -EINVAL;
		if (!(modes & ADJ_OFFSET_READONLY))
			return -EPERM;	/* see below */
		modes = ADJ_ADJTIME | ADJ_OFFSET_SINGLESHOT |
			ADJ_OFFSET_READONLY;
	} else if (modes) {
		/* Changing the host clock's discipline is not ours to do. */
		return -EPERM;
	}
	r = os_adjtimex_read(modes, tx, sizeof(tx));
	if (r < 0)
		return r;
	if (copy_to_user(utx, tx, sizeof(tx)))
		return -EFAULT;
	return r;
}

SYSCALL_DEFINE1(adjtimex, uaddr_t, utx)
{
	return do_adjtimex(utx);
}

SYSCALL_DEFINE2(clock_adjtime, int, clock, uaddr_t, utx)
{
	struct kclock kc;
	int r;

	r = kclock_get(current, clock, false, &kc);
	if (r)
		return r;
	if (kc.id != CLOCK_REALTIME)
		return -EOPNOTSUPP;
	return do_adjtimex(utx);
}
