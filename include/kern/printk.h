/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KERN_PRINTK_H
#define KERN_PRINTK_H

#include "kern/kernel.h"

extern int console_loglevel;
extern int default_message_loglevel;
/* Where console output goes once the console driver is up. */
void printk_set_console(void (*write)(const char *s, size_t n));
/* Reads the log from *pos (advanced); returns bytes copied. */
size_t printk_log_read(u64 *pos, char *buf, size_t len);
u64 printk_log_head(void);

#endif
