// SPDX-License-Identifier: GPL-2.0
/*
 * stat, lstat, fstat, newfstatat, statx, readlink.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include <linux/stat.h>

/*
 * struct stat of x86-64 (<asm/stat.h>, written out here because that
 * header's "__unused" field clashes with our attribute macro).
 */
struct kernel_stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned long st_nlink;
	unsigned int st_mode;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned int __pad0;
	unsigned long st_rdev;
	long st_size;
	long st_blksize;
	long st_blocks;
	unsigned long st_atime;
	unsigned long st_atime_nsec;
	unsigned long st_mtime;
	unsigned long st_mtime_nsec;
	unsigned long st_ctime;
	unsigned long st_ctime_nsec;
	long __reserved[3];
};
_Static_assert(sizeof(struct kernel_stat) == 144, "x86-64 struct stat");

#define AT_STATX_SYNC_TYPE	0x6000

int vfs_getattr(const struct path *p, struct kstat *st)
{
	struct inode *inode = p->dentry->d_inode;

	generic_fillattr(inode, st);
	st->mnt_id = p->mnt->mnt_id;
	if (inode->i_op && inode->i_op->getattr)
		inode->i_op->getattr(inode, st);
	return 0;
}

static int vfs_statx(int dfd, uaddr_t filename, int flags, struct kstat *st)
{
	struct path p;
	unsigned int lf;
	int r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	lf = at_lookup_flags(flags);
	r = user_path_at(dfd, filename, lf, &p);
	if (r)
		return r;
	r = vfs_getattr(&p, st);
	path_put(&p);
	return r;
}

static int vfs_fstat(unsigned int fd, struct kstat *st)
{
	struct file *f = fdget((int)fd);
	int r;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	r = vfs_getattr(&f->f_path, st);
	fput(f);
	return r;
}

static int cp_new_stat(const struct kstat *st, uaddr_t ubuf)
{
	struct kernel_stat s;

	memset(&s, 0, sizeof(s));
	s.st_dev = encode_dev_user(st->dev);
	s.st_ino = st->ino;
	s.st_nlink = st->nlink;
	s.st_mode = st->mode;
	s.st_uid = st->uid;
	s.st_gid = st->gid;
	s.st_rdev = encode_dev_user(st->rdev);
	s.st_size = st->size;
	s.st_blksize = st->blksize;
	s.st_blocks = (long)st->blocks;
	s.st_atime = (unsigned long)st->atime.sec;
	s.st_atime_nsec = (unsigned long)st->atime.nsec;
	s.st_mtime = (unsigned long)st->mtime.sec;
	s.st_mtime_nsec = (unsigned long)st->mtime.nsec;
	s.st_ctime = (unsigned long)st->ctime.sec;
	s.st_ctime_nsec = (unsigned long)st->ctime.nsec;
	return copy_to_user(ubuf, &s, sizeof(s)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(stat, uaddr_t, filename, uaddr_t, statbuf)
{
	struct kstat st;
	int r = vfs_statx(AT_FDCWD, filename, 0, &st);

	return r ? r : cp_new_stat(&st, statbuf);
}

SYSCALL_DEFINE2(lstat, uaddr_t, filename, uaddr_t, statbuf)
{
	struct kstat st;
	int r = vfs_statx(AT_FDCWD, filename, AT_SYMLINK_NOFOLLOW, &st);

	return r ? r : cp_new_stat(&st, statbuf);
}

SYSCALL_DEFINE2(fstat, unsigned int, fd, uaddr_t, statbuf)
{
	struct kstat st;
	int r = vfs_fstat(fd, &st);

	return r ? r : cp_new_stat(&st, statbuf);
}

SYSCALL_DEFINE4(newfstatat, int, dfd, uaddr_t, filename, uaddr_t, statbuf,
		int, flag)
{
	struct kstat st;
	int r = vfs_statx(dfd, filename, flag, &st);

	return r ? r : cp_new_stat(&st, statbuf);
}

static void ts_statx(struct statx_timestamp *d, const struct kts *s)
{
	d->tv_sec = s->sec;
	d->tv_nsec = (u32)s->nsec;
}

SYSCALL_DEFINE5(statx, int, dfd, uaddr_t, filename, unsigned int, flags,
		unsigned int, mask, uaddr_t, buffer)
{
	struct statx sx;
	struct kstat st;
	int r;

	if (mask & STATX__RESERVED)
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	r = vfs_statx(dfd, filename, (int)flags, &st);
	if (r)
		return r;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID;
	sx.stx_blksize = st.blksize;
	sx.stx_nlink = st.nlink;
	sx.stx_uid = st.uid;
	sx.stx_gid = st.gid;
	sx.stx_mode = (u16)st.mode;
	sx.stx_ino = st.ino;
	sx.stx_size = (u64)st.size;
	sx.stx_blocks = st.blocks;
	ts_statx(&sx.stx_atime, &st.atime);
	ts_statx(&sx.stx_btime, &st.btime);
	ts_statx(&sx.stx_ctime, &st.ctime);
	ts_statx(&sx.stx_mtime, &st.mtime);
	sx.stx_rdev_major = MAJOR(st.rdev);
	sx.stx_rdev_minor = MINOR(st.rdev);
	sx.stx_dev_major = MAJOR(st.dev);
	sx.stx_dev_minor = MINOR(st.dev);
	sx.stx_mnt_id = (u64)st.mnt_id;
	return copy_to_user(buffer, &sx, sizeof(sx)) ? -EFAULT : 0;
}

static long do_readlinkat(int dfd, uaddr_t pathname, uaddr_t buf, int bufsiz)
{
	struct path p;
	struct inode *inode;
	char *target;
	size_t len;
	long r;

	if (bufsiz <= 0)
		return -EINVAL;
	r = user_path_at(dfd, pathname, LOOKUP_EMPTY, &p);
	if (r)
		return r;
	inode = p.dentry->d_inode;
	r = -EINVAL;
	if (!S_ISLNK(inode->i_mode) || !inode->i_op || !inode->i_op->get_link)
		goto out;
	target = inode->i_op->get_link(p.dentry);
	if (IS_ERR(target)) {
		r = PTR_ERR(target);
		goto out;
	}
	len = strlen(target);
	if (len > (size_t)bufsiz)
		len = (size_t)bufsiz;
	r = copy_to_user(buf, target, len) ? -EFAULT : (long)len;
	kfree(target);
out:
	path_put(&p);
	return r;
}

SYSCALL_DEFINE4(readlinkat, int, dfd, uaddr_t, pathname, uaddr_t, buf,
		int, bufsiz)
{
	return do_readlinkat(dfd, pathname, buf, bufsiz);
}

SYSCALL_DEFINE3(readlink, uaddr_t, pathname, uaddr_t, buf, int, bufsiz)
{
	return do_readlinkat(AT_FDCWD, pathname, buf, bufsiz);
}
