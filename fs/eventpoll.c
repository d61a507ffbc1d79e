// SPDX-License-Identifier: GPL-2.0
/*
 * epoll: epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait,
 * epoll_pwait2.
 *
 * An epoll set keeps one item per (file, fd) it watches. Adding an item
 * polls the file with a table whose qproc hangs a callback entry on each
 * wait queue the file names (poll_wait), so any wake-up of that queue puts
 * the item on the set's ready list and wakes the set's waiters, with no
 * task of ours asleep there. epoll_wait takes items off the ready list,
 * asks each file again what is ready (a wake-up is only a hint) and
 * reports what the item asked for; level-triggered items go back on the
 * list to be asked again next time, edge-triggered ones wait for the next
 * wake-up, one-shot ones are disabled until EPOLL_CTL_MOD.
 *
 * An item does not keep its file open: when the file's last reference
 * goes (fput), eventpoll_release_file() removes it from every set, as in
 * Linux, whatever fds still name the set.
 *
 * Sets may watch sets. A set is pollable like any file, and adding one
 * to another is refused with ELOOP if it would close a cycle or nest
 * deeper than EP_MAX_NESTS, which also bounds the recursion of the
 * wake-up callbacks and of the readiness checks.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/signal.h"
#include "kern/time.h"

#define EPOLL_CLOEXEC	O_CLOEXEC
#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

#define EP_MAX_NESTS	4
#define EP_PRIVATE_BITS	(EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | \
			 EPOLLEXCLUSIVE)
#define EPOLLINOUT_BITS	(POLLIN | POLLOUT)
#define EPOLLEXCLUSIVE_OK_BITS (EPOLLINOUT_BITS | POLLERR | POLLHUP | \
				EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)
/* struct epoll_event is packed on x86-64: 12 bytes. */
#define EP_MAX_EVENTS	(0x7fffffff / 12)
#define CAP_BLOCK_SUSPEND 36

struct epoll_event {
	u32 events;
	u64 data;
} __attribute__((packed));

struct eventpoll {
	struct list_head items;		/* every epitem of the set */
	struct list_head rdllist;	/* the ones that may be ready */
	struct wait_queue_head wq;	/* epoll_wait sleepers */
	struct wait_queue_head poll_wq;	/* poll/select/epoll on the set */
	struct file *file;
	bool visited;			/* ELOOP check in progress */
};

/* One callback entry on one wait queue of the watched file. */
struct ep_pwq {
	struct wait_queue_entry w;
	struct wait_queue_head *wq;
	struct ep_pwq *next;
};

struct epitem {
	struct list_head ep_link;	/* in ep->items */
	struct list_head rdl_link;	/* in ep->rdllist while ready */
	bool ready;
	struct list_head f_link;	/* in file->f_ep_links */
	struct eventpoll *ep;
	struct file *file;
	int fd;
	u32 events;
	u64 data;
	struct ep_pwq *pwqs;
};

struct ep_pqueue {
	struct poll_table pt;
	struct epitem *epi;
};

static const struct file_operations eventpoll_fops;

static bool is_file_epoll(struct file *f)
{
	return f->c.f_op == &eventpoll_fops;
}

static void ep_set_ready(struct epitem *epi)
{
	if (!epi->ready) {
		list_add_tail(&epi->rdl_link, &epi->ep->rdllist);
		epi->ready = true;
	}
}

static void ep_unset_ready(struct epitem *epi)
{
	if (epi->ready) {
		list_del(&epi->rdl_link);
		epi->ready = false;
	}
}

static void ep_wake_waiters(struct eventpoll *ep)
{
	wake_up(&ep->wq);
	wake_up_poll(&ep->poll_wq, POLLIN | POLLRDNORM);
}

/* A wait queue of a watched file was woken. */
static void ep_callback(struct wait_queue_entry *w, unsigned int key)
{
	struct epitem *epi = w->private;

	/* disabled (one-shot, already reported): nothing until MOD */
	if (!(epi->events & ~EP_PRIVATE_BITS))
		return;
	if (key && !(key & epi->events))
		return;
	ep_set_ready(epi);
	ep_wake_waiters(epi->ep);
}

static void ep_ptable_queue(struct file *f, struct wait_queue_head *wq,
			    struct poll_table *pt)
{
	struct ep_pqueue *pq = container_of(pt, struct ep_pqueue, pt);
	struct ep_pwq *pwq;

	(void)f;
	pwq = kzalloc(sizeof(*pwq));
	if (!pwq) {
		pt->err = -ENOMEM;
		return;
	}
	INIT_LIST_HEAD(&pwq->w.link);
	pwq->w.func = ep_callback;
	pwq->w.private = pq->epi;
	pwq->wq = wq;
	prepare_to_wait(wq, &pwq->w);
	pwq->next = pq->epi->pwqs;
	pq->epi->pwqs = pwq;
}

static unsigned int ep_item_poll(struct epitem *epi)
{
	return vfs_poll(epi->file, NULL) & epi->events;
}

static void ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	while (epi->pwqs) {
		struct ep_pwq *pwq = epi->pwqs;

		epi->pwqs = pwq->next;
		finish_wait(pwq->wq, &pwq->w);
		kfree(pwq);
	}
	ep_unset_ready(epi);
	list_del(&epi->ep_link);
	list_del(&epi->f_link);
	(void)ep;
	kfree(epi);
}

void eventpoll_release_file(struct file *f)
{
	while (!list_empty(&f->f_ep_links)) {
		struct epitem *epi = list_first_entry(&f->f_ep_links,
						      struct epitem, f_link);

		ep_remove(epi->ep, epi);
	}
}

static struct epitem *ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	struct epitem *epi;

	list_for_each_entry(epi, &ep->items, ep_link)
		if (epi->file == f && epi->fd == fd)
			return epi;
	return NULL;
}

/* ---- nesting ---- */

/* Is target reachable from ep through sets in sets? */
static bool ep_reaches(struct eventpoll *ep, struct eventpoll *target)
{
	struct epitem *epi;
	bool found = false;

	if (ep == target)
		return true;
	if (ep->visited)
		return false;
	ep->visited = true;
	list_for_each_entry(epi, &ep->items, ep_link) {
		if (is_file_epoll(epi->file) &&
		    ep_reaches(epi->file->c.private_data, target)) {
			found = true;
			break;
		}
	}
	ep->visited = false;
	return found;
}

/* Sets nested below ep (0: it watches no set). */
static int ep_depth_down(struct eventpoll *ep)
{
	struct epitem *epi;
	int d = 0;

	list_for_each_entry(epi, &ep->items, ep_link) {
		if (is_file_epoll(epi->file)) {
			int sub = 1 + ep_depth_down(epi->file->c.private_data);

			if (sub > d)
				d = sub;
		}
	}
	return d;
}

/* Sets ep is nested in, above it. */
static int ep_depth_up(struct eventpoll *ep)
{
	struct epitem *epi;
	int d = 0;

	list_for_each_entry(epi, &ep->file->f_ep_links, f_link) {
		int sub = 1 + ep_depth_up(epi->ep);

		if (sub > d)
			d = sub;
	}
	return d;
}

/* ---- epoll_ctl ---- */

static int ep_insert(struct eventpoll *ep, const struct epoll_event *ev,
		     struct file *tf, int fd)
{
	struct ep_pqueue pq;
	struct epitem *epi;
	unsigned int revents;

	epi = kzalloc(sizeof(*epi));
	if (!epi)
		return -ENOMEM;
	epi->ep = ep;
	epi->file = tf;
	epi->fd = fd;
	epi->events = ev->events;
	epi->data = ev->data;
	INIT_LIST_HEAD(&epi->rdl_link);
	list_add_tail(&epi->ep_link, &ep->items);
	list_add_tail(&epi->f_link, &tf->f_ep_links);
	pq.pt.qproc = ep_ptable_queue;
	pq.pt.blocks = NULL;
	pq.pt.err = 0;
	pq.epi = epi;
	revents = vfs_poll(tf, &pq.pt) & epi->events;
	if (pq.pt.err) {
		ep_remove(ep, epi);
		return pq.pt.err;
	}
	if (revents) {
		ep_set_ready(epi);
		ep_wake_waiters(ep);
	}
	return 0;
}

static int ep_modify(struct epitem *epi, const struct epoll_event *ev)
{
	epi->events = ev->events;
	epi->data = ev->data;
	if (ep_item_poll(epi)) {
		ep_set_ready(epi);
		ep_wake_waiters(epi->ep);
	}
	return 0;
}

static long do_epoll_ctl(int epfd, int op, int fd, uaddr_t uevent)
{
	struct epoll_event ev = { 0, 0 };
	struct file *f, *tf;
	struct eventpoll *ep;
	struct epitem *epi;
	long r;

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, uevent, sizeof(ev)))
		return -EFAULT;
	f = fdget(epfd);
	if (!f)
		return -EBADF;
	tf = fdget(fd);
	r = -EBADF;
	if (!tf)
		goto out_f;
	r = -EPERM;
	if (!file_can_poll(tf))
		goto out_tf;
	if (op != EPOLL_CTL_DEL && !capable(CAP_BLOCK_SUSPEND))
		ev.events &= ~EPOLLWAKEUP;
	r = -EINVAL;
	if (f == tf || !is_file_epoll(f))
		goto out_tf;
	if (ev.events & EPOLLEXCLUSIVE) {
		if (op == EPOLL_CTL_MOD)
			goto out_tf;
		if (op == EPOLL_CTL_ADD &&
		    (is_file_epoll(tf) ||
		     (ev.events & ~EPOLLEXCLUSIVE_OK_BITS)))
			goto out_tf;
	}
	ep = f->c.private_data;
	if (op == EPOLL_CTL_ADD && is_file_epoll(tf)) {
		struct eventpoll *tep = tf->c.private_data;

		r = -ELOOP;
		if (ep_reaches(tep, ep) ||
		    ep_depth_up(ep) + 1 + ep_depth_down(tep) > EP_MAX_NESTS)
			goto out_tf;
	}
	epi = ep_find(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		ev.events |= POLLERR | POLLHUP;
		r = epi ? -EEXIST : ep_insert(ep, &ev, tf, fd);
		break;
	case EPOLL_CTL_DEL:
		r = -ENOENT;
		if (epi) {
			ep_remove(ep, epi);
			r = 0;
		}
		break;
	case EPOLL_CTL_MOD:
		r = -ENOENT;
		if (epi) {
			r = -EINVAL;
			if (!(epi->events & EPOLLEXCLUSIVE)) {
				ev.events |= POLLERR | POLLHUP;
				r = ep_modify(epi, &ev);
			}
		}
		break;
	default:
		r = -EINVAL;
		break;
	}
out_tf:
	fput(tf);
out_f:
	fput(f);
	return r;
}

SYSCALL_DEFINE4(epoll_ctl, int, epfd, int, op, int, fd, uaddr_t, event)
{
	return do_epoll_ctl(epfd, op, fd, event);
}

/* ---- the set as a file ---- */

static bool ep_has_events(struct eventpoll *ep)
{
	struct epitem *epi;

	list_for_each_entry(epi, &ep->rdllist, rdl_link)
		if (ep_item_poll(epi))
			return true;
	return false;
}

static unsigned int ep_eventpoll_poll(struct file *f, struct poll_table *pt)
{
	struct eventpoll *ep = f->c.private_data;

	poll_wait(f, &ep->poll_wq, pt);
	return ep_has_events(ep) ? POLLIN | POLLRDNORM : 0;
}

static void ep_eventpoll_release(struct inode *inode, struct file *f)
{
	struct eventpoll *ep = f->c.private_data;

	(void)inode;
	if (!ep)
		return;
	while (!list_empty(&ep->items))
		ep_remove(ep, list_first_entry(&ep->items, struct epitem,
					       ep_link));
	kfree(ep);
}

static int ep_show_fdinfo(struct file *f, struct seq *s)
{
	struct eventpoll *ep = f->c.private_data;
	struct epitem *epi;
	int r = 0;

	list_for_each_entry(epi, &ep->items, ep_link) {
		struct inode *inode = epi->file->c.f_inode;
		unsigned int sdev = inode ?
			(unsigned int)encode_dev_user(inode->i_sb->s_dev) : 0;

		r = seq_printf(s, "tfd: %8d events: %8x data: %16llx  pos:%lli ino:%lx sdev:%x\n",
			       epi->fd, epi->events,
			       (unsigned long long)epi->data,
			       (long long)epi->file->c.f_pos,
			       inode ? inode->i_ino : 0UL, sdev);
		if (r)
			break;
	}
	return r;
}

static const struct file_operations eventpoll_fops = {
	.poll = ep_eventpoll_poll,
	.release = ep_eventpoll_release,
	.llseek = no_llseek,
	.show_fdinfo = ep_show_fdinfo,
};

static long do_epoll_create(int flags)
{
	struct eventpoll *ep;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	INIT_LIST_HEAD(&ep->items);
	INIT_LIST_HEAD(&ep->rdllist);
	init_waitqueue_head(&ep->wq);
	init_waitqueue_head(&ep->poll_wq);
	fd = anon_inode_getfd("[eventpoll]", &eventpoll_fops, ep,
			      O_RDWR | (flags & O_CLOEXEC));
	if (fd < 0) {
		kfree(ep);
		return fd;
	}
	ep->file = fd_lookup(current->files, fd);
	return fd;
}

SYSCALL_DEFINE1(epoll_create1, int, flags)
{
	return do_epoll_create(flags);
}

SYSCALL_DEFINE1(epoll_create, int, size)
{
	if (size <= 0)
		return -EINVAL;
	return do_epoll_create(0);
}

/* ---- epoll_wait ---- */

/* Reports up to max ready events; 0 if none after all, or -EFAULT. */
static long ep_send_events(struct eventpoll *ep, uaddr_t uevents, int max)
{
	LIST_HEAD(again);
	long count = 0;

	while (count < max && !list_empty(&ep->rdllist)) {
		struct epitem *epi = list_first_entry(&ep->rdllist,
						      struct epitem, rdl_link);
		struct epoll_event ev;

		ep_unset_ready(epi);
		ev.events = ep_item_poll(epi);
		if (!ev.events)
			continue;
		ev.data = epi->data;
		if (copy_to_user(uevents + (uaddr_t)count * sizeof(ev), &ev,
				 sizeof(ev))) {
			list_add(&epi->rdl_link, &ep->rdllist);
			epi->ready = true;
			if (!count)
				count = -EFAULT;
			break;
		}
		count++;
		if (epi->events & EPOLLONESHOT) {
			epi->events &= EP_PRIVATE_BITS;
		} else if (!(epi->events & EPOLLET)) {
			/* level-triggered: ask again next time */
			list_add_tail(&epi->rdl_link, &again);
			epi->ready = true;
		}
	}
	while (!list_empty(&again))
		list_move_tail(again.next, &ep->rdllist);
	return count;
}

/* deadline: CLOCK_MONOTONIC ns, 0 = none; immediate: do not sleep. */
static long do_epoll_wait(int epfd, uaddr_t uevents, int maxevents,
			  u64 deadline, bool immediate)
{
	struct eventpoll *ep;
	struct file *f;
	long r;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!access_ok(uevents, (size_t)maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	f = fdget(epfd);
	if (!f)
		return -EBADF;
	r = -EINVAL;
	if (!is_file_epoll(f))
		goto out;
	ep = f->c.private_data;
	for (;;) {
		DEFINE_WAIT(w);

		r = ep_send_events(ep, uevents, maxevents);
		if (r || immediate)
			break;
		if (signal_pending(current)) {
			r = -EINTR;
			break;
		}
		prepare_to_wait(&ep->wq, &w);
		if (list_empty(&ep->rdllist) &&
		    schedule_timeout(deadline) == -ETIMEDOUT)
			immediate = true;	/* one last look */
		finish_wait(&ep->wq, &w);
		if (deadline && ktime_get_ns() >= deadline)
			immediate = true;
	}
out:
	fput(f);
	return r;
}

static u64 ms_deadline(int timeout, bool *immediate)
{
	*immediate = timeout == 0;
	if (timeout <= 0)
		return 0;
	return ktime_get_ns() + (u64)timeout * NSEC_PER_MSEC;
}

SYSCALL_DEFINE4(epoll_wait, int, epfd, uaddr_t, events, int, maxevents,
		int, timeout)
{
	bool immediate;
	u64 deadline = ms_deadline(timeout, &immediate);

	return do_epoll_wait(epfd, events, maxevents, deadline, immediate);
}

/*
 * The mask holds while waiting; the signal code puts the old one back on
 * the way out (after running a handler, when one interrupted the wait).
 */
static int ep_set_sigmask(uaddr_t usig, size_t size)
{
	ksigset_t mask;

	if (!usig)
		return 0;
	if (size != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, usig, sizeof(mask)))
		return -EFAULT;
	mask &= ~KERNEL_ONLY_MASK;
	current->saved_sigmask = current->blocked;
	current->restore_sigmask = true;
	current->blocked = mask;
	return 0;
}

SYSCALL_DEFINE6(epoll_pwait, int, epfd, uaddr_t, events, int, maxevents,
		int, timeout, uaddr_t, sigmask, size_t, sigsetsize)
{
	bool immediate;
	u64 deadline = ms_deadline(timeout, &immediate);
	int r = ep_set_sigmask(sigmask, sigsetsize);

	if (r)
		return r;
	return do_epoll_wait(epfd, events, maxevents, deadline, immediate);
}

SYSCALL_DEFINE6(epoll_pwait2, int, epfd, uaddr_t, events, int, maxevents,
		uaddr_t, uts, uaddr_t, sigmask, size_t, sigsetsize)
{
	struct ktimespec ts;
	bool immediate = false;
	u64 deadline = 0;
	int r;

	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (!ts_valid(&ts))
			return -EINVAL;
		if (!ts.tv_sec && !ts.tv_nsec)
			immediate = true;
		else if (ts.tv_sec < 100LL * 365 * 86400)
			deadline = ktime_get_ns() + ts_to_ns(&ts);
	}
	r = ep_set_sigmask(sigmask, sigsetsize);
	if (r)
		return r;
	return do_epoll_wait(epfd, events, maxevents, deadline, immediate);
}
