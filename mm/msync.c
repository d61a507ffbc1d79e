// SPDX-License-Identifier: GPL-2.0
/*
 * msync(2). Shared file mappings map the file's own pages (its host
 * memfd), so there is nothing to copy back: MS_SYNC only asks the file to
 * reach its storage, as fsync would.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/fs.h"
#include "kern/syscall.h"
#include "internal.h"

#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4

SYSCALL_DEFINE3(msync, uaddr_t, start, size_t, len, int, flags)
{
	struct mm *mm = current->mm;
	int unmapped = 0, r;
	uaddr_t end;
	struct vma *v;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (len > TASK_SIZE || end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	while (start < end) {
		v = find_vma(mm, start);
		if (!v)
			return -ENOMEM;
		if (start < v->start) {
			if (v->start >= end)
				return -ENOMEM;
			start = v->start;
			unmapped = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (v->flags & VM_LOCKED))
			return -EBUSY;
		if ((flags & MS_SYNC) && v->file && (v->flags & VM_SHARED)) {
			const struct file_operations *fop =
				file_c(v->file)->f_op;

			if (fop && fop->fsync) {
				r = fop->fsync(v->file, 0);
				if (r < 0)
					return r;
			}
		}
		start = v->end;
	}
	return unmapped;
}
