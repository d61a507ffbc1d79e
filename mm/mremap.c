// SPDX-License-Identifier: GPL-2.0
/*
 * mremap(2). The host moves or grows the pages (its mremap keeps their
 * contents, shared or private); the kernel always names the destination,
 * so host calls are in place or MREMAP_FIXED. Growing shared anonymous
 * memory does not grow the object behind it: as in Linux, the new part
 * beyond the object's size faults with SIGBUS.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/fs.h"
#include "kern/syscall.h"
#include "internal.h"

/*
 * The VMA holding [addr, addr + old_len), checked for resizing to
 * new_len (Linux's vma_to_resize): EFAULT when the range is not inside
 * one mapping.
 */
static struct vma *vma_to_resize(struct task *t, struct mm *mm, uaddr_t addr,
				 size_t old_len, size_t new_len)
{
	struct vma *v = find_vma(mm, addr);
	u64 grow;
	int r;

	if (!v || v->start > addr)
		return ERR_PTR(-EFAULT);
	if (!old_len && !(v->flags & (VM_SHARED | VM_MAYSHARE)))
		return ERR_PTR(-EINVAL);	/* only shared can be duplicated */
	if (old_len > v->end - addr)
		return ERR_PTR(-EFAULT);
	if (new_len <= old_len)
		return v;
	grow = (new_len - old_len) >> PAGE_SHIFT;
	if ((v->file || v->shm) &&
	    v->pgoff + (addr - v->start) + new_len < v->pgoff)
		return ERR_PTR(-EINVAL);
	if (v->flags & VM_LOCKED) {
		r = mlock_check(t, mm, grow);
		if (r < 0)
			return ERR_PTR(r);
	}
	r = mm_check_rlimits(t, mm, grow, v->flags);
	if (r < 0)
		return ERR_PTR(r);
	return v;
}

static long expand_in_place(struct task *t, struct mm *mm, struct vma *v,
			    uaddr_t addr, size_t old_len, size_t new_len)
{
	u64 grow = (new_len - old_len) >> PAGE_SHIFT;
	long r;

	if (v->flags & VM_ACCOUNT) {
		r = vm_commit(grow);
		if (r < 0)
			return r;
	}
	r = plat_mremap(t->pth, addr, old_len, new_len, 0, 0);
	if (r < 0) {
		if (v->flags & VM_ACCOUNT)
			vm_uncommit(grow);
		return r;
	}
	if (v->flags & VM_ACCOUNT)
		mm->committed += grow;
	vma_unlink(mm, v);
	v->end = addr + new_len;
	vma_link(mm, v);
	vma_merge_around(mm, v);
	return (long)addr;
}

/*
 * Moves [addr, addr + old_len) of v to new_addr, new_len long (new_len >=
 * old_len; the space there is free). With MREMAP_DONTUNMAP, or when
 * duplicating a shared mapping (old_len 0), the old range stays mapped
 * (empty for private memory, as the host leaves it) and keeps its VMA
 * and charge; otherwise the old charge moves with the pages.
 */
static long move_vma(struct task *t, struct mm *mm, struct vma *v,
		     uaddr_t addr, size_t old_len, size_t new_len,
		     uaddr_t new_addr, int flags)
{
	bool keep_old = (flags & MREMAP_DONTUNMAP) || !old_len;
	u64 charge = 0, newp = new_len >> PAGE_SHIFT;
	struct vma *n;
	long r;

	if (mm->map_count + 3 > MAX_MAP_COUNT)
		return -ENOMEM;
	/* Split first, so that nothing can fail once the host has moved. */
	if (old_len) {
		r = vma_split_at(mm, addr);
		if (!r)
			r = vma_split_at(mm, addr + old_len);
		if (r < 0)
			return r;
		v = find_vma(mm, addr);
	}
	if (v->flags & VM_ACCOUNT) {
		charge = keep_old ? newp : (new_len - old_len) >> PAGE_SHIFT;
		r = vm_commit(charge);
		if (r < 0)
			return r;
	}
	n = vma_alloc();
	if (!n) {
		r = -ENOMEM;
		goto out_uncommit;
	}
	if (v->name && !(n->name = kstrdup(v->name))) {
		kfree(n);
		r = -ENOMEM;
		goto out_uncommit;
	}
	r = plat_mremap(t->pth, addr, old_len, new_len,
			MREMAP_MAYMOVE | MREMAP_FIXED |
			(flags & MREMAP_DONTUNMAP), new_addr);
	if (r < 0) {
		kfree(n->name);
		kfree(n);
		goto out_uncommit;
	}

	n->start = new_addr;
	n->end = new_addr + new_len;
	n->flags = v->flags;
	n->pgoff = v->pgoff + (addr - v->start);
	n->file = v->file ? get_file(v->file) : NULL;
	n->shm = v->shm;
	if (n->shm)
		shm_get(n->shm);
	if (!keep_old) {
		/* v is exactly the old range; its charge passes to n. */
		vma_unlink(mm, v);
		if (v->flags & VM_ACCOUNT) {
			mm->committed -= vma_pages(v);
			v->flags &= ~VM_ACCOUNT;
		}
		vma_free(mm, v);
		if (n->flags & VM_ACCOUNT)
			mm->committed += newp;
	} else if (n->flags & VM_ACCOUNT) {
		mm->committed += charge;
	}
	vma_link(mm, n);
	vma_merge_around(mm, n);
	if (keep_old)
		vma_merge_range(mm, addr, addr + old_len);
	return (long)new_addr;

out_uncommit:
	if (charge)
		vm_uncommit(charge);
	vma_merge_range(mm, addr, addr + old_len);
	return r;
}

SYSCALL_DEFINE5(mremap, uaddr_t, addr, unsigned long, old_len,
		unsigned long, new_len, unsigned long, flags,
		uaddr_t, new_addr)
{
	struct task *t = current;
	struct mm *mm = t->mm;
	struct vma *v;
	long r;

	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) &&
	    (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	if (old_len > TASK_SIZE || new_len > TASK_SIZE)
		return -ENOMEM;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;
	if (addr > TASK_SIZE - old_len)
		return -EFAULT;

	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		if (flags & MREMAP_FIXED) {
			if (new_addr & ~PAGE_MASK)
				return -EINVAL;
			if (new_addr > TASK_SIZE - new_len)
				return -EINVAL;
			if (new_addr < MMAP_MIN_ADDR ||
			    mm_hole_overlaps(new_addr, new_addr + new_len))
				return -EPERM;
			/* The two ranges may not overlap. */
			if (addr + old_len > new_addr &&
			    new_addr + new_len > addr)
				return -EINVAL;
		}
		v = vma_to_resize(t, mm, addr, old_len, new_len);
		if (IS_ERR(v))
			return PTR_ERR(v);
		if (flags & MREMAP_FIXED) {
			r = do_munmap(t, mm, new_addr, new_len);
			if (r < 0)
				return r;
		}
		if (old_len > new_len) {
			r = do_munmap(t, mm, addr + new_len, old_len - new_len);
			if (r < 0)
				return r;
			old_len = new_len;
		}
		/* The unmaps may have split or merged v. */
		v = vma_to_resize(t, mm, addr, old_len, new_len);
		if (IS_ERR(v))
			return PTR_ERR(v);
		if (!(flags & MREMAP_FIXED)) {
			r = get_unmapped_area(mm, 0, new_len, 0);
			if (r < 0)
				return r;
			new_addr = (uaddr_t)r;
		}
		return move_vma(t, mm, v, addr, old_len, new_len, new_addr,
				(int)flags);
	}

	if (old_len >= new_len) {
		if (old_len > new_len) {
			r = do_munmap(t, mm, addr + new_len, old_len - new_len);
			if (r < 0)
				return r;
		}
		return (long)addr;
	}
	v = vma_to_resize(t, mm, addr, old_len, new_len);
	if (IS_ERR(v))
		return PTR_ERR(v);
	if (old_len && addr + old_len == v->end &&
	    new_len <= TASK_SIZE - addr) {
		struct vma *next = vma_next(mm, v);

		if ((!next || next->start >= addr + new_len) &&
		    !mm_hole_overlaps(addr, addr + new_len))
			return expand_in_place(t, mm, v, addr, old_len,
					       new_len);
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	r = get_unmapped_area(mm, 0, new_len, 0);
	if (r < 0)
		return r;
	return move_vma(t, mm, v, addr, old_len, new_len, (uaddr_t)r,
			(int)flags);
}
