// SPDX-License-Identifier: GPL-2.0
/* mprotect(2) and pkey_mprotect(2). */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "internal.h"

#define PROT_SEM		0x8
#define READ_IMPLIES_EXEC	0x0400000
#define VM_RWX			(VM_READ | VM_WRITE | VM_EXEC)

/*
 * One VMA (already split to the range) gets new permissions: the MAY
 * bits set when it was mapped are the ceiling (a read-only file mapped
 * shared never becomes writable), and private memory becoming writable
 * is charged to the commit limit the first time.
 */
static int change_vma(struct task *t, struct mm *mm, struct vma *v, int prot)
{
	unsigned long nf = (v->flags & ~VM_RWX) |
		(prot & PROT_READ ? VM_READ : 0) |
		(prot & PROT_WRITE ? VM_WRITE : 0) |
		(prot & PROT_EXEC ? VM_EXEC : 0);
	u64 charged = 0;
	long r;

	if ((nf & VM_RWX) & ~((nf >> 4) & VM_RWX))
		return -EACCES;
	if ((nf & VM_WRITE) &&
	    !(v->flags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_MAYSHARE |
			  VM_NORESERVE))) {
		r = vm_commit(vma_pages(v));
		if (r < 0)
			return (int)r;
		charged = vma_pages(v);
		nf |= VM_ACCOUNT;
	}
	if ((nf & VM_RWX) != (v->flags & VM_RWX)) {
		r = plat_mprotect(t->pth, v->start, v->end - v->start,
				  prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
		if (r < 0) {
			if (charged)
				vm_uncommit(charged);
			return (int)r;
		}
	}
	mm->committed += charged;
	v->flags = nf;
	return 0;
}

long do_mprotect(struct task *t, struct mm *mm, uaddr_t start, size_t len,
		 int prot)
{
	int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	uaddr_t end, at;
	struct vma *v;
	int r = 0;

	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (!len || end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	if ((prot & PROT_READ) && (t->personality & READ_IMPLIES_EXEC))
		prot |= PROT_EXEC;

	v = find_vma(mm, start);
	if (!v)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		if (v->start >= end)
			return -ENOMEM;
		if (!(v->flags & VM_GROWSDOWN))
			return -EINVAL;
		start = v->start;
	} else {
		if (v->start > start)
			return -ENOMEM;
		if (grows & PROT_GROWSUP)
			return -EINVAL;		/* no VM_GROWSUP on x86 */
	}

	r = vma_split_at(mm, start);
	if (!r)
		r = vma_split_at(mm, end);
	if (r < 0)
		return r;
	at = start;
	for (v = find_vma(mm, start); ; v = vma_next(mm, v)) {
		if (!v || v->start != at) {
			r = -ENOMEM;	/* a hole: Linux stops there too */
			break;
		}
		r = change_vma(t, mm, v, prot);
		if (r < 0)
			break;
		at = v->end;
		if (at >= end)
			break;
	}
	vma_merge_range(mm, start, end);
	return r;
}

SYSCALL_DEFINE3(mprotect, uaddr_t, start, size_t, len, unsigned long, prot)
{
	if (prot >> 31)
		return -EINVAL;
	return do_mprotect(current, current->mm, start, len, (int)prot);
}

/* Protection keys are not offered (no PKU for guests): only key -1. */
SYSCALL_DEFINE4(pkey_mprotect, uaddr_t, start, size_t, len,
		unsigned long, prot, int, pkey)
{
	if (pkey != -1 || prot >> 31)
		return -EINVAL;
	return do_mprotect(current, current->mm, start, len, (int)prot);
}
