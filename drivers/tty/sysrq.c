// SPDX-License-Identifier: GPL-2.0
/*
 * Magic SysRq keys, as Linux's: reached from the management console
 * ("sysrq X"), which is allowed whatever the guest's sysrq mask would say.
 * Only keys whose action this kernel really has are listed; the rest get
 * the help line, as an unknown key does on Linux.
 */
#include "kern/kernel.h"
#include "kern/boot.h"
#include "kern/fs.h"
#include "kern/mm.h"
#include "kern/printk.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/sysrq.h"

static char task_state(const struct task *t)
{
	switch (t->state) {
	case TASK_ZOMBIE: return 'Z';
	case TASK_STOPPED: return 'T';
	case TASK_DEAD: return 'X';
	default: return t->in_user ? 'R' : 'S';
	}
}

#define STACK_WORDS	16

void show_task(struct task *t)
{
	const struct plat_regs *r = &t->regs;
	u64 words[STACK_WORDS];
	long n = -EFAULT;

	printk(KERN_INFO "task:%-15.15s state:%c pid:%-5d tgid:%-5d ppid:%-5d\n",
	       t->comm, task_state(t), t->pid, t->tgid,
	       t->group_leader && t->group_leader->parent ?
	       t->group_leader->parent->tgid : 0);
	if (!t->pth || t->pth_dead || t->state == TASK_ZOMBIE ||
	    t->state == TASK_DEAD)
		return;
	/* While guest code runs, the saved registers are those of its last
	 * entry into the kernel. */
	printk(KERN_INFO "%s registers%s:\n", t->in_user ? "Last" : "User",
	       t->in_syscall ? " (in a system call)" : "");
	printk(KERN_INFO "RIP: %016llx RSP: %016llx EFLAGS: %08llx\n",
	       (unsigned long long)r->rip, (unsigned long long)r->rsp,
	       (unsigned long long)r->eflags);
	printk(KERN_INFO "RAX: %016llx RBX: %016llx RCX: %016llx\n",
	       (unsigned long long)r->rax, (unsigned long long)r->rbx,
	       (unsigned long long)r->rcx);
	printk(KERN_INFO "RDX: %016llx RSI: %016llx RDI: %016llx\n",
	       (unsigned long long)r->rdx, (unsigned long long)r->rsi,
	       (unsigned long long)r->rdi);
	printk(KERN_INFO "RBP: %016llx ORIG_RAX: %016llx\n",
	       (unsigned long long)r->rbp, (unsigned long long)r->orig_rax);
	if (r->rsp)
		n = plat_read_mem(t->pth, r->rsp, words, sizeof(words));
	if (n <= 0) {
		printk(KERN_INFO "Stack: not readable\n");
		return;
	}
	printk(KERN_INFO "Stack:\n");
	for (long i = 0; i < n / 8; i += 4) {
		char line[80];
		int m = 0;

		for (long j = i; j < i + 4 && j < n / 8; j++)
			m += snprintf(line + m, sizeof(line) - (size_t)m,
				      " %016llx", (unsigned long long)words[j]);
		printk(KERN_INFO "%s\n", line);
	}
}

static void show_state(void)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_node)
		show_task(t);
}

static void show_mem(void)
{
	struct mm_meminfo mi;

	mm_meminfo(&mi);
	printk(KERN_INFO "Mem-Info:\n");
	printk(KERN_INFO "total:%llukB free:%llukB available:%llukB shmem:%llukB\n",
	       (unsigned long long)mi.total, (unsigned long long)mi.free,
	       (unsigned long long)mi.available, (unsigned long long)mi.shmem);
	printk(KERN_INFO "committed:%llukB commit limit:%llukB\n",
	       (unsigned long long)mi.committed_as,
	       (unsigned long long)mi.commit_limit);
	printk(KERN_INFO "%d tasks\n", nr_tasks);
}

/* Every process but init gets sig (e: SIGTERM, i: SIGKILL). */
static void signal_all(int sig)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_node) {
		if (!thread_group_leader(t) || t->tgid == 1 ||
		    t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
			continue;
		send_sig(sig, t, true);
	}
}

void handle_sysrq(int key)
{
	if (key >= '0' && key <= '9') {
		printk(KERN_WARNING "sysrq: Changing Loglevel\n");
		console_loglevel = key - '0';
		printk(KERN_WARNING "Loglevel set to %d\n", key - '0');
		return;
	}
	switch (key) {
	case 'b':
		printk(KERN_WARNING "sysrq: Resetting\n");
		kernel_shutdown(SHUTDOWN_RESTART, kernel_exit_code);
		break;
	case 'e':
		printk(KERN_WARNING "sysrq: Terminate All Tasks\n");
		signal_all(SIGTERM);
		break;
	case 'i':
		printk(KERN_WARNING "sysrq: Kill All Tasks\n");
		signal_all(SIGKILL);
		break;
	case 'm':
		printk(KERN_WARNING "sysrq: Show Memory\n");
		show_mem();
		break;
	case 'o':
		printk(KERN_WARNING "sysrq: Power Off\n");
		kernel_shutdown(SHUTDOWN_POWER_OFF, kernel_exit_code);
		break;
	case 's':
		printk(KERN_WARNING "sysrq: Emergency Sync\n");
		sync_filesystems();
		printk(KERN_WARNING "Emergency Sync complete\n");
		break;
	case 't':
		printk(KERN_WARNING "sysrq: Show State\n");
		show_state();
		break;
	case 'u':
		printk(KERN_WARNING "sysrq: Emergency Remount R/O\n");
		if (emergency_remount_ro())
			printk(KERN_WARNING "Emergency Remount: some filesystems refused\n");
		printk(KERN_WARNING "Emergency Remount complete\n");
		break;
	case 'w':
		/*
		 * Linux lists the tasks in uninterruptible sleep (D); this
		 * kernel does not record which sleeps are uninterruptible,
		 * so it says so rather than show an empty list.
		 */
		printk(KERN_WARNING "sysrq: Show Blocked State\n");
		printk(KERN_WARNING "uninterruptible sleeps are not tracked: see 't'\n");
		break;
	default:
		printk(KERN_WARNING "sysrq: HELP : loglevel(0-9) reboot(b) "
		       "terminate-all-tasks(e) kill-all-tasks(i) "
		       "show-memory-usage(m) poweroff(o) sync(s) "
		       "show-task-states(t) unmount(u) show-blocked-tasks(w)\n");
		break;
	}
}
