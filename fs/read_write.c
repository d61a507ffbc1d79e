// SPDX-License-Identifier: GPL-2.0
/*
 * read, write and friends: pread/pwrite, the vectored calls, lseek and
 * sendfile.
 */
#include "kern/vfs.h"
#include "kern/fsnotify.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define MAX_LFS_FILESIZE	0x7fffffffffffffffLL

#define MAX_RW_COUNT	0x7ffff000L
#define IOV_MAX		1024
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4
#define OFFSET_MAX	0x7fffffffffffffffLL

#define RWF_HIPRI	0x01
#define RWF_DSYNC	0x02
#define RWF_SYNC	0x04
#define RWF_NOWAIT	0x08
#define RWF_APPEND	0x10
#define RWF_SUPPORTED	(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | \
			 RWF_APPEND)

loff_t generic_file_llseek(struct file *f, loff_t off, int whence)
{
	loff_t size = f->c.f_inode->i_size, pos;

	switch (whence) {
	case SEEK_SET:
		pos = off;
		break;
	case SEEK_CUR:
		if (off > 0 && f->c.f_pos > OFFSET_MAX - off)
			return -EINVAL;
		pos = f->c.f_pos + off;
		break;
	case SEEK_END:
		if (off > 0 && size > OFFSET_MAX - off)
			return -EINVAL;
		pos = size + off;
		break;
	case SEEK_DATA:
		/* no holes are reported: all data up to the size */
		if (off < 0 || off >= size)
			return -ENXIO;
		pos = off;
		break;
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return -ENXIO;
		pos = size;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0)
		return -EINVAL;
	f->c.f_pos = pos;
	return pos;
}

loff_t no_llseek(struct file *f, loff_t off, int whence)
{
	return -ESPIPE;
}

static bool seekable(struct file *f)
{
	return f->c.f_op->llseek && f->c.f_op->llseek != no_llseek;
}

int rw_verify_area(struct file *f, loff_t pos, size_t *len, bool write)
{
	struct inode *inode = f->c.f_inode;

	if (*len > (size_t)MAX_RW_COUNT)
		*len = (size_t)MAX_RW_COUNT;
	if (pos < 0 && seekable(f))
		return -EINVAL;
	if (pos > 0 && (loff_t)*len > OFFSET_MAX - pos)
		return -EINVAL;
	if (write && inode && S_ISREG(inode->i_mode) && current) {
		u64 lim = task_rlimit(current, RLIMIT_FSIZE);

		if (lim != RLIM_INFINITY && *len) {
			if ((u64)pos >= lim) {
				send_sig(SIGXFSZ, current, false);
				return -EFBIG;
			}
			if ((u64)pos + *len > lim)
				*len = (size_t)(lim - (u64)pos);
		}
	}
	return 0;
}

ssize_t vfs_read(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	ssize_t r;

	if (!(f->f_mode & FMODE_READ))
		return -EBADF;
	if (!f->c.f_op->read)
		return -EINVAL;
	if (!access_ok(buf, len))
		return -EFAULT;
	r = rw_verify_area(f, *pos, &len, false);
	if (r)
		return r;
	if (!len)
		return 0;
	r = f->c.f_op->read(f, buf, len, pos);
	if (r > 0)
		fsnotify_access(f);
	return r;
}

ssize_t vfs_write(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	ssize_t n;
	int r;

	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!f->c.f_op->write)
		return -EINVAL;
	if (!access_ok(buf, len))
		return -EFAULT;
	if ((f->c.f_flags & O_APPEND) && f->c.f_inode &&
	    S_ISREG(f->c.f_inode->i_mode))
		*pos = f->c.f_inode->i_size;
	r = rw_verify_area(f, *pos, &len, true);
	if (r)
		return r;
	if (!len && f->c.f_inode && S_ISREG(f->c.f_inode->i_mode))
		return 0;
	n = f->c.f_op->write(f, buf, len, pos);
	if (n > 0)
		fsnotify_modify(f);
	return n;
}

/* read/write: at the file position, which moves by what was done. */
static ssize_t do_rw(unsigned int fd, uaddr_t buf, size_t count, bool write)
{
	struct file *f = fdget((int)fd);
	ssize_t r;
	loff_t pos;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	pos = f->c.f_pos;
	r = write ? vfs_write(f, buf, count, &pos) :
		    vfs_read(f, buf, count, &pos);
	if (r >= 0)
		f->c.f_pos = pos;
	fput(f);
	return r;
}

SYSCALL_DEFINE3(read, unsigned int, fd, uaddr_t, buf, size_t, count)
{
	return do_rw(fd, buf, count, false);
}

SYSCALL_DEFINE3(write, unsigned int, fd, uaddr_t, buf, size_t, count)
{
	return do_rw(fd, buf, count, true);
}

/* pread64/pwrite64: at pos, without moving the file position. */
static ssize_t do_pio(unsigned int fd, uaddr_t buf, size_t count, loff_t pos,
		      bool write)
{
	struct file *f = fdget((int)fd);
	ssize_t r;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	if (pos < 0)
		r = -EINVAL;
	else if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		r = -EBADF;
	else if (!seekable(f))
		r = -ESPIPE;
	else if (write)
		r = vfs_write(f, buf, count, &pos);
	else
		r = vfs_read(f, buf, count, &pos);
	fput(f);
	return r;
}

SYSCALL_DEFINE4(pread64, unsigned int, fd, uaddr_t, buf, size_t, count,
		loff_t, pos)
{
	return do_pio(fd, buf, count, pos, false);
}

SYSCALL_DEFINE4(pwrite64, unsigned int, fd, uaddr_t, buf, size_t, count,
		loff_t, pos)
{
	return do_pio(fd, buf, count, pos, true);
}

/* Reads and checks a guest iovec array; *total is clamped to MAX_RW_COUNT. */
int import_iovec(uaddr_t uvec, unsigned long nr, struct kiovec **out,
			size_t *total)
{
	struct kiovec *v;
	size_t sum = 0;

	*out = NULL;
	*total = 0;
	if (nr > IOV_MAX)
		return -EINVAL;
	if (!nr)
		return 0;
	v = kmalloc(nr * sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (copy_from_user(v, uvec, nr * sizeof(*v))) {
		kfree(v);
		return -EFAULT;
	}
	for (unsigned long i = 0; i < nr; i++) {
		if ((s64)v[i].len < 0) {
			kfree(v);
			return -EINVAL;
		}
		if (v[i].len && !access_ok(v[i].base, v[i].len)) {
			kfree(v);
			return -EFAULT;
		}
		if (v[i].len > (u64)MAX_RW_COUNT - sum) {
			v[i].len = (u64)MAX_RW_COUNT - sum;
		}
		sum += v[i].len;
	}
	*out = v;
	*total = sum;
	return 0;
}

static ssize_t do_iter(struct file *f, struct kiovec *v, unsigned long nr,
		       loff_t *pos, bool write)
{
	ssize_t done = 0;

	if (write && f->c.f_op->write_vec) {
		struct uvec *u = kcalloc(nr ? nr : 1, sizeof(*u));

		if (!u)
			return -ENOMEM;
		for (unsigned long i = 0; i < nr; i++) {
			u[i].base = (uaddr_t)v[i].base;
			u[i].len = (size_t)v[i].len;
		}
		done = f->c.f_op->write_vec(f, u, nr, pos);
		kfree(u);
		return done;
	}

	for (unsigned long i = 0; i < nr; i++) {
		ssize_t n;

		if (!v[i].len)
			continue;
		n = write ? vfs_write(f, v[i].base, v[i].len, pos) :
			vfs_read(f, v[i].base, v[i].len, pos);
		if (n < 0)
			return done ? done : n;
		done += n;
		if ((u64)n < v[i].len)
			break;
	}
	return done;
}

static ssize_t vectored(unsigned long fd, uaddr_t vec, unsigned long vlen,
			loff_t pos, bool use_pos, int flags, bool write)
{
	struct file *f;
	struct kiovec *v;
	size_t total;
	ssize_t r;
	loff_t p;

	if (flags & ~RWF_SUPPORTED)
		return -EOPNOTSUPP;
	f = fdget((int)fd);
	if (!f || fd > INT32_MAX)
		return -EBADF;
	r = -EBADF;
	if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		goto out;
	if (use_pos) {
		r = -ESPIPE;
		if (!seekable(f))
			goto out;
		r = -EINVAL;
		if (pos < 0)
			goto out;
	}
	r = import_iovec(vec, vlen, &v, &total);
	if (r)
		goto out;
	if (!write && !f->c.f_op->read) {
		r = -EINVAL;
	} else if (write && !f->c.f_op->write) {
		r = -EINVAL;
	} else {
		p = use_pos ? pos : f->c.f_pos;
		if (write && (flags & RWF_APPEND) && f->c.f_inode &&
		    S_ISREG(f->c.f_inode->i_mode))
			p = f->c.f_inode->i_size;
		if (!use_pos && write && f->c.f_op->write_iter)
			r = f->c.f_op->write_iter(f, v, vlen, total);
		else if (!use_pos && !write && f->c.f_op->read_iter)
			r = f->c.f_op->read_iter(f, v, vlen, total);
		else
			r = do_iter(f, v, vlen, &p, write);
		if (!use_pos && r >= 0)
			f->c.f_pos = p;
	}
	kfree(v);
out:
	fput(f);
	return r;
}

/* readv or writev at the file position (vmsplice, fs/splice.c). */
ssize_t vfs_iov_rw(int fd, uaddr_t vec, unsigned long vlen, bool write)
{
	return vectored((unsigned long)fd, vec, vlen, 0, false, 0, write);
}

SYSCALL_DEFINE3(readv, unsigned long, fd, uaddr_t, vec, unsigned long, vlen)
{
	return vectored(fd, vec, vlen, 0, false, 0, false);
}

SYSCALL_DEFINE3(writev, unsigned long, fd, uaddr_t, vec, unsigned long, vlen)
{
	return vectored(fd, vec, vlen, 0, false, 0, true);
}

SYSCALL_DEFINE5(preadv, unsigned long, fd, uaddr_t, vec, unsigned long, vlen,
		unsigned long, pos_l, unsigned long, pos_h)
{
	return vectored(fd, vec, vlen, (loff_t)pos_l, true, 0, false);
}

SYSCALL_DEFINE5(pwritev, unsigned long, fd, uaddr_t, vec, unsigned long, vlen,
		unsigned long, pos_l, unsigned long, pos_h)
{
	return vectored(fd, vec, vlen, (loff_t)pos_l, true, 0, true);
}

SYSCALL_DEFINE6(preadv2, unsigned long, fd, uaddr_t, vec, unsigned long, vlen,
		unsigned long, pos_l, unsigned long, pos_h, int, flags)
{
	loff_t pos = (loff_t)pos_l;

	return vectored(fd, vec, vlen, pos, pos != -1, flags, false);
}

SYSCALL_DEFINE6(pwritev2, unsigned long, fd, uaddr_t, vec, unsigned long, vlen,
		unsigned long, pos_l, unsigned long, pos_h, int, flags)
{
	loff_t pos = (loff_t)pos_l;

	return vectored(fd, vec, vlen, pos, pos != -1, flags, true);
}

SYSCALL_DEFINE3(lseek, unsigned int, fd, long, offset, unsigned int, whence)
{
	struct file *f = fdget((int)fd);
	loff_t r;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	if (whence > SEEK_HOLE)
		r = -EINVAL;
	else if (!f->c.f_op->llseek || (f->f_mode & FMODE_PATH))
		r = (f->f_mode & FMODE_PATH) ? -EBADF : -ESPIPE;
	else
		r = f->c.f_op->llseek(f, offset, (int)whence);
	fput(f);
	return r;
}

/*
 * Copies up to count bytes from in at *ipos to out at *opos through a
 * kernel buffer, advancing both; bytes read but not written are given
 * back. Returns the bytes copied, or -errno if none were.
 */
static long copy_through_kernel(struct file *in, loff_t *ipos,
				struct file *out, loff_t *opos, size_t count)
{
	size_t chunk_max = 65536, done = 0;
	char *buf = kmalloc(min(count, chunk_max) ? min(count, chunk_max) : 1);
	long r = 0;

	if (!buf)
		return -ENOMEM;
	while (done < count) {
		size_t want = min(count - done, chunk_max);
		ssize_t n = in->c.f_op->read_kernel(in, buf, want, ipos);
		ssize_t w, wdone = 0;

		if (n <= 0) {
			r = n;
			break;
		}
		while (wdone < n) {
			w = out->c.f_op->write_kernel(out, buf + wdone,
						      (size_t)(n - wdone), opos);
			if (w <= 0) {
				r = w ? w : -EIO;
				*ipos -= n - wdone;
				break;
			}
			wdone += w;
		}
		done += (size_t)wdone;
		if (wdone < n || (size_t)n < want)
			break;
	}
	kfree(buf);
	return done ? (long)done : r;
}

/* A copy through the kernel between two files, as sendfile(2) does. */
static long do_sendfile(int out_fd, int in_fd, loff_t *ppos, size_t count)
{
	struct file *in = fdget(in_fd), *out = fdget(out_fd);
	loff_t ipos, opos;
	long r;

	r = -EBADF;
	if (!in || !out || in_fd < 0 || out_fd < 0)
		goto out;
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		goto out;
	r = -EINVAL;
	if (!in->c.f_op->read_kernel || !out->c.f_op->write_kernel)
		goto out;
	if (out->c.f_flags & O_APPEND)
		goto out;
	if (ppos && !seekable(in)) {
		r = -ESPIPE;
		goto out;
	}
	ipos = ppos ? *ppos : in->c.f_pos;
	if (ipos < 0)
		goto out;
	r = rw_verify_area(in, ipos, &count, false);
	if (r)
		goto out;
	opos = out->c.f_pos;
	r = rw_verify_area(out, opos, &count, true);
	if (r)
		goto out;
	r = copy_through_kernel(in, &ipos, out, &opos, count);
	if (ppos)
		*ppos = ipos;
	else
		in->c.f_pos = ipos;
	out->c.f_pos = opos;
out:
	fput(in);
	fput(out);
	return r;
}

SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, uaddr_t, offset,
		size_t, count)
{
	loff_t pos;
	long r;

	if (offset) {
		if (get_user(pos, offset))
			return -EFAULT;
		if (pos < 0)
			return -EINVAL;
		r = do_sendfile(out_fd, in_fd, &pos, count);
		if (r >= 0 && put_user(pos, offset))
			return -EFAULT;
		return r;
	}
	return do_sendfile(out_fd, in_fd, NULL, count);
}

/*
 * copy_file_range(2): between regular files, at explicit offsets or the
 * files' positions. Linux may share extents; a plain copy is what it does
 * for filesystems that cannot.
 */
SYSCALL_DEFINE6(copy_file_range, int, fd_in, uaddr_t, off_in, int, fd_out,
		uaddr_t, off_out, size_t, len, unsigned int, flags)
{
	struct file *in = fdget(fd_in), *out = fdget(fd_out);
	struct inode *ii, *oi;
	loff_t ipos, opos;
	long r;

	r = -EINVAL;
	if (flags)
		goto out;
	r = -EBADF;
	if (!in || !out || fd_in < 0 || fd_out < 0 ||
	    (in->f_mode & FMODE_PATH) || (out->f_mode & FMODE_PATH))
		goto out;
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE) ||
	    (out->c.f_flags & O_APPEND))
		goto out;
	ii = in->c.f_inode;
	oi = out->c.f_inode;
	r = -EISDIR;
	if (S_ISDIR(ii->i_mode) || S_ISDIR(oi->i_mode))
		goto out;
	r = -EINVAL;
	if (!S_ISREG(ii->i_mode) || !S_ISREG(oi->i_mode) ||
	    !in->c.f_op->read_kernel || !out->c.f_op->write_kernel)
		goto out;
	ipos = in->c.f_pos;
	opos = out->c.f_pos;
	r = -EFAULT;
	if (off_in && get_user(ipos, off_in))
		goto out;
	if (off_out && get_user(opos, off_out))
		goto out;
	r = -EINVAL;
	if (ipos < 0 || opos < 0)
		goto out;
	if (len > (size_t)MAX_LFS_FILESIZE - (size_t)ipos)
		len = (size_t)(MAX_LFS_FILESIZE - ipos);
	if (len > (size_t)MAX_LFS_FILESIZE - (size_t)opos)
		goto out;
	/* The same file: the ranges must not overlap. */
	if (ii == oi && ipos < opos + (loff_t)len && opos < ipos + (loff_t)len)
		goto out;
	r = rw_verify_area(in, ipos, &len, false);
	if (r)
		goto out;
	r = rw_verify_area(out, opos, &len, true);
	if (r)
		goto out;
	if (ipos >= ii->i_size) {
		r = 0;
		goto out;
	}
	r = copy_through_kernel(in, &ipos, out, &opos, len);
	if (r > 0) {
		if (off_in ? put_user(ipos, off_in) : (in->c.f_pos = ipos, 0))
			r = -EFAULT;
		else if (off_out ? put_user(opos, off_out) : (out->c.f_pos = opos, 0))
			r = -EFAULT;
	}
out:
	fput(in);
	fput(out);
	return r;
}
