// SPDX-License-Identifier: GPL-2.0
/*
 * The line discipline, with Linux's n_tty semantics: input processing
 * (ICRNL and friends, signals, flow control), canonical line editing with
 * echo, non-canonical VMIN/VTIME reads, and output processing (OPOST).
 *
 * Input arrives from a host input thread (holding the kernel lock) or from
 * TIOCSTI; it goes into a ring of N_TTY_BUF_SIZE bytes. In canonical mode
 * the bytes between read_tail and canon_head are complete lines (each ends
 * with a byte flagged RB_DELIM or RB_EOF) and the bytes between canon_head
 * and read_head are the line being edited.
 *
 * The host terminal is raw, so every byte that reaches it, echo included,
 * has been through our output processing.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/uaccess.h"
#include "kern/fs.h"
#include "tty.h"

#define I_FLAG(tty, f)	((tty)->termios.c_iflag & (f))
#define O_FLAG(tty, f)	((tty)->termios.c_oflag & (f))
#define L_FLAG(tty, f)	((tty)->termios.c_lflag & (f))
#define CC(tty, v)	((tty)->termios.c_cc[v])

/* Output is gathered per call and written to the host in few writes. */
struct obuf {
	struct tty *tty;
	size_t n;
	unsigned char b[1024];
};

static void ob_init(struct obuf *ob, struct tty *tty)
{
	ob->tty = tty;
	ob->n = 0;
}

static void ob_flush(struct obuf *ob)
{
	if (ob->n)
		tty_write_raw(ob->tty, ob->b, ob->n);
	ob->n = 0;
}

static void ob_put(struct obuf *ob, unsigned char c)
{
	if (ob->n == sizeof(ob->b))
		ob_flush(ob);
	ob->b[ob->n++] = c;
}

/* A c_cc entry of 0 is _POSIX_VDISABLE on Linux: it matches nothing. */
static bool is_cc(const struct tty *tty, int idx, unsigned char c)
{
	return c && c == tty->termios.c_cc[idx];
}

static bool is_cntrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static bool is_continuation(const struct tty *tty, unsigned char c)
{
	return I_FLAG(tty, IUTF8) && (c & 0xc0) == 0x80;
}

static unsigned char to_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static unsigned char to_upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? c - 32 : c;
}

static size_t rb_count(const struct tty *tty)
{
	return tty->read_head - tty->read_tail;
}

static unsigned char rb_at(const struct tty *tty, size_t i)
{
	return tty->rbuf[RB_MASK(i)];
}

static void rb_put(struct tty *tty, unsigned char c, unsigned char flags)
{
	tty->rbuf[RB_MASK(tty->read_head)] = c;
	tty->rflags[RB_MASK(tty->read_head)] = flags;
	tty->read_head++;
}

/* The reader freed room: let a throttled input thread go on. */
static void room_freed(struct tty *tty)
{
	__atomic_add_fetch(&tty->room_seq, 1, __ATOMIC_SEQ_CST);
	os_futex_wake(&tty->room_seq, 1);
	/* a pty's other end writes into this buffer */
	if (tty->link)
		wake_up(&tty->link->write_wait);
}

void n_tty_init(struct tty *tty)
{
	tty->read_tail = tty->canon_head = tty->read_head = 0;
	tty->lnext = tty->erasing = false;
	tty->column = tty->canon_column = 0;
}

/* ---- output processing ---- */

/* One byte of output through OPOST processing, tracking the column. */
static void out_char(struct tty *tty, struct obuf *ob, unsigned char c)
{
	unsigned int spaces;

	if (!O_FLAG(tty, OPOST)) {
		ob_put(ob, c);
		return;
	}
	switch (c) {
	case '\n':
		if (O_FLAG(tty, ONLRET))
			tty->column = 0;
		if (O_FLAG(tty, ONLCR)) {
			tty->canon_column = tty->column = 0;
			ob_put(ob, '\r');
			ob_put(ob, '\n');
			return;
		}
		tty->canon_column = tty->column;
		break;
	case '\r':
		if (O_FLAG(tty, ONOCR) && tty->column == 0)
			return;
		if (O_FLAG(tty, OCRNL)) {
			c = '\n';
			if (O_FLAG(tty, ONLRET))
				tty->canon_column = tty->column = 0;
			break;
		}
		tty->canon_column = tty->column = 0;
		break;
	case '\t':
		spaces = 8 - (tty->column & 7);
		tty->column += spaces;
		if ((tty->termios.c_oflag & TABDLY) == XTABS) {
			while (spaces--)
				ob_put(ob, ' ');
			return;
		}
		break;
	case '\b':
		if (tty->column > 0)
			tty->column--;
		break;
	default:
		if (!is_cntrl(c)) {
			if (O_FLAG(tty, OLCUC))
				c = to_upper(c);
			if (!is_continuation(tty, c))
				tty->column++;
		}
		break;
	}
	ob_put(ob, c);
}

/* ---- echo ---- */

static void echo_raw(struct tty *tty, struct obuf *ob, unsigned char c)
{
	out_char(tty, ob, c);
}

/* With ECHOCTL a control character shows as ^X (DEL as ^?). */
static void echo_char(struct tty *tty, struct obuf *ob, unsigned char c)
{
	if (L_FLAG(tty, ECHOCTL) && is_cntrl(c) && c != '\t') {
		ob_put(ob, '^');
		ob_put(ob, c ^ 0100);
		tty->column += 2;
		return;
	}
	echo_raw(tty, ob, c);
}

/* Ends a hardcopy (ECHOPRT) erase sequence "\...". */
static void finish_erasing(struct tty *tty, struct obuf *ob)
{
	if (tty->erasing) {
		echo_raw(tty, ob, '/');
		tty->erasing = false;
	}
}

static void echo_backspace(struct tty *tty, struct obuf *ob)
{
	echo_raw(tty, ob, '\b');
	echo_raw(tty, ob, ' ');
	echo_raw(tty, ob, '\b');
}

/*
 * Moves the cursor back over an erased tab: the tab filled up to the next
 * multiple of 8 from where the text before it ended.
 */
static void echo_erase_tab(struct tty *tty, struct obuf *ob)
{
	unsigned int cols = 0, n;
	bool after_tab = false;
	size_t i = tty->read_head;

	while (i != tty->canon_head) {
		unsigned char c = rb_at(tty, --i);

		if (c == '\t') {
			after_tab = true;
			break;
		}
		if (is_cntrl(c)) {
			if (L_FLAG(tty, ECHOCTL))
				cols += 2;
		} else if (!is_continuation(tty, c)) {
			cols++;
		}
	}
	if (!after_tab)
		cols += tty->canon_column;
	n = 8 - (cols & 7);
	while (n--) {
		ob_put(ob, '\b');
		if (tty->column > 0)
			tty->column--;
	}
}

enum { KILL_ERASE, KILL_WERASE, KILL_LINE };

/* VERASE, VWERASE and VKILL in canonical mode. */
static void eraser(struct tty *tty, struct obuf *ob, unsigned char c)
{
	int kind;
	unsigned int seen_alnums = 0;

	if (tty->read_head == tty->canon_head)
		return;
	if (is_cc(tty, VERASE, c)) {
		kind = KILL_ERASE;
	} else if (is_cc(tty, VWERASE, c)) {
		kind = KILL_WERASE;
	} else {
		if (!L_FLAG(tty, ECHO)) {
			tty->read_head = tty->canon_head;
			return;
		}
		if (!L_FLAG(tty, ECHOK) || !L_FLAG(tty, ECHOKE) ||
		    !L_FLAG(tty, ECHOE)) {
			tty->read_head = tty->canon_head;
			finish_erasing(tty, ob);
			echo_char(tty, ob, c);
			if (L_FLAG(tty, ECHOK))
				echo_raw(tty, ob, '\n');
			return;
		}
		kind = KILL_LINE;
	}

	while (tty->read_head != tty->canon_head) {
		size_t head = tty->read_head, cnt;
		unsigned char ch;

		/* one character, which may be several bytes of UTF-8 */
		do {
			ch = rb_at(tty, --head);
		} while (is_continuation(tty, ch) && head != tty->canon_head);
		if (is_continuation(tty, ch))
			break;
		if (kind == KILL_WERASE) {
			if (is_alnum(ch) || ch == '_')
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		cnt = tty->read_head - head;
		tty->read_head = head;
		if (L_FLAG(tty, ECHO)) {
			if (L_FLAG(tty, ECHOPRT)) {
				if (!tty->erasing) {
					echo_raw(tty, ob, '\\');
					tty->erasing = true;
				}
				echo_char(tty, ob, ch);
				for (size_t k = 1; k < cnt; k++)
					ob_put(ob, rb_at(tty, head + k));
			} else if (kind == KILL_ERASE && !L_FLAG(tty, ECHOE)) {
				echo_char(tty, ob, c);
			} else if (ch == '\t') {
				echo_erase_tab(tty, ob);
			} else {
				if (is_cntrl(ch) && L_FLAG(tty, ECHOCTL))
					echo_backspace(tty, ob);
				if (!is_cntrl(ch) || L_FLAG(tty, ECHOCTL))
					echo_backspace(tty, ob);
			}
		}
		if (kind == KILL_ERASE)
			break;
	}
	if (tty->read_head == tty->canon_head && L_FLAG(tty, ECHO))
		finish_erasing(tty, ob);
}

/* ---- input ---- */

void n_tty_flush_input(struct tty *tty)
{
	tty->read_tail = tty->canon_head = tty->read_head;
	tty->lnext = tty->erasing = false;
	room_freed(tty);
	pty_packet_event(tty, TIOCPKT_FLUSHREAD, 0);
}

void n_tty_stop(struct tty *tty)
{
	if (!tty->stopped)
		pty_packet_event(tty, TIOCPKT_STOP, TIOCPKT_START);
	tty->stopped = true;
}

void n_tty_start(struct tty *tty)
{
	if (!tty->stopped || tty->tco_stopped)
		return;
	tty->stopped = false;
	pty_packet_event(tty, TIOCPKT_START, TIOCPKT_STOP);
	wake_up(&tty->write_wait);
}

void n_tty_send_char(struct tty *tty, unsigned char c)
{
	tty_write_raw(tty, &c, 1);
}

static void isig(struct tty *tty, struct obuf *ob, int sig, unsigned char c)
{
	tty_signal_pgrp(tty, sig);
	if (!L_FLAG(tty, NOFLSH)) {
		pty_packet_event(tty, TIOCPKT_FLUSHWRITE, 0);
		n_tty_flush_input(tty);
	}
	if (I_FLAG(tty, IXON))
		n_tty_start(tty);
	if (L_FLAG(tty, ECHO))
		echo_char(tty, ob, c);
}

/* Ends the line being edited: it becomes readable. */
static void end_line(struct tty *tty, unsigned char c, unsigned char flag)
{
	rb_put(tty, c, flag);
	tty->canon_head = tty->read_head;
	wake_up(&tty->read_wait);
}

enum { ROOM_OK, ROOM_DROP, ROOM_WAIT };

/*
 * May one more byte be stored? In canonical mode the last slot is kept for
 * a line terminator; a line that fills the whole buffer can never end, so
 * its excess bytes are dropped rather than waited on.
 */
static int room_for(struct tty *tty, bool terminator)
{
	size_t free = N_TTY_BUF_SIZE - rb_count(tty);
	bool canon = L_FLAG(tty, ICANON);

	if (free >= (canon && !terminator ? 2u : 1u))
		return ROOM_OK;
	if (canon && tty->canon_head == tty->read_tail)
		return ROOM_DROP;
	return ROOM_WAIT;
}

/* A byte that is data: echoed and queued. */
static int receive_plain(struct tty *tty, struct obuf *ob, unsigned char c)
{
	/* with PARMRK a real 0377 is doubled, to tell it from a mark */
	bool twice = c == 0377 && I_FLAG(tty, PARMRK);
	int room = room_for(tty, false);

	if (room == ROOM_OK && twice && N_TTY_BUF_SIZE - rb_count(tty) < 3)
		room = L_FLAG(tty, ICANON) ? ROOM_DROP : ROOM_WAIT;
	if (room != ROOM_OK)
		return room;
	if (L_FLAG(tty, ECHO)) {
		finish_erasing(tty, ob);
		if (tty->canon_head == tty->read_head)
			tty->canon_column = tty->column;
		echo_char(tty, ob, c);
	}
	if (twice)
		rb_put(tty, c, 0);
	rb_put(tty, c, 0);
	if (!L_FLAG(tty, ICANON))
		wake_up(&tty->read_wait);
	return ROOM_OK;
}

/* Returns ROOM_WAIT if the byte must be offered again later. */
static int receive_char(struct tty *tty, struct obuf *ob, unsigned char c)
{
	int room;

	if (I_FLAG(tty, ISTRIP))
		c &= 0x7f;
	if (I_FLAG(tty, IUCLC) && L_FLAG(tty, IEXTEN))
		c = to_lower(c);

	if (tty->lnext) {
		room = room_for(tty, false);
		if (room == ROOM_WAIT)
			return room;
		tty->lnext = false;
		if (room == ROOM_OK)
			receive_plain(tty, ob, c);
		return ROOM_OK;
	}

	if (tty->stopped && !tty->tco_stopped && I_FLAG(tty, IXON) &&
	    I_FLAG(tty, IXANY))
		n_tty_start(tty);
	if (I_FLAG(tty, IXON)) {
		if (is_cc(tty, VSTART, c)) {
			n_tty_start(tty);
			return ROOM_OK;
		}
		if (is_cc(tty, VSTOP, c)) {
			n_tty_stop(tty);
			return ROOM_OK;
		}
	}
	if (L_FLAG(tty, ISIG)) {
		if (is_cc(tty, VINTR, c)) {
			isig(tty, ob, SIGINT, c);
			return ROOM_OK;
		}
		if (is_cc(tty, VQUIT, c)) {
			isig(tty, ob, SIGQUIT, c);
			return ROOM_OK;
		}
		if (is_cc(tty, VSUSP, c)) {
			isig(tty, ob, SIGTSTP, c);
			return ROOM_OK;
		}
	}

	if (c == '\r') {
		if (I_FLAG(tty, IGNCR))
			return ROOM_OK;
		if (I_FLAG(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && I_FLAG(tty, INLCR)) {
		c = '\r';
	}

	if (!L_FLAG(tty, ICANON)) {
		room = receive_plain(tty, ob, c);
		return room == ROOM_WAIT ? ROOM_WAIT : ROOM_OK;
	}

	if (is_cc(tty, VERASE, c) || is_cc(tty, VKILL, c) ||
	    (is_cc(tty, VWERASE, c) && L_FLAG(tty, IEXTEN))) {
		eraser(tty, ob, c);
		return ROOM_OK;
	}
	if (is_cc(tty, VLNEXT, c) && L_FLAG(tty, IEXTEN)) {
		tty->lnext = true;
		if (L_FLAG(tty, ECHO)) {
			finish_erasing(tty, ob);
			if (L_FLAG(tty, ECHOCTL)) {
				/* a "^" that the next character overwrites */
				echo_raw(tty, ob, '^');
				echo_raw(tty, ob, '\b');
			}
		}
		return ROOM_OK;
	}
	if (is_cc(tty, VREPRINT, c) && L_FLAG(tty, ECHO) &&
	    L_FLAG(tty, IEXTEN)) {
		finish_erasing(tty, ob);
		echo_char(tty, ob, c);
		echo_raw(tty, ob, '\n');
		for (size_t i = tty->canon_head; i != tty->read_head; i++)
			echo_char(tty, ob, rb_at(tty, i));
		return ROOM_OK;
	}

	if (c == '\n' || is_cc(tty, VEOF, c) || is_cc(tty, VEOL, c) ||
	    (is_cc(tty, VEOL2, c) && L_FLAG(tty, IEXTEN))) {
		room = room_for(tty, true);
		if (room != ROOM_OK)
			return room == ROOM_WAIT ? ROOM_WAIT : ROOM_OK;
		if (c == '\n') {
			if (L_FLAG(tty, ECHO) || L_FLAG(tty, ECHONL)) {
				finish_erasing(tty, ob);
				echo_raw(tty, ob, '\n');
			}
			end_line(tty, c, RB_DELIM);
		} else if (is_cc(tty, VEOF, c)) {
			/* EOF ends the line without being part of it */
			finish_erasing(tty, ob);
			end_line(tty, 0, RB_EOF);
		} else {
			if (L_FLAG(tty, ECHO)) {
				finish_erasing(tty, ob);
				if (tty->canon_head == tty->read_head)
					tty->canon_column = tty->column;
				echo_char(tty, ob, c);
			}
			end_line(tty, c, RB_DELIM);
		}
		return ROOM_OK;
	}

	room = receive_plain(tty, ob, c);
	return room == ROOM_WAIT ? ROOM_WAIT : ROOM_OK;
}

/*
 * Feeds received bytes through the line discipline. Returns how many were
 * taken: fewer than n when the buffer is full and the caller must wait for
 * the reader (tty->room_seq).
 */
size_t n_tty_receive(struct tty *tty, const unsigned char *buf, size_t n)
{
	struct obuf ob;
	size_t i;

	ob_init(&ob, tty);
	for (i = 0; i < n; i++)
		if (receive_char(tty, &ob, buf[i]) == ROOM_WAIT)
			break;
	ob_flush(&ob);
	return i;
}

/*
 * The host input ended. A partial line is handed to the reader as if VEOF
 * had been typed; after that every read returns 0.
 */
void n_tty_input_eof(struct tty *tty)
{
	tty->input_eof = true;
	if (L_FLAG(tty, ICANON) && tty->read_head != tty->canon_head) {
		tty->rflags[RB_MASK(tty->read_head - 1)] |= RB_DELIM;
		tty->canon_head = tty->read_head;
	}
	wake_up(&tty->read_wait);
}

/*
 * Termios changed (old: the previous settings). Switching canonical mode
 * on makes pending input one line, as Linux does; switching it off makes
 * the line being edited readable.
 */
void n_tty_set_termios(struct tty *tty, const struct ktermios *old)
{
	if ((old->c_lflag ^ tty->termios.c_lflag) & ICANON) {
		for (size_t i = tty->read_tail; i != tty->read_head; i++)
			tty->rflags[RB_MASK(i)] &= ~RB_DELIM;
		if (L_FLAG(tty, ICANON) && tty->read_head != tty->read_tail)
			tty->rflags[RB_MASK(tty->read_head - 1)] |= RB_DELIM;
		tty->canon_head = tty->read_head;
		tty->erasing = tty->lnext = false;
	}
	if (!I_FLAG(tty, IXON) && tty->stopped && !tty->tco_stopped)
		n_tty_start(tty);
	pty_termios_changed(tty, old);
	wake_up(&tty->read_wait);
	wake_up(&tty->write_wait);
}

/*
 * How many bytes the ring takes now (a pty's other end writing). A
 * canonical line that fills the ring cannot end: its bytes are dropped,
 * so there is always room for them.
 */
size_t n_tty_receive_room(struct tty *tty)
{
	size_t free = N_TTY_BUF_SIZE - rb_count(tty);

	if (!L_FLAG(tty, ICANON))
		return free;
	if (free < 2 && tty->canon_head == tty->read_tail)
		return N_TTY_BUF_SIZE;
	return free ? free - 1 : 0;
}

/* ---- reading ---- */

static bool input_available(const struct tty *tty, bool poll)
{
	size_t amt = 1;

	if (L_FLAG(tty, ICANON))
		return tty->canon_head != tty->read_tail;
	if (poll && !CC(tty, VTIME) && CC(tty, VMIN))
		amt = CC(tty, VMIN);
	return rb_count(tty) >= amt;
}

/* Copies n ring bytes from read_tail, without consuming them. */
static int copy_ring(struct tty *tty, uaddr_t dst, size_t n)
{
	size_t start = RB_MASK(tty->read_tail);
	size_t first = min(n, N_TTY_BUF_SIZE - start);

	if (copy_to_user(dst, tty->rbuf + start, first))
		return -EFAULT;
	if (n > first && copy_to_user(dst + first, tty->rbuf, n - first))
		return -EFAULT;
	return 0;
}

/* One line (or the part that fits). Returns bytes copied or -EFAULT. */
static long canon_copy(struct tty *tty, uaddr_t buf, size_t nr)
{
	size_t n = 0;
	bool eof = false;

	while (tty->read_tail + n != tty->canon_head && n < nr) {
		unsigned char fl = tty->rflags[RB_MASK(tty->read_tail + n)];

		if (fl & RB_EOF) {
			eof = true;
			break;
		}
		n++;
		if (fl & RB_DELIM)
			break;
	}
	if (n && copy_ring(tty, buf, n))
		return -EFAULT;
	tty->read_tail += n + eof;
	return (long)n;
}

/* As much as fits, skipping VEOF marks left from canonical mode. */
static long raw_copy(struct tty *tty, uaddr_t buf, size_t nr)
{
	size_t done = 0;

	while (done < nr && tty->read_tail != tty->read_head) {
		size_t n = 0;

		while (n < nr - done && tty->read_tail + n != tty->read_head &&
		       !(tty->rflags[RB_MASK(tty->read_tail + n)] & RB_EOF))
			n++;
		if (n) {
			if (copy_ring(tty, buf + done, n))
				return done ? (long)done : -EFAULT;
			done += n;
			tty->read_tail += n;
		} else {
			tty->read_tail++;	/* an EOF mark */
		}
	}
	return (long)done;
}

ssize_t n_tty_read(struct tty *tty, struct tty_file *tf, uaddr_t buf,
		   size_t nr, bool nonblock)
{
	size_t copied = 0, minimum = 0, hdr = 0;
	u64 deadline = 0, interbyte = 0;
	bool forever = true;
	long r = 0;
	DEFINE_WAIT(w);

	if (!tf->console) {
		r = tty_check_change(tty, SIGTTIN);
		if (r)
			return r;
	}
	if (!nr)
		return 0;
	if (!L_FLAG(tty, ICANON)) {
		minimum = CC(tty, VMIN);
		if (minimum) {
			interbyte = CC(tty, VTIME) * 100000000ULL;
		} else {
			forever = false;
			deadline = ktime_get_ns() + CC(tty, VTIME) * 100000000ULL;
			minimum = 1;
		}
	}

	for (;;) {
		long n;
		int pkt;

		prepare_to_wait(&tty->read_wait, &w);
		if (tf->hung_up)
			break;
		/*
		 * A pty master in packet mode: a pending status byte is a
		 * read of its own; data comes after a TIOCPKT_DATA (0) byte.
		 */
		pkt = tty->kind == PTY_MASTER ? pty_packet_take(tty, !copied) :
			-1;
		if (pkt > 0) {
			if (copied)
				break;	/* the status comes with the next read */
			if (put_user((unsigned char)pkt, buf))
				r = -EFAULT;
			else
				copied = 1;
			break;
		}
		if (!input_available(tty, false)) {
			if (tty->other_closed) {
				r = -EIO;
				break;
			}
			if (tty->input_eof)
				break;
			if (!forever && ktime_get_ns() >= deadline)
				break;
			if (nonblock) {
				r = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				r = -ERESTARTSYS;
				break;
			}
			schedule_timeout(forever ? 0 : deadline);
			continue;
		}
		if (L_FLAG(tty, ICANON)) {
			n = canon_copy(tty, buf, nr);
			if (n < 0)
				r = n;
			else
				copied = (size_t)n;
			break;
		}
		if (pkt == 0 && !copied) {
			if (put_user((unsigned char)TIOCPKT_DATA, buf)) {
				r = -EFAULT;
				break;
			}
			copied = hdr = 1;
		}
		n = raw_copy(tty, buf + copied, nr - copied);
		if (n < 0) {
			r = n;
			break;
		}
		copied += (size_t)n;
		if (copied - hdr >= minimum || copied == nr)
			break;
		if (interbyte) {
			forever = false;
			deadline = ktime_get_ns() + interbyte;
		}
	}
	finish_wait(&tty->read_wait, &w);
	room_freed(tty);
	return copied ? (ssize_t)copied : r;
}

/* Bytes a read could return now (FIONREAD). */
size_t n_tty_inq(struct tty *tty)
{
	size_t end = L_FLAG(tty, ICANON) ? tty->canon_head : tty->read_head;
	size_t n = 0;

	for (size_t i = tty->read_tail; i != end; i++)
		if (!(tty->rflags[RB_MASK(i)] & RB_EOF))
			n++;
	return n;
}

unsigned int n_tty_poll(struct tty *tty)
{
	unsigned int mask = 0;

	if (input_available(tty, true))
		mask |= POLLIN | POLLRDNORM;
	if (tty->input_eof)
		mask |= POLLIN | POLLRDNORM | POLLHUP;
	if (tty->other_closed)
		mask |= POLLHUP;
	if (tty->kind == PTY_MASTER && pty_packet_pending(tty))
		mask |= POLLPRI | POLLIN | POLLRDNORM;
	if (!tty->stopped && pty_write_room(tty))
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* ---- writing ---- */

/* Output from the kernel side (kernel_write on a tty): no job control. */
void n_tty_write_kbuf(struct tty *tty, const unsigned char *p, size_t n)
{
	struct obuf ob;

	if (!O_FLAG(tty, OPOST)) {
		tty_write_raw(tty, p, n);
		return;
	}
	ob_init(&ob, tty);
	for (size_t i = 0; i < n; i++)
		out_char(tty, &ob, p[i]);
	ob_flush(&ob);
}

/* How much a write sends before letting others take the kernel lock. */
#define WRITE_YIELD_BYTES	8192

ssize_t n_tty_write(struct tty *tty, struct tty_file *tf, uaddr_t buf,
		    size_t nr, bool nonblock)
{
	unsigned char kbuf[512];
	size_t written = 0;
	long r = 0;

	if (!tf->console && L_FLAG(tty, TOSTOP)) {
		r = tty_check_change(tty, SIGTTOU);
		if (r)
			return r;
	}
	while (written < nr) {
		size_t chunk = min(nr - written, sizeof(kbuf));
		/*
		 * A pty's other end takes what fits in its ring; one byte
		 * becomes at most 8 after output processing (a tab).
		 */
		size_t per = O_FLAG(tty, OPOST) ? 8 : 1, room = 0;

		if (tty->stopped || (room = pty_write_room(tty)) < per) {
			DEFINE_WAIT(w);

			for (;;) {
				prepare_to_wait(&tty->write_wait, &w);
				if (tf->hung_up)
					break;
				room = pty_write_room(tty);
				if (!tty->stopped && room >= per)
					break;
				if (nonblock) {
					r = -EAGAIN;
					break;
				}
				if (signal_pending(current)) {
					r = -ERESTARTSYS;
					break;
				}
				schedule();
			}
			finish_wait(&tty->write_wait, &w);
			if (r)
				break;
		}
		if (tf->hung_up) {
			r = -EIO;
			break;
		}
		if (tty->kind != TTY_CONSOLE)
			chunk = min(chunk, room / per);
		if (copy_from_user(kbuf, buf + written, chunk)) {
			r = -EFAULT;
			break;
		}
		n_tty_write_kbuf(tty, kbuf, chunk);
		written += chunk;
		/*
		 * A long write lets the rest of the kernel in now and then
		 * (the input thread with a ^C, say) and stops early for a
		 * signal, as Linux's does.
		 */
		if (written < nr && !(written % WRITE_YIELD_BYTES)) {
			schedule_timeout(1);
			if (signal_pending(current))
				break;
		}
	}
	return written ? (ssize_t)written : r;
}
