// SPDX-License-Identifier: GPL-2.0
/*
 * ioprio_get/ioprio_set. Guest I/O is carried out by the kernel on the
 * guest's behalf, in request order, so the I/O class and level are kept
 * per task for the guest to read back (ionice) with Linux's checks; they
 * do not reorder anything.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscall.h"

#define IOPRIO_WHO_PROCESS	1
#define IOPRIO_WHO_PGRP		2
#define IOPRIO_WHO_USER		3

#define IOPRIO_CLASS_SHIFT	13
#define IOPRIO_CLASS_NONE	0
#define IOPRIO_CLASS_RT		1
#define IOPRIO_CLASS_BE		2
#define IOPRIO_CLASS_IDLE	3
#define IOPRIO_NR_LEVELS	8
#define IOPRIO_NORM		4

#define IOPRIO_CLASS(v)		((v) >> IOPRIO_CLASS_SHIFT)
#define IOPRIO_DATA(v)		((v) & ((1 << IOPRIO_CLASS_SHIFT) - 1))
#define IOPRIO_VALUE(c, d)	(((c) << IOPRIO_CLASS_SHIFT) | (d))

static bool ioprio_matches(struct task *t, int which, int who)
{
	if (t->state == TASK_DEAD || !t->signal || !t->cred)
		return false;
	switch (which) {
	case IOPRIO_WHO_PROCESS:
		return t->pid == (who ? who : current->pid);
	case IOPRIO_WHO_PGRP:
		return t->signal->pgrp == (who ? who : current->signal->pgrp);
	default:
		return t->cred->uid == (uid_t)(who ? who : (int)current->cred->uid);
	}
}

/* The value that wins between two tasks, as Linux ranks them. */
static int ioprio_best(int a, int b)
{
	if (IOPRIO_CLASS(a) == IOPRIO_CLASS_NONE)
		a = IOPRIO_VALUE(IOPRIO_CLASS_BE, IOPRIO_NORM);
	if (IOPRIO_CLASS(b) == IOPRIO_CLASS_NONE)
		b = IOPRIO_VALUE(IOPRIO_CLASS_BE, IOPRIO_NORM);
	if (IOPRIO_CLASS(a) == IOPRIO_CLASS(b))
		return min(a, b);
	return IOPRIO_CLASS(a) < IOPRIO_CLASS(b) ? a : b;
}

static int ioprio_check(int ioprio)
{
	int data = IOPRIO_DATA(ioprio);

	switch (IOPRIO_CLASS(ioprio)) {
	case IOPRIO_CLASS_RT:
		if (!capable(CAP_SYS_ADMIN) && !capable(CAP_SYS_NICE))
			return -EPERM;
		__attribute__((fallthrough));
	case IOPRIO_CLASS_BE:
		return data >= IOPRIO_NR_LEVELS ? -EINVAL : 0;
	case IOPRIO_CLASS_IDLE:
		return 0;
	case IOPRIO_CLASS_NONE:
		return data ? -EINVAL : 0;
	}
	return -EINVAL;
}

SYSCALL_DEFINE3(ioprio_set, int, which, int, who, int, ioprio)
{
	struct task *t;
	bool found = false;
	int r;

	if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
		return -EINVAL;
	if (ioprio < 0 || ioprio > 0xffff)
		return -EINVAL;
	r = ioprio_check(ioprio);
	if (r)
		return r;
	list_for_each_entry(t, &all_tasks, all_node) {
		if (!ioprio_matches(t, which, who))
			continue;
		found = true;
		if (t->cred->uid != current->cred->euid &&
		    t->cred->uid != current->cred->uid &&
		    !capable(CAP_SYS_NICE))
			return -EPERM;
		t->ioprio = (u16)ioprio;
	}
	return found ? 0 : -ESRCH;
}

SYSCALL_DEFINE2(ioprio_get, int, which, int, who)
{
	struct task *t;
	int best = -1;

	if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
		return -EINVAL;
	list_for_each_entry(t, &all_tasks, all_node) {
		if (!ioprio_matches(t, which, who))
			continue;
		if (which == IOPRIO_WHO_PROCESS)
			return t->ioprio;
		best = best < 0 ? ioprio_best(t->ioprio, t->ioprio) :
				  ioprio_best(best, t->ioprio);
	}
	return best < 0 ? -ESRCH : best;
}
