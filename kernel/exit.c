// SPDX-License-Identifier: GPL-2.0
/*
 * Ending tasks and reaping them: exit, exit_group, wait4, waitid.
 *
 * Exit statuses are kept in wait(2) form: (code & 0xff) << 8 for a normal
 * exit, the signal number (| 0x80 for a core dump) for a death by signal.
 * A thread group's leader stays as a zombie until every thread has gone;
 * the last thread out notifies the parent on the leader's behalf.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/ipc.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/mm.h"
#include "kern/fs.h"
#include "kern/boot.h"
#include "kern/time.h"

void mm_release_vfork(struct task *t);

/* Hooks other subsystems provide; weak so that each can land on its own. */
void __attribute__((weak)) futex_exit_release(struct task *t)
{
	if (t->clear_child_tid) {
		u32 zero = 0;
		copy_to_task(t, t->clear_child_tid, &zero, sizeof(zero));
	}
}
void __attribute__((weak)) exit_itimers(struct signal_struct *sig) { (void)sig; }
void __attribute__((weak)) tty_exit_session(struct task *leader) { (void)leader; }

static void release_task(struct task *t);

/*
 * Children of a dying process go to init, which reaps zombies among them.
 * Their exit signal becomes SIGCHLD, as on Linux: a child cloned with
 * another one must not signal init with it.
 */
static void reparent_children(struct task *leader)
{
	struct task *c, *n;
	struct task *reaper = init_task_ptr;
	bool zombies = false;

	if (leader == reaper)	/* init itself: the kernel panics next */
		return;
	list_for_each_entry_safe(c, n, &leader->children, sibling) {
		list_del(&c->sibling);
		c->parent = reaper;
		c->exit_signal = SIGCHLD;
		list_add_tail(&c->sibling, &reaper->children);
		if (c->state == TASK_ZOMBIE)
			zombies = true;
	}
	if (zombies)
		wake_up(&reaper->signal->wait_chldexit);
}

/* The whole group is gone: make the leader a zombie and tell the parent. */
static void group_dead(struct task *leader)
{
	struct signal_struct *sig = leader->signal;
	bool autoreap;

	if (sig->flags & SIGNAL_GROUP_EXIT)
		leader->exit_code = sig->group_exit_code;
	exit_itimers(sig);
	exit_sem(leader);
	if (sig->leader)
		tty_exit_session(leader);
	reparent_children(leader);
	leader->state = TASK_ZOMBIE;
	if (leader == init_task_ptr) {
		printk(KERN_EMERG "Kernel panic - not syncing: Attempted to kill init! exitcode=0x%08x\n",
		       leader->exit_code);
		kernel_shutdown(SHUTDOWN_PANIC, 134);
		return;
	}
	autoreap = do_notify_parent(leader, leader->exit_signal);
	if (autoreap)
		release_task(leader);
	pidfd_notify_exit();
}

/* Frees what a reaped (or never-reported) task still holds. */
static void release_task(struct task *t)
{
	struct signal_struct *sig = t->signal;

	if (thread_group_leader(t) && !list_empty(&t->sibling))
		list_del(&t->sibling);
	list_del(&t->thread_node);
	sig->nr_threads--;
	free_pid(t->pid);
	t->state = TASK_DEAD;
	if (--sig->refs == 0) {
		flush_sigqueue(&sig->shared_pending);
		kfree(sig);
	}
	t->signal = NULL;
	put_task(t);
}

void do_exit(int code)
{
	struct task *t = current;
	struct signal_struct *sig = t->signal;
	struct task *leader = t->group_leader;
	bool last;

	exit_signals(t);
	t->exit_code = code;
	/* Guest memory is still there: clear_child_tid and robust futexes. */
	if (t->pth && !t->pth_dead) {
		futex_exit_release(t);
		account_exit_cputime(t);
	}
	mm_release_vfork(t);

	last = --sig->live == 0;
	if (t->pth) {
		/*
		 * The last thread of a host process takes it down; other
		 * threads only end their host thread. A vfork child's host
		 * process shares memory with its parent, not the parent's life.
		 */
		bool others = false;
		struct task *o;

		list_for_each_entry(o, &sig->threads, thread_node)
			if (o != t && o->state == TASK_RUNNING && o->pth &&
			    o->mm == t->mm)
				others = true;
		if (others && !t->pth_dead) {
			plat_thread_exit(t->pth);
		} else {
			plat_kill(t->pth);
			plat_thread_put(t->pth);
		}
		t->pth = NULL;
	}
	if (t->mm) {
		mm_put(t->mm);
		t->mm = NULL;
	}
	if (t->files) {
		files_put(t->files);
		t->files = NULL;
	}
	if (t->fs) {
		fs_put(t->fs);
		t->fs = NULL;
	}
	if (t->sighand) {
		sighand_put(t->sighand);
		t->sighand = NULL;
	}
	flush_sigqueue(&t->pending);
	sig->utime_ns += t->utime_ns;
	sig->stime_ns += t->stime_ns;

	if (t == leader) {
		t->state = TASK_ZOMBIE;
		if (last)
			group_dead(t);
	} else {
		t->state = TASK_ZOMBIE;
		if (last && leader->state == TASK_ZOMBIE)
			group_dead(leader);
		release_task(t);
	}
	os_kernel_unlock();
	os_thread_exit();
}

void do_group_exit(int code)
{
	struct task *t = current, *o;
	struct signal_struct *sig = t->signal;

	if (sig->flags & SIGNAL_GROUP_EXIT) {
		code = sig->group_exit_code;
	} else {
		sig->flags |= SIGNAL_GROUP_EXIT;
		sig->group_exit_code = code;
		list_for_each_entry(o, &sig->threads, thread_node) {
			if (o == t || o->state == TASK_ZOMBIE ||
			    o->state == TASK_DEAD)
				continue;
			o->pending.signal |= sigmask(SIGKILL);
			signal_wake_up(o);
		}
	}
	do_exit(code);
}

SYSCALL_DEFINE1(exit, int, code)
{
	do_exit((code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	do_group_exit((code & 0xff) << 8);
}

/* ---- wait ---- */

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WSTOPPED	WUNTRACED
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

#define P_ALL		0
#define P_PID		1
#define P_PGID		2
#define P_PIDFD		3

struct wait_result {
	pid_t pid;
	uid_t uid;
	int status;		/* wait(2) form */
	int code;		/* CLD_* */
	int si_status;
	u64 utime_ns, stime_ns;
};

static bool wait_matches(struct task *c, int which, pid_t id, int options)
{
	switch (which) {
	case P_PID:
		if (c->pid != id)
			return false;
		break;
	case P_PGID:
		if (c->signal->pgrp != id)
			return false;
		break;
	default:
		break;
	}
	if (options & __WALL)
		return true;
	/* a "clone" child is one that does not signal SIGCHLD at exit */
	return !!(options & __WCLONE) == (c->exit_signal != SIGCHLD);
}

static void fill_exit(struct task *c, struct wait_result *wr)
{
	int st = c->exit_code;

	wr->pid = c->pid;
	wr->uid = c->cred ? c->cred->uid : 0;
	wr->status = st;
	if (st & 0x7f) {
		wr->code = (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
		wr->si_status = st & 0x7f;
	} else {
		wr->code = CLD_EXITED;
		wr->si_status = (st >> 8) & 0xff;
	}
	wr->utime_ns = c->signal->utime_ns + c->signal->cutime_ns;
	wr->stime_ns = c->signal->stime_ns + c->signal->cstime_ns;
}

/* One pass over the children: 1 with *wr filled, 0 if none ready, -ECHILD. */
static int wait_scan(int which, pid_t id, int options, struct wait_result *wr)
{
	struct task *me = current->group_leader, *c, *n;
	bool any = false;

	list_for_each_entry_safe(c, n, &me->children, sibling) {
		struct signal_struct *sig = c->signal;

		if (!wait_matches(c, which, id, options))
			continue;
		any = true;
		if ((options & WEXITED) && c->state == TASK_ZOMBIE &&
		    sig->live == 0) {
			fill_exit(c, wr);
			if (!(options & WNOWAIT)) {
				struct signal_struct *ps = current->signal;

				ps->cutime_ns += wr->utime_ns;
				ps->cstime_ns += wr->stime_ns;
				release_task(c);
			}
			return 1;
		}
		if ((options & WSTOPPED) && (sig->flags & SIGNAL_STOP_STOPPED) &&
		    c->state != TASK_ZOMBIE) {
			wr->pid = c->pid;
			wr->uid = c->cred->uid;
			wr->status = 0x7f | (sig->stop_signal << 8);
			wr->code = CLD_STOPPED;
			wr->si_status = sig->stop_signal;
			if (!(options & WNOWAIT))
				sig->flags &= ~SIGNAL_STOP_STOPPED;
			return 1;
		}
		if ((options & WCONTINUED) &&
		    (sig->flags & SIGNAL_STOP_CONTINUED)) {
			wr->pid = c->pid;
			wr->uid = c->cred->uid;
			wr->status = 0xffff;
			wr->code = CLD_CONTINUED;
			wr->si_status = SIGCONT;
			if (!(options & WNOWAIT))
				sig->flags &= ~SIGNAL_STOP_CONTINUED;
			return 1;
		}
	}
	return any ? 0 : -ECHILD;
}

static long do_wait(int which, pid_t id, int options, struct wait_result *wr)
{
	struct signal_struct *sig = current->signal;
	long r;

	for (;;) {
		DEFINE_WAIT(w);

		prepare_to_wait(&sig->wait_chldexit, &w);
		r = wait_scan(which, id, options, wr);
		if (r != 0 || (options & WNOHANG)) {
			finish_wait(&sig->wait_chldexit, &w);
			return r;
		}
		if (signal_pending(current)) {
			finish_wait(&sig->wait_chldexit, &w);
			return -ERESTARTSYS;
		}
		schedule();
		finish_wait(&sig->wait_chldexit, &w);
	}
}

struct k_rusage {
	long utime_sec, utime_usec, stime_sec, stime_usec;
	long maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock,
	     oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

static int put_rusage(uaddr_t ru, const struct wait_result *wr)
{
	struct k_rusage r;

	memset(&r, 0, sizeof(r));
	r.utime_sec = (long)(wr->utime_ns / 1000000000ULL);
	r.utime_usec = (long)(wr->utime_ns % 1000000000ULL / 1000);
	r.stime_sec = (long)(wr->stime_ns / 1000000000ULL);
	r.stime_usec = (long)(wr->stime_ns % 1000000000ULL / 1000);
	return copy_to_user(ru, &r, sizeof(r));
}

SYSCALL_DEFINE4(wait4, pid_t, pid, uaddr_t, status, int, options, uaddr_t, ru)
{
	struct wait_result wr;
	int which;
	pid_t id = 0;
	long r;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |
			__WALL | __WCLONE))
		return -EINVAL;
	if (pid == -1) {
		which = P_ALL;
	} else if (pid == INT_MIN) {	/* -pid would overflow */
		return -ESRCH;
	} else if (pid < -1) {
		which = P_PGID;
		id = -pid;
	} else if (pid == 0) {
		which = P_PGID;
		id = current->signal->pgrp;
	} else {
		which = P_PID;
		id = pid;
	}
	memset(&wr, 0, sizeof(wr));
	r = do_wait(which, id, options | WEXITED, &wr);
	if (r <= 0)
		return r;
	if (status && put_user(wr.status, status))
		return -EFAULT;
	if (ru && put_rusage(ru, &wr))
		return -EFAULT;
	return wr.pid;
}

SYSCALL_DEFINE5(waitid, int, which, pid_t, id, uaddr_t, infop, int, options,
		uaddr_t, ru)
{
	struct wait_result wr;
	struct ksiginfo si;
	long r;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			__WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (which) {
	case P_ALL:
		break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		if (id == 0)
			id = current->signal->pgrp;
		break;
	case P_PIDFD: {
		struct file *pf = fget(id);
		struct task *t = pf ? pidfd_task(pf) : NULL;

		if (!pf || !t) {
			fput(pf);
			return -EBADF;
		}
		/* A reaped process is nobody's child any more. */
		id = t->state == TASK_DEAD ? 0 : t->pid;
		fput(pf);
		if (!id)
			return -ECHILD;
		which = P_PID;
		break;
	}
	default:
		return -EINVAL;
	}
	memset(&wr, 0, sizeof(wr));
	r = do_wait(which, id, options, &wr);
	if (r < 0)
		return r;
	memset(&si, 0, sizeof(si));
	if (r > 0) {
		si.si_signo = SIGCHLD;
		si.si_code = wr.code;
		si.chld.pid = wr.pid;
		si.chld.uid = wr.uid;
		si.chld.status = wr.si_status;
	}
	if (infop && copy_to_user(infop, &si, sizeof(si)))
		return -EFAULT;
	if (ru && r > 0 && put_rusage(ru, &wr))
		return -EFAULT;
	return 0;
}
