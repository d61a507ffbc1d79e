// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel timers: one host thread of ours sleeps until the earliest armed
 * timer is due, takes the kernel lock and runs what has expired. Timers on
 * CPU-time clocks cannot be slept on, so while any is armed the thread
 * also wakes every few milliseconds to poll them.
 *
 * The thread samples timer_seq under the kernel lock and sleeps only while
 * it is unchanged; arming an earlier timer moves it, so no arming is lost
 * between the thread's check and its sleep.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/time.h"

#define POLL_PERIOD_NS	(4 * NSEC_PER_MSEC)

static LIST_HEAD(timers);		/* armed, sorted by expires_ns */
static LIST_HEAD(polls);
static u32 timer_seq;
static bool thread_started;

static void kick(void)
{
	__atomic_add_fetch(&timer_seq, 1, __ATOMIC_SEQ_CST);
	os_futex_wake(&timer_seq, 1);
}

static void run_expired(u64 now)
{
	while (!list_empty(&timers)) {
		struct ktimer *kt = list_first_entry(&timers, struct ktimer,
						     node);

		if (kt->expires_ns > now)
			break;
		list_del(&kt->node);
		kt->armed = false;
		/* fn may re-arm kt or free it: touch nothing after. */
		kt->fn(kt);
	}
}

static void run_polls(void)
{
	struct ktimer_poll *p, *n;

	/* A poll function may remove itself (never another). */
	list_for_each_entry_safe(p, n, &polls, node)
		p->fn(p);
}

static void timer_thread(void *arg)
{
	(void)arg;
	os_kernel_lock();
	for (;;) {
		u64 now = ktime_get_ns(), deadline = 0;
		u32 seq;

		run_expired(now);
		if (!list_empty(&polls)) {
			run_polls();
			now = ktime_get_ns();
			run_expired(now);
		}
		if (!list_empty(&timers))
			deadline = list_first_entry(&timers, struct ktimer,
						    node)->expires_ns;
		if (!list_empty(&polls) &&
		    (!deadline || deadline > now + POLL_PERIOD_NS))
			deadline = now + POLL_PERIOD_NS;
		seq = __atomic_load_n(&timer_seq, __ATOMIC_SEQ_CST);
		os_kernel_unlock();
		os_futex_wait(&timer_seq, seq, deadline);
		os_kernel_lock();
	}
}

static void start_thread(void)
{
	int r;

	if (thread_started)
		return;
	r = os_thread_create(timer_thread, NULL);
	if (r)
		panic("cannot start the timer thread: %d", r);
	thread_started = true;
}

void ktimer_init(struct ktimer *kt, void (*fn)(struct ktimer *kt))
{
	INIT_LIST_HEAD(&kt->node);
	kt->expires_ns = 0;
	kt->fn = fn;
	kt->armed = false;
}

void ktimer_arm(struct ktimer *kt, u64 expires_ns)
{
	struct ktimer *pos;

	if (kt->armed)
		list_del(&kt->node);
	/* 0 means "none" to the host wait: keep deadlines non-zero. */
	kt->expires_ns = expires_ns ? expires_ns : 1;
	kt->armed = true;
	list_for_each_entry(pos, &timers, node) {
		if (pos->expires_ns > kt->expires_ns)
			break;
	}
	/* insert before pos (or at the tail when pos is the head) */
	list_add_tail(&kt->node, &pos->node);
	start_thread();
	if (timers.next == &kt->node)
		kick();
}

void ktimer_cancel(struct ktimer *kt)
{
	if (kt->armed) {
		list_del(&kt->node);
		kt->armed = false;
	}
}

void ktimer_poll_add(struct ktimer_poll *p)
{
	if (p->active)
		return;
	list_add_tail(&p->node, &polls);
	p->active = true;
	start_thread();
	kick();
}

void ktimer_poll_del(struct ktimer_poll *p)
{
	if (!p->active)
		return;
	list_del(&p->node);
	p->active = false;
}
