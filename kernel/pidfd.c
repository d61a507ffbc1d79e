// SPDX-License-Identifier: GPL-2.0
/*
 * pidfds: a file that names a process (pidfd_open, clone's CLONE_PIDFD),
 * polls readable once the process has exited, can be signalled
 * (pidfd_send_signal, kernel/sigcalls.c), waited for (waitid P_PIDFD) and
 * can copy one of the process's fds (pidfd_getfd). The file holds a
 * reference on the group leader's task so that its pid is not mistaken
 * for a later process's.
 */
#include "kern/vfs.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/syscall.h"

#define PIDFD_NONBLOCK	O_NONBLOCK

static DECLARE_WAIT_QUEUE_HEAD(pidfd_wait);

/* Called when a thread group has exited (kernel/exit.c). */
void pidfd_notify_exit(void)
{
	wake_up(&pidfd_wait);
}

static bool group_exited(struct task *t)
{
	return t->state == TASK_ZOMBIE || t->state == TASK_DEAD;
}

static unsigned int pidfd_poll(struct file *f, struct poll_table *pt)
{
	struct task *t = file_c(f)->private_data;

	poll_wait(f, &pidfd_wait, pt);
	return group_exited(t) ? POLLIN | POLLRDNORM : 0;
}

static void pidfd_release(struct inode *inode, struct file *f)
{
	put_task(file_c(f)->private_data);
}

static int pidfd_show_fdinfo(struct file *f, struct seq *s)
{
	struct task *t = file_c(f)->private_data;

	return seq_printf(s, "Pid:\t%d\nNSpid:\t%d\n",
			  t->state == TASK_DEAD ? -1 : t->pid,
			  t->state == TASK_DEAD ? -1 : t->pid);
}

static const struct file_operations pidfd_fops = {
	.poll = pidfd_poll,
	.release = pidfd_release,
	.show_fdinfo = pidfd_show_fdinfo,
};

/* The process f names, or NULL if f is not a pidfd. */
struct task *pidfd_task(struct file *f)
{
	return f->c.f_op == &pidfd_fops ? file_c(f)->private_data : NULL;
}

/* A new pidfd file on the group t leads (one reference taken). */
struct file *pidfd_file(struct task *t, int flags)
{
	struct file *f;

	get_task(t);
	f = anon_inode_getfile("[pidfd]", &pidfd_fops, t,
			       O_RDWR | (flags & O_NONBLOCK));
	if (IS_ERR(f))
		put_task(t);
	return f;
}

SYSCALL_DEFINE2(pidfd_open, pid_t, pid, unsigned int, flags)
{
	struct task *t;
	struct file *f;

	if (flags & ~PIDFD_NONBLOCK)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	t = find_task(pid);
	if (!t || t->state == TASK_DEAD)
		return -ESRCH;
	if (!thread_group_leader(t))
		return -EINVAL;
	f = pidfd_file(t, (int)flags);
	if (IS_ERR(f))
		return PTR_ERR(f);
	return fd_install_cur(f, O_CLOEXEC);
}

SYSCALL_DEFINE3(pidfd_getfd, int, pidfd, int, targetfd, unsigned int, flags)
{
	struct file *pf = fget(pidfd), *f;
	struct task *t;
	long r;

	if (!pf)
		return -EBADF;
	r = -EINVAL;
	if (flags)
		goto out;
	r = -EBADF;
	t = pidfd_task(pf);
	if (!t)
		goto out;
	r = -ESRCH;
	if (group_exited(t) || !t->files)
		goto out;
	r = -EPERM;
	if (!ptrace_may_access(t))
		goto out;
	r = -EBADF;
	f = targetfd >= 0 ? fd_lookup(t->files, targetfd) : NULL;
	if (!f)
		goto out;
	r = fd_install_cur(get_file(f), O_CLOEXEC);
out:
	fput(pf);
	return r;
}
