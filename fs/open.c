// SPDX-License-Identifier: GPL-2.0
/*
 * open, creat, access, chmod, chown, truncate, fallocate.
 */
#include "kern/vfs.h"
#include "kern/fsnotify.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define F_OK	0
#define X_OK	1
#define W_OK	2
#define R_OK	4
#define OFFSET_MAX	0x7fffffffffffffffLL

#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02

static long do_sys_open(int dfd, uaddr_t filename, int flags, mode_t mode)
{
	struct file *f;
	char *name;
	int fd;

	/* Linux ignores flags it does not know */
	flags &= O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |
		 O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE |
		 O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | __O_SYNC |
		 O_PATH | __O_TMPFILE;
	if ((flags & __O_TMPFILE) && !(flags & O_DIRECTORY))
		return -EINVAL;
	if ((flags & __O_TMPFILE) && (flags & O_CREAT))
		return -EINVAL;
	name = getname(filename);
	if (IS_ERR(name))
		return PTR_ERR(name);
	f = do_filp_open(dfd, name, flags, mode);
	putname(name);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install_cur(f, flags);
	if (fd < 0)
		fput(f);
	else
		fsnotify_open(f);
	return fd;
}

SYSCALL_DEFINE3(open, uaddr_t, filename, int, flags, unsigned int, mode)
{
	return do_sys_open(AT_FDCWD, filename, flags | O_LARGEFILE, mode);
}

SYSCALL_DEFINE4(openat, int, dfd, uaddr_t, filename, int, flags,
		unsigned int, mode)
{
	return do_sys_open(dfd, filename, flags | O_LARGEFILE, mode);
}

SYSCALL_DEFINE2(creat, uaddr_t, filename, unsigned int, mode)
{
	return do_sys_open(AT_FDCWD, filename,
			   O_CREAT | O_WRONLY | O_TRUNC | O_LARGEFILE, mode);
}

/* struct open_how of openat2(2) */
struct open_how {
	u64 flags;
	u64 mode;
	u64 resolve;
};

SYSCALL_DEFINE4(openat2, int, dfd, uaddr_t, filename, uaddr_t, uhow,
		size_t, usize)
{
	struct open_how how;

	if (usize < sizeof(how))
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (copy_from_user(&how, uhow, sizeof(how)))
		return -EFAULT;
	/* any larger tail must be zero */
	for (size_t i = sizeof(how); i < usize; i++) {
		u8 b;

		if (copy_from_user(&b, uhow + i, 1))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	if (how.flags >> 32 || (how.flags & ~(u64)(O_ACCMODE | O_CREAT |
		O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |
		FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW |
		O_NOATIME | O_CLOEXEC | __O_SYNC | O_PATH | __O_TMPFILE)))
		return -EINVAL;
	if (how.mode & ~07777ULL)
		return -EINVAL;
	if (how.mode && !(how.flags & (O_CREAT | __O_TMPFILE)))
		return -EINVAL;
	if (how.resolve)
		return -EINVAL;	/* RESOLVE_* restrictions: not supported */
	return do_sys_open(dfd, filename, (int)how.flags, (mode_t)how.mode);
}

int do_truncate(struct dentry *d, loff_t len, struct file *filp)
{
	struct iattr ia = { 0 };

	if (len < 0)
		return -EINVAL;
	if (current) {
		u64 lim = task_rlimit(current, RLIMIT_FSIZE);

		if (lim != RLIM_INFINITY && (u64)len > lim) {
			send_sig(SIGXFSZ, current, false);
			return -EFBIG;
		}
	}
	ia.ia_valid = ATTR_SIZE | ATTR_MTIME | ATTR_CTIME;
	ia.ia_size = len;
	ia.ia_mtime = current_time();
	if (!fs_capable(CAP_FSETID))
		ia.ia_valid |= ATTR_KILL_SUID | ATTR_KILL_SGID;
	return notify_change(d, &ia);
}

int vfs_truncate(const struct path *p, loff_t len)
{
	struct inode *inode = p->dentry->d_inode;
	int r;

	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	r = mnt_want_write(p->mnt);
	if (r)
		return r;
	r = inode_permission(inode, MAY_WRITE);
	if (r)
		return r;
	return do_truncate(p->dentry, len, NULL);
}

SYSCALL_DEFINE2(truncate, uaddr_t, path, long, length)
{
	struct path p;
	int r;

	if (length < 0)
		return -EINVAL;
	r = user_path_at(AT_FDCWD, path, LOOKUP_FOLLOW, &p);
	if (r)
		return r;
	r = vfs_truncate(&p, length);
	path_put(&p);
	return r;
}

SYSCALL_DEFINE2(ftruncate, unsigned int, fd, unsigned long, length)
{
	struct file *f;
	int r;

	if ((long)length < 0)
		return -EINVAL;
	f = fdget((int)fd);
	if (!f || fd > INT32_MAX)
		return -EBADF;
	r = -EBADF;
	if (f->f_mode & FMODE_PATH)
		goto out;
	r = -EINVAL;
	if (!S_ISREG(f->c.f_inode->i_mode) || !(f->f_mode & FMODE_WRITE))
		goto out;
	r = -EPERM;
	if (f->c.f_flags & O_APPEND)
		goto out;
	r = do_truncate(f->f_path.dentry, (loff_t)length, f);
out:
	fput(f);
	return r;
}

SYSCALL_DEFINE4(fallocate, int, fd, int, mode, long, offset, long, len)
{
	struct file *f;
	struct inode *inode;
	long r;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | 0x04 |
		     0x08 | 0x10 | 0x20 | 0x40))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	f = fdget(fd);
	if (!f)
		return -EBADF;
	inode = f->c.f_inode;
	r = -EBADF;
	if (!(f->f_mode & FMODE_WRITE))
		goto out;
	r = -EPERM;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && (f->c.f_flags & O_APPEND))
		goto out;
	r = -ESPIPE;
	if (S_ISFIFO(inode->i_mode))
		goto out;
	r = -EISDIR;
	if (S_ISDIR(inode->i_mode))
		goto out;
	r = -ENODEV;
	if (!S_ISREG(inode->i_mode))
		goto out;
	r = -EFBIG;
	if (offset > OFFSET_MAX - len)
		goto out;
	if (current && !(mode & FALLOC_FL_KEEP_SIZE)) {
		u64 lim = task_rlimit(current, RLIMIT_FSIZE);

		if (lim != RLIM_INFINITY && (u64)(offset + len) > lim) {
			send_sig(SIGXFSZ, current, false);
			goto out;
		}
	}
	r = -EOPNOTSUPP;
	if (!inode->i_op || !inode->i_op->fallocate)
		goto out;
	r = inode->i_op->fallocate(inode, mode, offset, len);
out:
	fput(f);
	return r;
}

/* access(2) checks with the real ids, unless AT_EACCESS. */
static long do_faccessat(int dfd, uaddr_t filename, int mode, int flags)
{
	struct cred *saved = NULL, *tmp;
	struct path p;
	unsigned int lf;
	long r;

	if (mode & ~(F_OK | X_OK | W_OK | R_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	lf = at_lookup_flags(flags);
	if (!(flags & AT_EACCESS)) {
		struct cred *c = current->cred;

		if (c->fsuid != c->uid || c->fsgid != c->gid ||
		    (c->uid ? c->cap_effective != 0 :
		     c->cap_effective != c->cap_permitted)) {
			tmp = cred_copy(c);
			if (!tmp)
				return -ENOMEM;
			tmp->fsuid = c->uid;
			tmp->fsgid = c->gid;
			tmp->cap_effective = c->uid ? 0 : c->cap_permitted;
			saved = c;
			current->cred = tmp;
		}
	}
	r = user_path_at(dfd, filename, lf, &p);
	if (r)
		goto out;
	if (mode) {
		struct inode *inode = p.dentry->d_inode;

		r = inode_permission(inode, mode);
		if (!r && (mode & W_OK) && mnt_is_readonly(p.mnt) &&
		    (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) ||
		     S_ISLNK(inode->i_mode)))
			r = -EROFS;
		if (!r && (mode & X_OK) && S_ISREG(inode->i_mode) &&
		    (p.mnt->mnt_flags & MNT_NOEXEC))
			r = -EACCES;
	}
	path_put(&p);
out:
	if (saved) {
		cred_put(current->cred);
		current->cred = saved;
	}
	return r;
}

SYSCALL_DEFINE2(access, uaddr_t, filename, int, mode)
{
	return do_faccessat(AT_FDCWD, filename, mode, 0);
}

SYSCALL_DEFINE3(faccessat, int, dfd, uaddr_t, filename, int, mode)
{
	return do_faccessat(dfd, filename, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dfd, uaddr_t, filename, int, mode, int, flags)
{
	return do_faccessat(dfd, filename, mode, flags);
}

static int chmod_common(const struct path *p, mode_t mode)
{
	struct iattr ia = { 0 };
	int r = mnt_want_write(p->mnt);

	if (r)
		return r;
	ia.ia_valid = ATTR_MODE | ATTR_CTIME;
	ia.ia_mode = mode & 07777;
	return notify_change(p->dentry, &ia);
}

SYSCALL_DEFINE2(fchmod, unsigned int, fd, unsigned int, mode)
{
	struct file *f = fdget((int)fd);
	int r;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	r = (f->f_mode & FMODE_PATH) ? -EBADF : chmod_common(&f->f_path, mode);
	fput(f);
	return r;
}

static long do_fchmodat(int dfd, uaddr_t filename, mode_t mode, int flags)
{
	struct path p;
	unsigned int lf;
	int r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	lf = at_lookup_flags(flags);
	r = user_path_at(dfd, filename, lf, &p);
	if (r)
		return r;
	/* the mode of a symlink cannot change */
	if (S_ISLNK(p.dentry->d_inode->i_mode))
		r = -EOPNOTSUPP;
	else
		r = chmod_common(&p, mode);
	path_put(&p);
	return r;
}

SYSCALL_DEFINE3(fchmodat, int, dfd, uaddr_t, filename, unsigned int, mode)
{
	return do_fchmodat(dfd, filename, mode, 0);
}

SYSCALL_DEFINE4(fchmodat2, int, dfd, uaddr_t, filename, unsigned int, mode,
		int, flags)
{
	return do_fchmodat(dfd, filename, mode, flags);
}

SYSCALL_DEFINE2(chmod, uaddr_t, filename, unsigned int, mode)
{
	return do_fchmodat(AT_FDCWD, filename, mode, 0);
}

static int chown_common(const struct path *p, uid_t user, gid_t group)
{
	struct inode *inode = p->dentry->d_inode;
	struct iattr ia = { 0 };
	int r = mnt_want_write(p->mnt);

	if (r)
		return r;
	ia.ia_valid = ATTR_CTIME;
	if (user != (uid_t)-1) {
		ia.ia_valid |= ATTR_UID;
		ia.ia_uid = user;
	}
	if (group != (gid_t)-1) {
		ia.ia_valid |= ATTR_GID;
		ia.ia_gid = group;
	}
	if (!S_ISDIR(inode->i_mode))
		ia.ia_valid |= ATTR_KILL_SUID | ATTR_KILL_SGID;
	return notify_change(p->dentry, &ia);
}

static long do_fchownat(int dfd, uaddr_t filename, uid_t user, gid_t group,
			int flag)
{
	struct path p;
	unsigned int lf;
	int r;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	lf = at_lookup_flags(flag);
	r = user_path_at(dfd, filename, lf, &p);
	if (r)
		return r;
	r = chown_common(&p, user, group);
	path_put(&p);
	return r;
}

SYSCALL_DEFINE5(fchownat, int, dfd, uaddr_t, filename, unsigned int, user,
		unsigned int, group, int, flag)
{
	return do_fchownat(dfd, filename, user, group, flag);
}

SYSCALL_DEFINE3(chown, uaddr_t, filename, unsigned int, user,
		unsigned int, group)
{
	return do_fchownat(AT_FDCWD, filename, user, group, 0);
}

SYSCALL_DEFINE3(lchown, uaddr_t, filename, unsigned int, user,
		unsigned int, group)
{
	return do_fchownat(AT_FDCWD, filename, user, group,
			   AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE3(fchown, unsigned int, fd, unsigned int, user,
		unsigned int, group)
{
	struct file *f = fdget((int)fd);
	int r;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	r = (f->f_mode & FMODE_PATH) ? -EBADF :
		chown_common(&f->f_path, user, group);
	fput(f);
	return r;
}
