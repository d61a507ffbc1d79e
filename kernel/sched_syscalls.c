// SPDX-License-Identifier: GPL-2.0
/*
 * The sched_* system calls. Guest tasks are host threads scheduled by the
 * host, so a policy or priority set here is bookkeeping that the guest
 * reads back (as it would from Linux) with Linux's checks and errnos;
 * it does not change how the host schedules the task. CPU affinity
 * likewise accepts any mask naming one of the host's CPUs.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define SCHED_NORMAL	0
#define SCHED_FIFO	1
#define SCHED_RR	2
#define SCHED_BATCH	3
#define SCHED_IDLE	5
#define SCHED_DEADLINE	6
#define SCHED_RESET_ON_FORK	0x40000000

#define SCHED_FLAG_RESET_ON_FORK	0x01
#define SCHED_FLAG_ALL			0x7f

#define SCHED_ATTR_SIZE_VER0	48

/* The RR timeslice Linux reports (RR_TIMESLICE, 100 ms). */
#define RR_TIMESLICE_NS		100000000L

struct sched_attr {
	u32 size;
	u32 sched_policy;
	u64 sched_flags;
	s32 sched_nice;
	u32 sched_priority;
	u64 sched_runtime, sched_deadline, sched_period;
};

static bool rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static bool valid_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH ||
	       policy == SCHED_IDLE || rt_policy(policy);
}

/* pid 0 is the caller; -EINVAL for a negative pid, -ESRCH if none. */
static struct task *sched_task(pid_t pid)
{
	struct task *t;

	if (pid < 0)
		return ERR_PTR(-EINVAL);
	if (!pid)
		return current;
	t = find_task(pid);
	if (!t || t->state == TASK_DEAD)
		return ERR_PTR(-ESRCH);
	return t;
}

/*
 * Linux's rules: raising a real-time priority, or going real-time, needs
 * CAP_SYS_NICE (no RLIMIT_RTPRIO here: its default is 0); another user's
 * task needs it too.
 */
static int set_policy(struct task *t, int policy, int prio, bool reset)
{
	if (!valid_policy(policy)) {
		if (policy == SCHED_DEADLINE)
			return capable(CAP_SYS_NICE) ? -EBUSY : -EPERM;
		return -EINVAL;
	}
	if (rt_policy(policy) ? (prio < 1 || prio > 99) : prio != 0)
		return -EINVAL;
	if (t != current && t->cred->uid != current->cred->euid &&
	    t->cred->euid != current->cred->euid && !capable(CAP_SYS_NICE))
		return -EPERM;
	if (!capable(CAP_SYS_NICE)) {
		if (rt_policy(policy) &&
		    (!rt_policy(t->policy) || prio > t->rt_priority))
			return -EPERM;
		if (t->policy == SCHED_IDLE && policy != SCHED_IDLE)
			return -EPERM;
		if (t->sched_reset_on_fork && !reset)
			return -EPERM;
	}
	t->policy = policy;
	t->rt_priority = prio;
	t->sched_reset_on_fork = reset;
	return 0;
}

SYSCALL_DEFINE3(sched_setscheduler, pid_t, pid, int, policy, uaddr_t, param)
{
	struct task *t;
	int prio;

	if (!param || pid < 0)
		return -EINVAL;
	if (get_user(prio, param))
		return -EFAULT;
	t = sched_task(pid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	return set_policy(t, policy & ~SCHED_RESET_ON_FORK, prio,
			  !!(policy & SCHED_RESET_ON_FORK));
}

SYSCALL_DEFINE2(sched_setparam, pid_t, pid, uaddr_t, param)
{
	struct task *t;
	int prio;

	if (!param || pid < 0)
		return -EINVAL;
	if (get_user(prio, param))
		return -EFAULT;
	t = sched_task(pid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	return set_policy(t, t->policy, prio, t->sched_reset_on_fork);
}

SYSCALL_DEFINE1(sched_getscheduler, pid_t, pid)
{
	struct task *t = sched_task(pid);

	if (IS_ERR(t))
		return PTR_ERR(t);
	return t->policy | (t->sched_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

SYSCALL_DEFINE2(sched_getparam, pid_t, pid, uaddr_t, param)
{
	struct task *t;

	if (!param || pid < 0)
		return -EINVAL;
	t = sched_task(pid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	return put_user(t->rt_priority, param);
}

/* syscall-note(sched_setattr): SCHED_DEADLINE is never admitted (EBUSY with CAP_SYS_NICE, else EPERM); utilization clamping (size > 48) is refused with E2BIG */
SYSCALL_DEFINE3(sched_setattr, pid_t, pid, uaddr_t, uattr, unsigned int, flags)
{
	struct sched_attr a;
	struct task *t;
	u32 size;
	int r;

	if (!uattr || pid < 0 || flags)
		return -EINVAL;
	if (get_user(size, uattr))
		return -EFAULT;
	if (!size)
		size = SCHED_ATTR_SIZE_VER0;
	if (size < SCHED_ATTR_SIZE_VER0 || size > 4096)
		goto too_big;
	memset(&a, 0, sizeof(a));
	if (copy_from_user(&a, uattr, sizeof(a)))
		return -EFAULT;
	if (size > sizeof(a))
		goto too_big;
	if (a.sched_flags & ~(u64)SCHED_FLAG_ALL)
		return -EINVAL;
	if (a.sched_flags & ~(u64)SCHED_FLAG_RESET_ON_FORK)
		return -EINVAL;		/* clamping, deadline flags */
	t = sched_task(pid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	r = set_policy(t, (int)a.sched_policy, (int)a.sched_priority,
		       a.sched_flags & SCHED_FLAG_RESET_ON_FORK);
	if (r)
		return r;
	if (a.sched_policy == SCHED_NORMAL || a.sched_policy == SCHED_BATCH) {
		int nice = a.sched_nice < -20 ? -20 : a.sched_nice > 19 ? 19 : a.sched_nice;

		if (nice < t->nice && !capable(CAP_SYS_NICE))
			return -EPERM;
		t->nice = nice;
	}
	return 0;
too_big:
	put_user((u32)sizeof(a), uattr);
	return -E2BIG;
}

SYSCALL_DEFINE4(sched_getattr, pid_t, pid, uaddr_t, uattr, unsigned int, usize,
		unsigned int, flags)
{
	struct sched_attr a;
	struct task *t;

	if (!uattr || pid < 0 || flags || usize < SCHED_ATTR_SIZE_VER0 ||
	    usize > 4096)
		return -EINVAL;
	t = sched_task(pid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	memset(&a, 0, sizeof(a));
	a.size = min(usize, (unsigned int)sizeof(a));
	a.sched_policy = (u32)t->policy;
	a.sched_flags = t->sched_reset_on_fork ? SCHED_FLAG_RESET_ON_FORK : 0;
	a.sched_nice = t->nice;
	a.sched_priority = (u32)t->rt_priority;
	return copy_to_user(uattr, &a, a.size) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(sched_rr_get_interval, pid_t, pid, uaddr_t, interval)
{
	struct task *t = sched_task(pid);
	struct { s64 sec; long nsec; } ts = { 0, 0 };

	if (IS_ERR(t))
		return PTR_ERR(t);
	/* FIFO has no timeslice; CFS reports its period share: one slice. */
	if (t->policy == SCHED_RR)
		ts.nsec = RR_TIMESLICE_NS;
	else if (t->policy != SCHED_FIFO)
		ts.nsec = 4000000;
	return copy_to_user(interval, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE0(sched_yield)
{
	os_kernel_unlock();
	os_kernel_lock();
	return 0;
}

SYSCALL_DEFINE3(sched_getaffinity, pid_t, pid, unsigned int, len,
		uaddr_t, mask)
{
	u8 buf[128];
	int ncpu = os_nprocs();
	unsigned int need = (unsigned int)ALIGN(DIV_ROUND_UP(ncpu, 8), 8);

	if (pid && !find_task(pid))
		return -ESRCH;
	if (len < need || (len & 7))
		return -EINVAL;
	memset(buf, 0, sizeof(buf));
	for (int i = 0; i < ncpu && i < 1024; i++)
		buf[i / 8] |= (u8)(1u << (i % 8));
	if (copy_to_user(mask, buf, need))
		return -EFAULT;
	return need;
}

SYSCALL_DEFINE3(sched_setaffinity, pid_t, pid, unsigned int, len,
		uaddr_t, mask)
{
	u8 buf[128];
	unsigned int n = min(len, (unsigned int)sizeof(buf));

	if (pid && !find_task(pid))
		return -ESRCH;
	memset(buf, 0, sizeof(buf));
	if (copy_from_user(buf, mask, n))
		return -EFAULT;
	/* Any mask with one of our CPUs is accepted: host threads float. */
	for (int i = 0; i < os_nprocs() && (unsigned int)i < n * 8; i++)
		if (buf[i / 8] & (1u << (i % 8)))
			return 0;
	return -EINVAL;
}

SYSCALL_DEFINE1(sched_get_priority_max, int, policy)
{
	if (policy == 1 || policy == 2)
		return 99;
	if (policy == 0 || policy == 3 || policy == 5)
		return 0;
	return -EINVAL;
}

SYSCALL_DEFINE1(sched_get_priority_min, int, policy)
{
	if (policy == 1 || policy == 2)
		return 1;
	if (policy == 0 || policy == 3 || policy == 5)
		return 0;
	return -EINVAL;
}

