// SPDX-License-Identifier: GPL-2.0
/*
 * Drives the signal code (kernel/signal.c, kernel/sigcalls.c,
 * arch/x86/signal.c) against the real systrap platform with a real guest
 * (signal_kguest.c): frames, rt_sigreturn, FPU images, alternate stacks,
 * faults. The rest of the kernel is replaced by the minimal task loop and
 * stand-ins below, so this runs before the VFS and mm exist.
 *
 * Built with kernel flags by tests/unit/signal_ktest.sh.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/platform.h"

/* ---- what the signal code needs from the rest of the kernel ---- */

__thread struct task *current;
LIST_HEAD(all_tasks);
struct task *init_task_ptr;
static void *exit_jb[5];
static int exit_code = -1;

bool capable(int cap)
{
	return true;
}

struct task *find_task(pid_t pid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_node)
		if (t->pid == pid)
			return t;
	return NULL;
}

struct task *find_process(pid_t tgid)
{
	struct task *t = find_task(tgid);

	return t && t->tgid == tgid ? t->group_leader : NULL;
}

void do_exit(int code)
{
	exit_code = code;
	__builtin_longjmp(exit_jb, 1);
}

void do_group_exit(int code)
{
	do_exit(code);
}

void wake_up_task(struct task *t)
{
	t->wake_seq++;
}

void wake_up(struct wait_queue_head *wq)
{
}

int schedule_timeout(u64 deadline_ns)
{
	return -ETIMEDOUT;
}

int schedule(void)
{
	return 0;
}

int copy_from_user(void *dst, uaddr_t src, size_t len)
{
	if (!access_ok(src, len))
		return -EFAULT;
	return plat_read_mem(current->pth, src, dst, len) == (long)len ?
		0 : -EFAULT;
}

int copy_to_user(uaddr_t dst, const void *src, size_t len)
{
	if (!access_ok(dst, len))
		return -EFAULT;
	return plat_write_mem(current->pth, dst, src, len) == (long)len ?
		0 : -EFAULT;
}

int printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	os_write(2, buf, strlen(buf));
	return n;
}

void panic(const char *fmt, ...)
{
	os_write(2, "panic\n", 6);
	os_exit(2);
}

/* ---- a guest ---- */

long sys_kill(const unsigned long *a);
long sys_rt_sigaction(const unsigned long *a);
long sys_rt_sigprocmask(const unsigned long *a);
long sys_rt_sigreturn(const unsigned long *a);
long sys_sigaltstack(const unsigned long *a);

#define PT_LOAD 1
struct ehdr {
	u8 ident[16];
	u16 type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct phdr {
	u32 type, flags;
	u64 offset, vaddr, paddr, filesz, memsz, align;
};

static int load(struct task *t, const char *path)
{
	int fd = os_open(path, 0, 0);
	long size = fd < 0 ? -1 : os_file_size(fd);
	u8 *img;
	struct ehdr *eh;

	if (size < (long)sizeof(*eh))
		return -1;
	img = kmalloc((size_t)size);
	if (!img || os_pread(fd, img, (size_t)size, 0) != size)
		return -1;
	eh = (struct ehdr *)img;
	for (int i = 0; i < eh->phnum; i++) {
		struct phdr *ph = (struct phdr *)(img + eh->phoff) + i;
		u64 start = ph->vaddr & PAGE_MASK;
		u64 end = PAGE_ALIGN(ph->vaddr + ph->memsz);

		if (ph->type != PT_LOAD)
			continue;
		if (plat_mmap(t->pth, start, end - start, 7, 0x32, -1, 0) !=
		    (long)start)
			return -2;
		if (plat_write_mem(t->pth, ph->vaddr, img + ph->offset,
				   ph->filesz) != (long)ph->filesz)
			return -3;
	}
	if (plat_mmap(t->pth, 0x10000000, 0x10000, 3, 0x32, -1, 0) !=
	    0x10000000)
		return -4;
	memset(&t->regs, 0, sizeof(t->regs));
	t->regs.rip = eh->entry;
	t->regs.rsp = 0x10000000 + 0x10000 - 8;
	t->regs.eflags = 0x202;
	t->regs.orig_rax = (u64)-1;
	kfree(img);
	return 0;
}

static void run(struct task *t)
{
	struct plat_event ev;
	unsigned long args[6];
	long r;

	if (__builtin_setjmp(exit_jb))
		return;
	for (;;) {
		do_signal(t);
		plat_run(t->pth, &t->regs, &ev);
		switch (ev.type) {
		case PLAT_EV_SYSCALL:
			args[0] = t->regs.rdi;
			args[1] = t->regs.rsi;
			args[2] = t->regs.rdx;
			args[3] = t->regs.r10;
			args[4] = t->regs.r8;
			args[5] = t->regs.r9;
			switch (t->regs.orig_rax) {
			case 13: r = sys_rt_sigaction(args); break;
			case 14: r = sys_rt_sigprocmask(args); break;
			case 15: r = sys_rt_sigreturn(args); break;
			case 62: r = sys_kill(args); break;
			case 131: r = sys_sigaltstack(args); break;
			case 231: do_exit((int)(args[0] & 0xff) << 8);
			default: r = -ENOSYS;
			}
			t->regs.rax = (u64)r;
			break;
		case PLAT_EV_FAULT:
			force_sig_fault(ev.fault.signo, ev.fault.code,
					ev.fault.addr);
			break;
		case PLAT_EV_DEAD:
			exit_code = ev.dead_signal ? ev.dead_signal : 0x7f;
			return;
		default:
			break;
		}
	}
}

static void fail(const char *what, int code)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "FAIL: %s (wait status %#x)\n", what,
		 code);
	os_write(1, buf, strlen(buf));
	os_exit(1);
}

int main(int argc, char **argv)
{
	static struct signal_struct sig;
	static struct cred cred;
	struct task *t = kzalloc(sizeof(*t));

	if (argc < 2 || !t || plat_init(NULL) < 0)
		fail("setup", 0);
	INIT_LIST_HEAD(&sig.threads);
	init_sigpending(&sig.shared_pending);
	sig.rlim[RLIMIT_SIGPENDING].cur = 64;
	sig.pgrp = sig.session = 1;
	init_sigpending(&t->pending);
	t->pid = t->tgid = 1;
	t->group_leader = t;
	t->signal = &sig;
	t->cred = &cred;
	t->sighand = sighand_alloc();
	t->state = TASK_RUNNING;
	list_add(&t->thread_node, &sig.threads);
	list_add(&t->all_node, &all_tasks);
	/* pid 1 ignores signals it has no handler for: be pid 1 with care */
	current = t;
	if (plat_spawn(&t->pth) < 0)
		fail("spawn", 0);
	if (load(t, argv[1]) < 0)
		fail("load", 0);
	run(t);
	if (exit_code != 0) {
		char what[64];

		snprintf(what, sizeof(what), "guest check at line %d",
			 exit_code >> 8);
		fail(what, exit_code);
	}
	os_write(1, "PASS\n", 5);
	return 0;
}
