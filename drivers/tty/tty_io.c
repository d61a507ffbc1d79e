// SPDX-License-Identifier: GPL-2.0
/*
 * The guest-facing tty devices: tty0..tty15 (4:N) on the console lines,
 * /dev/tty (5:0, the caller's controlling terminal), /dev/console (5:1,
 * tty0), /dev/ptmx (5:2, a new pty master) and the pty slaves /dev/pts/N
 * (136:N, pty.c). Also controlling terminals, job control checks and
 * hangup, with Linux's rules.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/uaccess.h"
#include "kern/fs.h"
#include "kern/sysfs.h"
#include "tty.h"

struct tty *tty_lines[MAX_TTY_LINES];

const struct ktermios tty_std_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		   IEXTEN,
	.c_line = 0,
	.c_cc = {
		[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025,
		[VEOF] = 004, [VTIME] = 0, [VMIN] = 1, [VSWTC] = 0,
		[VSTART] = 021, [VSTOP] = 023, [VSUSP] = 032, [VEOL] = 0,
		[VREPRINT] = 022, [VDISCARD] = 017, [VWERASE] = 027,
		[VLNEXT] = 026, [VEOL2] = 0,
	},
	.c_ispeed = 38400,
	.c_ospeed = 38400,
};

/* The parts every tty starts with (tty is zeroed). */
void tty_init_common(struct tty *tty)
{
	tty->termios = tty_std_termios;
	tty->in_fd = tty->out_fd = tty->size_fd = -1;
	INIT_LIST_HEAD(&tty->files);
	init_waitqueue_head(&tty->read_wait);
	init_waitqueue_head(&tty->write_wait);
	n_tty_init(tty);
}

void tty_init_line(struct tty *tty, int index, struct line_chans *lc)
{
	u16 rows = 0, cols = 0;

	memset(tty, 0, sizeof(*tty));
	tty_init_common(tty);
	tty->index = index;
	snprintf(tty->name, sizeof(tty->name), "tty%d", index);
	tty->chans = lc;
	tty->in_fd = lc->in.type == CHAN_FD ? lc->in.fd : -1;
	tty->out_fd = lc->out.type == CHAN_FD ? lc->out.fd : -1;
	if (tty->out_fd >= 0 &&
	    os_tty_winsize(tty->out_fd, &rows, &cols) == 0 && rows)
		tty->size_fd = tty->out_fd;
	else if (tty->in_fd >= 0 &&
		 os_tty_winsize(tty->in_fd, &rows, &cols) == 0 && rows)
		tty->size_fd = tty->in_fd;
	if (tty->size_fd < 0) {
		rows = 24;
		cols = 80;
	}
	tty->host_rows = tty->winsize.ws_row = rows;
	tty->host_cols = tty->winsize.ws_col = cols;
}

/*
 * The host terminal may have been resized: the line takes the new size
 * and, as TIOCSWINSZ would, tells the foreground group with SIGWINCH.
 */
void tty_host_resized(struct tty *tty)
{
	u16 rows, cols;

	if (tty->size_fd < 0 || os_tty_winsize(tty->size_fd, &rows, &cols) ||
	    !rows || (rows == tty->host_rows && cols == tty->host_cols))
		return;
	tty->host_rows = rows;
	tty->host_cols = cols;
	if (rows == tty->winsize.ws_row && cols == tty->winsize.ws_col)
		return;
	tty->winsize.ws_row = rows;
	tty->winsize.ws_col = cols;
	tty_signal_pgrp(tty, SIGWINCH);
}

/*
 * Processed output: to the host channel (null channels swallow it) or,
 * for a pty, into the other end's input.
 */
void tty_write_raw(struct tty *tty, const void *buf, size_t n)
{
	const char *p = buf;

	if (tty->kind != TTY_CONSOLE) {
		pty_write(tty, buf, n);
		return;
	}
	if (tty->out_fd < 0)
		return;
	while (n) {
		long r = os_write(tty->out_fd, p, n);

		if (r == -EINTR)
			continue;
		if (r <= 0)
			return;		/* the host side is gone: drop */
		p += r;
		n -= (size_t)r;
	}
}

/* ---- signals and process groups ---- */

static void kernel_info(struct ksiginfo *info, int sig)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = SI_KERNEL;
}

static void signal_pgrp(pid_t pgrp, int sig)
{
	struct ksiginfo info;

	if (pgrp <= 0)
		return;
	kernel_info(&info, sig);
	kill_pgrp(pgrp, sig, &info);
}

void tty_signal_pgrp(struct tty *tty, int sig)
{
	signal_pgrp(tty->pgrp, sig);
}

static bool process_alive(const struct task *p)
{
	return p->state != TASK_ZOMBIE && p->state != TASK_DEAD;
}

bool tty_pgrp_orphaned(pid_t pgrp, struct task *ignore)
{
	struct task *p;

	list_for_each_entry(p, &all_tasks, all_node) {
		struct task *parent = p->parent;

		if (!thread_group_leader(p) || p == ignore ||
		    p->signal->pgrp != pgrp || !process_alive(p))
			continue;
		if (!parent || parent->tgid == 1)
			continue;
		if (parent->signal->pgrp != pgrp &&
		    parent->signal->session == p->signal->session)
			return false;
	}
	return true;
}

static bool sig_ignored(struct task *t, int sig)
{
	return (t->blocked & sigmask(sig)) ||
	       t->sighand->action[sig - 1].handler == SIG_IGN;
}

/*
 * A process of a background group touching its controlling tty: the
 * group gets sig (SIGTTIN to read, SIGTTOU to write or change settings)
 * and the call restarts once it is continued. With sig ignored or blocked,
 * reads fail with EIO and the rest is allowed; an orphaned group, which
 * nobody would continue, gets EIO.
 */
u32 tty_devnum(struct tty *tty)
{
	if (tty->kind == PTY_SLAVE)
		return MKDEV(PTY_SLAVE_MAJOR, (unsigned int)tty->index);
	if (tty->kind == PTY_MASTER)
		return MKDEV(PTY_MASTER_MAJOR, (unsigned int)tty->index);
	return MKDEV(TTY_MAJOR, (unsigned int)tty->index);
}

pid_t tty_fg_pgrp(struct tty *tty)
{
	return tty->pgrp > 0 ? tty->pgrp : -1;
}

int tty_check_change(struct tty *tty, int sig)
{
	struct task *t = current;
	pid_t pgrp;

	if (!t || t->signal->tty != tty)
		return 0;
	pgrp = t->signal->pgrp;
	if (!tty->pgrp || pgrp == tty->pgrp)
		return 0;
	if (sig_ignored(t, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (tty_pgrp_orphaned(pgrp, NULL))
		return -EIO;
	signal_pgrp(pgrp, sig);
	return -ERESTARTSYS;
}

/* ---- controlling terminals ---- */

static void set_ctty(struct tty *tty)
{
	struct signal_struct *sig = current->signal;

	tty->session = sig->session;
	tty->pgrp = sig->pgrp;
	sig->tty = tty;
}

/* Every process of the session loses its controlling tty. */
static void session_clear_tty(pid_t session)
{
	struct task *p;

	list_for_each_entry(p, &all_tasks, all_node)
		if (p->signal->session == session)
			p->signal->tty = NULL;
}

int tiocsctty(struct tty *tty, struct tty_file *tf, unsigned long arg)
{
	struct signal_struct *sig = current->signal;

	if (sig->leader && tty->session && sig->session == tty->session)
		return 0;
	if (!sig->leader || sig->tty)
		return -EPERM;
	if (tty->session) {
		/* another session's terminal: only stolen on request */
		if (arg != 1 || !capable(CAP_SYS_ADMIN))
			return -EPERM;
		session_clear_tty(tty->session);
	}
	if ((file_c(tf->file)->f_flags & O_ACCMODE) == O_WRONLY &&
	    !capable(CAP_SYS_ADMIN))
		return -EPERM;
	set_ctty(tty);
	return 0;
}

int tiocnotty(struct tty *tty)
{
	struct signal_struct *sig = current->signal;

	if (sig->tty != tty)
		return -ENOTTY;
	if (sig->leader) {
		pid_t pgrp = tty->pgrp;

		signal_pgrp(pgrp, SIGHUP);
		signal_pgrp(pgrp, SIGCONT);
		tty->session = 0;
		tty->pgrp = 0;
		session_clear_tty(sig->session);
	}
	sig->tty = NULL;
	return 0;
}

/* The session of process group pgrp (or of process pgrp), -ESRCH or -EPERM. */
static pid_t session_of_pgrp(pid_t pgrp)
{
	struct task *p;
	bool used = false;

	list_for_each_entry(p, &all_tasks, all_node)
		if (p->state != TASK_DEAD && p->signal->pgrp == pgrp)
			return p->signal->session;
	p = find_task(pgrp);
	if (p && p->state != TASK_DEAD)
		return p->signal->session;
	list_for_each_entry(p, &all_tasks, all_node)
		if (p->state != TASK_DEAD && p->signal->session == pgrp)
			used = true;
	return used ? -EPERM : -ESRCH;
}

int tiocspgrp(struct tty *tty, uaddr_t arg)
{
	struct signal_struct *sig = current->signal;
	pid_t pgrp, sid;
	int r = tty_check_change(tty, SIGTTOU);

	if (r == -EIO)
		return -ENOTTY;
	if (r)
		return r;
	if (get_user(pgrp, arg))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	if (sig->tty != tty || tty->session != sig->session)
		return -ENOTTY;
	sid = session_of_pgrp(pgrp);
	if (sid == -ESRCH)
		return -ESRCH;
	if (sid != sig->session)
		return -EPERM;
	tty->pgrp = pgrp;
	return 0;
}

void tty_wakeup_all(struct tty *tty)
{
	wake_up(&tty->read_wait);
	wake_up(&tty->write_wait);
}

/*
 * Hangup: files open on the tty (but not through /dev/console) go dead,
 * the session loses the tty and its leader gets SIGHUP and SIGCONT; on a
 * session leader's exit the foreground group gets them too.
 */
static void do_hangup(struct tty *tty, struct task *exiting)
{
	struct tty_file *tf;
	struct task *p;
	pid_t pgrp = tty->pgrp;

	list_for_each_entry(tf, &tty->files, node)
		if (!tf->console)
			tf->hung_up = true;
	if (tty->session) {
		list_for_each_entry(p, &all_tasks, all_node) {
			if (p->signal->session != tty->session)
				continue;
			if (p->signal->tty == tty)
				p->signal->tty = NULL;
			if (!thread_group_leader(p) || !p->signal->leader ||
			    !process_alive(p) ||
			    (exiting && p == exiting->group_leader))
				continue;
			send_sig(SIGHUP, p, true);
			send_sig(SIGCONT, p, true);
		}
	}
	if (exiting) {
		signal_pgrp(pgrp, SIGHUP);
		signal_pgrp(pgrp, SIGCONT);
	}
	n_tty_flush_input(tty);
	tty->session = 0;
	tty->pgrp = 0;
	tty->stopped = tty->tco_stopped = false;
	tty_wakeup_all(tty);
	/* a hung up pty slave is closed as far as its master can tell */
	if (tty->kind == PTY_SLAVE) {
		tty->link->other_closed = true;
		tty_wakeup_all(tty->link);
	}
}

void tty_hangup(struct tty *tty)
{
	do_hangup(tty, NULL);
}

/*
 * A session leader exits. A console is hung up; a pty is not (its master
 * decides when it ends, as on Linux): the foreground group gets SIGHUP
 * and the tty is nobody's from then on.
 */
void tty_exit_session(struct task *leader)
{
	struct signal_struct *sig = leader->signal;
	struct tty *tty = sig->tty;

	if (!sig->leader || !tty)
		return;
	if (tty->kind == TTY_CONSOLE) {
		do_hangup(tty, leader);
	} else {
		signal_pgrp(tty->pgrp, SIGHUP);
		tty->session = 0;
		tty->pgrp = 0;
	}
	session_clear_tty(sig->session);
}

/* tty is going away: no process may keep it as its controlling tty. */
void tty_drop_ctty_refs(struct tty *tty)
{
	struct task *p;

	list_for_each_entry(p, &all_tasks, all_node)
		if (p->signal->tty == tty)
			p->signal->tty = NULL;
}

/* ---- file operations ---- */

static struct tty_file *tty_file_of(struct file *f)
{
	return file_c(f)->private_data;
}

static int tty_open(struct inode *inode, struct file *f)
{
	dev_t dev = inode_rdev(inode);
	unsigned int major = MAJOR(dev), minor = MINOR(dev);
	unsigned int flags = file_c(f)->f_flags;
	bool noctty = flags & O_NOCTTY, console = false, check_excl = true;
	struct signal_struct *sig = current->signal;
	struct tty_file *tf;
	struct tty *tty;
	int r;

	if (major == TTYAUX_MAJOR && minor == 0) {
		tty = sig->tty;
		if (!tty)
			return -ENXIO;
		noctty = true;
		check_excl = false;
	} else if (major == TTYAUX_MAJOR && minor == 1) {
		tty = tty_lines[0];
		if (!tty)
			return -ENODEV;
		noctty = true;
		console = true;
	} else if (major == TTY_MAJOR && minor < MAX_TTY_LINES &&
		   tty_lines[minor]) {
		tty = tty_lines[minor];
	} else if (major == TTYAUX_MAJOR && minor == 2) {
		tf = kzalloc(sizeof(*tf));
		if (!tf)
			return -ENOMEM;
		tf->file = f;
		r = ptmx_open(tf, f);
		if (r)
			kfree(tf);
		return r;
	} else if (major == PTY_SLAVE_MAJOR) {
		tty = pts_lookup(minor);
		if (IS_ERR(tty))
			return (int)PTR_ERR(tty);
	} else {
		return -ENODEV;
	}
	if (check_excl && tty->exclusive && !capable(CAP_SYS_ADMIN))
		return -EBUSY;
	/* /dev/tty on a pty whose master is gone */
	if (tty->kind == PTY_SLAVE && tty->other_closed)
		return -EIO;

	tf = kzalloc(sizeof(*tf));
	if (!tf)
		return -ENOMEM;
	tf->tty = tty;
	tf->file = f;
	tf->console = console;
	list_add_tail(&tf->node, &tty->files);
	tty->count++;
	file_c(f)->private_data = tf;
	if (tty->kind == PTY_SLAVE && tty->link->other_closed) {
		tty->link->other_closed = false;
		tty_wakeup_all(tty->link);
	}

	/*
	 * A session leader without a terminal acquires a free one it opens
	 * for reading (a write-only open must not grant /dev/tty access).
	 */
	if (!noctty && sig->leader && !sig->tty && !tty->session &&
	    (flags & O_ACCMODE) != O_WRONLY)
		set_ctty(tty);
	return 0;
}

static void tty_release(struct inode *inode, struct file *f)
{
	struct tty_file *tf = tty_file_of(f);

	if (!tf)
		return;
	file_c(f)->private_data = NULL;
	if (tf->tty->kind != TTY_CONSOLE) {
		pty_release(tf);	/* may free the pair */
		return;
	}
	list_del(&tf->node);
	tf->tty->count--;
	kfree(tf);
}

static ssize_t tty_read(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	struct tty_file *tf = tty_file_of(f);

	if (tf->hung_up)
		return 0;
	return n_tty_read(tf->tty, tf, buf, len,
			  file_c(f)->f_flags & O_NONBLOCK);
}

static ssize_t tty_write(struct file *f, uaddr_t buf, size_t len,
			 loff_t *pos)
{
	struct tty_file *tf = tty_file_of(f);

	if (tf->hung_up)
		return -EIO;
	return n_tty_write(tf->tty, tf, buf, len,
			   file_c(f)->f_flags & O_NONBLOCK);
}

static ssize_t tty_write_kernel(struct file *f, const void *buf, size_t len,
				loff_t *pos)
{
	struct tty_file *tf = tty_file_of(f);

	if (tf->hung_up)
		return -EIO;
	n_tty_write_kbuf(tf->tty, buf, len);
	return (ssize_t)len;
}

static unsigned int tty_poll(struct file *f, struct poll_table *pt)
{
	struct tty_file *tf = tty_file_of(f);

	if (tf->hung_up)
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM |
		       POLLWRNORM;
	poll_wait(f, &tf->tty->read_wait, pt);
	poll_wait(f, &tf->tty->write_wait, pt);
	return n_tty_poll(tf->tty);
}

static long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct tty_file *tf = tty_file_of(f);

	if (tf->hung_up)
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	return tty_ioctl_cmd(tf->tty, tf, cmd, arg);
}

const struct file_operations tty_fops = {
	.open = tty_open,
	.release = tty_release,
	.read = tty_read,
	.write = tty_write,
	.write_kernel = tty_write_kernel,
	/* no llseek: lseek and pread/pwrite answer ESPIPE */
	.poll = tty_poll,
	.ioctl = tty_ioctl,
};

int tty_register_devices(void)
{
	char name[16];
	int r;

	r = register_chrdev_region(TTY_MAJOR, 0, MAX_TTY_LINES, "tty",
				   &tty_fops);
	if (!r)
		r = register_chrdev_region(TTYAUX_MAJOR, 0, 1, "/dev/tty",
					   &tty_fops);
	if (!r)
		r = register_chrdev_region(TTYAUX_MAJOR, 1, 1, "/dev/console",
					   &tty_fops);
	if (!r)
		r = register_chrdev_region(TTYAUX_MAJOR, 2, 1, "/dev/ptmx",
					   &tty_fops);
	if (!r)
		r = register_chrdev_region(PTY_SLAVE_MAJOR, 0, NR_PTYS,
					   "pts", &tty_fops);
	if (r < 0)
		return r;
	devtmpfs_create("tty", S_IFCHR | 0666, MKDEV(TTYAUX_MAJOR, 0));
	devtmpfs_create("console", S_IFCHR | 0600, MKDEV(TTYAUX_MAJOR, 1));
	devtmpfs_create("ptmx", S_IFCHR | 0666, MKDEV(TTYAUX_MAJOR, 2));
	sysfs_add_chrdev("tty", "tty", MKDEV(TTYAUX_MAJOR, 0));
	sysfs_add_chrdev("tty", "console", MKDEV(TTYAUX_MAJOR, 1));
	sysfs_add_chrdev("tty", "ptmx", MKDEV(TTYAUX_MAJOR, 2));
	for (int i = 0; i < MAX_TTY_LINES; i++) {
		if (!tty_lines[i])
			continue;
		snprintf(name, sizeof(name), "tty%d", i);
		devtmpfs_create(name, S_IFCHR | 0600, MKDEV(TTY_MAJOR, i));
		sysfs_add_chrdev("tty", name, MKDEV(TTY_MAJOR, i));
	}
	return 0;
}
