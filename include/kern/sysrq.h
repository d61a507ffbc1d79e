/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Magic SysRq (drivers/tty/sysrq.c): what the mconsole "sysrq" and "stack"
 * commands run. Everything is reported with printk.
 */
#ifndef KERN_SYSRQ_H
#define KERN_SYSRQ_H

struct task;

/* Runs the action of key (under the kernel lock); unknown keys print the
 * help line. */
void handle_sysrq(int key);
/* A task's state, registers and the top of its user stack, into the log. */
void show_task(struct task *t);

#endif
