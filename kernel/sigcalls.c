// SPDX-License-Identifier: GPL-2.0
/*
 * The signal system calls: sending (kill, tkill, tgkill, rt_sigqueueinfo),
 * dispositions (rt_sigaction), masks (rt_sigprocmask, rt_sigpending) and
 * waiting (rt_sigsuspend, pause, rt_sigtimedwait, restart_syscall). The
 * machinery behind them is kernel/signal.c.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/fs.h"

/* The guest's struct sigaction as the x86-64 kernel takes it. */
struct user_sigaction {
	u64 handler;
	u64 flags;
	u64 restorer;
	u64 mask;
};

struct user_timespec {
	s64 tv_sec;
	s64 tv_nsec;
};

/* Flags a guest may set; others read back as zero (SA_UNSUPPORTED probe). */
#define SA_EXPOSE_TAGBITS	0x00000800
#define SA_KNOWN_FLAGS		(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | \
				 SA_ONSTACK | SA_RESTART | SA_NODEFER | \
				 SA_RESETHAND | SA_RESTORER | \
				 SA_EXPOSE_TAGBITS)

static void user_info(struct ksiginfo *info, int sig, int code)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	info->kill.pid = current->tgid;
	info->kill.uid = current->cred->uid;
}

/* ---- sending ---- */

static long kill_all(int sig, struct ksiginfo *info)
{
	struct task *p;
	int count = 0, ret = 0, r;

	list_for_each_entry(p, &all_tasks, all_node) {
		if (!thread_group_leader(p) || p->state == TASK_DEAD ||
		    p->tgid <= 1 || p->signal == current->signal)
			continue;
		count++;
		r = kill_task_checked(sig, info, p, true, true);
		/* refusals do not count against a broadcast */
		if (r != -EPERM)
			ret = r;
	}
	return count ? ret : -ESRCH;
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	struct ksiginfo info;
	struct task *t;

	user_info(&info, sig, SI_USER);
	if (pid > 0) {
		t = find_task(pid);
		if (!t || t->state == TASK_DEAD)
			return -ESRCH;
		return kill_task_checked(sig, &info, t->group_leader, true,
					 true);
	}
	if (pid == 0)
		return kill_pgrp_checked(current->signal->pgrp, sig, &info,
					 true);
	if (pid == -1)
		return kill_all(sig, &info);
	if (pid == (int)0x80000000)
		return -ESRCH;
	return kill_pgrp_checked(-pid, sig, &info, true);
}

static long do_tkill(pid_t tgid, pid_t tid, int sig)
{
	struct ksiginfo info;
	struct task *t = find_task(tid);

	if (!t || t->state == TASK_DEAD || t->state == TASK_ZOMBIE ||
	    (tgid > 0 && t->tgid != tgid))
		return -ESRCH;
	user_info(&info, sig, SI_TKILL);
	return kill_task_checked(sig, &info, t, false, true);
}

SYSCALL_DEFINE2(tkill, pid_t, tid, int, sig)
{
	if (tid <= 0)
		return -EINVAL;
	return do_tkill(0, tid, sig);
}

SYSCALL_DEFINE3(tgkill, pid_t, tgid, pid_t, tid, int, sig)
{
	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

/*
 * A guest may forge siginfo only with a negative si_code (a user origin)
 * unless it signals itself: kernel codes must mean the kernel sent them.
 */
static int copy_queue_info(struct ksiginfo *info, uaddr_t uinfo, int sig,
			   pid_t target)
{
	if (copy_from_user(info, uinfo, sizeof(*info)))
		return -EFAULT;
	if ((info->si_code >= 0 || info->si_code == SI_TKILL) &&
	    target != current->pid)
		return -EPERM;
	info->si_signo = sig;
	return 0;
}

SYSCALL_DEFINE3(rt_sigqueueinfo, pid_t, tgid, int, sig, uaddr_t, uinfo)
{
	struct ksiginfo info;
	struct task *t;
	int r;

	r = copy_queue_info(&info, uinfo, sig, tgid);
	if (r)
		return r;
	/* like kill(): any thread's id names its process */
	t = tgid > 0 ? find_task(tgid) : NULL;
	if (!t || t->state == TASK_DEAD)
		return -ESRCH;
	return kill_task_checked(sig, &info, t->group_leader, true, true);
}

SYSCALL_DEFINE4(pidfd_send_signal, int, pidfd, int, sig, uaddr_t, uinfo,
		unsigned int, flags)
{
	struct file *pf;
	struct ksiginfo info;
	struct task *t;
	long r;

	if (flags)
		return -EINVAL;
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	pf = fget(pidfd);
	if (!pf)
		return -EBADF;
	r = -EBADF;
	t = pidfd_task(pf);
	if (!t)
		goto out;
	r = -ESRCH;
	if (t->state == TASK_DEAD)
		goto out;
	if (uinfo) {
		r = copy_queue_info(&info, uinfo, sig, t->pid);
		if (r)
			goto out;
		r = -EINVAL;
		if (info.si_signo != sig)
			goto out;
	} else {
		user_info(&info, sig, SI_USER);
	}
	r = kill_task_checked(sig, &info, t, true, true);
out:
	fput(pf);
	return r;
}

SYSCALL_DEFINE4(rt_tgsigqueueinfo, pid_t, tgid, pid_t, tid, int, sig,
		uaddr_t, uinfo)
{
	struct ksiginfo info;
	struct task *t;
	int r;

	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	r = copy_queue_info(&info, uinfo, sig, tid);
	if (r)
		return r;
	t = find_task(tid);
	if (!t || t->tgid != tgid || t->state == TASK_DEAD ||
	    t->state == TASK_ZOMBIE)
		return -ESRCH;
	return kill_task_checked(sig, &info, t, false, true);
}

/* ---- dispositions ---- */

SYSCALL_DEFINE4(rt_sigaction, int, sig, uaddr_t, uact, uaddr_t, uoact,
		size_t, sigsetsize)
{
	struct task *t = current;
	struct user_sigaction act, oact;
	struct k_sigaction *ka;

	if (sigsetsize != sizeof(ksigset_t))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	if (sig < 1 || sig > _NSIG ||
	    (uact && (sigmask(sig) & KERNEL_ONLY_MASK)))
		return -EINVAL;
	ka = &t->sighand->action[sig - 1];
	oact.handler = ka->handler;
	oact.flags = ka->flags;
	oact.restorer = ka->restorer;
	oact.mask = ka->mask;
	if (uact) {
		ka->handler = act.handler;
		ka->flags = act.flags & SA_KNOWN_FLAGS;
		ka->restorer = act.restorer;
		ka->mask = act.mask & ~KERNEL_ONLY_MASK;
		/* POSIX: ignoring a signal discards what is pending */
		if (ka->handler == SIG_IGN ||
		    (ka->handler == SIG_DFL &&
		     (sigmask(sig) & DEFAULT_IGNORE_MASK)))
			flush_signal_from_group(t, sig);
	}
	if (uoact && copy_to_user(uoact, &oact, sizeof(oact)))
		return -EFAULT;
	return 0;
}

/* ---- masks ---- */

SYSCALL_DEFINE4(rt_sigprocmask, int, how, uaddr_t, uset, uaddr_t, uoset,
		size_t, sigsetsize)
{
	struct task *t = current;
	ksigset_t old = t->blocked, set;

	if (sigsetsize != sizeof(ksigset_t))
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK:
			set |= old;
			break;
		case SIG_UNBLOCK:
			set = old & ~set;
			break;
		case SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
		set_current_blocked(t, set);
	}
	if (uoset && copy_to_user(uoset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(rt_sigpending, uaddr_t, uset, size_t, sigsetsize)
{
	struct task *t = current;
	ksigset_t pend;

	if (sigsetsize > sizeof(ksigset_t))
		return -EINVAL;
	pend = (t->pending.signal | t->signal->shared_pending.signal) &
	       t->blocked;
	if (copy_to_user(uset, &pend, sigsetsize))
		return -EFAULT;
	return 0;
}

/* ---- waiting ---- */

/* Sleeps until a signal is pending; nothing else wakes these calls. */
static void sleep_until_signal(struct task *t)
{
	while (!signal_pending(t))
		schedule();
}

SYSCALL_DEFINE0(pause)
{
	sleep_until_signal(current);
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE2(rt_sigsuspend, uaddr_t, uset, size_t, sigsetsize)
{
	struct task *t = current;
	ksigset_t set;

	if (sigsetsize != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	t->saved_sigmask = t->blocked;
	t->restore_sigmask = true;
	set_current_blocked(t, set);
	sleep_until_signal(t);
	return -ERESTARTNOHAND;
}

static int timespec_to_deadline(uaddr_t uts, u64 *deadline)
{
	struct user_timespec ts;
	u64 ns, now;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		return -EINVAL;
	now = ktime_get_ns();
	if ((u64)ts.tv_sec >= (~0ULL - now) / 1000000000ULL - 1) {
		*deadline = 0;		/* beyond any lifetime: no timeout */
		return 1;
	}
	ns = (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
	*deadline = now + ns;
	return ns == 0 ? 2 : 1;
}

SYSCALL_DEFINE4(rt_sigtimedwait, uaddr_t, uset, uaddr_t, uinfo, uaddr_t, uts,
		size_t, sigsetsize)
{
	struct task *t = current;
	struct ksiginfo info;
	ksigset_t set;
	u64 deadline = 0;
	bool timed_out = false;
	int sig, r;

	if (sigsetsize != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	set &= ~KERNEL_ONLY_MASK;
	if (uts) {
		r = timespec_to_deadline(uts, &deadline);
		if (r < 0)
			return r;
		if (r == 2)
			timed_out = true;	/* a poll */
	}
	sig = dequeue_signal(t, set, &info);
	if (!sig && !timed_out) {
		/*
		 * The waited-for signals are unblocked while asleep so that
		 * they wake us; real_blocked keeps them from being discarded
		 * as ignored meanwhile.
		 */
		t->real_blocked = t->blocked;
		t->blocked &= ~set;
		while (!signal_pending(t)) {
			if (schedule_timeout(deadline) == -ETIMEDOUT &&
			    !signal_pending(t)) {
				timed_out = true;
				break;
			}
		}
		t->blocked = t->real_blocked;
		t->real_blocked = 0;
		sig = dequeue_signal(t, set, &info);
	}
	if (!sig)
		return timed_out ? -EAGAIN : -EINTR;
	if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return sig;
}

SYSCALL_DEFINE0(restart_syscall)
{
	struct task *t = current;
	long (*fn)(struct task *) = t->restart_fn;

	t->restart_fn = NULL;
	if (!fn)
		return -EINTR;
	return fn(t);
}
