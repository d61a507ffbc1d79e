// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 system call table, built from the numbering in the Linux UAPI
 * header (build/gen/syscall_list.h). Each entry names sys_<name>; one with
 * no definition anywhere in the kernel resolves to NULL (weak) and answers
 * -ENOSYS. scripts/syscall-report.sh (make syscalls-doc) writes the table
 * of which are defined to docs/syscalls.md.
 */
#include "kern/syscall.h"
#include "kern/sched.h"

#define SC(nr, name) \
	extern long sys_##name(const unsigned long *) __attribute__((weak));
#include "syscall_list.h"
#undef SC

static const struct {
	const char *name;
	syscall_fn fn;
} table[] = {
#define SC(nr, name) [nr] = { #name, sys_##name },
#include "syscall_list.h"
#undef SC
};

#define NR_SYSCALLS ARRAY_SIZE(table)

const char *syscall_name(long nr)
{
	if (nr >= 0 && (unsigned long)nr < NR_SYSCALLS && table[nr].name)
		return table[nr].name;
	return "?";
}

static void log_enosys(long nr)
{
	static u8 logged[1024];

	if (nr >= 0 && nr < 1024) {
		if (logged[nr])
			return;
		logged[nr] = 1;
	}
	printk(KERN_DEBUG "%s[%d]: system call %ld (%s) not implemented\n",
		  current->comm, current->pid, nr, syscall_name(nr));
}

void do_syscall(struct task *t)
{
	long nr = (long)t->regs.orig_rax;
	unsigned long args[6] = {
		t->regs.rdi, t->regs.rsi, t->regs.rdx,
		t->regs.r10, t->regs.r8, t->regs.r9,
	};
	long ret;

	t->syscall_nr = nr;
	if (nr >= 0 && (unsigned long)nr < NR_SYSCALLS && table[nr].fn) {
		ret = table[nr].fn(args);
	} else {
		log_enosys(nr);
		ret = -ENOSYS;
	}
	t->regs.rax = (u64)ret;
}
