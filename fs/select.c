// SPDX-License-Identifier: GPL-2.0
/*
 * poll, ppoll, select, pselect6.
 *
 * Each pass asks every file for its event mask through f_op->poll, which
 * also queues the task on the file's wait queues (poll_wait). If nothing is
 * ready the task sleeps until one of those queues is woken, a signal comes
 * or the deadline passes, then everything is asked again.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/signal.h"

#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
#define ENTRIES_PER_BLOCK 32

struct poll_entry {
	struct wait_queue_head *wq;
	struct wait_queue_entry w;
};

/* Entries never move once queued, so they come in fixed blocks. */
struct poll_block {
	struct poll_block *next;
	int used;
	struct poll_entry e[ENTRIES_PER_BLOCK];
};

void poll_wait(struct file *f, struct wait_queue_head *wq, struct poll_table *pt)
{
	struct poll_block *b;
	struct poll_entry *e;

	if (!pt || !wq)
		return;
	if (pt->qproc) {
		pt->qproc(f, wq, pt);
		return;
	}
	if (!current)
		return;
	b = pt->blocks;
	if (!b || b->used == ENTRIES_PER_BLOCK) {
		b = kzalloc(sizeof(*b));
		if (!b) {
			pt->err = -ENOMEM;
			return;
		}
		b->next = pt->blocks;
		pt->blocks = b;
	}
	e = &b->e[b->used++];
	e->wq = wq;
	e->w.task = current;
	INIT_LIST_HEAD(&e->w.link);
	e->w.queued = false;
	e->w.func = NULL;
	prepare_to_wait(wq, &e->w);
}

static void poll_free(struct poll_table *pt)
{
	while (pt->blocks) {
		struct poll_block *b = pt->blocks;

		pt->blocks = b->next;
		for (int i = 0; i < b->used; i++)
			finish_wait(b->e[i].wq, &b->e[i].w);
		kfree(b);
	}
}

unsigned int vfs_poll(struct file *f, struct poll_table *pt)
{
	if (f->f_mode & FMODE_PATH)
		return POLLNVAL;
	if (!f->c.f_op->poll)
		return DEFAULT_POLLMASK;
	return f->c.f_op->poll(f, pt);
}

bool file_can_poll(struct file *f)
{
	return !(f->f_mode & FMODE_PATH) && f->c.f_op->poll;
}

struct kpollfd {
	int fd;
	short events;
	short revents;
};

static u64 deadline_from_ms(long ms)
{
	if (ms < 0)
		return 0;
	return ktime_get_ns() + (u64)ms * 1000000ULL;
}

/* deadline 0: none; expired: the deadline has passed. */
static bool expired(u64 deadline)
{
	return deadline && ktime_get_ns() >= deadline;
}

static long do_poll(struct kpollfd *fds, unsigned int nfds, u64 deadline,
		    bool immediate)
{
	struct poll_table pt;
	long count;

	for (;;) {
		pt.qproc = NULL;
		pt.blocks = NULL;
		pt.err = 0;
		count = 0;
		for (unsigned int i = 0; i < nfds; i++) {
			struct file *f;
			unsigned int mask;

			fds[i].revents = 0;
			if (fds[i].fd < 0)
				continue;
			f = fdget(fds[i].fd);
			if (!f) {
				fds[i].revents = POLLNVAL;
				count++;
				continue;
			}
			mask = vfs_poll(f, immediate ? NULL : &pt);
			fput(f);
			mask &= (unsigned int)(u16)fds[i].events |
				POLLERR | POLLHUP | POLLNVAL;
			fds[i].revents = (short)mask;
			if (mask)
				count++;
		}
		if (count || immediate || pt.err) {
			poll_free(&pt);
			return count ? count : pt.err;
		}
		if (signal_pending(current)) {
			poll_free(&pt);
			return -ERESTARTNOHAND;
		}
		if (schedule_timeout(deadline) == -ETIMEDOUT || expired(deadline)) {
			poll_free(&pt);
			immediate = true;	/* one last look */
			continue;
		}
		poll_free(&pt);
	}
}

static long poll_common(uaddr_t ufds, unsigned int nfds, u64 deadline,
			bool immediate)
{
	struct kpollfd *fds;
	long r;

	if (nfds > task_rlimit(current, RLIMIT_NOFILE) || nfds > 1048576)
		return -EINVAL;
	fds = kmalloc(nfds ? nfds * sizeof(*fds) : 1);
	if (!fds)
		return -ENOMEM;
	if (copy_from_user(fds, ufds, nfds * sizeof(*fds))) {
		kfree(fds);
		return -EFAULT;
	}
	r = do_poll(fds, nfds, deadline, immediate);
	if (r >= 0) {
		for (unsigned int i = 0; i < nfds; i++) {
			if (copy_to_user(ufds + i * sizeof(*fds) +
					 offsetof(struct kpollfd, revents),
					 &fds[i].revents, sizeof(short))) {
				r = -EFAULT;
				break;
			}
		}
	}
	kfree(fds);
	return r;
}

SYSCALL_DEFINE3(poll, uaddr_t, ufds, unsigned int, nfds, int, timeout)
{
	return poll_common(ufds, nfds, deadline_from_ms(timeout), timeout == 0);
}

struct ktimespec {
	s64 tv_sec;
	long tv_nsec;
};

static int ts_deadline(uaddr_t uts, u64 *deadline, bool *immediate)
{
	struct ktimespec ts;

	*deadline = 0;
	*immediate = false;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		return -EINVAL;
	if (!ts.tv_sec && !ts.tv_nsec) {
		*immediate = true;
		return 0;
	}
	if (ts.tv_sec > 100LL * 365 * 86400)
		return 0;	/* practically forever */
	*deadline = ktime_get_ns() + (u64)ts.tv_sec * 1000000000ULL +
		    (u64)ts.tv_nsec;
	return 0;
}

/* The time left, written back as Linux does (ignoring faults). */
static void ts_remaining(uaddr_t uts, u64 deadline)
{
	struct ktimespec ts = { 0, 0 };
	u64 now = ktime_get_ns();

	if (!uts || !deadline)
		return;
	if (deadline > now) {
		ts.tv_sec = (s64)((deadline - now) / 1000000000ULL);
		ts.tv_nsec = (long)((deadline - now) % 1000000000ULL);
	}
	copy_to_user(uts, &ts, sizeof(ts));
}

/* ppoll/pselect6: the mask holds during the wait; signal code restores. */
static int set_temp_sigmask(uaddr_t usig, size_t size)
{
	ksigset_t mask;

	if (!usig)
		return 0;
	if (size != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, usig, sizeof(mask)))
		return -EFAULT;
	mask &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	current->saved_sigmask = current->blocked;
	current->restore_sigmask = true;
	current->blocked = mask;
	return 0;
}

SYSCALL_DEFINE5(ppoll, uaddr_t, ufds, unsigned int, nfds, uaddr_t, tsp,
		uaddr_t, sigmask_p, size_t, sigsetsize)
{
	u64 deadline;
	bool immediate;
	long r;

	r = ts_deadline(tsp, &deadline, &immediate);
	if (r)
		return r;
	r = set_temp_sigmask(sigmask_p, sigsetsize);
	if (r)
		return r;
	r = poll_common(ufds, nfds, deadline, immediate);
	ts_remaining(tsp, deadline);
	return r;
}

/* select: fd_set bitmaps of n bits, up to the fd table size */
#define POLLIN_SET	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET	(POLLPRI)

static long do_select(int n, uaddr_t inp, uaddr_t outp, uaddr_t exp,
		      u64 deadline, bool immediate)
{
	size_t words, bytes;
	u64 *in = NULL, *out = NULL, *ex = NULL, *rin, *rout, *rex;
	struct poll_table pt;
	long r, count;
	int max;

	if (n < 0)
		return -EINVAL;
	max = files_count_max(current->files);
	if (n > max)
		n = max;
	words = DIV_ROUND_UP((size_t)n, 64);
	bytes = words * 8;
	in = kzalloc(bytes * 6 + 8);
	if (!in)
		return -ENOMEM;
	out = in + words;
	ex = out + words;
	rin = ex + words;
	rout = rin + words;
	rex = rout + words;
	r = -EFAULT;
	if ((inp && copy_from_user(in, inp, bytes)) ||
	    (outp && copy_from_user(out, outp, bytes)) ||
	    (exp && copy_from_user(ex, exp, bytes)))
		goto done;
	/* bits past n are not ours to look at */
	if (n % 64) {
		u64 keep = (1ULL << (n % 64)) - 1;

		in[words - 1] &= keep;
		out[words - 1] &= keep;
		ex[words - 1] &= keep;
	}
	/* every fd asked about must be open */
	for (int fd = 0; fd < n; fd++) {
		u64 bit = 1ULL << (fd % 64);
		size_t w = (size_t)fd / 64;

		if (!((in[w] | out[w] | ex[w]) & bit))
			continue;
		if (!fd_lookup(current->files, fd)) {
			r = -EBADF;
			goto done;
		}
	}
	for (;;) {
		pt.qproc = NULL;
		pt.blocks = NULL;
		pt.err = 0;
		count = 0;
		memset(rin, 0, bytes * 3);
		for (int fd = 0; fd < n; fd++) {
			u64 bit = 1ULL << (fd % 64);
			size_t w = (size_t)fd / 64;
			struct file *f;
			unsigned int mask;

			if (!((in[w] | out[w] | ex[w]) & bit))
				continue;
			f = fdget(fd);
			if (!f) {
				poll_free(&pt);
				r = -EBADF;
				goto done;
			}
			mask = vfs_poll(f, immediate ? NULL : &pt);
			fput(f);
			if ((in[w] & bit) && (mask & POLLIN_SET)) {
				rin[w] |= bit;
				count++;
			}
			if ((out[w] & bit) && (mask & POLLOUT_SET)) {
				rout[w] |= bit;
				count++;
			}
			if ((ex[w] & bit) && (mask & POLLEX_SET)) {
				rex[w] |= bit;
				count++;
			}
		}
		if (count || immediate || pt.err) {
			poll_free(&pt);
			r = count ? count : pt.err;
			break;
		}
		if (signal_pending(current)) {
			poll_free(&pt);
			r = -ERESTARTNOHAND;
			goto done;
		}
		if (schedule_timeout(deadline) == -ETIMEDOUT ||
		    expired(deadline))
			immediate = true;
		poll_free(&pt);
	}
	if ((inp && copy_to_user(inp, rin, bytes)) ||
	    (outp && copy_to_user(outp, rout, bytes)) ||
	    (exp && copy_to_user(exp, rex, bytes)))
		r = -EFAULT;
done:
	kfree(in);
	return r;
}

struct ktimeval {
	s64 tv_sec;
	long tv_usec;
};

SYSCALL_DEFINE5(select, int, n, uaddr_t, inp, uaddr_t, outp, uaddr_t, exp,
		uaddr_t, tvp)
{
	struct ktimeval tv;
	u64 deadline = 0;
	bool immediate = false;
	long r;

	if (tvp) {
		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		if (!tv.tv_sec && !tv.tv_usec)
			immediate = true;
		else if (tv.tv_sec < 100LL * 365 * 86400)
			deadline = ktime_get_ns() +
				   (u64)tv.tv_sec * 1000000000ULL +
				   (u64)tv.tv_usec * 1000ULL;
	}
	r = do_select(n, inp, outp, exp, deadline, immediate);
	if (tvp && deadline) {
		u64 now = ktime_get_ns();

		tv.tv_sec = 0;
		tv.tv_usec = 0;
		if (deadline > now) {
			tv.tv_sec = (s64)((deadline - now) / 1000000000ULL);
			tv.tv_usec = (long)((deadline - now) % 1000000000ULL /
					    1000);
		}
		copy_to_user(tvp, &tv, sizeof(tv));
	}
	return r;
}

SYSCALL_DEFINE6(pselect6, int, n, uaddr_t, inp, uaddr_t, outp, uaddr_t, exp,
		uaddr_t, tsp, uaddr_t, sig)
{
	struct { u64 ss; u64 ss_len; } s;
	u64 deadline;
	bool immediate;
	long r;

	r = ts_deadline(tsp, &deadline, &immediate);
	if (r)
		return r;
	if (sig) {
		if (copy_from_user(&s, sig, sizeof(s)))
			return -EFAULT;
		r = set_temp_sigmask(s.ss, s.ss_len);
		if (r)
			return r;
	}
	r = do_select(n, inp, outp, exp, deadline, immediate);
	ts_remaining(tsp, deadline);
	return r;
}
