/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KERN_PRINTK_H
#define KERN_PRINTK_H

#include "kern/kernel.h"

extern int console_loglevel;
extern int default_message_loglevel;
/* Where console output goes once the console driver is up. */
void printk_set_console(void (*write)(const char *s, size_t n));

/* The log's records (kernel/printk.c), for syslog(2) and /dev/kmsg. */
#define LOG_LINE_MAX	1024
#define LOG_KERN	0
#define LOG_USER	1

struct log_record {
	u64 seq;
	u64 ts_nsec;		/* since boot */
	int level;
	int facility;
	size_t len;
	const char *text;	/* not NUL-terminated; valid under the lock */
};

struct wait_queue_head;
extern struct wait_queue_head log_wait;	/* a record was added */
u64 log_first(void);	/* oldest record still there */
u64 log_next(void);	/* the next one to be written */
int log_get(u64 seq, struct log_record *out);	/* -ENOENT if gone */
int log_walk(u64 seq, int (*fn)(void *ctx, const struct log_record *r),
	     void *ctx);
/* /proc/kmsg: the destructive reader of syslog(2)'s SYSLOG_ACTION_READ. */
struct file_operations;
extern const struct file_operations proc_kmsg_fops;
/* A message from user space (/dev/kmsg): a record, echoed to the console. */
void printk_user(int facility, int level, const char *text, size_t len);

#endif
