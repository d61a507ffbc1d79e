// SPDX-License-Identifier: GPL-2.0
/* Pid allocation and lookup. */
#include "kern/sched.h"

static struct task *pid_table[PID_MAX];
static u8 pid_used[PID_MAX];
static pid_t last_pid;
unsigned long nr_forks;
int nr_tasks;		/* task structs alive, zombies included */

pid_t last_pid_allocated(void)
{
	return last_pid;
}

pid_t alloc_pid(void)
{
	for (int i = 0; i < PID_MAX - 1; i++) {
		pid_t pid = last_pid + 1 + i;

		if (pid >= PID_MAX)
			pid = pid - PID_MAX + 300 > 0 ? pid - PID_MAX + 300 : 300;
		if (pid <= 0 || pid_used[pid])
			continue;
		/* a pid still naming a process group or session stays taken */
		pid_used[pid] = 1;
		last_pid = pid;
		nr_forks++;
		return pid;
	}
	return -EAGAIN;
}

void free_pid(pid_t pid)
{
	if (pid > 0 && pid < PID_MAX) {
		pid_used[pid] = 0;
		pid_table[pid] = NULL;
	}
}

void attach_pid(struct task *t)
{
	pid_table[t->pid] = t;
}

struct task *find_task(pid_t pid)
{
	if (pid <= 0 || pid >= PID_MAX)
		return NULL;
	return pid_table[pid];
}

struct task *find_process(pid_t tgid)
{
	struct task *t = find_task(tgid);

	if (!t || t->tgid != tgid)
		return NULL;
	return t->group_leader;
}

void get_task(struct task *t)
{
	t->refs++;
}

void put_task(struct task *t)
{
	if (--t->refs == 0) {
		list_del(&t->all_node);
		nr_tasks--;
		kfree(t);
	}
}
