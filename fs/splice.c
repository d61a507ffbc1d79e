// SPDX-License-Identifier: GPL-2.0
/*
 * splice(2), tee(2) and vmsplice(2). Linux moves page references between
 * a pipe and a file; here the bytes are copied through a kernel buffer
 * (the pipe's side is in fs/pipe.c), with Linux's rules for which fds,
 * offsets and flags are allowed.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define SPLICE_F_MOVE		0x01
#define SPLICE_F_NONBLOCK	0x02
#define SPLICE_F_MORE		0x04
#define SPLICE_F_GIFT		0x08
#define SPLICE_F_ALL		0x0f

static bool seekable_file(struct file *f)
{
	return f->c.f_op->llseek && f->c.f_op->llseek != no_llseek &&
	       !file_is_pipe(f);
}

/* The position to use for f: *off from the guest, or f's own. */
static int get_pos(struct file *f, uaddr_t off, loff_t *pos)
{
	if (!off) {
		*pos = f->c.f_pos;
		return 0;
	}
	if (!seekable_file(f))
		return -ESPIPE;
	if (get_user(*pos, off))
		return -EFAULT;
	return *pos < 0 ? -EINVAL : 0;
}

static int put_pos(struct file *f, uaddr_t off, loff_t pos)
{
	if (!off) {
		f->c.f_pos = pos;
		return 0;
	}
	return put_user(pos, off);
}

SYSCALL_DEFINE6(splice, int, fd_in, uaddr_t, off_in, int, fd_out,
		uaddr_t, off_out, size_t, len, unsigned int, flags)
{
	struct file *in = fdget(fd_in), *out = fdget(fd_out);
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	loff_t pos = 0;
	ssize_t r;

	r = -EINVAL;
	if (flags & ~SPLICE_F_ALL)
		goto out;
	r = -EBADF;
	if (!in || !out || fd_in < 0 || fd_out < 0 ||
	    !(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		goto out;
	r = 0;
	if (!len)
		goto out;
	if (file_is_pipe(in) && file_is_pipe(out)) {
		r = -ESPIPE;
		if (off_in || off_out)
			goto out;
		r = -EINVAL;
		if (file_c(in)->f_inode == file_c(out)->f_inode)
			goto out;
		r = splice_from_pipe(in, out, NULL, len, nonblock, false);
	} else if (file_is_pipe(in)) {
		r = -ESPIPE;
		if (off_in)
			goto out;
		r = -EINVAL;
		if (!out->c.f_op->write_kernel || (out->c.f_flags & O_APPEND))
			goto out;
		r = get_pos(out, off_out, &pos);
		if (r)
			goto out;
		r = rw_verify_area(out, pos, &len, true);
		if (r)
			goto out;
		r = splice_from_pipe(in, out, &pos, len, nonblock, false);
		if (r > 0 && put_pos(out, off_out, pos))
			r = -EFAULT;
	} else if (file_is_pipe(out)) {
		r = -ESPIPE;
		if (off_out)
			goto out;
		r = -EINVAL;
		if (!in->c.f_op->read_kernel)
			goto out;
		r = get_pos(in, off_in, &pos);
		if (r)
			goto out;
		r = rw_verify_area(in, pos, &len, false);
		if (r)
			goto out;
		r = splice_to_pipe(in, &pos, out, len, nonblock);
		if (r > 0 && put_pos(in, off_in, pos))
			r = -EFAULT;
	} else {
		r = -EINVAL;		/* one end must be a pipe */
	}
out:
	fput(in);
	fput(out);
	return r;
}

SYSCALL_DEFINE4(tee, int, fd_in, int, fd_out, size_t, len,
		unsigned int, flags)
{
	struct file *in = fdget(fd_in), *out = fdget(fd_out);
	ssize_t r;

	r = -EINVAL;
	if (flags & ~SPLICE_F_ALL)
		goto out;
	r = -EBADF;
	if (!in || !out || fd_in < 0 || fd_out < 0 ||
	    !(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		goto out;
	r = -EINVAL;
	if (!file_is_pipe(in) || !file_is_pipe(out) ||
	    file_c(in)->f_inode == file_c(out)->f_inode)
		goto out;
	r = len ? splice_from_pipe(in, out, NULL, len,
				   flags & SPLICE_F_NONBLOCK, true) : 0;
out:
	fput(in);
	fput(out);
	return r;
}

/* syscall-note(vmsplice): copies (no page gifting); SPLICE_F_NONBLOCK follows the pipe's own O_NONBLOCK */
SYSCALL_DEFINE4(vmsplice, int, fd, uaddr_t, iov, unsigned long, nr_segs,
		unsigned int, flags)
{
	struct file *f = fdget(fd);
	bool write;
	ssize_t r;

	r = -EINVAL;
	if (flags & ~SPLICE_F_ALL)
		goto out;
	r = -EBADF;
	if (!f || fd < 0)
		goto out;
	r = -EBADF;
	if (!file_is_pipe(f))
		goto out;
	write = f->f_mode & FMODE_WRITE;
	r = vfs_iov_rw(fd, iov, nr_segs, write);
out:
	fput(f);
	return r;
}
