// SPDX-License-Identifier: GPL-2.0
/*
 * tty ioctls: termios (TCGETS/TCSETS*, the termios2 and SysV termio
 * forms), window size, process groups and sessions, flushing and flow
 * control, and the small BSD and Linux extras; the pty ioctls are in
 * pty.c. Anything else, including the VT and serial ioctls, answers ENOTTY
 * as it does on a Linux console that is not a VT.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/uaccess.h"
#include "kern/fs.h"
#include "tty.h"

/* struct termios is the first 36 bytes of struct ktermios (termios2). */
#define TERMIOS_SIZE	offsetof(struct ktermios, c_ispeed)
BUILD_BUG_ON(sizeof(struct termios) != TERMIOS_SIZE);
BUILD_BUG_ON(sizeof(struct termios2) != sizeof(struct ktermios));

#define N_TTY		0
#define NR_LDISCS	30

static const unsigned int baud_table[] = {
	0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800,
	9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000,
	921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000,
	3500000, 4000000,
};

static unsigned int baud_of(unsigned int cbaud, unsigned int other)
{
	if (cbaud == BOTHER)
		return other;
	if (cbaud & CBAUDEX) {
		cbaud &= ~CBAUDEX;
		if (cbaud < 1 || cbaud > 15)
			return 0;
		cbaud += 15;
	}
	return cbaud < ARRAY_SIZE(baud_table) ? baud_table[cbaud] : 0;
}

/* The speeds termios2 reports follow the baud bits of c_cflag. */
static void update_speeds(struct ktermios *t)
{
	unsigned int ibaud = (t->c_cflag >> IBSHIFT) & CBAUD;

	t->c_ospeed = baud_of(t->c_cflag & CBAUD, t->c_ospeed);
	t->c_ispeed = ibaud == B0 ? t->c_ospeed : baud_of(ibaud, t->c_ispeed);
}

enum { SET_TERMIOS, SET_TERMIOS2, SET_TERMIO };

/* Bits set in the locked termios (TIOCSLCKTRMIOS) keep their old value. */
static void apply_locks(struct tty *tty, struct ktermios *t)
{
	const struct ktermios *old = &tty->termios, *lk = &tty->termios_locked;

	t->c_iflag = (t->c_iflag & ~lk->c_iflag) | (old->c_iflag & lk->c_iflag);
	t->c_oflag = (t->c_oflag & ~lk->c_oflag) | (old->c_oflag & lk->c_oflag);
	t->c_cflag = (t->c_cflag & ~lk->c_cflag) | (old->c_cflag & lk->c_cflag);
	t->c_lflag = (t->c_lflag & ~lk->c_lflag) | (old->c_lflag & lk->c_lflag);
	if (lk->c_line)
		t->c_line = old->c_line;
	for (int i = 0; i < NCCS; i++)
		if (lk->c_cc[i])
			t->c_cc[i] = old->c_cc[i];
}

static int set_termios(struct tty *tty, uaddr_t arg, int form, bool flush)
{
	struct ktermios t = tty->termios, old;
	int r = tty_check_change(tty, SIGTTOU);

	if (r)
		return r;
	if (form == SET_TERMIO) {
		struct termio tio;

		if (copy_from_user(&tio, arg, sizeof(tio)))
			return -EFAULT;
		t.c_iflag = (t.c_iflag & 0xffff0000) | tio.c_iflag;
		t.c_oflag = (t.c_oflag & 0xffff0000) | tio.c_oflag;
		t.c_cflag = (t.c_cflag & 0xffff0000) | tio.c_cflag;
		t.c_lflag = (t.c_lflag & 0xffff0000) | tio.c_lflag;
		t.c_line = tio.c_line;
		memcpy(t.c_cc, tio.c_cc, NCC);
	} else if (copy_from_user(&t, arg, form == SET_TERMIOS2 ?
				  sizeof(struct ktermios) : TERMIOS_SIZE)) {
		return -EFAULT;
	}
	update_speeds(&t);
	if (flush)
		n_tty_flush_input(tty);
	apply_locks(tty, &t);
	old = tty->termios;
	tty->termios = t;
	n_tty_set_termios(tty, &old);
	return 0;
}

static int get_termio(struct tty *tty, uaddr_t arg)
{
	struct termio tio;

	memset(&tio, 0, sizeof(tio));
	tio.c_iflag = (unsigned short)tty->termios.c_iflag;
	tio.c_oflag = (unsigned short)tty->termios.c_oflag;
	tio.c_cflag = (unsigned short)tty->termios.c_cflag;
	tio.c_lflag = (unsigned short)tty->termios.c_lflag;
	tio.c_line = tty->termios.c_line;
	memcpy(tio.c_cc, tty->termios.c_cc, NCC);
	return copy_to_user(arg, &tio, sizeof(tio));
}

/* tty is the real tty: a pty's size is kept on both ends. */
static int set_winsize(struct tty *tty, uaddr_t arg)
{
	struct winsize ws;

	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	if (!memcmp(&ws, &tty->winsize, sizeof(ws)))
		return 0;
	tty_signal_pgrp(tty, SIGWINCH);
	tty->winsize = ws;
	if (tty->link) {
		if (tty->link->pgrp != tty->pgrp)
			tty_signal_pgrp(tty->link, SIGWINCH);
		tty->link->winsize = ws;
	}
	return 0;
}

static int put_int(uaddr_t arg, int v)
{
	return put_user(v, arg);
}

static int flush(struct tty *tty, unsigned long arg)
{
	int r = tty_check_change(tty, SIGTTOU);

	if (r)
		return r;
	switch (arg) {
	case TCIFLUSH:
	case TCIOFLUSH:
		n_tty_flush_input(tty);
		return 0;
	case TCOFLUSH:
		/* output goes on as it is written: nothing queued */
		pty_packet_event(tty, TIOCPKT_FLUSHWRITE, 0);
		return 0;
	default:
		return -EINVAL;
	}
}

static int xonc(struct tty *tty, unsigned long arg)
{
	int r = tty_check_change(tty, SIGTTOU);

	if (r)
		return r;
	switch (arg) {
	case TCOOFF:
		if (!tty->tco_stopped) {
			n_tty_stop(tty);
			tty->tco_stopped = true;
		}
		return 0;
	case TCOON:
		if (tty->tco_stopped) {
			tty->tco_stopped = false;
			tty->stopped = true;
			n_tty_start(tty);
		}
		return 0;
	case TCIOFF:
		if (tty->termios.c_cc[VSTOP])
			n_tty_send_char(tty, tty->termios.c_cc[VSTOP]);
		return 0;
	case TCION:
		if (tty->termios.c_cc[VSTART])
			n_tty_send_char(tty, tty->termios.c_cc[VSTART]);
		return 0;
	default:
		return -EINVAL;
	}
}

/* Linux's new_encode_dev: the dev_t layout stat() and TIOCGDEV show. */
static unsigned int encode_dev(unsigned int major, unsigned int minor)
{
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static unsigned int dev_major(const struct tty *tty)
{
	if (tty->kind == PTY_SLAVE)
		return PTY_SLAVE_MAJOR;
	if (tty->kind == PTY_MASTER)
		return PTY_MASTER_MAJOR;
	return TTY_MAJOR;
}

long tty_ioctl_cmd(struct tty *tty, struct tty_file *tf, unsigned int cmd,
		   unsigned long arg)
{
	struct signal_struct *sig = current->signal;
	uaddr_t uarg = (uaddr_t)arg;
	/* a pty master's termios, size and job control are its slave's */
	struct tty *real = tty_pair_real(tty);
	int r, v;

	switch (cmd) {
	case TIOCSBRK:
	case TIOCCBRK:
	case TCSBRK:
	case TCSBRKP:
		/* no line to break: a drain, which is immediate here */
		return tty_check_change(tty, SIGTTOU);
	}

	switch (cmd) {
	case TCGETS:
		return copy_to_user(uarg, &real->termios, TERMIOS_SIZE);
	case TCGETS2:
		return copy_to_user(uarg, &real->termios,
				    sizeof(struct ktermios));
	case TCGETA:
		return get_termio(real, uarg);
	case TCSETS:
	case TCSETSW:
		return set_termios(real, uarg, SET_TERMIOS, false);
	case TCSETSF:
		return set_termios(real, uarg, SET_TERMIOS, true);
	case TCSETS2:
	case TCSETSW2:
		return set_termios(real, uarg, SET_TERMIOS2, false);
	case TCSETSF2:
		return set_termios(real, uarg, SET_TERMIOS2, true);
	case TCSETA:
	case TCSETAW:
		return set_termios(real, uarg, SET_TERMIO, false);
	case TCSETAF:
		return set_termios(real, uarg, SET_TERMIO, true);
	case TIOCGLCKTRMIOS:
		return copy_to_user(uarg, &real->termios_locked, TERMIOS_SIZE);
	case TIOCSLCKTRMIOS:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (copy_from_user(&real->termios_locked, uarg, TERMIOS_SIZE))
			return -EFAULT;
		return 0;
	case TIOCGWINSZ:
		return copy_to_user(uarg, &real->winsize, sizeof(tty->winsize));
	case TIOCSWINSZ:
		return set_winsize(real, uarg);
	case TIOCGPGRP:
		if (real == tty && sig->tty != tty)
			return -ENOTTY;
		return put_int(uarg, real->pgrp);
	case TIOCSPGRP:
		return tiocspgrp(real, uarg);
	case TIOCGSID:
		if ((real == tty && sig->tty != tty) || !real->session)
			return -ENOTTY;
		return put_int(uarg, real->session);
	case TIOCSCTTY:
		return tiocsctty(tty, tf, arg);
	case TIOCNOTTY:
		return tiocnotty(tty);
	case TCFLSH:
		return flush(tty, arg);
	case TCXONC:
		return xonc(tty, arg);
	case TIOCOUTQ:
		return put_int(uarg, 0);
	case TIOCINQ:
		return put_int(uarg, (int)n_tty_inq(tty));
	case TIOCSTI: {
		unsigned char ch;

		if (sig->tty != tty && !capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (get_user(ch, uarg))
			return -EFAULT;
		n_tty_receive(tty, &ch, 1);
		return 0;
	}
	case TIOCEXCL:
		tty->exclusive = true;
		return 0;
	case TIOCNXCL:
		tty->exclusive = false;
		return 0;
	case TIOCGEXCL:
		return put_int(uarg, tty->exclusive);
	case TIOCGETD:
		return put_int(uarg, N_TTY);
	case TIOCSETD:
		if (get_user(v, uarg))
			return -EFAULT;
		return v == N_TTY ? 0 : -EINVAL;
	case TIOCGDEV:
		return put_user(encode_dev(dev_major(tty),
					   (unsigned int)tty->index), uarg);
	case TIOCGSOFTCAR:
		return put_int(uarg, real->termios.c_cflag & CLOCAL ? 1 : 0);
	case TIOCSSOFTCAR:
		if (get_user(v, uarg))
			return -EFAULT;
		tty->termios.c_cflag = (tty->termios.c_cflag & ~CLOCAL) |
				       (v ? CLOCAL : 0);
		return 0;
	case TIOCVHANGUP:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		tty_hangup(tty);
		return 0;
	default:
		r = tty->kind == TTY_CONSOLE ? -ENOTTY :
			(int)pty_ioctl(tty, tf, cmd, arg);
		break;
	}
	return r;
}
