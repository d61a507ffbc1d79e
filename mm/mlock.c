// SPDX-License-Identifier: GPL-2.0
/*
 * mlock, munlock, mlock2, mlockall, munlockall.
 *
 * Locking is bookkeeping only: the limits and errors are Linux's
 * (RLIMIT_MEMLOCK, CAP_IPC_LOCK) and the locked size shows in
 * /proc/PID/status, but the host is not asked to pin anything (an
 * unprivileged host process could not pin much, and guest memory is the
 * host's to page).
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "internal.h"

#define MLOCK_ONFAULT	0x01
#define MCL_CURRENT	1
#define MCL_FUTURE	2
#define MCL_ONFAULT	4

static bool can_do_mlock(struct task *t)
{
	return capable(CAP_IPC_LOCK) || task_rlimit(t, RLIMIT_MEMLOCK) != 0;
}

static u64 lock_limit(struct task *t)
{
	u64 v = task_rlimit(t, RLIMIT_MEMLOCK);

	return v == RLIM_INFINITY ? ~0ULL : v >> PAGE_SHIFT;
}

/* For MAP_LOCKED: may add_pages more pages be locked? */
int mlock_check(struct task *t, struct mm *mm, u64 add_pages)
{
	if (!can_do_mlock(t))
		return -EPERM;
	if (mm->locked_vm + add_pages > lock_limit(t) &&
	    !capable(CAP_IPC_LOCK))
		return -EAGAIN;
	return 0;
}

static void set_lock(struct mm *mm, struct vma *v, unsigned long lf)
{
	bool was = v->flags & VM_LOCKED;

	v->flags = (v->flags & ~(VM_LOCKED | VM_LOCKONFAULT)) | lf;
	if (was && !(lf & VM_LOCKED))
		mm->locked_vm -= vma_pages(v);
	else if (!was && (lf & VM_LOCKED))
		mm->locked_vm += vma_pages(v);
}

/* Sets the lock flags of [start, end); -ENOMEM at the first hole. */
static int apply_lock(struct mm *mm, uaddr_t start, uaddr_t end,
		      unsigned long lf)
{
	struct vma *v;
	uaddr_t at = start;
	int r;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	v = find_vma(mm, start);
	if (!v || v->start > start)
		return -ENOMEM;
	r = vma_split_at(mm, start);
	if (!r)
		r = vma_split_at(mm, end);
	if (r < 0)
		return r;
	for (v = find_vma(mm, start); ; v = vma_next(mm, v)) {
		if (!v || v->start != at) {
			r = -ENOMEM;
			break;
		}
		set_lock(mm, v, lf);
		at = v->end;
		if (at >= end)
			break;
	}
	vma_merge_range(mm, start, end);
	return r;
}

static u64 locked_in_range(struct mm *mm, uaddr_t start, uaddr_t end)
{
	struct vma *v = find_vma(mm, start);
	u64 n = 0;

	for (; v && v->start < end; v = vma_next(mm, v))
		if (v->flags & VM_LOCKED)
			n += (min(v->end, end) - max(v->start, start)) >>
				PAGE_SHIFT;
	return n;
}

static long do_mlock(uaddr_t start, size_t len, unsigned long lf)
{
	struct mm *mm = current->mm;
	u64 locked;

	if (!can_do_mlock(current))
		return -EPERM;
	if (len > TASK_SIZE)
		return -ENOMEM;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	locked = (len >> PAGE_SHIFT) + mm->locked_vm;
	if (locked > lock_limit(current) && !capable(CAP_IPC_LOCK)) {
		locked -= locked_in_range(mm, start, start + len);
		if (locked > lock_limit(current))
			return -ENOMEM;
	}
	return apply_lock(mm, start, start + len, lf);
}

SYSCALL_DEFINE2(mlock, uaddr_t, start, size_t, len)
{
	return do_mlock(start, len, VM_LOCKED);
}

SYSCALL_DEFINE3(mlock2, uaddr_t, start, size_t, len, int, flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(start, len, VM_LOCKED |
			(flags & MLOCK_ONFAULT ? VM_LOCKONFAULT : 0));
}

SYSCALL_DEFINE2(munlock, uaddr_t, start, size_t, len)
{
	if (len > TASK_SIZE)
		return -ENOMEM;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	return apply_lock(current->mm, start, start + len, 0);
}

static void lock_all(struct mm *mm, unsigned long lf)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, list)
		set_lock(mm, v, lf);
	vma_merge_range(mm, 0, TASK_SIZE);
}

SYSCALL_DEFINE1(mlockall, int, flags)
{
	struct mm *mm = current->mm;
	unsigned long lf = VM_LOCKED;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock(current))
		return -EPERM;
	if ((flags & MCL_CURRENT) && mm->total_vm > lock_limit(current) &&
	    !capable(CAP_IPC_LOCK))
		return -ENOMEM;
	if (flags & MCL_ONFAULT)
		lf |= VM_LOCKONFAULT;
	mm->def_flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
	if (flags & MCL_FUTURE)
		mm->def_flags |= lf;
	if (flags & MCL_CURRENT)
		lock_all(mm, lf);
	return 0;
}

SYSCALL_DEFINE0(munlockall)
{
	struct mm *mm = current->mm;

	mm->def_flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
	lock_all(mm, 0);
	return 0;
}
