// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX timers (timer_create and friends) and the timer object they share
 * with setitimer (kernel/itimer.c).
 *
 * A timer on a host clock is a kernel timer (kernel/ktimer.c) at the
 * matching CLOCK_MONOTONIC deadline, checked against its own clock when it
 * fires, in case that clock was stepped. A timer on a CPU-time clock is
 * polled by the timer thread every few milliseconds, about the tick of a
 * real kernel.
 *
 * Overruns: while a timer's signal is still queued, a further expiry does
 * not queue another one but raises si_overrun in the queued siginfo, so
 * the handler sees how many expiries it stands for.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/time.h"
#include "timers.h"

#define CAP_WAKE_ALARM		35
#define MAX_POSIX_TIMERS	4096	/* per process */
#define DELAYTIMER_MAX		0x7fffffff
/*
 * Periodic timers never fire closer than this apart (missed periods are
 * counted as overruns all the same), and much less often while nobody
 * takes their signal: still queued, blocked or ignored.
 */
#define MIN_REARM_NS		(50 * NSEC_PER_USEC)
#define IDLE_REARM_NS		(10 * NSEC_PER_MSEC)

/* struct sigevent of x86-64 */
struct ksigevent {
	u64 sigev_value;
	int sigev_signo;
	int sigev_notify;
	union {
		int tid;
		int pad[12];
	};
};
_Static_assert(sizeof(struct ksigevent) == 64, "struct sigevent is 64 bytes");

struct kitimerspec {
	struct ktimespec it_interval;
	struct ktimespec it_value;
};

static void k_itimer_rearm(struct k_itimer *k, u64 floor);

/* A thread that can take a signal for the whole group, or NULL. */
static struct task *group_target(struct signal_struct *sig)
{
	struct task *t;

	list_for_each_entry(t, &sig->threads, thread_node)
		if (t->state == TASK_RUNNING || t->state == TASK_STOPPED ||
		    t->state == TASK_NEW)
			return t;
	return NULL;
}

/* Our signal still waiting in the queue it was sent to, or NULL. */
static struct sigqueue *queued_signal(struct k_itimer *k, struct task *t)
{
	struct sigpending *p = k->notify & SIGEV_THREAD_ID ?
			       &t->pending : &k->sig->shared_pending;
	struct sigqueue *q;

	if (!(p->signal & sigmask(k->signo)))
		return NULL;
	list_for_each_entry(q, &p->list, list)
		if (q->info.si_signo == k->signo &&
		    q->info.si_code == SI_TIMER && q->info.timer.tid == k->id)
			return q;
	return NULL;
}

/* Whether sig is pending where k's signals go (to t). */
static bool timer_sig_pending(struct k_itimer *k, struct task *t)
{
	struct sigpending *p = k->notify & SIGEV_THREAD_ID ?
			       &t->pending : &k->sig->shared_pending;

	return p->signal & sigmask(k->signo);
}

/* Returns false when the signal found nobody to take it at once. */
static bool send_timer_signal(struct k_itimer *k, u64 expiries)
{
	struct ksiginfo info;
	struct sigqueue *q;
	struct task *t;
	u64 over = expiries - 1;

	if (k->notify == SIGEV_NONE)
		return false;
	if (k->notify & SIGEV_THREAD_ID) {
		t = find_task(k->target_tid);
		if (!t || t->signal != k->sig || t->state == TASK_ZOMBIE ||
		    t->state == TASK_DEAD)
			return false;
	} else {
		t = group_target(k->sig);
		if (!t)
			return false;
	}
	memset(&info, 0, sizeof(info));
	info.si_signo = k->signo;
	if (k->id < 0) {
		/* setitimer: a plain kernel signal, not queued twice */
		if (timer_sig_pending(k, t))
			return false;
		info.si_code = SI_KERNEL;
		group_send_sig_info(k->signo, &info, t);
		return timer_sig_pending(k, t);
	}
	q = queued_signal(k, t);
	if (q) {
		over += (u64)q->info.timer.overrun + 1;
		q->info.timer.overrun = (int)min_t(u64, over, DELAYTIMER_MAX);
		k->overrun_queued = q->info.timer.overrun;
		return false;
	}
	info.si_code = SI_TIMER;
	info.timer.tid = k->id;
	info.timer.overrun = (int)min_t(u64, over, DELAYTIMER_MAX);
	info.timer.sigval = k->sigval;
	/*
	 * timer_getoverrun() reports the last signal taken. The previous one
	 * is no longer queued (or it would have been raised above): taken.
	 */
	if (k->queued_any)
		k->overrun_last = k->overrun_queued;
	k->overrun_queued = info.timer.overrun;
	k->queued_any = true;
	if (k->notify & SIGEV_THREAD_ID)
		send_sig_info(k->signo, &info, t);
	else
		group_send_sig_info(k->signo, &info, t);
	/* not queued: ignored, or out of queue space */
	return queued_signal(k, t) != NULL;
}

/* now >= k->expires on k's clock: signal and move to the next period. */
static void k_itimer_fire(struct k_itimer *k, u64 now)
{
	u64 n = 1;

	if (k->interval) {
		n += (now - k->expires) / k->interval;
		if (n > (u64)INT64_MAX / k->interval ||
		    k->expires > (u64)INT64_MAX - n * k->interval)
			k->expires = 0;		/* beyond the end of time */
		else
			k->expires += n * k->interval;
	} else {
		k->expires = 0;
	}
	if (send_timer_signal(k, n))
		k_itimer_rearm(k, ktime_get_ns() + MIN_REARM_NS);
	else
		k_itimer_rearm(k, ktime_get_ns() + IDLE_REARM_NS);
}

static void k_itimer_timeout(struct ktimer *kt)
{
	struct k_itimer *k = container_of(kt, struct k_itimer, kt);
	u64 now;

	if (!k->expires || kclock_read(&k->clock, &now))
		return;
	if (now < k->expires)
		k_itimer_rearm(k, 0);	/* the clock was stepped back */
	else
		k_itimer_fire(k, now);
}

static void k_itimer_poll(struct ktimer_poll *p)
{
	struct k_itimer *k = container_of(p, struct k_itimer, poll);
	u64 now;

	if (!k->expires || kclock_read(&k->clock, &now)) {
		/* the measured task is gone: the timer can never fire */
		ktimer_poll_del(p);
		return;
	}
	if (now >= k->expires)
		k_itimer_fire(k, now);
}

/* floor: the earliest CLOCK_MONOTONIC time to fire again, or 0. */
static void k_itimer_rearm(struct k_itimer *k, u64 floor)
{
	u64 now, deadline;

	if (!k->expires || k->notify == SIGEV_NONE) {
		ktimer_cancel(&k->kt);
		ktimer_poll_del(&k->poll);
		return;
	}
	if (k->clock.kind == KC_CPU) {
		ktimer_poll_add(&k->poll);
		return;
	}
	if (kclock_read(&k->clock, &now))
		return;
	deadline = kclock_to_mono(&k->clock, k->expires, now);
	if (deadline < floor)
		deadline = floor;
	ktimer_arm(&k->kt, deadline);
}

struct k_itimer *k_itimer_alloc(struct signal_struct *sig, int id,
				const struct kclock *clock)
{
	struct k_itimer *k = kzalloc(sizeof(*k));

	if (!k)
		return NULL;
	k->sig = sig;
	k->id = id;
	k->clock = *clock;
	ktimer_init(&k->kt, k_itimer_timeout);
	INIT_LIST_HEAD(&k->poll.node);
	k->poll.fn = k_itimer_poll;
	list_add_tail(&k->node, &sig->posix_timers);
	return k;
}

struct k_itimer *k_itimer_find(struct signal_struct *sig, int id)
{
	struct k_itimer *k;

	list_for_each_entry(k, &sig->posix_timers, node)
		if (k->id == id)
			return k;
	return NULL;
}

void k_itimer_free(struct k_itimer *k)
{
	ktimer_cancel(&k->kt);
	ktimer_poll_del(&k->poll);
	list_del(&k->node);
	kfree(k);
}

void k_itimer_set(struct k_itimer *k, u64 expires, u64 interval)
{
	k->expires = expires;
	k->interval = expires ? interval : 0;
	k->overrun_last = 0;
	k->queued_any = false;
	k_itimer_rearm(k, 0);
}

void k_itimer_get(struct k_itimer *k, u64 *left, u64 *interval)
{
	u64 now;

	*interval = k->interval;
	*left = 0;
	if (!k->expires || kclock_read(&k->clock, &now))
		return;
	if (now < k->expires) {
		*left = k->expires - now;
		return;
	}
	if (k->notify == SIGEV_NONE) {
		/* Nothing fires these: account for the periods that passed. */
		if (k->interval) {
			u64 n = (now - k->expires) / k->interval + 1;

			k->expires += n * k->interval;
			*left = k->expires - now;
		} else {
			k->expires = 0;
		}
		return;
	}
	/* Due and about to fire: never report a due timer as disarmed. */
	*left = 1;
}

void exit_itimers(struct signal_struct *sig)
{
	struct k_itimer *k, *n;

	list_for_each_entry_safe(k, n, &sig->posix_timers, node)
		k_itimer_free(k);
}

/* At exec: POSIX timers go, setitimer's stay (as in Linux). */
void exec_itimers(struct signal_struct *sig)
{
	struct k_itimer *k, *n;

	list_for_each_entry_safe(k, n, &sig->posix_timers, node)
		if (k->id >= 0)
			k_itimer_free(k);
}

/* ---- timer_create, timer_settime, ... ---- */

static int alloc_timer_id(struct signal_struct *sig)
{
	struct k_itimer *k;
	int n = 0;

	list_for_each_entry(k, &sig->posix_timers, node)
		if (k->id >= 0)
			n++;
	if (n >= MAX_POSIX_TIMERS)
		return -EAGAIN;
	/* the lowest free id: at most n + 1 candidates */
	for (int id = 0;; id++)
		if (!k_itimer_find(sig, id))
			return id;
}

SYSCALL_DEFINE3(timer_create, int, clock, uaddr_t, usev, uaddr_t, uid)
{
	struct task *t = current;
	struct signal_struct *sig = t->signal;
	struct ksigevent sev;
	struct kclock kc;
	struct k_itimer *k;
	int r, id;

	r = kclock_get(t, clock, true, &kc);
	if (r)
		return r;
	if (!kc.can_sleep)
		return -EOPNOTSUPP;
	if ((clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM) &&
	    !capable(CAP_WAKE_ALARM))
		return -EPERM;
	if (usev) {
		if (copy_from_user(&sev, usev, sizeof(sev)))
			return -EFAULT;
		switch (sev.sigev_notify) {
		case SIGEV_SIGNAL | SIGEV_THREAD_ID: {
			struct task *p = find_task(sev.tid);

			if (!p || p->signal != sig)
				return -EINVAL;
		}
			/* fall through */
		case SIGEV_SIGNAL:
		case SIGEV_THREAD:
			if (sev.sigev_signo <= 0 || sev.sigev_signo > _NSIG)
				return -EINVAL;
			break;
		case SIGEV_NONE:
			break;
		default:
			return -EINVAL;
		}
	}
	id = alloc_timer_id(sig);
	if (id < 0)
		return id;
	k = k_itimer_alloc(sig, id, &kc);
	if (!k)
		return -ENOMEM;
	if (usev) {
		k->notify = sev.sigev_notify;
		k->signo = sev.sigev_signo;
		k->sigval = sev.sigev_value;
		k->target_tid = sev.tid;
	} else {
		k->notify = SIGEV_SIGNAL;
		k->signo = SIGALRM;
		k->sigval = (u64)id;
	}
	if (put_user(id, uid)) {
		k_itimer_free(k);
		return -EFAULT;
	}
	return 0;
}

static int get_posix_timer(int id, struct k_itimer **kp)
{
	struct k_itimer *k;

	if (id < 0)
		return -EINVAL;
	k = k_itimer_find(current->signal, id);
	if (!k)
		return -EINVAL;
	*kp = k;
	return 0;
}

static struct kitimerspec timer_setting(struct k_itimer *k)
{
	struct kitimerspec its;
	u64 left, interval;

	k_itimer_get(k, &left, &interval);
	its.it_value = ns_to_ts(left);
	its.it_interval = ns_to_ts(interval);
	return its;
}

SYSCALL_DEFINE4(timer_settime, int, id, int, flags, uaddr_t, unew,
		uaddr_t, uold)
{
	struct kitimerspec its, old;
	struct k_itimer *k;
	u64 value, expires = 0, now;
	int r;

	r = get_posix_timer(id, &k);
	if (r)
		return r;
	if (!unew)
		return -EINVAL;
	if (copy_from_user(&its, unew, sizeof(its)))
		return -EFAULT;
	if (!ts_valid(&its.it_value) || !ts_valid(&its.it_interval))
		return -EINVAL;
	if (uold)
		old = timer_setting(k);
	value = ts_to_ns(&its.it_value);
	if (value) {
		if (flags & TIMER_ABSTIME) {
			expires = value;
		} else {
			r = kclock_read(&k->clock, &now);
			if (r)
				return r;
			expires = value > (u64)INT64_MAX - now ?
				  (u64)INT64_MAX : now + value;
		}
		if (!expires)
			expires = 1;
	}
	k_itimer_set(k, expires, ts_to_ns(&its.it_interval));
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timer_gettime, int, id, uaddr_t, ucur)
{
	struct kitimerspec its;
	struct k_itimer *k;
	int r;

	r = get_posix_timer(id, &k);
	if (r)
		return r;
	its = timer_setting(k);
	if (copy_to_user(ucur, &its, sizeof(its)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(timer_getoverrun, int, id)
{
	struct k_itimer *k;
	int r;

	r = get_posix_timer(id, &k);
	if (r)
		return r;
	if (k->queued_any) {
		bool to_thread = k->notify & SIGEV_THREAD_ID;
		struct task *t = to_thread ? find_task(k->target_tid) : NULL;

		/* the last signal queued was taken since: report it */
		if ((!to_thread || (t && t->signal == k->sig)) &&
		    !queued_signal(k, t)) {
			k->overrun_last = k->overrun_queued;
			k->queued_any = false;
		}
	}
	return k->overrun_last;
}

SYSCALL_DEFINE1(timer_delete, int, id)
{
	struct k_itimer *k;
	int r;

	r = get_posix_timer(id, &k);
	if (r)
		return r;
	k_itimer_free(k);
	return 0;
}
