// SPDX-License-Identifier: GPL-2.0
/*
 * inotify_init, inotify_init1, inotify_add_watch, inotify_rm_watch, and
 * the fsnotify hooks that feed them (kern/fsnotify.h).
 *
 * An inotify instance (a group) owns its watches; each watch pins its
 * inode and hangs on the inode's i_fsnotify_marks, which is all the VFS
 * hooks look at. An event is queued on the group as the struct
 * inotify_event the reader will get (name padded to 16 bytes); one equal
 * to the last queued one is dropped, as Linux merges them, and past
 * max_queued_events a single IN_Q_OVERFLOW stands for everything lost.
 *
 * Known difference: IN_DELETE_SELF comes when the last link goes, even if
 * the file is still open (Linux waits for the last close).
 */
#include "kern/vfs.h"
#include "kern/fsnotify.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define IN_CLOEXEC		O_CLOEXEC
#define IN_NONBLOCK		O_NONBLOCK
#define FIONREAD		0x541B
#define EVENT_SIZE		16	/* struct inotify_event without name */
#define MAX_QUEUED_EVENTS	INOTIFY_MAX_QUEUED_EVENTS
#define MAX_USER_INSTANCES	INOTIFY_MAX_USER_INSTANCES
#define MAX_USER_WATCHES	INOTIFY_MAX_USER_WATCHES

/* Bits a watch keeps beyond the events. */
#define WATCH_FLAGS		(IN_ONESHOT | IN_EXCL_UNLINK)
#define ALL_INOTIFY_BITS	(IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | \
				 IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW | \
				 IN_EXCL_UNLINK | IN_MASK_CREATE | \
				 IN_MASK_ADD | IN_ISDIR | IN_ONESHOT)

struct inotify_group {
	struct list_head watches;
	struct list_head events;
	unsigned int nevents;
	size_t bytes;			/* FIONREAD */
	int last_wd;
	uid_t uid;
	struct list_head all;		/* in groups, for the per-user limits */
	struct wait_queue_head wq;
};

struct inotify_watch {
	struct list_head i_link;	/* in inode->i_fsnotify_marks */
	struct list_head g_link;	/* in group->watches */
	struct inotify_group *group;
	struct inode *inode;		/* pinned */
	int wd;
	u32 mask;			/* events and WATCH_FLAGS */
};

struct inotify_kevent {
	struct list_head link;
	s32 wd;
	u32 mask;
	u32 cookie;
	u32 len;			/* padded name length */
	char name[];
};

static LIST_HEAD(groups);
static u32 next_cookie;

u32 fsnotify_get_cookie(void)
{
	return ++next_cookie;
}

static unsigned int user_count(uid_t uid, bool watches)
{
	struct inotify_group *g;
	unsigned int n = 0;

	list_for_each_entry(g, &groups, all) {
		struct inotify_watch *w;

		if (g->uid != uid)
			continue;
		if (!watches) {
			n++;
			continue;
		}
		list_for_each_entry(w, &g->watches, g_link)
			n++;
	}
	return n;
}

/* ---- the queue ---- */

static bool same_event(const struct inotify_kevent *a, s32 wd, u32 mask,
		       const char *name, unsigned int len)
{
	if (a->mask & IN_IGNORED)
		return false;
	if (a->wd != wd || a->mask != mask)
		return false;
	if (!name)
		return a->len == 0;
	return a->len && strlen(a->name) == len && !memcmp(a->name, name, len);
}

static void queue_event(struct inotify_group *g, s32 wd, u32 mask,
			u32 cookie, const char *name, unsigned int len)
{
	struct inotify_kevent *e, *last = NULL;
	u32 padded = name ? (u32)ALIGN(len + 1, EVENT_SIZE) : 0;

	if (!list_empty(&g->events))
		last = list_entry(g->events.prev, struct inotify_kevent, link);
	if (g->nevents >= MAX_QUEUED_EVENTS) {
		if (last && last->mask == IN_Q_OVERFLOW && last->wd == -1)
			return;
		wd = -1;
		mask = IN_Q_OVERFLOW;
		cookie = 0;
		name = NULL;
		padded = 0;
	} else if (last && same_event(last, wd, mask, name, len)) {
		return;
	}
	e = kzalloc(sizeof(*e) + padded);
	if (!e)
		return;		/* lost, as an overflow would lose it */
	e->wd = wd;
	e->mask = mask;
	e->cookie = cookie;
	e->len = padded;
	if (name)
		memcpy(e->name, name, len);
	list_add_tail(&e->link, &g->events);
	g->nevents++;
	g->bytes += EVENT_SIZE + padded;
	wake_up_poll(&g->wq, POLLIN | POLLRDNORM);
}

/* ---- watches ---- */

static void remove_watch(struct inotify_watch *w, bool tell)
{
	if (tell)
		queue_event(w->group, w->wd, IN_IGNORED, 0, NULL, 0);
	list_del(&w->i_link);
	list_del(&w->g_link);
	iput(w->inode);
	kfree(w);
}

/*
 * mask happened to the object inode stands for; name set: to the entry
 * name in the directory inode. unlinked: the entry is already gone (for
 * IN_EXCL_UNLINK).
 */
static void deliver(struct inode *inode, u32 mask, u32 cookie,
		    const char *name, unsigned int len, bool unlinked)
{
	struct inotify_watch *w, *n;

	igrab(inode);
	list_for_each_entry_safe(w, n, &inode->i_fsnotify_marks, i_link) {
		if (!(w->mask & mask & IN_ALL_EVENTS))
			continue;
		if (unlinked && (w->mask & IN_EXCL_UNLINK))
			continue;
		queue_event(w->group, w->wd, mask, cookie, name, len);
		if (w->mask & IN_ONESHOT)
			remove_watch(w, true);
	}
	iput(inode);
}

static u32 isdir_bit(const struct inode *inode)
{
	return inode && S_ISDIR(inode->i_mode) ? IN_ISDIR : 0;
}

void __fsnotify_dentry(struct dentry *d, u32 mask)
{
	struct inode *inode = d->d_inode;
	struct dentry *parent = d->d_parent;

	mask |= isdir_bit(inode);
	/* the directory hears first, then the object itself (Linux's order) */
	if (parent != d && fsnotify_watched(parent->d_inode))
		deliver(parent->d_inode, mask, 0, d->d_name.name,
			d->d_name.len, d_unhashed(d));
	if (fsnotify_watched(inode))
		deliver(inode, mask, 0, NULL, 0, false);
}

void __fsnotify_inode(struct inode *inode, u32 mask)
{
	deliver(inode, mask | isdir_bit(inode), 0, NULL, 0, false);
}

void __fsnotify_name(struct inode *dir, u32 mask, u32 cookie,
		     const char *name, unsigned int len)
{
	deliver(dir, mask, cookie, name, len, false);
}

void __fsnotify_inode_delete(struct inode *inode)
{
	igrab(inode);
	deliver(inode, IN_DELETE_SELF, 0, NULL, 0, false);
	while (!list_empty(&inode->i_fsnotify_marks))
		remove_watch(list_first_entry(&inode->i_fsnotify_marks,
					      struct inotify_watch, i_link),
			     true);
	iput(inode);
}

void fsnotify_sb_delete(struct super_block *sb)
{
	struct inode *inode;

again:
	list_for_each_entry(inode, &sb->s_inodes_list, i_sb_list) {
		struct inotify_watch *w;

		if (!fsnotify_watched(inode))
			continue;
		igrab(inode);
		/* every watch hears of the unmount, whatever its mask */
		list_for_each_entry(w, &inode->i_fsnotify_marks, i_link)
			queue_event(w->group, w->wd, IN_UNMOUNT, 0, NULL, 0);
		while (!list_empty(&inode->i_fsnotify_marks))
			remove_watch(list_first_entry(&inode->i_fsnotify_marks,
						      struct inotify_watch,
						      i_link), true);
		iput(inode);
		goto again;
	}
}

void fsnotify_move(struct inode *odir, const char *oldname, unsigned int olen,
		   struct inode *ndir, const char *newname, unsigned int nlen,
		   struct inode *moved, struct inode *target)
{
	u32 isdir = isdir_bit(moved), cookie;

	if (!fsnotify_watched(odir) && !fsnotify_watched(ndir) &&
	    !fsnotify_watched(moved) && !fsnotify_watched(target))
		return;
	cookie = fsnotify_get_cookie();
	if (fsnotify_watched(odir))
		deliver(odir, IN_MOVED_FROM | isdir, cookie, oldname, olen,
			false);
	if (fsnotify_watched(ndir))
		deliver(ndir, IN_MOVED_TO | isdir, cookie, newname, nlen, false);
	if (fsnotify_watched(target))
		__fsnotify_inode(target, IN_ATTRIB);
	if (fsnotify_watched(moved))
		__fsnotify_inode(moved, IN_MOVE_SELF);
	if (fsnotify_watched(target) &&
	    (!target->i_nlink || S_ISDIR(target->i_mode)))
		__fsnotify_inode_delete(target);
}

/* ---- the file ---- */

static ssize_t inotify_read(struct file *f, uaddr_t buf, size_t len,
			    loff_t *pos)
{
	struct inotify_group *g = f->c.private_data;
	size_t done = 0;
	long r;

	(void)pos;
	if (list_empty(&g->events)) {
		if (f->c.f_flags & O_NONBLOCK)
			return -EAGAIN;
		r = wait_event_interruptible(g->wq, !list_empty(&g->events));
		if (r)
			return r;
	}
	while (!list_empty(&g->events)) {
		struct inotify_kevent *e = list_first_entry(&g->events,
				struct inotify_kevent, link);
		size_t size = EVENT_SIZE + e->len;

		if (size > len - done) {
			if (!done)
				return -EINVAL;
			break;
		}
		/* wd, mask, cookie, len, then the name: our layout is theirs */
		if (copy_to_user(buf + done, &e->wd, size))
			return done ? (ssize_t)done : -EFAULT;
		done += size;
		list_del(&e->link);
		g->nevents--;
		g->bytes -= size;
		kfree(e);
	}
	return (ssize_t)done;
}

static unsigned int inotify_poll(struct file *f, struct poll_table *pt)
{
	struct inotify_group *g = f->c.private_data;

	poll_wait(f, &g->wq, pt);
	return list_empty(&g->events) ? 0 : POLLIN | POLLRDNORM;
}

static long inotify_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct inotify_group *g = f->c.private_data;
	int n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	n = (int)g->bytes;
	return copy_to_user(arg, &n, sizeof(n)) ? -EFAULT : 0;
}

static void inotify_release(struct inode *inode, struct file *f)
{
	struct inotify_group *g = f->c.private_data;

	(void)inode;
	while (!list_empty(&g->watches))
		remove_watch(list_first_entry(&g->watches,
					      struct inotify_watch, g_link),
			     false);
	while (!list_empty(&g->events)) {
		struct inotify_kevent *e = list_first_entry(&g->events,
				struct inotify_kevent, link);

		list_del(&e->link);
		kfree(e);
	}
	list_del(&g->all);
	kfree(g);
}

static u32 user_mask(const struct inotify_watch *w)
{
	return w->mask & (IN_ALL_EVENTS | WATCH_FLAGS);
}

static int inotify_show_fdinfo(struct file *f, struct seq *s)
{
	struct inotify_group *g = f->c.private_data;
	struct inotify_watch *w;
	int r = 0;

	list_for_each_entry(w, &g->watches, g_link) {
		r = seq_printf(s, "inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:0\n",
			       w->wd, w->inode->i_ino,
			       (unsigned int)encode_dev_user(
				       w->inode->i_sb->s_dev),
			       user_mask(w));
		if (r)
			break;
	}
	return r;
}

static const struct file_operations inotify_fops = {
	.read = inotify_read,
	.poll = inotify_poll,
	.ioctl = inotify_ioctl,
	.release = inotify_release,
	.llseek = no_llseek,
	.show_fdinfo = inotify_show_fdinfo,
};

static long do_inotify_init(int flags)
{
	struct inotify_group *g;
	int fd;

	if (flags & ~(IN_CLOEXEC | IN_NONBLOCK))
		return -EINVAL;
	if (user_count(current->cred->uid, false) >= MAX_USER_INSTANCES)
		return -EMFILE;
	g = kzalloc(sizeof(*g));
	if (!g)
		return -ENOMEM;
	INIT_LIST_HEAD(&g->watches);
	INIT_LIST_HEAD(&g->events);
	init_waitqueue_head(&g->wq);
	g->uid = current->cred->uid;
	list_add_tail(&g->all, &groups);
	fd = anon_inode_getfd("inotify", &inotify_fops, g,
			      O_RDONLY | (flags & (O_NONBLOCK | O_CLOEXEC)));
	if (fd < 0) {
		list_del(&g->all);
		kfree(g);
	}
	return fd;
}

SYSCALL_DEFINE1(inotify_init1, int, flags)
{
	return do_inotify_init(flags);
}

SYSCALL_DEFINE0(inotify_init)
{
	return do_inotify_init(0);
}

static struct inotify_group *group_of(struct file *f)
{
	return f->c.f_op == &inotify_fops ? f->c.private_data : NULL;
}

static int alloc_wd(struct inotify_group *g)
{
	for (;;) {
		struct inotify_watch *w;
		bool used = false;

		g->last_wd = g->last_wd >= 0x7fffffff ? 1 : g->last_wd + 1;
		list_for_each_entry(w, &g->watches, g_link)
			if (w->wd == g->last_wd)
				used = true;
		if (!used)
			return g->last_wd;
	}
}

static long add_watch(struct inotify_group *g, struct inode *inode, u32 mask)
{
	struct inotify_watch *w;
	u32 bits = mask & (IN_ALL_EVENTS | WATCH_FLAGS);

	list_for_each_entry(w, &g->watches, g_link) {
		if (w->inode != inode)
			continue;
		if (mask & IN_MASK_CREATE)
			return -EEXIST;
		w->mask = (mask & IN_MASK_ADD) ? w->mask | bits : bits;
		return w->wd;
	}
	if (user_count(g->uid, true) >= MAX_USER_WATCHES)
		return -ENOSPC;
	w = kzalloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->group = g;
	w->inode = igrab(inode);
	w->mask = bits;
	w->wd = alloc_wd(g);
	list_add_tail(&w->g_link, &g->watches);
	list_add_tail(&w->i_link, &inode->i_fsnotify_marks);
	return w->wd;
}

SYSCALL_DEFINE3(inotify_add_watch, int, fd, uaddr_t, pathname, u32, mask)
{
	struct inotify_group *g;
	unsigned int flags = 0;
	struct file *f;
	struct path p;
	long r;

	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	if (!(mask & ALL_INOTIFY_BITS))
		return -EINVAL;
	f = fdget(fd);
	if (!f)
		return -EBADF;
	r = -EINVAL;
	g = group_of(f);
	if (!g)
		goto out;
	if (!(mask & IN_DONT_FOLLOW))
		flags |= LOOKUP_FOLLOW;
	if (mask & IN_ONLYDIR)
		flags |= LOOKUP_DIRECTORY;
	r = user_path_at(AT_FDCWD, pathname, flags, &p);
	if (r)
		goto out;
	r = inode_permission(p.dentry->d_inode, MAY_READ);
	if (!r)
		r = add_watch(g, p.dentry->d_inode, mask);
	path_put(&p);
out:
	fput(f);
	return r;
}

SYSCALL_DEFINE2(inotify_rm_watch, int, fd, s32, wd)
{
	struct inotify_group *g;
	struct inotify_watch *w;
	struct file *f;
	long r = -EINVAL;

	f = fdget(fd);
	if (!f)
		return -EBADF;
	g = group_of(f);
	if (g) {
		list_for_each_entry(w, &g->watches, g_link) {
			if (w->wd == wd) {
				remove_watch(w, true);
				r = 0;
				break;
			}
		}
	}
	fput(f);
	return r;
}
