// SPDX-License-Identifier: GPL-2.0
/*
 * Load averages, as Linux computes them: every 5 seconds the number of
 * runnable tasks is folded into three exponentially decaying averages
 * (1, 5 and 15 minutes) kept in fixed point.
 *
 * A task counts as runnable while its guest code may run (in_user),
 * which includes a task that has trapped and waits for the kernel lock; a
 * task sleeping in the kernel does not. The sample is taken by the timer
 * thread with the kernel lock held, so no task is inside kernel code then.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/time.h"

#define LOAD_FREQ_NS	(5 * NSEC_PER_SEC)
/* 2048 / e^(5 s / 1, 5, 15 min) */
#define EXP_1		1884
#define EXP_5		2014
#define EXP_15		2037

static unsigned long avenrun[3];
static struct ktimer load_timer;
static bool started;

int nr_running_tasks(void)
{
	struct task *t;
	int n = 0;

	list_for_each_entry(t, &all_tasks, all_node)
		if (t->state == TASK_RUNNING && (t->in_user || t == current))
			n++;
	return n;
}

static unsigned long calc_load(unsigned long load, unsigned long exp,
			       unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	/* round up while rising, so a steady load is reached exactly */
	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

static void load_tick(struct ktimer *kt)
{
	unsigned long active = (unsigned long)nr_running_tasks() * FIXED_1;
	u64 next = kt->expires_ns + LOAD_FREQ_NS, now = ktime_get_ns();

	avenrun[0] = calc_load(avenrun[0], EXP_1, active);
	avenrun[1] = calc_load(avenrun[1], EXP_5, active);
	avenrun[2] = calc_load(avenrun[2], EXP_15, active);
	/* after a long stall, sample again from now rather than in a burst */
	if (next <= now)
		next = now + LOAD_FREQ_NS;
	ktimer_arm(kt, next);
}

void loadavg_init(void)
{
	if (started)
		return;
	started = true;
	ktimer_init(&load_timer, load_tick);
	ktimer_arm(&load_timer, ktime_get_ns() + LOAD_FREQ_NS);
}

void get_avenrun(unsigned long loads[3])
{
	for (int i = 0; i < 3; i++)
		loads[i] = avenrun[i];
}
