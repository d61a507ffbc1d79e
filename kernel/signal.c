// SPDX-License-Identifier: GPL-2.0
/*
 * Signals: queueing, sending, delivery, job control and the notifications
 * to the parent. The system calls that manage dispositions, masks and
 * waiting are in kernel/sigcalls.c; the x86-64 frames in arch/x86/signal.c.
 *
 * Everything here runs under the big kernel lock. A signal made pending
 * for a task that can take it wakes that task (signal_wake_up): guest code
 * is interrupted through the platform, an interruptible sleep is woken, and
 * the task's host thread then runs do_signal() before returning to guest
 * code.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/fs.h"
#include <asm/unistd_64.h>

/* ---- RLIMIT_SIGPENDING accounting, per real uid of the receiver ---- */

struct sigcount {
	struct list_head node;
	uid_t uid;
	u64 n;
};
static LIST_HEAD(sigcounts);

static struct sigcount *find_sigcount(uid_t uid, bool create)
{
	struct sigcount *c;

	list_for_each_entry(c, &sigcounts, node)
		if (c->uid == uid)
			return c;
	if (!create)
		return NULL;
	c = kzalloc(sizeof(*c));
	if (!c)
		return NULL;
	c->uid = uid;
	list_add(&c->node, &sigcounts);
	return c;
}

static struct sigqueue *sigqueue_alloc(struct task *t, bool override)
{
	uid_t uid = t->cred ? t->cred->uid : 0;
	struct sigcount *c = find_sigcount(uid, true);
	struct sigqueue *q;

	if (!c)
		return NULL;
	if (!override && c->n >= task_rlimit(t, RLIMIT_SIGPENDING))
		return NULL;
	q = kzalloc(sizeof(*q));
	if (!q)
		return NULL;
	q->uid = uid;
	c->n++;
	INIT_LIST_HEAD(&q->list);
	return q;
}

static void sigqueue_free(struct sigqueue *q)
{
	struct sigcount *c = find_sigcount(q->uid, false);

	if (c && --c->n == 0) {
		list_del(&c->node);
		kfree(c);
	}
	kfree(q);
}

/* ---- pending sets ---- */

void init_sigpending(struct sigpending *p)
{
	INIT_LIST_HEAD(&p->list);
	p->signal = 0;
}

void flush_sigqueue(struct sigpending *p)
{
	struct sigqueue *q, *n;

	list_for_each_entry_safe(q, n, &p->list, list) {
		list_del(&q->list);
		sigqueue_free(q);
	}
	p->signal = 0;
}

/* Drops every pending instance of the signals in mask. */
static void flush_sigqueue_mask(struct sigpending *p, ksigset_t mask)
{
	struct sigqueue *q, *n;

	if (!(p->signal & mask))
		return;
	p->signal &= ~mask;
	list_for_each_entry_safe(q, n, &p->list, list) {
		if (mask & sigmask(q->info.si_signo)) {
			list_del(&q->list);
			sigqueue_free(q);
		}
	}
}

/* In the shared set and in every thread of the group. */
static void flush_group_mask(struct signal_struct *s, ksigset_t mask)
{
	struct task *th;

	flush_sigqueue_mask(&s->shared_pending, mask);
	list_for_each_entry(th, &s->threads, thread_node)
		flush_sigqueue_mask(&th->pending, mask);
}

/* Synchronous faults are taken before anything else, then lowest first. */
static int next_signal(const struct sigpending *p, ksigset_t mask)
{
	ksigset_t x = p->signal & mask;

	if (!x)
		return 0;
	if (x & SYNCHRONOUS_MASK)
		x &= SYNCHRONOUS_MASK;
	return __builtin_ctzll(x) + 1;
}

static void collect_signal(int sig, struct sigpending *p,
			   struct ksiginfo *info)
{
	struct sigqueue *q, *first = NULL;
	bool more = false;

	list_for_each_entry(q, &p->list, list) {
		if (q->info.si_signo != sig)
			continue;
		if (first) {
			more = true;
			break;
		}
		first = q;
	}
	if (!more)
		p->signal &= ~sigmask(sig);
	if (first) {
		*info = first->info;
		list_del(&first->list);
		sigqueue_free(first);
	} else {
		/* queued without siginfo (allocation or limit): a kill() */
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = SI_USER;
	}
}

int dequeue_signal(struct task *t, ksigset_t mask, struct ksiginfo *info)
{
	struct sigpending *p = &t->pending;
	int sig = next_signal(p, mask);

	if (!sig) {
		p = &t->signal->shared_pending;
		sig = next_signal(p, mask);
		if (!sig)
			return 0;
	}
	collect_signal(sig, p, info);
	return sig;
}

bool signal_pending(struct task *t)
{
	ksigset_t pend;

	if (!t || !t->signal)
		return false;
	if (t->signal->flags & SIGNAL_GROUP_EXIT)
		return true;
	if (t->sigflags & TSIG_STOP_PENDING)
		return true;
	pend = t->pending.signal | t->signal->shared_pending.signal;
	return (pend & ~t->blocked) != 0;
}

/* ---- sending ---- */

static inline bool is_init(const struct task *t)
{
	return t->tgid == 1;
}

static inline bool task_alive(const struct task *t)
{
	return t->state != TASK_ZOMBIE && t->state != TASK_DEAD &&
	       !(t->sigflags & TSIG_EXITING);
}

/*
 * The dispositions of t's process. An exited leader of a live group has
 * let go of its sighand; the threads share one, so ask a live sibling.
 */
static struct sighand *task_sighand(struct task *t)
{
	struct task *th;

	if (t->sighand || !t->signal)
		return t->sighand;
	list_for_each_entry(th, &t->signal->threads, thread_node)
		if (th->sighand)
			return th->sighand;
	return NULL;
}

static uaddr_t handler_of(struct task *t, int sig)
{
	struct sighand *sh = task_sighand(t);

	return sh ? sh->action[sig - 1].handler : SIG_DFL;
}

/* Would sending sig to t now be a no-op? Blocked signals wait instead. */
static bool sig_ignored(struct task *t, int sig, bool force)
{
	uaddr_t h;

	if ((t->blocked | t->real_blocked) & sigmask(sig))
		return false;
	/* init is immune to what it did not ask for, even SIGKILL */
	if (is_init(t) && (sigmask(sig) & KERNEL_ONLY_MASK))
		return true;
	h = handler_of(t, sig);
	if (is_init(t) && h == SIG_DFL && !force)
		return true;
	return h == SIG_IGN ||
	       (h == SIG_DFL && (sigmask(sig) & DEFAULT_IGNORE_MASK));
}

/* Default action kills the whole group? */
static bool sig_fatal(struct task *t, int sig)
{
	return handler_of(t, sig) == SIG_DFL &&
	       !(sigmask(sig) & (DEFAULT_IGNORE_MASK | STOP_MASK));
}

void signal_wake_up(struct task *t)
{
	if (!t || t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
		return;
	wake_up_task(t);
	if (t != current && t->in_user && t->pth && !t->pth_dead)
		plat_interrupt(t->pth);
}

/*
 * Side effects of stop and continue signals, which happen on sending
 * whatever the disposition. Returns whether the signal is still to be
 * queued.
 */
static bool prepare_signal(int sig, struct task *t, bool force)
{
	struct signal_struct *s = t->signal;
	struct task *th;

	if (s->flags & SIGNAL_GROUP_EXIT)
		return false;
	if (sigmask(sig) & STOP_MASK) {
		flush_group_mask(s, sigmask(SIGCONT));
	} else if (sig == SIGCONT) {
		flush_group_mask(s, STOP_MASK);
		list_for_each_entry(th, &s->threads, thread_node) {
			th->sigflags &= ~(TSIG_STOP_PENDING | TSIG_STOPPED);
			wake_up_task(th);
		}
		s->group_stop_count = 0;
		if (s->flags & SIGNAL_STOPPED) {
			s->flags &= ~(SIGNAL_STOPPED | SIGNAL_STOP_STOPPED);
			s->flags |= SIGNAL_STOP_CONTINUED;
			do_notify_parent_cldstop(t, CLD_CONTINUED);
		}
	}
	return !sig_ignored(t, sig, force);
}

static bool wants_signal(int sig, struct task *t)
{
	if (t->blocked & sigmask(sig))
		return false;
	if (!task_alive(t))
		return false;
	if (sig == SIGKILL)
		return true;
	return !(t->sigflags & TSIG_STOPPED);
}

/* Picks a thread to take the signal, and starts a group exit if fatal. */
static void complete_signal(int sig, struct task *t, bool group)
{
	struct signal_struct *s = t->signal;
	struct task *target = NULL, *th;

	if (wants_signal(sig, t)) {
		target = t;
	} else if (group) {
		list_for_each_entry(th, &s->threads, thread_node) {
			if (wants_signal(sig, th)) {
				target = th;
				break;
			}
		}
	}
	if (!target)
		return;
	/*
	 * A fatal signal kills every thread now, even those that block it or
	 * are sleeping somewhere: nobody will ever handle it. Core-dumping
	 * signals go through do_signal() so the dump code sees them.
	 */
	if (sig_fatal(t, sig) && !(s->flags & SIGNAL_GROUP_EXIT) &&
	    !(target->real_blocked & sigmask(sig)) &&
	    !(sigmask(sig) & COREDUMP_MASK) && !is_init(t)) {
		s->flags = SIGNAL_GROUP_EXIT;
		s->group_exit_code = sig;
		s->group_stop_count = 0;
		list_for_each_entry(th, &s->threads, thread_node) {
			th->sigflags &= ~(TSIG_STOP_PENDING | TSIG_STOPPED);
			signal_wake_up(th);
		}
		return;
	}
	signal_wake_up(target);
}

/* A blocked signal wakes nobody else: signalfd readers must hear of it. */
static void signalfd_notify(struct task *t)
{
	struct sighand *sh = task_sighand(t);

	if (sh && waitqueue_active(&sh->signalfd_wqh))
		wake_up_poll(&sh->signalfd_wqh, POLLIN | POLLRDNORM);
}

struct wait_queue_head *signalfd_wqh(struct task *t)
{
	struct sighand *sh = task_sighand(t);

	return sh ? &sh->signalfd_wqh : NULL;
}

ksigset_t signals_pending_in(struct task *t, ksigset_t mask)
{
	return (t->pending.signal | t->signal->shared_pending.signal) & mask;
}

static void kernel_info(struct ksiginfo *info, int sig)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = SI_KERNEL;
}

/*
 * Makes sig pending for t (group: for its thread group). info NULL means
 * a signal from the kernel itself (SI_KERNEL).
 */
static int send_signal(int sig, const struct ksiginfo *info, struct task *t,
		       bool group, bool force)
{
	struct sigpending *p;
	struct sigqueue *q;
	struct ksiginfo kinfo;
	bool override;

	if (!t || !t->signal || t->state == TASK_DEAD)
		return 0;
	if (!prepare_signal(sig, t, force))
		return 0;
	p = group ? &t->signal->shared_pending : &t->pending;
	/* standard signals do not queue */
	if (sig < SIGRTMIN && (p->signal & sigmask(sig)))
		return 0;
	if (!info) {
		kernel_info(&kinfo, sig);
		info = &kinfo;
		override = sig < SIGRTMIN;
	} else {
		override = sig < SIGRTMIN && info->si_code >= 0;
	}
	q = sigqueue_alloc(t, override);
	if (q) {
		q->info = *info;
		q->info.si_signo = sig;
		list_add_tail(&q->list, &p->list);
	} else if (sig >= SIGRTMIN && info != &kinfo &&
		   info->si_code != SI_USER) {
		return -EAGAIN;
	}
	p->signal |= sigmask(sig);
	signalfd_notify(t);
	complete_signal(sig, t, group);
	return 0;
}

int send_sig_info(int sig, struct ksiginfo *info, struct task *t)
{
	if (!valid_signal(sig))
		return -EINVAL;
	if (!sig)
		return 0;
	return send_signal(sig, info, t, false, false);
}

int group_send_sig_info(int sig, struct ksiginfo *info, struct task *t)
{
	if (!valid_signal(sig))
		return -EINVAL;
	if (!sig)
		return 0;
	return send_signal(sig, info, t, true, false);
}

int send_sig(int sig, struct task *t, bool group)
{
	if (!valid_signal(sig))
		return -EINVAL;
	if (!sig)
		return 0;
	return send_signal(sig, NULL, t, group, false);
}

int kill_pgrp(pid_t pgrp, int sig, struct ksiginfo *info)
{
	return kill_pgrp_checked(pgrp, sig, info, false);
}

/*
 * The sender may signal t: same process, CAP_KILL, a real or effective
 * uid matching the target's real or saved uid, or SIGCONT in the session.
 */
int check_kill_permission(int sig, struct task *t)
{
	const struct cred *c = current->cred, *tc = t->cred;

	if (!valid_signal(sig))
		return -EINVAL;
	if (t->signal == current->signal || capable(CAP_KILL))
		return 0;
	if (tc && (c->euid == tc->suid || c->euid == tc->uid ||
		   c->uid == tc->suid || c->uid == tc->uid))
		return 0;
	if (sig == SIGCONT && t->signal->session == current->signal->session)
		return 0;
	return -EPERM;
}

int kill_task_checked(int sig, struct ksiginfo *info, struct task *t,
		      bool group, bool check)
{
	int r;

	if (check) {
		r = check_kill_permission(sig, t);
		if (r)
			return r;
	} else if (!valid_signal(sig)) {
		return -EINVAL;
	}
	if (!sig)
		return 0;
	return send_signal(sig, info, t, group, false);
}

int kill_pgrp_checked(pid_t pgrp, int sig, struct ksiginfo *info,
		      bool check)
{
	struct task *p;
	bool found = false, ok = false;
	int r = -ESRCH;

	if (pgrp <= 0)
		return -ESRCH;
	list_for_each_entry(p, &all_tasks, all_node) {
		if (!thread_group_leader(p) || p->state == TASK_DEAD ||
		    !p->signal || p->signal->pgrp != pgrp)
			continue;
		found = true;
		r = kill_task_checked(sig, info, p, true, check);
		if (!r)
			ok = true;
	}
	if (!found)
		return -ESRCH;
	return ok ? 0 : r;
}

/* ---- faults ---- */

void force_sig_fault_trap(int sig, int code, uaddr_t addr,
			  unsigned long trapno, unsigned long err)
{
	struct task *t = current;
	struct k_sigaction *ka;
	struct ksiginfo info;

	/* the platform vouches for sig; a bad one must not index action[] */
	if (sig < 1 || sig > _NSIG)
		sig = SIGSEGV;
	ka = &t->sighand->action[sig - 1];
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.fault.addr = addr;
	t->fault_trapno = trapno;
	t->fault_err = err;
	t->fault_addr = addr;
	/*
	 * Nobody may ignore or block a fault: it would only fault again. A
	 * blocked one is fatal even with a handler, as on Linux.
	 */
	if (ka->handler == SIG_IGN || (t->blocked & sigmask(sig))) {
		ka->handler = SIG_DFL;
		t->blocked &= ~sigmask(sig);
	}
	t->real_blocked &= ~sigmask(sig);
	send_signal(sig, &info, t, false, true);
}

/*
 * The x86 trap behind a host fault, for the sigcontext of a handler that
 * wants it: the platform knows it, this is the fallback.
 */
void force_sig_fault(int sig, int code, uaddr_t addr)
{
	unsigned long trapno = 0, err = 0;

	switch (sig) {
	case SIGSEGV:
		trapno = code == SI_KERNEL ? 13 : 14;
		err = 4 | (code == 2 ? 1 : 0);	/* user, protection */
		break;
	case SIGBUS:
		trapno = 14;
		err = 4;
		break;
	case SIGILL:
		trapno = 6;
		break;
	case SIGTRAP:
		trapno = code == SI_KERNEL ? 3 : 1;
		break;
	case SIGFPE:
		trapno = code == 1 /* FPE_INTDIV */ ? 0 : 19;
		break;
	}
	force_sig_fault_trap(sig, code, addr, trapno, err);
}

void force_sig(int sig)
{
	struct task *t = current;
	struct ksiginfo info;

	kernel_info(&info, sig);
	if (t->sighand->action[sig - 1].handler == SIG_IGN ||
	    (t->blocked & sigmask(sig))) {
		t->sighand->action[sig - 1].handler = SIG_DFL;
		t->blocked &= ~sigmask(sig);
	}
	t->real_blocked &= ~sigmask(sig);
	send_signal(sig, &info, t, false, true);
}

/* A handler frame could not be written: the task dies of SIGSEGV. */
void force_sigsegv(int sig)
{
	if (sig == SIGSEGV)
		current->sighand->action[SIGSEGV - 1].handler = SIG_DFL;
	force_sig(SIGSEGV);
}

/* ---- masks ---- */

/*
 * Shared signals this thread now blocks go to a sibling that does not,
 * so a process-wide signal is not stuck behind one thread's mask.
 */
static void retarget_shared(struct task *t, ksigset_t which)
{
	ksigset_t pend = t->signal->shared_pending.signal & which;
	struct task *th;

	if (!pend)
		return;
	list_for_each_entry(th, &t->signal->threads, thread_node) {
		if (th == t || !task_alive(th))
			continue;
		if (pend & ~th->blocked) {
			pend &= th->blocked;
			signal_wake_up(th);
			if (!pend)
				break;
		}
	}
}

void set_current_blocked(struct task *t, ksigset_t mask)
{
	ksigset_t newly;

	mask &= ~KERNEL_ONLY_MASK;
	newly = mask & ~t->blocked;
	t->blocked = mask;
	retarget_shared(t, newly);
}

void exit_signals(struct task *t)
{
	struct signal_struct *s = t->signal;

	if (t->sigflags & TSIG_EXITING)
		return;
	t->sigflags |= TSIG_EXITING;
	if ((t->sigflags & TSIG_STOP_PENDING) && s->group_stop_count > 0 &&
	    --s->group_stop_count == 0 && !(s->flags & SIGNAL_GROUP_EXIT)) {
		s->flags |= SIGNAL_STOPPED | SIGNAL_STOP_STOPPED;
		s->flags &= ~SIGNAL_STOP_CONTINUED;
		s->group_exit_code = (s->stop_signal << 8) | 0x7f;
		do_notify_parent_cldstop(t, CLD_STOPPED);
	}
	t->sigflags &= ~(TSIG_STOP_PENDING | TSIG_STOPPED);
	retarget_shared(t, ~t->blocked);
	flush_sigqueue(&t->pending);
}

/* ---- notifications to the parent ---- */

static u64 ns_to_clock_t(u64 ns)
{
	return ns / (1000000000ULL / 100);	/* USER_HZ */
}

static bool parent_ignores_chld(struct task *parent, bool *no_signal)
{
	struct k_sigaction *ka;
	struct sighand *sh = task_sighand(parent);

	*no_signal = false;
	if (!sh)
		return false;
	ka = &sh->action[SIGCHLD - 1];
	if (ka->handler == SIG_IGN)
		*no_signal = true;
	return ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT);
}

bool do_notify_parent(struct task *t, int sig)
{
	struct task *parent = t->parent;
	struct ksiginfo info;
	bool autoreap = false, no_signal = false;
	int st = t->exit_code;

	if (!parent || !parent->signal)
		return false;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.chld.pid = t->tgid;
	info.chld.uid = t->cred ? t->cred->uid : 0;
	if (!(st & 0x7f)) {
		info.si_code = CLD_EXITED;
		info.chld.status = (st >> 8) & 0xff;
	} else {
		info.si_code = (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
		info.chld.status = st & 0x7f;
	}
	info.chld.utime = (long)ns_to_clock_t(t->utime_ns +
					      t->signal->utime_ns);
	info.chld.stime = (long)ns_to_clock_t(t->stime_ns +
					      t->signal->stime_ns);
	if (sig == SIGCHLD && parent_ignores_chld(parent, &no_signal)) {
		autoreap = true;
		if (no_signal)
			sig = 0;
	}
	if (valid_signal(sig) && sig)
		send_signal(sig, &info, parent, true, false);
	wake_up(&parent->signal->wait_chldexit);
	return autoreap;
}

void do_notify_parent_cldstop(struct task *t, int why)
{
	struct task *leader = t->group_leader ? t->group_leader : t;
	struct task *parent = leader->parent;
	struct ksiginfo info;
	struct k_sigaction *ka;
	struct sighand *psh;

	if (!parent || !parent->signal)
		return;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGCHLD;
	info.si_code = why;
	info.chld.pid = leader->tgid;
	info.chld.uid = leader->cred ? leader->cred->uid : 0;
	info.chld.status = why == CLD_CONTINUED ? SIGCONT :
			   t->signal->stop_signal;
	info.chld.utime = (long)ns_to_clock_t(leader->utime_ns +
					      t->signal->utime_ns);
	info.chld.stime = (long)ns_to_clock_t(leader->stime_ns +
					      t->signal->stime_ns);
	psh = task_sighand(parent);
	ka = psh ? &psh->action[SIGCHLD - 1] : NULL;
	if (!ka || !(ka->flags & SA_NOCLDSTOP))
		send_signal(SIGCHLD, &info, parent, true, false);
	wake_up(&parent->signal->wait_chldexit);
}

/* ---- job control ---- */

/*
 * A process group is orphaned when no member has a parent in another
 * group of the same session: nobody is left to continue it, so the
 * terminal stop signals are discarded.
 */
static bool pgrp_orphaned(pid_t pgrp, struct task *ignore)
{
	struct task *p;

	list_for_each_entry(p, &all_tasks, all_node) {
		struct task *par = p->parent;

		if (!thread_group_leader(p) || p == ignore || !p->signal ||
		    p->signal->pgrp != pgrp || p->state == TASK_ZOMBIE ||
		    p->state == TASK_DEAD)
			continue;
		if (!par || !par->signal || is_init(par))
			continue;
		if (par->signal->pgrp != pgrp &&
		    par->signal->session == p->signal->session)
			return false;
	}
	return true;
}

bool is_current_pgrp_orphaned(void)
{
	return pgrp_orphaned(current->signal->pgrp, NULL);
}

/* Sleeps without regard to pending signals: only SIGCONT or death wake. */
static void stopped_sleep(struct task *t)
{
	struct signal_struct *s = t->signal;

	t->state = TASK_STOPPED;
	while ((t->sigflags & TSIG_STOPPED) &&
	       !(s->flags & SIGNAL_GROUP_EXIT)) {
		u32 seq = __atomic_load_n(&t->wake_seq, __ATOMIC_SEQ_CST);

		os_kernel_unlock();
		os_futex_wait(&t->wake_seq, seq, 0);
		os_kernel_lock();
	}
	t->state = TASK_RUNNING;
	t->sigflags &= ~TSIG_STOPPED;
}

/* This thread's part of a group stop; the last one tells the parent. */
static void do_jobctl_stop(struct task *t)
{
	struct signal_struct *s = t->signal;

	t->sigflags &= ~TSIG_STOP_PENDING;
	t->sigflags |= TSIG_STOPPED;
	if (s->group_stop_count > 0 && --s->group_stop_count == 0) {
		s->flags |= SIGNAL_STOPPED | SIGNAL_STOP_STOPPED;
		s->flags &= ~SIGNAL_STOP_CONTINUED;
		s->group_exit_code = (s->stop_signal << 8) | 0x7f;
		do_notify_parent_cldstop(t, CLD_STOPPED);
	}
	stopped_sleep(t);
}

static void do_group_stop(struct task *t, int sig)
{
	struct signal_struct *s = t->signal;
	struct task *th;
	int n = 0;

	if (s->group_stop_count == 0) {
		s->stop_signal = sig;
		list_for_each_entry(th, &s->threads, thread_node) {
			if (!task_alive(th))
				continue;
			th->sigflags |= TSIG_STOP_PENDING;
			n++;
			if (th != t)
				signal_wake_up(th);
		}
		if (!(t->sigflags & TSIG_STOP_PENDING)) {
			t->sigflags |= TSIG_STOP_PENDING;
			n++;
		}
		s->group_stop_count = n;
	} else {
		t->sigflags |= TSIG_STOP_PENDING;
	}
	do_jobctl_stop(t);
}

/* ---- delivery ---- */

static bool is_restart_code(long rax)
{
	return rax == -ERESTARTSYS || rax == -ERESTARTNOINTR ||
	       rax == -ERESTARTNOHAND || rax == -ERESTART_RESTARTBLOCK;
}

/*
 * The system call interrupted by a handler: -EINTR, or restarted by
 * backing up over the 2-byte syscall instruction.
 */
static void restart_with_handler(struct task *t, const struct k_sigaction *ka)
{
	long rax = (long)t->regs.rax;

	switch (rax) {
	case -ERESTARTSYS:
		if (ka->flags & SA_RESTART)
			goto restart;
		t->regs.rax = (u64)-EINTR;
		break;
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		t->regs.rax = (u64)-EINTR;
		break;
	case -ERESTARTNOINTR:
	restart:
		t->regs.rax = t->regs.orig_rax;
		t->regs.rip -= 2;
		break;
	}
}

static void restart_without_handler(struct task *t)
{
	long rax = (long)t->regs.rax;

	if (rax == -ERESTART_RESTARTBLOCK)
		t->regs.rax = __NR_restart_syscall;
	else
		t->regs.rax = t->regs.orig_rax;
	t->regs.rip -= 2;
}

static void handle_signal(struct task *t, int sig, struct ksiginfo *info,
			  struct k_sigaction *ka, bool *restart)
{
	ksigset_t oldmask, mask;

	if (*restart) {
		restart_with_handler(t, ka);
		*restart = false;
	}
	t->regs.orig_rax = (u64)-1;
	oldmask = t->restore_sigmask ? t->saved_sigmask : t->blocked;
	if (setup_rt_frame(t, sig, ka, info, oldmask)) {
		force_sigsegv(sig);
		return;
	}
	t->restore_sigmask = false;
	mask = t->blocked | ka->mask;
	if (!(ka->flags & SA_NODEFER))
		mask |= sigmask(sig);
	set_current_blocked(t, mask);
	if (t->sas_ss_flags & SS_AUTODISARM) {
		t->sas_ss_sp = 0;
		t->sas_ss_size = 0;
		t->sas_ss_flags = SS_DISABLE;
	}
	if (ka->flags & SA_RESETHAND)
		ka->handler = SIG_DFL;
}

/*
 * Whether the event just handled was a system call is in the registers:
 * the platform reports orig_rax = -1 for every other event, and from here
 * on it is -1 too, so a restart is never applied twice.
 */
void do_signal(struct task *t)
{
	struct signal_struct *s = t->signal;
	bool restart = (long)t->regs.orig_rax >= 0 &&
		       is_restart_code((long)t->regs.rax);
	bool handled = false;
	struct ksiginfo info;
	struct k_sigaction *ka;
	int sig;

	for (;;) {
		if (s->flags & SIGNAL_GROUP_EXIT)
			do_exit(s->group_exit_code);
		if (t->sigflags & TSIG_STOP_PENDING) {
			do_jobctl_stop(t);
			continue;
		}
		sig = dequeue_signal(t, ~t->blocked, &info);
		if (!sig)
			break;
		ka = &t->sighand->action[sig - 1];
		if (ka->handler == SIG_IGN)
			continue;
		if (ka->handler != SIG_DFL) {
			handle_signal(t, sig, &info, ka, &restart);
			handled = true;
			continue;
		}
		if (sigmask(sig) & DEFAULT_IGNORE_MASK)
			continue;
		/* init dies only of its own faults */
		if (is_init(t) && !(sigmask(sig) & SYNCHRONOUS_MASK))
			continue;
		if (sigmask(sig) & STOP_MASK) {
			if (sig != SIGSTOP && pgrp_orphaned(s->pgrp, NULL))
				continue;
			do_group_stop(t, sig);
			continue;
		}
		/*
		 * The 0x80 "core dumped" bit: Linux sets it only when a
		 * dump was allowed (RLIMIT_CORE, 0 by default), and no file
		 * is written here, so it is claimed no more often than that.
		 */
		if ((sigmask(sig) & COREDUMP_MASK) &&
		    task_rlimit(t, RLIMIT_CORE) != 0)
			do_group_exit(sig | 0x80);
		do_group_exit(sig);
	}
	if (handled)
		return;
	if (restart)
		restart_without_handler(t);
	t->regs.orig_rax = (u64)-1;
	if (t->restore_sigmask) {
		t->restore_sigmask = false;
		set_current_blocked(t, t->saved_sigmask);
	}
}

/* ---- dispositions across fork and exec ---- */

struct sighand *sighand_alloc(void)
{
	struct sighand *sh = kzalloc(sizeof(*sh));

	if (sh) {
		sh->refs = 1;
		init_waitqueue_head(&sh->signalfd_wqh);
	}
	return sh;
}

struct sighand *sighand_copy(struct sighand *old)
{
	struct sighand *sh = kmalloc(sizeof(*sh));

	if (!sh)
		return NULL;
	memcpy(sh, old, sizeof(*sh));
	sh->refs = 1;
	init_waitqueue_head(&sh->signalfd_wqh);
	return sh;
}

void sighand_put(struct sighand *sh)
{
	if (!sh || --sh->refs)
		return;
	/*
	 * What is still queued is epoll's (a task's own sighand outlives its
	 * sleeps): unhook it, finish_wait() then has nothing to undo.
	 */
	while (!list_empty(&sh->signalfd_wqh.head)) {
		struct wait_queue_entry *w = list_first_entry(
			&sh->signalfd_wqh.head, struct wait_queue_entry, link);

		list_del(&w->link);
		w->queued = false;
	}
	kfree(sh);
}

void flush_signal_handlers(struct task *t)
{
	struct k_sigaction *ka;

	/* dispositions shared with another process stay theirs */
	if (t->sighand->refs > 1) {
		struct sighand *sh = sighand_copy(t->sighand);

		if (sh) {
			sighand_put(t->sighand);
			t->sighand = sh;
		}
	}
	ka = t->sighand->action;

	for (int i = 0; i < _NSIG; i++) {
		if (ka[i].handler != SIG_IGN)
			ka[i].handler = SIG_DFL;
		ka[i].flags = 0;
		ka[i].restorer = 0;
		ka[i].mask = 0;
	}
	t->sas_ss_sp = 0;
	t->sas_ss_size = 0;
	t->sas_ss_flags = 0;
}

/* A disposition became "ignore": pending instances are discarded. */
void flush_signal_from_group(struct task *t, int sig)
{
	flush_group_mask(t->signal, sigmask(sig));
}
