/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Defining system calls.
 *
 *	SYSCALL_DEFINE3(read, unsigned int, fd, uaddr_t, buf, size_t, count)
 *	{
 *		...
 *	}
 *
 * defines sys_read(), which the table (arch/x86/syscall_table.c, generated
 * from the x86-64 numbering) finds by name. A number with no definition
 * answers -ENOSYS and is logged once. Guest pointers are uaddr_t.
 */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include "kern/kernel.h"

typedef long (*syscall_fn)(const unsigned long *args);

#define __SC_DECL0()
#define __SC_DECL1(t1, a1) t1 a1
#define __SC_DECL2(t1, a1, ...) t1 a1, __SC_DECL1(__VA_ARGS__)
#define __SC_DECL3(t1, a1, ...) t1 a1, __SC_DECL2(__VA_ARGS__)
#define __SC_DECL4(t1, a1, ...) t1 a1, __SC_DECL3(__VA_ARGS__)
#define __SC_DECL5(t1, a1, ...) t1 a1, __SC_DECL4(__VA_ARGS__)
#define __SC_DECL6(t1, a1, ...) t1 a1, __SC_DECL5(__VA_ARGS__)

#define __SC_ARGS0()
#define __SC_ARGS1(t1, a1) (t1)__a[0]
#define __SC_ARGS2(t1, a1, t2, a2) __SC_ARGS1(t1, a1), (t2)__a[1]
#define __SC_ARGS3(t1, a1, t2, a2, t3, a3) \
	__SC_ARGS2(t1, a1, t2, a2), (t3)__a[2]
#define __SC_ARGS4(t1, a1, t2, a2, t3, a3, t4, a4) \
	__SC_ARGS3(t1, a1, t2, a2, t3, a3), (t4)__a[3]
#define __SC_ARGS5(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	__SC_ARGS4(t1, a1, t2, a2, t3, a3, t4, a4), (t5)__a[4]
#define __SC_ARGS6(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	__SC_ARGS5(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5), (t6)__a[5]

#define SYSCALL_DEFINEx(x, name, ...)					\
	static long __do_sys_##name(__SC_DECL##x(__VA_ARGS__));		\
	long sys_##name(const unsigned long *__a);			\
	long sys_##name(const unsigned long *__a)			\
	{								\
		(void)__a;						\
		return __do_sys_##name(__SC_ARGS##x(__VA_ARGS__));	\
	}								\
	static long __do_sys_##name(__SC_DECL##x(__VA_ARGS__))

#define SYSCALL_DEFINE0(name)						\
	static long __do_sys_##name(void);				\
	long sys_##name(const unsigned long *__a);			\
	long sys_##name(const unsigned long *__a)			\
	{								\
		(void)__a;						\
		return __do_sys_##name();				\
	}								\
	static long __do_sys_##name(void)
#define SYSCALL_DEFINE1(name, ...) SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...) SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...) SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...) SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...) SYSCALL_DEFINEx(6, name, __VA_ARGS__)

/* Dispatch: sets t->regs.rax. */
struct task;
void do_syscall(struct task *t);
const char *syscall_name(long nr);

#endif
