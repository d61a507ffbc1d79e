// SPDX-License-Identifier: GPL-2.0
/*
 * process_vm_readv and process_vm_writev: copies between the caller's
 * memory and another guest process's, a page at a time through a kernel
 * buffer (both sides are host processes other than the kernel). As in
 * Linux, a fault on the remote side ends the transfer with what was done
 * so far; errors are reported only when nothing was.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/uaccess.h"
#include "kern/syscall.h"
#include "internal.h"

#define UIO_MAXIOV	1024
#define SSIZE_MAX	0x7fffffffffffffffUL

struct kiovec {
	u64 base, len;
};

static int import_iov(uaddr_t uv, unsigned long cnt, struct kiovec **out)
{
	struct kiovec *v;
	u64 total = 0;

	*out = NULL;
	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	if (!cnt)
		return 0;
	v = kmalloc(cnt * sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (copy_from_user(v, uv, cnt * sizeof(*v))) {
		kfree(v);
		return -EFAULT;
	}
	for (unsigned long i = 0; i < cnt; i++) {
		if (v[i].len > SSIZE_MAX - total) {
			kfree(v);
			return -EINVAL;
		}
		total += v[i].len;
	}
	*out = v;
	return 0;
}

/* The "attach" level of ptrace access (Linux's mm_access rule). */
static bool may_access(struct task *p)
{
	struct cred *c = current->cred, *pc = p->cred;

	if (p->tgid == current->tgid || capable(CAP_SYS_PTRACE))
		return true;
	if (!c || !pc)
		return false;
	return c->uid == pc->uid && c->uid == pc->euid && c->uid == pc->suid &&
	       c->gid == pc->gid && c->gid == pc->egid && c->gid == pc->sgid &&
	       p->dumpable;
}

static long transfer(struct task *p, struct kiovec *lv, unsigned long lcnt,
		     struct kiovec *rv, unsigned long rcnt, bool write,
		     void *buf)
{
	unsigned long li = 0;
	u64 loff = 0;
	long done = 0;

	for (unsigned long ri = 0; ri < rcnt; ri++) {
		u64 raddr = rv[ri].base, rlen = rv[ri].len;

		while (rlen) {
			u64 n;

			while (li < lcnt && loff == lv[li].len) {
				li++;
				loff = 0;
			}
			if (li == lcnt)
				return done;
			n = min(rlen, PAGE_SIZE - (raddr & ~PAGE_MASK));
			n = min(n, lv[li].len - loff);
			if (!write) {
				if (copy_from_task(p, buf, raddr, n))
					return done ? done : -EFAULT;
				if (copy_to_user(lv[li].base + loff, buf, n))
					return done ? done : -EFAULT;
			} else {
				if (copy_from_user(buf, lv[li].base + loff, n))
					return done ? done : -EFAULT;
				if (copy_to_task(p, raddr, buf, n))
					return done ? done : -EFAULT;
			}
			done += (long)n;
			loff += n;
			raddr += n;
			rlen -= n;
		}
	}
	return done;
}

static long process_vm_rw(pid_t pid, uaddr_t lvec, unsigned long lcnt,
			  uaddr_t rvec, unsigned long rcnt,
			  unsigned long flags, bool write)
{
	struct kiovec *lv = NULL, *rv = NULL;
	struct task *p;
	void *buf = NULL;
	long r;

	if (flags)
		return -EINVAL;
	r = import_iov(lvec, lcnt, &lv);
	if (r < 0)
		return r;
	r = import_iov(rvec, rcnt, &rv);
	if (r < 0)
		goto out;
	p = find_task(pid);
	if (!p || !p->mm || !p->pth || p->pth_dead ||
	    p->state == TASK_ZOMBIE || p->state == TASK_DEAD) {
		r = -ESRCH;
		goto out;
	}
	if (!may_access(p)) {
		r = -EPERM;
		goto out;
	}
	buf = kmalloc(PAGE_SIZE);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	r = transfer(p, lv, lcnt, rv, rcnt, write, buf);
out:
	kfree(buf);
	kfree(lv);
	kfree(rv);
	return r;
}

SYSCALL_DEFINE6(process_vm_readv, pid_t, pid, uaddr_t, lvec,
		unsigned long, liovcnt, uaddr_t, rvec, unsigned long, riovcnt,
		unsigned long, flags)
{
	return process_vm_rw(pid, lvec, liovcnt, rvec, riovcnt, flags, false);
}

SYSCALL_DEFINE6(process_vm_writev, pid_t, pid, uaddr_t, lvec,
		unsigned long, liovcnt, uaddr_t, rvec, unsigned long, riovcnt,
		unsigned long, flags)
{
	return process_vm_rw(pid, lvec, liovcnt, rvec, riovcnt, flags, true);
}
