/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time: kernel timers, clocks and CPU time accounting.
 *
 * Kernel timers run on one host thread of ours (kernel/ktimer.c), which
 * takes the kernel lock before calling a timer's function. Timer functions
 * therefore run with the lock held but with current == NULL: they must
 * name the tasks they act on.
 */
#ifndef KERN_TIME_H
#define KERN_TIME_H

#include "kern/kernel.h"
#include "kern/list.h"

struct task;
struct signal_struct;

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_USEC	1000ULL
#define USER_HZ		100		/* clock_t ticks per second */

/* clock ids (x86-64 Linux) */
#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_REALTIME_ALARM		8
#define CLOCK_BOOTTIME_ALARM		9
#define CLOCK_TAI			11
#define TIMER_ABSTIME			0x01

/* Guest layouts (x86-64). */
struct ktimespec {
	s64 tv_sec;
	s64 tv_nsec;
};
struct ktimeval {
	s64 tv_sec;
	s64 tv_usec;
};

struct ktimer {
	struct list_head node;
	u64 expires_ns;			/* CLOCK_MONOTONIC */
	void (*fn)(struct ktimer *kt);
	bool armed;
};

void ktimer_init(struct ktimer *kt, void (*fn)(struct ktimer *kt));
/* (Re)arms kt to fire at expires_ns (CLOCK_MONOTONIC). */
void ktimer_arm(struct ktimer *kt, u64 expires_ns);
void ktimer_cancel(struct ktimer *kt);
/*
 * A function the timer thread calls every few milliseconds (with the lock
 * held) while registered, for timers on CPU-time clocks.
 */
struct ktimer_poll {
	struct list_head node;
	void (*fn)(struct ktimer_poll *p);
	bool active;
};
void ktimer_poll_add(struct ktimer_poll *p);
void ktimer_poll_del(struct ktimer_poll *p);

/* Nanoseconds <-> guest structures; the _valid checks follow Linux. */
static inline u64 ts_to_ns(const struct ktimespec *ts)
{
	return (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
}
static inline struct ktimespec ns_to_ts(u64 ns)
{
	struct ktimespec ts = { (s64)(ns / NSEC_PER_SEC),
				(s64)(ns % NSEC_PER_SEC) };
	return ts;
}
static inline bool ts_valid(const struct ktimespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       (u64)ts->tv_nsec < NSEC_PER_SEC;
}

/*
 * Reads clock id `clock` as task t sees it (CPU clocks are t's, or those
 * of the pid the id names). 0 or -EINVAL for an unknown clock or a
 * vanished target.
 */
int clock_read(struct task *t, int clock, u64 *ns);

/*
 * CPU time used by t's thread (task_cputime) or by its whole thread group
 * (thread_group_cputime), user and system, in ns. Taken from the host while
 * the host process lives, else from the task's recorded figures.
 */
void task_cputime(struct task *t, u64 *utime, u64 *stime);
void thread_group_cputime(struct task *t, u64 *utime, u64 *stime);
/*
 * For the exit path, while t's host thread still exists: records the
 * thread's CPU time in t->utime_ns and t->stime_ns.
 */
void account_exit_cputime(struct task *t);
/* For exec, before the old host process (old) is killed: banks its time. */
struct plat_thread;
void account_exec_cputime(struct task *t, struct plat_thread *old);
/* Precise runtime (user + system, ns) of t's thread / thread group. */
u64 task_runtime(struct task *t);
u64 thread_group_runtime(struct task *t);

/*
 * For setrlimit/prlimit: a thread group's RLIMIT_CPU changed. Starts the
 * checks that send SIGXCPU and SIGKILL (kernel/cputime.c).
 */
void rlimit_cpu_changed(struct signal_struct *sig);

/* kernel/futex.c: robust list and clear_child_tid at exit and exec. */
void futex_exit_release(struct task *t);
/* kernel/posix-timers.c: frees a thread group's timers (exit, exec). */
void exit_itimers(struct signal_struct *sig);
/* At exec: POSIX timers are deleted, setitimer's timers stay. */
void exec_itimers(struct signal_struct *sig);

#endif
