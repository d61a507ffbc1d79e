// SPDX-License-Identifier: GPL-2.0
/* x86-64 thread state: arch_prctl. */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/mm.h"

#define ARCH_SET_GS		0x1001
#define ARCH_SET_FS		0x1002
#define ARCH_GET_FS		0x1003
#define ARCH_GET_GS		0x1004
#define ARCH_GET_CPUID		0x1011
#define ARCH_SET_CPUID		0x1012

SYSCALL_DEFINE2(arch_prctl, int, code, unsigned long, addr)
{
	struct task *t = current;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		t->regs.fs_base = addr;
		return 0;
	case ARCH_GET_FS:
		return put_user((u64)t->regs.fs_base, addr);
	case ARCH_SET_GS:
		/*
		 * syscall-note(arch_prctl): ARCH_SET_GS, nonzero base: EPERM
		 * The stub does not carry GS base: guests on Linux do not use
		 * it in user space (glibc never does); refuse rather than lie.
		 */
		return addr ? -EPERM : 0;
	case ARCH_GET_GS:
		return put_user((u64)0, addr);
	case ARCH_GET_CPUID:
		return 1;
	case ARCH_SET_CPUID:
		return -ENODEV;
	default:
		return -EINVAL;
	}
}
