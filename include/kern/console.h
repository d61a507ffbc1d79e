/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Consoles: the guest's tty0..tty15 (/dev/console is tty0) on the host
 * channels given by con=/conN= (kern/chan.h).
 */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include "kern/kernel.h"

/* Parses and opens the channels; prints one line and returns < 0 on error. */
int console_setup(void);
/* After the VFS is up: registers the devices and starts input. */
void console_start(void);
/* Writes out anything buffered (shutdown, panic). */
void console_flush(void);

#endif
