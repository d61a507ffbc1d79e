// SPDX-License-Identifier: GPL-2.0
/*
 * CPU time accounting, times(2) and getrusage(2).
 *
 * A guest process's user code runs in its own host process, so its CPU
 * time is what the host accounts to that process. What the host no longer
 * knows, the thread group keeps in signal->utime_ns/stime_ns: the exit path
 * banks a host process's totals there when its last thread goes (see
 * account_exit_cputime). A live group's time is therefore its host
 * process's clock plus that bank, with nothing counted twice.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/time.h"

static bool host_alive(struct task *t)
{
	return t->pth && !t->pth_dead &&
	       (t->state == TASK_NEW || t->state == TASK_RUNNING ||
		t->state == TASK_STOPPED);
}

/* A task of t's thread group whose host process is alive (t first). */
static struct task *live_host_task(struct task *t)
{
	struct task *o;

	if (host_alive(t))
		return t;
	if (!t->signal)
		return NULL;
	list_for_each_entry(o, &t->signal->threads, thread_node)
		if (host_alive(o))
			return o;
	return NULL;
}

/* The host process's user and system time, or false if unknown. */
static bool host_group_cputime(struct task *h, u64 *utime, u64 *stime)
{
	int pid = plat_host_pid(h->pth);
	u64 all, user;

	if (os_process_cputime(pid, 0, &all) ||
	    os_process_cputime(pid, 1, &user))
		return false;
	*utime = user;
	*stime = all > user ? all - user : 0;
	return true;
}

void thread_group_cputime(struct task *t, u64 *utime, u64 *stime)
{
	struct task *h = live_host_task(t);
	u64 u = 0, s = 0;

	if (h)
		host_group_cputime(h, &u, &s);
	if (t->signal) {
		u += t->signal->utime_ns;
		s += t->signal->stime_ns;
	}
	*utime = u;
	*stime = s;
}

/* Total runtime of the thread group (the scheduler's precise clock). */
u64 thread_group_runtime(struct task *t)
{
	struct task *h = live_host_task(t);
	u64 ns = 0;

	if (!h || os_process_cputime(plat_host_pid(h->pth), 2, &ns))
		ns = 0;
	if (t->signal)
		ns += t->signal->utime_ns + t->signal->stime_ns;
	return ns;
}

void task_cputime(struct task *t, u64 *utime, u64 *stime)
{
	struct os_usage u;
	int tid;

	if (host_alive(t) && (tid = plat_host_tid(t->pth)) > 0 &&
	    !os_usage(plat_host_pid(t->pth), tid, &u)) {
		*utime = u.utime_ns;
		*stime = u.stime_ns;
		return;
	}
	*utime = t->utime_ns;
	*stime = t->stime_ns;
}

/* The thread's precise runtime, or its user + system time. */
u64 task_runtime(struct task *t)
{
	u64 ns, u, s;
	int tid;

	if (host_alive(t) && (tid = plat_host_tid(t->pth)) > 0 &&
	    !os_thread_cputime(plat_host_pid(t->pth), tid, &ns))
		return ns;
	task_cputime(t, &u, &s);
	return u + s;
}

/*
 * Called by the exit path while t's host thread still exists. When t is
 * the last task in its host process, the process's totals (every thread
 * it ever ran) go into t, which do_exit adds to the group's bank; other
 * threads leave theirs in the host process's clock.
 */
void account_exit_cputime(struct task *t)
{
	struct task *o;
	u64 u, s;

	t->utime_ns = 0;
	t->stime_ns = 0;
	if (!host_alive(t) || !t->signal)
		return;
	list_for_each_entry(o, &t->signal->threads, thread_node)
		if (o != t && host_alive(o) && o->pth &&
		    plat_host_pid(o->pth) == plat_host_pid(t->pth))
			return;
	if (host_group_cputime(t, &u, &s)) {
		t->utime_ns = u;
		t->stime_ns = s;
	}
}

/*
 * For exec, which replaces the host process: the old one's totals go to
 * the bank before it is killed, since a process's CPU time survives exec.
 */
void account_exec_cputime(struct task *t, struct plat_thread *old)
{
	int pid = plat_host_pid(old);
	u64 all, user;

	if (!t->signal || os_process_cputime(pid, 0, &all) ||
	    os_process_cputime(pid, 1, &user))
		return;
	t->signal->utime_ns += user;
	t->signal->stime_ns += all > user ? all - user : 0;
}

/* ---- times, getrusage ---- */

static s64 ns_to_clock_t(u64 ns)
{
	return (s64)(ns / (NSEC_PER_SEC / USER_HZ));
}

SYSCALL_DEFINE1(times, uaddr_t, tbuf)
{
	struct task *t = current;

	if (tbuf) {
		s64 tms[4];
		u64 u, s;

		thread_group_cputime(t, &u, &s);
		tms[0] = ns_to_clock_t(u);
		tms[1] = ns_to_clock_t(s);
		tms[2] = ns_to_clock_t(t->signal->cutime_ns);
		tms[3] = ns_to_clock_t(t->signal->cstime_ns);
		if (copy_to_user(tbuf, tms, sizeof(tms)))
			return -EFAULT;
	}
	/*
	 * Clock ticks since boot. Small enough never to look like an error
	 * return for thousands of years.
	 */
	return ns_to_clock_t(ktime_get_ns() - boot_time_ns);
}

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
#define RUSAGE_THREAD	1

/* struct rusage of x86-64: two timevals and fourteen longs. */
struct krusage {
	struct ktimeval ru_utime, ru_stime;
	s64 ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt;
	s64 ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv;
	s64 ru_nsignals, ru_nvcsw, ru_nivcsw;
};
_Static_assert(sizeof(struct krusage) == 144, "struct rusage is 144 bytes");

static struct ktimeval ns_to_tv(u64 ns)
{
	struct ktimeval tv = { (s64)(ns / NSEC_PER_SEC),
			       (s64)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
	return tv;
}

static void fill_usage(struct task *t, int who, struct krusage *ru)
{
	struct task *h;
	struct os_usage hu;
	u64 u = 0, s = 0;

	memset(ru, 0, sizeof(*ru));
	if (who == RUSAGE_CHILDREN) {
		u = t->signal->cutime_ns;
		s = t->signal->cstime_ns;
		ru->ru_maxrss = t->signal->cmaxrss_kb;
	} else if (who == RUSAGE_THREAD) {
		task_cputime(t, &u, &s);
		if (host_alive(t) && plat_host_tid(t->pth) > 0 &&
		    !os_usage(plat_host_pid(t->pth), plat_host_tid(t->pth),
			      &hu)) {
			ru->ru_maxrss = hu.maxrss_kb;
			ru->ru_minflt = (s64)hu.minflt;
			ru->ru_majflt = (s64)hu.majflt;
			ru->ru_nvcsw = (s64)hu.nvcsw;
			ru->ru_nivcsw = (s64)hu.nivcsw;
		}
	} else {
		thread_group_cputime(t, &u, &s);
		h = live_host_task(t);
		if (h && !os_usage(plat_host_pid(h->pth), 0, &hu)) {
			ru->ru_maxrss = hu.maxrss_kb;
			ru->ru_minflt = (s64)hu.minflt;
			ru->ru_majflt = (s64)hu.majflt;
			ru->ru_nvcsw = (s64)hu.nvcsw;
			ru->ru_nivcsw = (s64)hu.nivcsw;
		}
	}
	ru->ru_utime = ns_to_tv(u);
	ru->ru_stime = ns_to_tv(s);
}

SYSCALL_DEFINE2(getrusage, int, who, uaddr_t, uru)
{
	struct krusage ru;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN &&
	    who != RUSAGE_THREAD)
		return -EINVAL;
	fill_usage(current, who, &ru);
	if (copy_to_user(uru, &ru, sizeof(ru)))
		return -EFAULT;
	return 0;
}

/* ---- RLIMIT_CPU ---- */

/*
 * While some process has a finite RLIMIT_CPU, a kernel timer looks at the
 * CPU time of every such process ten times a second, about as promptly as
 * a real kernel's tick does: past the soft limit a SIGXCPU, with the soft
 * limit raised by a second for the next one; past the hard limit SIGKILL.
 * Children inherit the limit, and the scan finds them without being told.
 */
#define RLIMIT_CPU_CHECK_NS	(100 * NSEC_PER_MSEC)

static struct ktimer rlimit_cpu_timer;
static bool rlimit_cpu_init;

static void rlimit_cpu_signal(struct task *t, int sig)
{
	struct ksiginfo info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	group_send_sig_info(sig, &info, t);
}

/* Checks one thread group; returns whether it has a finite limit. */
static bool rlimit_cpu_check(struct task *leader)
{
	struct signal_struct *sig = leader->signal;
	struct krlimit *rl = &sig->rlim[RLIMIT_CPU];
	struct task *t;
	u64 soft = rl->cur, hard = rl->max, u, s, used;

	if (soft == RLIM_INFINITY && hard == RLIM_INFINITY)
		return false;
	if (sig->flags & SIGNAL_GROUP_EXIT)
		return true;
	t = live_host_task(leader);
	if (!t)
		return true;
	thread_group_cputime(leader, &u, &s);
	used = (u + s) / NSEC_PER_SEC;
	if (hard != RLIM_INFINITY && used >= max_t(u64, hard, 1)) {
		rlimit_cpu_signal(t, SIGKILL);
	} else if (soft != RLIM_INFINITY && used >= max_t(u64, soft, 1)) {
		rlimit_cpu_signal(t, SIGXCPU);
		if (soft < hard)
			rl->cur = max_t(u64, soft, 1) + 1;
	}
	return true;
}

static void rlimit_cpu_scan(struct ktimer *kt)
{
	struct task *t;
	bool any = false;

	list_for_each_entry(t, &all_tasks, all_node) {
		if (!thread_group_leader(t) || !t->signal ||
		    t->state == TASK_DEAD || t->state == TASK_ZOMBIE)
			continue;
		if (rlimit_cpu_check(t))
			any = true;
	}
	if (any)
		ktimer_arm(kt, ktime_get_ns() + RLIMIT_CPU_CHECK_NS);
}

void rlimit_cpu_changed(struct signal_struct *sig)
{
	struct krlimit *rl = &sig->rlim[RLIMIT_CPU];

	if (!rlimit_cpu_init) {
		ktimer_init(&rlimit_cpu_timer, rlimit_cpu_scan);
		rlimit_cpu_init = true;
	}
	if (rl->cur == RLIM_INFINITY && rl->max == RLIM_INFINITY)
		return;
	if (!rlimit_cpu_timer.armed)
		ktimer_arm(&rlimit_cpu_timer, ktime_get_ns() + NSEC_PER_MSEC);
}
