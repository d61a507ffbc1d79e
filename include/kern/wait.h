/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sleeping and waking. Every task is a host thread; kernel code runs under
 * the big kernel lock, and a task that sleeps drops it (schedule()).
 *
 *	DEFINE_WAIT(w);
 *	for (;;) {
 *		prepare_to_wait(&wq, &w);
 *		if (condition)
 *			break;
 *		if (signal_pending(current)) { r = -ERESTARTSYS; break; }
 *		schedule();
 *	}
 *	finish_wait(&wq, &w);
 *
 * or simply wait_event_interruptible(wq, condition). A wake-up between
 * prepare_to_wait() and schedule() is never lost: schedule() returns at
 * once if the task's wake sequence moved since prepare_to_wait().
 */
#ifndef KERN_WAIT_H
#define KERN_WAIT_H

#include "kern/list.h"

struct task;

struct wait_queue_head {
	struct list_head head;
};

/*
 * An entry either wakes its task or, when func is set, calls func instead
 * (epoll and friends: the waker's context, the kernel lock held, current
 * possibly NULL). key is the event mask of the wake-up (POLLIN, ...), 0
 * when the waker does not say; func must not touch the queue it is on.
 */
struct wait_queue_entry {
	struct task *task;
	struct list_head link;
	bool queued;
	void (*func)(struct wait_queue_entry *w, unsigned int key);
	void *private;
};

#define WAIT_QUEUE_HEAD_INIT(name) { LIST_HEAD_INIT((name).head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = WAIT_QUEUE_HEAD_INIT(name)
#define DEFINE_WAIT(name) \
	struct wait_queue_entry name = { current, { &(name).link, &(name).link }, false }

static inline void init_waitqueue_head(struct wait_queue_head *wq)
{
	INIT_LIST_HEAD(&wq->head);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
void wake_up(struct wait_queue_head *wq);		/* wakes every waiter */
/* The same, saying which poll events happened (callbacks may filter). */
void wake_up_poll(struct wait_queue_head *wq, unsigned int key);
void wake_up_task(struct task *t);
bool waitqueue_active(struct wait_queue_head *wq);

/*
 * Drops the kernel lock and sleeps until woken (or the CLOCK_MONOTONIC
 * deadline in ns passes; 0 = none). Returns 0, or -ETIMEDOUT.
 */
int schedule(void);
int schedule_timeout(u64 deadline_ns);
/* Sleeps until woken, whatever signals are pending (check them yourself). */
void schedule_uninterruptible(void);
int schedule_timeout_uninterruptible(u64 deadline_ns);

/* Signal check used by the wait_event helpers (kern/signal.h). */
bool signal_pending_current(void);

#define wait_event(wq, cond) do {					\
		DEFINE_WAIT(__w);					\
		for (;;) {						\
			prepare_to_wait(&(wq), &__w);			\
			if (cond)					\
				break;					\
			schedule();					\
		}							\
		finish_wait(&(wq), &__w);				\
	} while (0)

/* 0 when cond became true, -ERESTARTSYS on a signal. */
#define wait_event_interruptible(wq, cond) ({				\
		long __r = 0;						\
		DEFINE_WAIT(__w);					\
		for (;;) {						\
			prepare_to_wait(&(wq), &__w);			\
			if (cond)					\
				break;					\
			if (signal_pending_current()) {			\
				__r = -ERESTARTSYS;			\
				break;					\
			}						\
			schedule();					\
		}							\
		finish_wait(&(wq), &__w);				\
		__r;							\
	})

/* As above with a CLOCK_MONOTONIC deadline: -ETIMEDOUT when it passes. */
#define wait_event_interruptible_deadline(wq, cond, deadline) ({	\
		long __r = 0;						\
		DEFINE_WAIT(__w);					\
		for (;;) {						\
			prepare_to_wait(&(wq), &__w);			\
			if (cond)					\
				break;					\
			if (signal_pending_current()) {			\
				__r = -ERESTARTSYS;			\
				break;					\
			}						\
			if (schedule_timeout(deadline) == -ETIMEDOUT && \
			    !(cond)) {					\
				__r = -ETIMEDOUT;			\
				break;					\
			}						\
		}							\
		finish_wait(&(wq), &__w);				\
		__r;							\
	})

#endif
