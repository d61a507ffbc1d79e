// SPDX-License-Identifier: GPL-2.0
/*
 * getdents64 and getdents: a directory's entries in the guest's
 * struct linux_dirent64 / struct linux_dirent layouts.
 */
#include "kern/vfs.h"
#include "kern/fsnotify.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define DIRENT_BUF	65536

struct dir_ctx {
	char *buf;
	size_t size, used;
	bool old;		/* struct linux_dirent */
	int err;
};

static int fill(void *vctx, const char *name, int len, u64 ino,
		unsigned int type, loff_t next)
{
	struct dir_ctx *c = vctx;
	size_t reclen;
	char *p;

	if (c->old)
		reclen = ALIGN(8 + 8 + 2 + (size_t)len + 2, (size_t)8);
	else
		reclen = ALIGN(8 + 8 + 2 + 1 + (size_t)len + 1, (size_t)8);
	if (c->used + reclen > c->size) {
		if (!c->used)
			c->err = -EINVAL;
		return 1;
	}
	p = c->buf + c->used;
	memset(p, 0, reclen);
	memcpy(p, &ino, 8);
	memcpy(p + 8, &next, 8);
	memcpy(p + 16, &(u16){ (u16)reclen }, 2);
	if (c->old) {
		memcpy(p + 18, name, (size_t)len);
		p[reclen - 1] = (char)type;
	} else {
		p[18] = (char)type;
		memcpy(p + 19, name, (size_t)len);
	}
	c->used += reclen;
	return 0;
}

static long do_getdents(unsigned int fd, uaddr_t dirent, unsigned int count,
			bool old)
{
	struct file *f = fdget((int)fd);
	struct dir_ctx c = { 0 };
	struct dentry *d;
	long r;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	r = -EBADF;
	if (f->f_mode & FMODE_PATH)
		goto out;
	r = -ENOTDIR;
	if (!f->c.f_op->iterate)
		goto out;
	d = f->f_path.dentry;
	r = -ENOENT;
	if (d_unhashed(d) && d->d_parent != d)
		goto out;
	r = -EFAULT;
	if (!access_ok(dirent, count))
		goto out;
	c.size = min((size_t)count, (size_t)DIRENT_BUF);
	c.old = old;
	c.buf = kmalloc(c.size ? c.size : 1);
	r = -ENOMEM;
	if (!c.buf)
		goto out;
	r = f->c.f_op->iterate(f, &c, fill);
	if (!r)
		r = c.err;
	if (!r && c.used)
		r = copy_to_user(dirent, c.buf, c.used) ? -EFAULT :
			(long)c.used;
	kfree(c.buf);
	if (!r && !c.used)
		r = 0;
	if (r >= 0) {
		f->c.f_inode->i_atime = current_time();
		fsnotify_access(f);
	}
out:
	fput(f);
	return r;
}

SYSCALL_DEFINE3(getdents64, unsigned int, fd, uaddr_t, dirent,
		unsigned int, count)
{
	return do_getdents(fd, dirent, count, false);
}

SYSCALL_DEFINE3(getdents, unsigned int, fd, uaddr_t, dirent,
		unsigned int, count)
{
	return do_getdents(fd, dirent, count, true);
}
