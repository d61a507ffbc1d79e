// SPDX-License-Identifier: GPL-2.0
/* Guest memory access through the platform. */
#include "kern/sched.h"
#include "kern/uaccess.h"
#include "kern/fs.h"

int copy_from_task(struct task *t, void *dst, uaddr_t src, size_t len)
{
	long n;

	if (!len)
		return 0;
	if (!access_ok(src, len))
		return -EFAULT;
	n = plat_read_mem(t->pth, src, dst, len);
	return n == (long)len ? 0 : -EFAULT;
}

int copy_to_task(struct task *t, uaddr_t dst, const void *src, size_t len)
{
	long n;

	if (!len)
		return 0;
	if (!access_ok(dst, len))
		return -EFAULT;
	n = plat_write_mem(t->pth, dst, src, len);
	return n == (long)len ? 0 : -EFAULT;
}

int copy_from_user(void *dst, uaddr_t src, size_t len)
{
	return copy_from_task(current, dst, src, len);
}

int copy_to_user(uaddr_t dst, const void *src, size_t len)
{
	return copy_to_task(current, dst, src, len);
}

int clear_user(uaddr_t dst, size_t len)
{
	static const char zeros[4096];

	while (len) {
		size_t n = min(len, sizeof(zeros));

		if (copy_to_user(dst, zeros, n))
			return -EFAULT;
		dst += n;
		len -= n;
	}
	return 0;
}

/*
 * Reads in chunks that never cross a page boundary past the first, so a
 * string ending just before unmapped memory is still read.
 */
long strncpy_from_user(char *dst, uaddr_t src, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t chunk = PAGE_SIZE - ((src + done) & (PAGE_SIZE - 1));
		long n;
		char *nul;

		if (chunk > len - done)
			chunk = len - done;
		if (!access_ok(src + done, chunk))
			return -EFAULT;
		n = plat_read_mem(current->pth, src + done, dst + done, chunk);
		if (n <= 0)
			return -EFAULT;
		nul = memchr(dst + done, 0, (size_t)n);
		if (nul)
			return nul - dst;
		done += (size_t)n;
	}
	return -ENAMETOOLONG;
}

char *getname(uaddr_t upath)
{
	char *p = kmalloc(PATH_MAX);
	long n;

	if (!p)
		return ERR_PTR(-ENOMEM);
	n = strncpy_from_user(p, upath, PATH_MAX);
	if (n < 0) {
		kfree(p);
		return ERR_PTR(n);
	}
	if (n == 0) {
		kfree(p);
		return ERR_PTR(-ENOENT);
	}
	return p;
}

void putname(char *name)
{
	if (!IS_ERR_OR_NULL(name))
		kfree(name);
}
