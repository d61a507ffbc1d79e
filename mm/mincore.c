// SPDX-License-Identifier: GPL-2.0
/*
 * mincore(2). The stub cannot ask the host which pages are resident, so
 * every mapped page is reported resident: true of everything a program
 * has touched, and never wrong about what is mapped (unmapped pages are
 * ENOMEM, as in Linux).
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/uaccess.h"
#include "kern/syscall.h"
#include "internal.h"

SYSCALL_DEFINE3(mincore, uaddr_t, start, size_t, len, uaddr_t, vec)
{
	struct mm *mm = current->mm;
	unsigned char buf[256];
	u64 pages;
	struct vma *v;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!access_ok(start, len))
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + ((len & ~PAGE_MASK) != 0);
	if (!access_ok(vec, pages))
		return -EFAULT;
	memset(buf, 1, sizeof(buf));
	while (pages) {
		u64 n;

		v = find_vma(mm, start);
		if (!v || v->start > start)
			return -ENOMEM;
		n = min_t(u64, pages, (v->end - start) >> PAGE_SHIFT);
		n = min_t(u64, n, sizeof(buf));
		if (copy_to_user(vec, buf, n))
			return -EFAULT;
		vec += n;
		start += n << PAGE_SHIFT;
		pages -= n;
	}
	return 0;
}
