// SPDX-License-Identifier: GPL-2.0
/*
 * posix_fadvise(2) and readahead(2): advice about the page cache. Data
 * lives in host memfds and host files whose own page cache does the
 * read-ahead, so the advice is checked as Linux checks it and then has
 * nothing more to do.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"

#define POSIX_FADV_NORMAL	0
#define POSIX_FADV_RANDOM	1
#define POSIX_FADV_SEQUENTIAL	2
#define POSIX_FADV_WILLNEED	3
#define POSIX_FADV_DONTNEED	4
#define POSIX_FADV_NOREUSE	5

SYSCALL_DEFINE4(fadvise64, int, fd, loff_t, offset, loff_t, len, int, advice)
{
	struct file *f = fdget(fd);
	long r = -EBADF;

	if (!f || fd < 0 || (f->f_mode & FMODE_PATH))
		goto out;
	r = -ESPIPE;
	if (S_ISFIFO(f->c.f_inode->i_mode))
		goto out;
	r = -EINVAL;
	if (len < 0 || advice < POSIX_FADV_NORMAL || advice > POSIX_FADV_NOREUSE)
		goto out;
	r = 0;
out:
	fput(f);
	return r;
}

SYSCALL_DEFINE3(readahead, int, fd, loff_t, offset, size_t, count)
{
	struct file *f = fdget(fd);
	long r = -EBADF;

	if (!f || fd < 0 || !(f->f_mode & FMODE_READ))
		goto out;
	r = -EINVAL;
	if (!S_ISREG(f->c.f_inode->i_mode) || offset < 0)
		goto out;
	r = 0;
out:
	fput(f);
	return r;
}
