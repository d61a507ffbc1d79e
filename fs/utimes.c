// SPDX-License-Identifier: GPL-2.0
/*
 * utimensat, utimes, futimesat, utime.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define UTIME_NOW	((1L << 30) - 1L)
#define UTIME_OMIT	((1L << 30) - 2L)

struct ktimespec {
	s64 tv_sec;
	long tv_nsec;
};

struct ktimeval {
	s64 tv_sec;
	long tv_usec;
};

static bool nsec_valid(long nsec)
{
	if (nsec == UTIME_NOW || nsec == UTIME_OMIT)
		return true;
	return nsec >= 0 && nsec < 1000000000L;
}

/* times NULL: both now. */
static int utimes_common(const struct path *p, struct ktimespec *times)
{
	struct iattr ia = { 0 };
	struct kts now = current_time();
	int r = mnt_want_write(p->mnt);

	if (r)
		return r;
	ia.ia_valid = ATTR_CTIME | ATTR_ATIME | ATTR_MTIME;
	ia.ia_atime = ia.ia_mtime = now;
	if (times) {
		if (times[0].tv_nsec == UTIME_OMIT) {
			ia.ia_valid &= ~(unsigned int)ATTR_ATIME;
		} else if (times[0].tv_nsec != UTIME_NOW) {
			ia.ia_atime.sec = times[0].tv_sec;
			ia.ia_atime.nsec = times[0].tv_nsec;
			ia.ia_valid |= ATTR_ATIME_SET;
		}
		if (times[1].tv_nsec == UTIME_OMIT) {
			ia.ia_valid &= ~(unsigned int)ATTR_MTIME;
		} else if (times[1].tv_nsec != UTIME_NOW) {
			ia.ia_mtime.sec = times[1].tv_sec;
			ia.ia_mtime.nsec = times[1].tv_nsec;
			ia.ia_valid |= ATTR_MTIME_SET;
		}
	}
	if (!(ia.ia_valid & (ATTR_ATIME_SET | ATTR_MTIME_SET)))
		ia.ia_valid |= ATTR_TOUCH;
	return notify_change(p->dentry, &ia);
}

static long do_utimes(int dfd, uaddr_t filename, struct ktimespec *times,
		      int flags)
{
	struct path p;
	unsigned int lf;
	int r;

	if (times) {
		if (!nsec_valid(times[0].tv_nsec) ||
		    !nsec_valid(times[1].tv_nsec))
			return -EINVAL;
		if (times[0].tv_nsec == UTIME_OMIT &&
		    times[1].tv_nsec == UTIME_OMIT)
			return 0;
		if (times[0].tv_nsec == UTIME_NOW &&
		    times[1].tv_nsec == UTIME_NOW)
			times = NULL;
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!filename) {
		/* utimensat(fd, NULL, ...): the file fd itself */
		struct file *f;

		if (flags & AT_SYMLINK_NOFOLLOW)
			return -EINVAL;
		if (dfd == AT_FDCWD)
			return -EFAULT;
		f = fdget(dfd);
		if (!f)
			return -EBADF;
		r = utimes_common(&f->f_path, times);
		fput(f);
		return r;
	}
	lf = at_lookup_flags(flags);
	r = user_path_at(dfd, filename, lf, &p);
	if (r)
		return r;
	r = utimes_common(&p, times);
	path_put(&p);
	return r;
}

SYSCALL_DEFINE4(utimensat, int, dfd, uaddr_t, filename, uaddr_t, utimes,
		int, flags)
{
	struct ktimespec t[2];

	if (utimes) {
		if (copy_from_user(t, utimes, sizeof(t)))
			return -EFAULT;
		return do_utimes(dfd, filename, t, flags);
	}
	return do_utimes(dfd, filename, NULL, flags);
}

static long do_futimesat(int dfd, uaddr_t filename, uaddr_t utimes)
{
	struct ktimeval tv[2];
	struct ktimespec t[2];

	if (!utimes)
		return do_utimes(dfd, filename, NULL, 0);
	if (copy_from_user(tv, utimes, sizeof(tv)))
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		t[i].tv_sec = tv[i].tv_sec;
		t[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return do_utimes(dfd, filename, t, 0);
}

SYSCALL_DEFINE3(futimesat, int, dfd, uaddr_t, filename, uaddr_t, utimes)
{
	return do_futimesat(dfd, filename, utimes);
}

SYSCALL_DEFINE2(utimes, uaddr_t, filename, uaddr_t, utimes)
{
	return do_futimesat(AT_FDCWD, filename, utimes);
}

SYSCALL_DEFINE2(utime, uaddr_t, filename, uaddr_t, times)
{
	struct { s64 actime, modtime; } ut;
	struct ktimespec t[2];

	if (!times)
		return do_utimes(AT_FDCWD, filename, NULL, 0);
	if (copy_from_user(&ut, times, sizeof(ut)))
		return -EFAULT;
	t[0].tv_sec = ut.actime;
	t[0].tv_nsec = 0;
	t[1].tv_sec = ut.modtime;
	t[1].tv_nsec = 0;
	return do_utimes(AT_FDCWD, filename, t, 0);
}
