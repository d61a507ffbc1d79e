/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System V IPC (ipc/): message queues, semaphore sets and shared memory
 * segments, each kind a table of objects named by key and id, with
 * Linux's permission rules. This is the contract with the rest of the
 * kernel (exit, /proc).
 */
#ifndef KERN_IPC_H
#define KERN_IPC_H

#include "kern/kernel.h"

struct task;

/* The limits /proc/sys/kernel shows and root may change. */
enum ipc_sysctl {
	IPC_SHMMAX, IPC_SHMALL, IPC_SHMMNI, IPC_SEM, IPC_MSGMAX, IPC_MSGMNB,
	IPC_MSGMNI, IPC_NR_SYSCTL
};
/* The value as /proc/sys/kernel/NAME shows it (with the newline). */
int ipc_sysctl_show(enum ipc_sysctl which, char *buf, size_t len);
/* A write to it: bytes taken or -EINVAL. */
ssize_t ipc_sysctl_write(enum ipc_sysctl which, const char *buf, size_t len);

/* /proc/sysvipc/{shm,sem,msg}: kmalloc'd text, *len set; NULL if no memory. */
char *sysvipc_shm_text(size_t *len);
char *sysvipc_sem_text(size_t *len);
char *sysvipc_msg_text(size_t *len);

/* A process (thread group) ends: its SEM_UNDO adjustments are applied. */
void exit_sem(struct task *leader);

#endif
