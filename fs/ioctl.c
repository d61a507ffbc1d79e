// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl(2): the generic requests, then the file's own.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define FIONCLEX	0x5450
#define FIOCLEX		0x5451
#define FIOASYNC	0x5452
#define FIONBIO		0x5421
#define FIONREAD	0x541B
#define FIGETBSZ	2

SYSCALL_DEFINE3(ioctl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fdget((int)fd);
	struct inode *inode;
	long r;
	int on;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	r = -EBADF;
	if (f->f_mode & FMODE_PATH)
		goto out;
	inode = f->c.f_inode;
	switch (cmd) {
	case FIOCLEX:
		r = set_close_on_exec((int)fd, true);
		goto out;
	case FIONCLEX:
		r = set_close_on_exec((int)fd, false);
		goto out;
	case FIONBIO:
	case FIOASYNC:
		r = get_user(on, arg);
		if (r)
			goto out;
		if (cmd == FIONBIO) {
			if (on)
				f->c.f_flags |= O_NONBLOCK;
			else
				f->c.f_flags &= ~(unsigned int)O_NONBLOCK;
		} else {
			if (on)
				f->c.f_flags |= FASYNC;
			else
				f->c.f_flags &= ~(unsigned int)FASYNC;
		}
		goto out;
	case FIGETBSZ:
		r = -ENOTTY;
		if (inode && (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode)))
			r = put_user((int)(inode->i_sb->s_blocksize ?
					   inode->i_sb->s_blocksize : 4096),
				     arg) ? -EFAULT : 0;
		goto out;
	case FIONREAD:
		if (inode && S_ISREG(inode->i_mode)) {
			loff_t n = inode->i_size - f->c.f_pos;

			r = put_user((int)(n < 0 ? 0 : n > 0x7fffffff ?
					   0x7fffffff : n), arg) ? -EFAULT : 0;
			goto out;
		}
		break;
	}
	r = -ENOTTY;
	if (f->c.f_op->ioctl)
		r = f->c.f_op->ioctl(f, cmd, arg);
out:
	fput(f);
	return r;
}
