// SPDX-License-Identifier: GPL-2.0
/*
 * Unix98 ptys: opening /dev/ptmx (5:2) makes a master and a slave, the
 * slave reachable as /dev/pts/N (136:N) through devpts. Both ends are ttys
 * with the n_tty line discipline: what one end writes, after its output
 * processing, is input to the other. The master's own termios is raw; its
 * termios, window size and process group ioctls act on the slave, as on
 * Linux.
 *
 * Lifetimes: the master file owns the pair. When it is closed the slave is
 * hung up (its files read 0 and fail writes with EIO) and its node goes;
 * the pair is freed once no file is open on either end. When the last
 * slave file is closed, the master reads EIO once its input is drained
 * and polls POLLHUP, until a slave is opened again.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/uaccess.h"
#include "kern/devpts.h"
#include "kern/mm.h"
#include "tty.h"

struct pty_pair {
	struct tty *master, *slave;
	unsigned int index;
	bool locked;			/* TIOCSPTLCK: the slave won't open */
	bool master_gone;
	bool packet;			/* TIOCPKT on the master */
	unsigned char pktstatus;	/* TIOCPKT_* events not read yet */
	int depth;			/* nested pty_write (echo loops) */
	struct dentry *node;		/* /dev/pts/N */
	struct path devpts;		/* where TIOCGPTPEER opens it */
};

/* A pair's memory (two rings) is charged to the commit limit (mem=). */
#define PAIR_PAGES	(PAGE_ALIGN(2 * sizeof(struct tty) + \
				    sizeof(struct pty_pair)) >> PAGE_SHIFT)

static struct pty_pair *ptys[NR_PTYS];
static int nr_ptys;

int pty_nr(void)
{
	return nr_ptys;
}

int pty_max(void)
{
	return NR_PTYS;
}

/* What Linux gives a master: no processing at all. */
static void master_termios(struct ktermios *t)
{
	*t = tty_std_termios;
	t->c_iflag = 0;
	t->c_oflag = 0;
	t->c_cflag = B38400 | CS8 | CREAD;
	t->c_lflag = 0;
}

static void free_pair(struct pty_pair *pair)
{
	tty_drop_ctty_refs(pair->master);
	tty_drop_ctty_refs(pair->slave);
	if (pair->devpts.mnt)
		path_put(&pair->devpts);
	ptys[pair->index] = NULL;
	nr_ptys--;
	kfree(pair->master);
	kfree(pair->slave);
	kfree(pair);
	vm_uncommit(PAIR_PAGES);
}

static struct tty *new_end(struct pty_pair *pair, enum tty_kind kind)
{
	struct tty *tty = kzalloc(sizeof(*tty));

	if (!tty)
		return NULL;
	tty_init_common(tty);
	tty->kind = kind;
	tty->pair = pair;
	tty->index = (int)pair->index;
	snprintf(tty->name, sizeof(tty->name), kind == PTY_MASTER ?
		 "ptm%u" : "pts/%u", pair->index);
	if (kind == PTY_MASTER)
		master_termios(&tty->termios);
	else
		tty->termios.c_cflag &= ~HUPCL;	/* a pty has no modem line */
	return tty;
}

int ptmx_open(struct tty_file *tf, struct file *f)
{
	unsigned int max = min(devpts_max(), (unsigned int)NR_PTYS), i;
	struct pty_pair *pair;
	struct dentry *node;
	int r = -ENOMEM;

	for (i = 0; i < max && ptys[i]; i++)
		;
	if (i == max)
		return -ENOSPC;
	if (vm_commit(PAIR_PAGES))
		return -ENOMEM;
	pair = kzalloc(sizeof(*pair));
	if (!pair) {
		vm_uncommit(PAIR_PAGES);
		return -ENOMEM;
	}
	pair->index = i;
	pair->locked = true;
	pair->master = new_end(pair, PTY_MASTER);
	pair->slave = new_end(pair, PTY_SLAVE);
	if (!pair->master || !pair->slave)
		goto out_free;
	pair->master->link = pair->slave;
	pair->slave->link = pair->master;
	r = devpts_mount_for(f, &pair->devpts);
	if (r)
		goto out_free;
	node = devpts_pty_new(i);
	if (IS_ERR(node)) {
		r = (int)PTR_ERR(node);
		path_put(&pair->devpts);
		goto out_free;
	}
	pair->node = node;
	ptys[i] = pair;
	nr_ptys++;
	tf->tty = pair->master;
	list_add_tail(&tf->node, &pair->master->files);
	pair->master->count++;
	file_c(f)->private_data = tf;
	return 0;

out_free:
	kfree(pair->master);
	kfree(pair->slave);
	kfree(pair);
	vm_uncommit(PAIR_PAGES);
	return r;
}

struct tty *pts_lookup(unsigned int index)
{
	struct pty_pair *pair = index < NR_PTYS ? ptys[index] : NULL;

	if (!pair || pair->master_gone || pair->locked)
		return ERR_PTR(-EIO);
	return pair->slave;
}

/* Files on the slave that are not hung up. */
static int slave_live(struct tty *slave)
{
	struct tty_file *tf;
	int n = 0;

	list_for_each_entry(tf, &slave->files, node)
		if (!tf->hung_up)
			n++;
	return n;
}

void pty_release(struct tty_file *tf)
{
	struct tty *tty = tf->tty;
	struct pty_pair *pair = tty->pair;

	list_del(&tf->node);
	tty->count--;
	kfree(tf);
	if (tty->kind == PTY_MASTER) {
		if (tty->count)
			return;
		pair->master_gone = true;
		pair->packet = false;
		pair->slave->other_closed = true;
		devpts_pty_kill(pair->node);
		pair->node = NULL;
		tty_hangup(pair->slave);
	} else if (!slave_live(tty) && !pair->master_gone) {
		pair->master->other_closed = true;
		tty_wakeup_all(pair->master);
	}
	if (pair->master_gone && !pair->slave->count)
		free_pair(pair);
}

/*
 * Output of one end is input of the other; returns what it took. Echo
 * that would bounce back again (both ends echoing) is dropped.
 */
size_t pty_write(struct tty *tty, const unsigned char *buf, size_t n)
{
	struct pty_pair *pair = tty->pair;
	size_t done;

	if (pair->depth >= 2)
		return n;
	pair->depth++;
	done = n_tty_receive(tty->link, buf, n);
	pair->depth--;
	return done;
}

size_t pty_write_room(struct tty *tty)
{
	if (tty->kind == TTY_CONSOLE)
		return SIZE_MAX;
	return n_tty_receive_room(tty->link);
}

void pty_packet_event(struct tty *tty, unsigned int set, unsigned int clear)
{
	struct pty_pair *pair = tty->pair;

	if (tty->kind != PTY_SLAVE || !pair->packet)
		return;
	pair->pktstatus = (unsigned char)((pair->pktstatus & ~clear) | set);
	wake_up(&pair->master->read_wait);
}

/* Whether ^S/^Q flow control is in effect, for TIOCPKT_DOSTOP/NOSTOP. */
static bool std_flow(const struct ktermios *t)
{
	return (t->c_iflag & IXON) && t->c_cc[VSTOP] == 023 &&
	       t->c_cc[VSTART] == 021;
}

void pty_termios_changed(struct tty *tty, const struct ktermios *old)
{
	bool was = std_flow(old), now = std_flow(&tty->termios);

	if (was != now)
		pty_packet_event(tty, now ? TIOCPKT_DOSTOP : TIOCPKT_NOSTOP,
				 TIOCPKT_DOSTOP | TIOCPKT_NOSTOP);
}

bool pty_packet_pending(struct tty *tty)
{
	return tty->pair->packet && tty->pair->pktstatus;
}

int pty_packet_take(struct tty *master, bool take)
{
	struct pty_pair *pair = master->pair;
	int st;

	if (!pair->packet)
		return -1;
	st = pair->pktstatus;
	if (st && take)
		pair->pktstatus = 0;
	return st;
}

/* TIOCGPTPEER: the slave, opened without a path lookup. */
static long open_peer(struct pty_pair *pair, unsigned long arg)
{
	struct path p;
	struct file *f;
	int flags = (int)(arg & (O_ACCMODE | O_NONBLOCK | O_CLOEXEC |
				 O_APPEND | O_LARGEFILE | O_NOCTTY));
	int fd;

	if (!pair->node || !pair->devpts.mnt)
		return -EIO;
	p.mnt = pair->devpts.mnt;
	p.dentry = pair->node;
	f = dentry_open(&p, flags | O_NOCTTY);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install_cur(f, flags);
	if (fd < 0)
		fput(f);
	return fd;
}

long pty_ioctl(struct tty *tty, struct tty_file *tf, unsigned int cmd,
	       unsigned long arg)
{
	struct pty_pair *pair = tty->pair;
	uaddr_t uarg = (uaddr_t)arg;
	int v;

	if (tty->kind != PTY_MASTER)
		return cmd == TIOCGPTPEER ? -EIO : -ENOTTY;
	switch (cmd) {
	case TIOCGPTN:
		return put_user((unsigned int)pair->index, uarg);
	case TIOCSPTLCK:
		if (get_user(v, uarg))
			return -EFAULT;
		pair->locked = v != 0;
		return 0;
	case TIOCGPTLCK:
		return put_user((int)pair->locked, uarg);
	case TIOCPKT:
		if (get_user(v, uarg))
			return -EFAULT;
		if (v && !pair->packet)
			pair->pktstatus = 0;
		pair->packet = v != 0;
		return 0;
	case TIOCGPKT:
		return put_user((int)pair->packet, uarg);
	case TIOCSIG:
		/* only what the slave's own ^C, ^\ and ^Z could send */
		if (arg != SIGINT && arg != SIGQUIT && arg != SIGTSTP)
			return -EINVAL;
		tty_signal_pgrp(pair->slave, (int)arg);
		return 0;
	case TIOCGPTPEER:
		return open_peer(pair, arg);
	}
	return -ENOTTY;
}
