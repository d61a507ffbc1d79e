// SPDX-License-Identifier: GPL-2.0
/*
 * madvise(2). Advice that changes what memory holds (DONTNEED, FREE,
 * REMOVE, WIPEONFORK, POPULATE_*) or what a fork copies (DONTFORK) is
 * carried out by the host, whose mappings have the same kind as ours, so
 * the host's effect is Linux's; the rest is advice we may ignore.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "internal.h"

#define MADV_NORMAL		0
#define MADV_RANDOM		1
#define MADV_SEQUENTIAL		2
#define MADV_WILLNEED		3
#define MADV_DONTNEED		4
#define MADV_FREE		8
#define MADV_REMOVE		9
#define MADV_DONTFORK		10
#define MADV_DOFORK		11
#define MADV_MERGEABLE		12
#define MADV_UNMERGEABLE	13
#define MADV_HUGEPAGE		14
#define MADV_NOHUGEPAGE		15
#define MADV_DONTDUMP		16
#define MADV_DODUMP		17
#define MADV_WIPEONFORK		18
#define MADV_KEEPONFORK		19
#define MADV_COLD		20
#define MADV_PAGEOUT		21
#define MADV_POPULATE_READ	22
#define MADV_POPULATE_WRITE	23
#define MADV_DONTNEED_LOCKED	24
#define MADV_HWPOISON		100
#define MADV_SOFT_OFFLINE	101

static bool advice_valid(int adv)
{
	switch (adv) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE:
	case MADV_REMOVE: case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK: case MADV_COLD:
	case MADV_PAGEOUT: case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
	case MADV_DONTNEED_LOCKED:
		return true;
	}
	return false;
}

static bool private_anon(const struct vma *v)
{
	return !v->file && !v->shm && !(v->flags & VM_MAYSHARE);
}

/* Applies adv to [start, end), which lies inside v. */
static int advise_vma(struct task *t, struct mm *mm, struct vma *v,
		      uaddr_t start, uaddr_t end, int adv)
{
	long r;

	switch (adv) {
	case MADV_DONTNEED:
		if (v->flags & VM_LOCKED)
			return -EINVAL;
		break;
	case MADV_DONTNEED_LOCKED:
		break;
	case MADV_FREE:
		if (!private_anon(v))
			return -EINVAL;
		break;
	case MADV_REMOVE:
		if (v->flags & VM_LOCKED)
			return -EINVAL;
		if (!v->file && !v->shm)
			return -EINVAL;
		if ((v->flags & (VM_SHARED | VM_MAYWRITE)) !=
		    (VM_SHARED | VM_MAYWRITE))
			return -EACCES;
		break;
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
		if (!private_anon(v))
			return -EINVAL;
		break;
	case MADV_DONTFORK:
	case MADV_DOFORK:
		/* The flag is a VMA property: give it its own VMA. */
		r = vma_split_at(mm, start);
		if (!r)
			r = vma_split_at(mm, end);
		if (r < 0)
			return (int)r;
		r = plat_madvise(t->pth, start, end - start, adv);
		if (r < 0)
			return (int)r;
		v = find_vma(mm, start);
		if (adv == MADV_DONTFORK)
			v->flags |= VM_DONTCOPY;
		else
			v->flags &= ~VM_DONTCOPY;
		return 0;
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		break;
	default:
		return 0;	/* advice only */
	}
	r = plat_madvise(t->pth, start, end - start, adv);
	return r < 0 ? (int)r : 0;
}

static long do_madvise(struct task *t, struct mm *mm, uaddr_t start, size_t len,
		int adv)
{
	int unmapped = 0, r = 0;
	uaddr_t end, at;
	struct vma *v;

	if (adv == MADV_HWPOISON || adv == MADV_SOFT_OFFLINE)
		/* No memory-failure injection here, as without
		 * CONFIG_MEMORY_FAILURE. */
		return capable(CAP_SYS_ADMIN) ? -EINVAL : -EPERM;
	if (!advice_valid(adv))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	end = PAGE_ALIGN(len);
	if (len && !end)
		return -EINVAL;
	end += start;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	at = start;
	while (at < end) {
		v = find_vma(mm, at);
		if (!v || v->start >= end) {
			unmapped = -ENOMEM;
			break;
		}
		if (v->start > at) {
			unmapped = -ENOMEM;
			at = v->start;
		}
		r = advise_vma(t, mm, v, at, min(v->end, end), adv);
		if (r < 0)
			return r;
		/* advise_vma may have split v: look it up again. */
		v = find_vma(mm, at);
		at = min(v->end, end);
	}
	if (adv == MADV_DONTFORK || adv == MADV_DOFORK)
		vma_merge_range(mm, start, end);
	return unmapped;
}

SYSCALL_DEFINE3(madvise, uaddr_t, start, size_t, len, int, adv)
{
	return do_madvise(current, current->mm, start, len, adv);
}
