/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rest of the kernel needs from the tty layer (drivers/tty/):
 * controlling terminals and job control. struct tty itself is private to
 * drivers/tty; a process's controlling terminal is t->signal->tty.
 */
#ifndef KERN_TTY_H
#define KERN_TTY_H

#include "kern/kernel.h"
#include "kern/boot.h"

struct task;
struct tty;

#define MAX_TTY_LINES	MAX_CONSOLES

/*
 * Exit of a session leader (call it from the exit path when
 * leader->signal->leader is set, before the process is unhashed): its
 * controlling tty is hung up as Linux does for a console: the foreground
 * process group gets SIGHUP and SIGCONT, every process of the session loses
 * the tty, and the files open on it (except through /dev/console) read 0
 * and fail writes with EIO from then on.
 */
void tty_exit_session(struct task *leader);

/*
 * True if no live member of process group pgrp has a parent in another
 * process group of the same session (POSIX "orphaned"); a parent that is
 * init does not count. ignore is a task to leave out (the one exiting), or
 * NULL.
 */
bool tty_pgrp_orphaned(pid_t pgrp, struct task *ignore);

/*
 * For /proc/PID/stat: the device number of tty (MKDEV encoding) and its
 * foreground process group (-1 if none).
 */
u32 tty_devnum(struct tty *tty);
pid_t tty_fg_pgrp(struct tty *tty);

/* Ptys: how many pairs exist (/proc/sys/kernel/pty/nr) and may exist. */
int pty_nr(void);
int pty_max(void);

#endif
