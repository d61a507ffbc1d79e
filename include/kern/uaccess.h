/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory access for the current task. Guest memory is another host
 * process's memory: these copy through the platform (process_vm_readv and
 * friends), fail with -EFAULT on any unmapped byte and never trust a guest
 * pointer beyond the guest's address space.
 */
#ifndef KERN_UACCESS_H
#define KERN_UACCESS_H

#include "kern/kernel.h"

struct task;

/* 0 on success, -EFAULT if any byte could not be copied. */
int copy_from_user(void *dst, uaddr_t src, size_t len);
int copy_to_user(uaddr_t dst, const void *src, size_t len);
int clear_user(uaddr_t dst, size_t len);
/* Same, for another task's address space (ptrace, /proc/PID/mem, exec). */
int copy_from_task(struct task *t, void *dst, uaddr_t src, size_t len);
int copy_to_task(struct task *t, uaddr_t dst, const void *src, size_t len);

/*
 * Copies a NUL-terminated string of at most len - 1 bytes plus the NUL.
 * Returns its length, -EFAULT, or -ENAMETOOLONG if it does not fit.
 */
long strncpy_from_user(char *dst, uaddr_t src, size_t len);
/* A path from the guest, kmalloc'd (PATH_MAX); ERR_PTR on error. */
char *getname(uaddr_t upath);
void putname(char *name);

#define get_user(x, uaddr) ({						\
		typeof(x) __v;						\
		int __r = copy_from_user(&__v, (uaddr), sizeof(__v));	\
		if (!__r)						\
			(x) = __v;					\
		__r;							\
	})
#define put_user(x, uaddr) ({						\
		typeof(x) __v = (x);					\
		copy_to_user((uaddr), &__v, sizeof(__v));		\
	})

static inline bool access_ok(uaddr_t addr, size_t len)
{
	return addr < 0x7f0000000000UL && len <= 0x7f0000000000UL - addr;
}

#endif
