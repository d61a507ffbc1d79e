/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tty layer's private structures: a tty per console line, the state of
 * its line discipline (n_tty semantics) and the open files on it. Everything
 * here is protected by the big kernel lock; the host input threads take it
 * before feeding a line.
 */
#ifndef DRIVERS_TTY_TTY_H
#define DRIVERS_TTY_TTY_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/wait.h"
#include "kern/chan.h"
#include "kern/tty.h"
#include <asm/termios.h>

struct file;
struct poll_table;

/* Power of two: the ring indexes are free-running counters. */
#define N_TTY_BUF_SIZE	4096
#define RB_MASK(x)	((x) & (N_TTY_BUF_SIZE - 1))

/* Per-byte flags in the read buffer (canonical mode). */
#define RB_DELIM	0x1	/* ends a line; copied to the reader */
#define RB_EOF		0x2	/* VEOF: ends a line, never copied */

#define TTY_MAJOR	4
#define TTYAUX_MAJOR	5
#define PTY_MASTER_MAJOR	128	/* what /proc shows for a master */
#define PTY_SLAVE_MAJOR		136	/* /dev/pts/N is 136:N */

#define NR_PTYS		4096	/* /proc/sys/kernel/pty/max */

/* What is behind a tty: a console line or one end of a pty. */
enum tty_kind { TTY_CONSOLE, PTY_MASTER, PTY_SLAVE };

struct pty_pair;

struct tty {
	int index;			/* console line N (4:N) or pty N */
	char name[16];
	enum tty_kind kind;
	struct tty *link;		/* pty: the other end */
	struct pty_pair *pair;		/* pty: what both ends share */
	bool other_closed;		/* pty: nothing open on the other end */
	struct line_chans *chans;
	int in_fd, out_fd;		/* host fds, -1 for null */

	struct ktermios termios;
	struct ktermios termios_locked;	/* TIOCSLCKTRMIOS */
	struct winsize winsize;
	int size_fd;			/* host terminal whose size we follow */
	u16 host_rows, host_cols;	/* its size when last looked at */
	pid_t session;			/* 0: nobody's controlling tty */
	pid_t pgrp;			/* foreground process group */
	bool exclusive;			/* TIOCEXCL */

	/* line discipline: the read buffer */
	unsigned char rbuf[N_TTY_BUF_SIZE];
	unsigned char rflags[N_TTY_BUF_SIZE];
	size_t read_tail;		/* next byte for the reader */
	size_t canon_head;		/* end of complete lines */
	size_t read_head;		/* end of everything received */
	bool lnext;			/* VLNEXT seen: next byte is literal */
	bool erasing;			/* ECHOPRT: inside "\...": */
	unsigned int column;		/* output column, for tabs and erase */
	unsigned int canon_column;	/* column where the input line began */

	/* output flow control */
	bool stopped;			/* VSTOP (^S) */
	bool tco_stopped;		/* TCXONC TCOOFF */

	bool input_eof;			/* the host input channel ended */
	u32 room_seq;			/* bumped when the reader frees room */

	struct list_head files;		/* of struct tty_file */
	int count;			/* open files */
	struct wait_queue_head read_wait;
	struct wait_queue_head write_wait;
};

/* private_data of an open tty file */
struct tty_file {
	struct tty *tty;
	struct file *file;
	struct list_head node;		/* in tty->files */
	bool console;			/* opened as /dev/console */
	bool hung_up;			/* vhangup: reads 0, writes EIO */
};

extern struct tty *tty_lines[MAX_TTY_LINES];

/* tty_io.c */
extern const struct ktermios tty_std_termios;
extern const struct file_operations tty_fops;
void tty_init_common(struct tty *tty);
void tty_init_line(struct tty *tty, int index, struct line_chans *lc);
int tty_register_devices(void);
int tty_check_change(struct tty *tty, int sig);
void tty_hangup(struct tty *tty);
void tty_drop_ctty_refs(struct tty *tty);
void tty_wakeup_all(struct tty *tty);
void tty_host_resized(struct tty *tty);
int tiocsctty(struct tty *tty, struct tty_file *tf, unsigned long arg);
int tiocnotty(struct tty *tty);
int tiocspgrp(struct tty *tty, uaddr_t arg);
void tty_signal_pgrp(struct tty *tty, int sig);

/* pty.c */
int ptmx_open(struct tty_file *tf, struct file *f);
struct tty *pts_lookup(unsigned int index);
void pty_release(struct tty_file *tf);
size_t pty_write(struct tty *tty, const unsigned char *buf, size_t n);
size_t pty_write_room(struct tty *tty);
long pty_ioctl(struct tty *tty, struct tty_file *tf, unsigned int cmd,
	       unsigned long arg);
/* Packet mode (TIOCPKT) events on a slave, for its master's reader. */
void pty_packet_event(struct tty *tty, unsigned int set, unsigned int clear);
void pty_termios_changed(struct tty *tty, const struct ktermios *old);
bool pty_packet_pending(struct tty *tty);
/*
 * For a master's reader: -1 if not in packet mode, else the pending
 * status byte (0 if none), which is consumed if take is set.
 */
int pty_packet_take(struct tty *master, bool take);
/* The tty whose termios, size and job control a pty master's ioctls use. */
static inline struct tty *tty_pair_real(struct tty *tty)
{
	return tty->kind == PTY_MASTER ? tty->link : tty;
}

/* n_tty.c: the line discipline */
size_t n_tty_receive_room(struct tty *tty);
void n_tty_init(struct tty *tty);
size_t n_tty_receive(struct tty *tty, const unsigned char *buf, size_t n);
void n_tty_input_eof(struct tty *tty);
ssize_t n_tty_read(struct tty *tty, struct tty_file *tf, uaddr_t buf,
		   size_t nr, bool nonblock);
ssize_t n_tty_write(struct tty *tty, struct tty_file *tf, uaddr_t buf,
		    size_t nr, bool nonblock);
unsigned int n_tty_poll(struct tty *tty);
void n_tty_flush_input(struct tty *tty);
void n_tty_set_termios(struct tty *tty, const struct ktermios *old);
size_t n_tty_inq(struct tty *tty);
void n_tty_start(struct tty *tty);
void n_tty_stop(struct tty *tty);
void n_tty_send_char(struct tty *tty, unsigned char c);
void n_tty_write_kbuf(struct tty *tty, const unsigned char *p, size_t n);
/* Host output, after output processing. */
void tty_write_raw(struct tty *tty, const void *buf, size_t n);

/* tty_ioctl.c */
long tty_ioctl_cmd(struct tty *tty, struct tty_file *tf, unsigned int cmd,
		   unsigned long arg);

#endif
