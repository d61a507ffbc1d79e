// SPDX-License-Identifier: GPL-2.0
/*
 * fcntl(2).
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_SETOWN	8
#define F_GETOWN	9
#define F_SETSIG	10
#define F_GETSIG	11
#define F_SETOWN_EX	15
#define F_GETOWN_EX	16
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38
#define F_DUPFD_CLOEXEC	1030
#define F_SETPIPE_SZ	1031
#define F_GETPIPE_SZ	1032
#define F_ADD_SEALS	1033
#define F_GET_SEALS	1034
#define FD_CLOEXEC	1

/* The owner F_SETOWN names: a process, or a process group if negative. */
static bool owner_exists(int who)
{
	struct task *t;

	if (who > 0) {
		t = find_task(who);
		return t && t->state != TASK_DEAD;
	}
	list_for_each_entry(t, &all_tasks, all_node)
		if (t->state != TASK_DEAD && t->signal &&
		    t->signal->pgrp == -who)
			return true;
	return false;
}

#define SETFL_MASK	(O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME | FASYNC)

struct f_owner_ex {
	int type;
	int pid;
};

static long setfl(struct file *f, unsigned long arg)
{
	unsigned int fl = (unsigned int)arg;

	if ((fl & O_NOATIME) && !(f->c.f_flags & O_NOATIME) &&
	    !inode_owner_or_capable(f->c.f_inode))
		return -EPERM;
	f->c.f_flags = (f->c.f_flags & ~(unsigned int)SETFL_MASK) |
		       (fl & SETFL_MASK);
	return 0;
}

static long do_fcntl(int fd, unsigned int cmd, unsigned long arg,
		     struct file *f)
{
	switch (cmd) {
	case F_DUPFD:
		return f_dupfd(arg, f, false);
	case F_DUPFD_CLOEXEC:
		return f_dupfd(arg, f, true);
	case F_GETFD:
		return get_close_on_exec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		return set_close_on_exec(fd, arg & FD_CLOEXEC);
	case F_GETFL:
		return f->c.f_flags | ((f->f_mode & FMODE_PATH) ? O_PATH : 0);
	}
	if (f->f_mode & FMODE_PATH)
		return -EBADF;
	switch (cmd) {
	case F_SETFL:
		return setfl(f, arg);
	case F_GETLK:
	case F_OFD_GETLK:
		return fcntl_getlk(f, cmd, arg);
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fcntl_setlk(fd, f, cmd, arg);
	case F_GETOWN:
		return f->f_owner_pid;
	case F_SETOWN:
		if ((int)arg == INT_MIN)	/* a group id is -arg */
			return -EINVAL;
		if ((int)arg && !owner_exists((int)arg))
			return -ESRCH;
		f->f_owner_pid = (int)arg;
		return 0;
	case F_GETOWN_EX: {
		struct f_owner_ex o = { f->f_owner_pid < 0 ? 2 : 1,
					f->f_owner_pid < 0 ? -f->f_owner_pid :
					f->f_owner_pid };

		return copy_to_user(arg, &o, sizeof(o)) ? -EFAULT : 0;
	}
	case F_SETOWN_EX: {
		struct f_owner_ex o;

		if (copy_from_user(&o, arg, sizeof(o)))
			return -EFAULT;
		if (o.type < 0 || o.type > 2)
			return -EINVAL;
		if (o.pid < 0 ||
		    (o.pid && !owner_exists(o.type == 2 ? -o.pid : o.pid)))
			return -ESRCH;
		f->f_owner_pid = o.type == 2 ? -o.pid : o.pid;
		return 0;
	}
	case F_GETSIG:
		return f->f_sig;
	case F_SETSIG:
		if (arg > 64)
			return -EINVAL;
		f->f_sig = (int)arg;
		return 0;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		return pipe_fcntl(f, cmd, arg);
	case F_ADD_SEALS:
	case F_GET_SEALS:
		return memfd_fcntl(f, cmd, arg);
	}
	return -EINVAL;
}

SYSCALL_DEFINE3(fcntl, unsigned int, fd, unsigned int, cmd,
		unsigned long, arg)
{
	struct file *f = fdget((int)fd);
	long r;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	r = do_fcntl((int)fd, cmd, arg, f);
	fput(f);
	return r;
}
