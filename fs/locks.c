// SPDX-License-Identifier: GPL-2.0
/*
 * File locks: POSIX record locks (fcntl F_SETLK, owned by the process's fd
 * table, dropped by any close of the file), open file description locks
 * (F_OFD_*, owned by the open file) and flock(2) locks (owned by the open
 * file). Blocking waits are interruptible; there is no deadlock detection.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38

#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8
#define LOCK_MAND	32

#define OFFSET_MAX	0x7fffffffffffffffLL

struct file_lock {
	struct list_head list;
	void *owner;		/* files_struct (POSIX) or file (OFD, flock) */
	bool ofd;
	pid_t pid;
	int type;
	loff_t start, end;	/* inclusive */
};

/* struct flock of x86-64 */
struct uflock {
	short l_type;
	short l_whence;
	int __pad;
	s64 l_start;
	s64 l_len;
	int l_pid;
	int __pad2;
};

static bool overlap(const struct file_lock *a, loff_t start, loff_t end)
{
	return a->start <= end && start <= a->end;
}

static struct file_lock *posix_conflict(struct inode *inode, void *owner,
					int type, loff_t start, loff_t end)
{
	struct file_lock *fl;

	list_for_each_entry(fl, &inode->i_posix_locks, list) {
		if (fl->owner == owner)
			continue;
		if (!overlap(fl, start, end))
			continue;
		if (type == F_WRLCK || fl->type == F_WRLCK)
			return fl;
	}
	return NULL;
}

static int flock_to_range(struct file *f, const struct uflock *u,
			  loff_t *start, loff_t *end)
{
	loff_t base;

	switch (u->l_whence) {
	case 0:
		base = 0;
		break;
	case 1:
		base = f->c.f_pos;
		break;
	case 2:
		base = f->c.f_inode->i_size;
		break;
	default:
		return -EINVAL;
	}
	if (u->l_start > 0 && base > OFFSET_MAX - u->l_start)
		return -EOVERFLOW;
	*start = base + u->l_start;
	if (*start < 0)
		return -EINVAL;
	if (u->l_len > 0) {
		if (u->l_len - 1 > OFFSET_MAX - *start)
			return -EOVERFLOW;
		*end = *start + u->l_len - 1;
	} else if (u->l_len < 0) {
		*end = *start - 1;
		*start += u->l_len;
		if (*start < 0)
			return -EINVAL;
	} else {
		*end = OFFSET_MAX;
	}
	return 0;
}

/* Removes owner's locks in [start, end], splitting those that straddle. */
static int posix_clear(struct inode *inode, void *owner, loff_t start,
		       loff_t end)
{
	struct file_lock *fl, *n;

	list_for_each_entry_safe(fl, n, &inode->i_posix_locks, list) {
		if (fl->owner != owner || !overlap(fl, start, end))
			continue;
		if (fl->start < start && fl->end > end) {
			struct file_lock *tail = kmalloc(sizeof(*tail));

			if (!tail)
				return -ENOLCK;
			*tail = *fl;
			tail->start = end + 1;
			fl->end = start - 1;
			list_add(&tail->list, &fl->list);
			return 0;
		}
		if (fl->start < start) {
			fl->end = start - 1;
		} else if (fl->end > end) {
			fl->start = end + 1;
		} else {
			list_del(&fl->list);
			kfree(fl);
		}
	}
	return 0;
}

static int posix_lock(struct file *f, void *owner, bool ofd, int type,
		      loff_t start, loff_t end, bool wait)
{
	struct inode *inode = f->c.f_inode;
	struct file_lock *nl;
	int r;

	if (type != F_UNLCK) {
		for (;;) {
			if (!posix_conflict(inode, owner, type, start, end))
				break;
			if (!wait)
				return -EAGAIN;
			r = (int)wait_event_interruptible(inode->i_lock_wait,
				!posix_conflict(inode, owner, type, start, end));
			if (r)
				return r;
		}
	}
	nl = NULL;
	if (type != F_UNLCK) {
		nl = kzalloc(sizeof(*nl));
		if (!nl)
			return -ENOLCK;
	}
	r = posix_clear(inode, owner, start, end);
	if (r) {
		kfree(nl);
		return r;
	}
	if (nl) {
		nl->owner = owner;
		nl->ofd = ofd;
		nl->pid = ofd ? -1 : (current ? current->tgid : 0);
		nl->type = type;
		nl->start = start;
		nl->end = end;
		list_add_tail(&nl->list, &inode->i_posix_locks);
	}
	wake_up(&inode->i_lock_wait);
	return 0;
}

long fcntl_getlk(struct file *f, unsigned int cmd, uaddr_t arg)
{
	struct uflock u;
	struct file_lock *fl;
	loff_t start, end;
	bool ofd = cmd == F_OFD_GETLK;
	int r;

	if (copy_from_user(&u, arg, sizeof(u)))
		return -EFAULT;
	if (u.l_type != F_RDLCK && u.l_type != F_WRLCK)
		return -EINVAL;
	if (ofd && u.l_pid)
		return -EINVAL;
	r = flock_to_range(f, &u, &start, &end);
	if (r)
		return r;
	fl = posix_conflict(f->c.f_inode, ofd ? (void *)f :
			    (void *)current->files, u.l_type, start, end);
	if (!fl) {
		u.l_type = F_UNLCK;
	} else {
		u.l_type = (short)fl->type;
		u.l_whence = 0;
		u.l_start = fl->start;
		u.l_len = fl->end == OFFSET_MAX ? 0 : fl->end - fl->start + 1;
		u.l_pid = fl->pid;
	}
	return copy_to_user(arg, &u, sizeof(u)) ? -EFAULT : 0;
}

long fcntl_setlk(int fd, struct file *f, unsigned int cmd, uaddr_t arg)
{
	struct uflock u;
	loff_t start, end;
	bool ofd = cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	bool wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
	int r;

	if (copy_from_user(&u, arg, sizeof(u)))
		return -EFAULT;
	if (ofd && u.l_pid)
		return -EINVAL;
	switch (u.l_type) {
	case F_RDLCK:
		if (!(f->f_mode & FMODE_READ))
			return -EBADF;
		break;
	case F_WRLCK:
		if (!(f->f_mode & FMODE_WRITE))
			return -EBADF;
		break;
	case F_UNLCK:
		break;
	default:
		return -EINVAL;
	}
	r = flock_to_range(f, &u, &start, &end);
	if (r)
		return r;
	r = posix_lock(f, ofd ? (void *)f : (void *)current->files, ofd,
		       u.l_type, start, end, wait);
	/* the fd may have been closed while we slept: drop the lock again */
	if (!r && !ofd && u.l_type != F_UNLCK &&
	    fd_lookup(current->files, fd) != f)
		posix_clear(f->c.f_inode, current->files, start, end);
	return r;
}

void locks_remove_posix(struct file *f, struct files_struct *owner)
{
	struct inode *inode = f->c.f_inode;

	if (!inode || list_empty(&inode->i_posix_locks))
		return;
	posix_clear(inode, owner, 0, OFFSET_MAX);
	wake_up(&inode->i_lock_wait);
}

static struct file_lock *flock_conflict(struct inode *inode, struct file *f,
					int type)
{
	struct file_lock *fl;

	list_for_each_entry(fl, &inode->i_flocks, list)
		if (fl->owner != f &&
		    (type == LOCK_EX || fl->type == LOCK_EX))
			return fl;
	return NULL;
}

static void flock_remove(struct inode *inode, struct file *f)
{
	struct file_lock *fl, *n;

	list_for_each_entry_safe(fl, n, &inode->i_flocks, list) {
		if (fl->owner == f) {
			list_del(&fl->list);
			kfree(fl);
		}
	}
	wake_up(&inode->i_lock_wait);
}

void locks_remove_flock(struct file *f)
{
	struct inode *inode = f->c.f_inode;

	if (!inode)
		return;
	if (!list_empty(&inode->i_flocks))
		flock_remove(inode, f);
	/* OFD locks belong to the open file too */
	if (!list_empty(&inode->i_posix_locks)) {
		posix_clear(inode, f, 0, OFFSET_MAX);
		wake_up(&inode->i_lock_wait);
	}
}

SYSCALL_DEFINE2(flock, unsigned int, fd, unsigned int, cmd)
{
	struct file *f = fdget((int)fd);
	struct inode *inode;
	struct file_lock *fl;
	int type = cmd & ~(unsigned int)LOCK_NB;
	long r;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	r = -EBADF;
	if (f->f_mode & FMODE_PATH)
		goto out;
	r = -EINVAL;
	if (type != LOCK_SH && type != LOCK_EX && type != LOCK_UN)
		goto out;
	inode = f->c.f_inode;
	/* a conversion drops the old lock first, as Linux does */
	flock_remove(inode, f);
	r = 0;
	if (type == LOCK_UN)
		goto out;
	while (flock_conflict(inode, f, type)) {
		if (cmd & LOCK_NB) {
			r = -EWOULDBLOCK;
			goto out;
		}
		r = wait_event_interruptible(inode->i_lock_wait,
					     !flock_conflict(inode, f, type));
		if (r)
			goto out;
	}
	fl = kzalloc(sizeof(*fl));
	r = -ENOLCK;
	if (!fl)
		goto out;
	fl->owner = f;
	fl->type = type;
	fl->pid = current->tgid;
	list_add_tail(&fl->list, &inode->i_flocks);
	r = 0;
out:
	fput(f);
	return r;
}
