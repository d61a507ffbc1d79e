/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform: how guest code is run and trapped. One small interface
 * (DESIGN.md decision 2): run a thread until it traps, read and write its
 * registers, make its address space carry out host mapping calls, create
 * processes and threads by host fork/clone, and read/write guest memory.
 *
 * Neutral types only: this header is shared by kernel code and by the host
 * side implementation (platform/systrap).
 */
#ifndef KERN_PLATFORM_H
#define KERN_PLATFORM_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* Same order as the ptrace user_regs_struct of x86-64. */
struct plat_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi, orig_rax;
	uint64_t rip, cs, eflags, rsp, ss;
	uint64_t fs_base, gs_base, ds, es, fs, gs;
};

struct plat_thread;

/*
 * Guest addresses the platform keeps for itself in every guest address
 * space (systrap: the slot table of patched system call sites), which
 * no guest mapping may take (kern/mm.h).
 */
#define PLAT_RESERVED_START	0x050f0000UL
#define PLAT_RESERVED_END	0x05100000UL

enum plat_event_type {
	PLAT_EV_SYSCALL = 1,	/* orig_rax holds the number, rax -ENOSYS */
	PLAT_EV_SYSCALL_COMPAT,	/* a 32-bit (int 0x80) call: answer -ENOSYS */
	PLAT_EV_FAULT,		/* fault describes it */
	PLAT_EV_INTERRUPT,	/* plat_interrupt() reached the thread */
	PLAT_EV_DEAD,		/* the host thread is gone */
};

struct plat_fault {
	int signo;		/* host signal: SIGSEGV, SIGBUS, SIGFPE, ... */
	int code;		/* si_code */
	uint64_t addr;		/* si_addr */
	uint64_t trapno;
	uint64_t err;
};

struct plat_event {
	int type;
	struct plat_fault fault;
	int dead_signal;	/* PLAT_EV_DEAD: host signal that killed it, or 0 */
	int dead_status;	/* PLAT_EV_DEAD: exit status when not signalled */
};

/*
 * Boot-time set-up: starts the zygote. on_zygote_death is called (from
 * the reaper thread) if it ever dies. Returns 0 or -errno.
 */
int plat_init(void (*on_zygote_death)(void));
/* Ends every guest host process (kernel shutdown). */
void plat_shutdown(void);

/* A fresh, empty process with one thread; *th is ready for plat_run(). */
int plat_spawn(struct plat_thread **th);
/*
 * For execve: th's host process can take the new image instead of a
 * fresh one (th is its only thread, no other process shares its address
 * space); plat_exec_reset() then empties it: the guest's mappings are
 * gone, and at the next resume the FPU is in its initial state and no
 * robust list is recorded. A failure of the reset leaves nothing of the
 * old image usable: the caller is past its point of no return.
 */
bool plat_exec_in_place(struct plat_thread *th);
int plat_exec_reset(struct plat_thread *th);
/*
 * From here to th's next resume, mapping calls are queued and carried out
 * together (before guest memory is next read or written, at the latest at
 * the resume, where a failure kills the process): for a new image, past
 * exec's point of no return. plat_exec_reset() starts this itself.
 */
void plat_batch_begin(struct plat_thread *th);
/* A copy-on-write copy of parent's process (fork). */
int plat_fork(struct plat_thread *parent, struct plat_thread **child);
/* A new process sharing parent's memory (vfork, CLONE_VM without THREAD). */
int plat_clone_vm(struct plat_thread *parent, struct plat_thread **child);
/* A new thread in parent's process. */
int plat_clone_thread(struct plat_thread *parent, struct plat_thread **child);

/*
 * Resumes the thread with *regs and waits for its next event; *regs then
 * holds the registers at that event. Called without the kernel lock.
 */
int plat_run(struct plat_thread *th, struct plat_regs *regs,
	     struct plat_event *ev);
/*
 * Resumes a new thread with *regs at once, from its creator's task,
 * before its own task's host thread runs: its first plat_run() then only
 * waits for its next event (and ignores *regs on the way in). Returns 0,
 * or -ESRCH if the thread is already dead (plat_run() reports that).
 */
int plat_start(struct plat_thread *th, const struct plat_regs *regs);
/*
 * The task is about to sleep in the kernel (or has woken): its stub,
 * waiting for the system call's answer, stops spinning and sleeps.
 */
void plat_set_blocking(struct plat_thread *th, bool blocking);
/*
 * System calls the platform may answer without the kernel, recording
 * what they set for it: set_robust_list. True (and *head) if th set its
 * robust list since the last call; the kernel's record is then stale.
 */
bool plat_take_robust_list(struct plat_thread *th, uint64_t *head);
/* Makes a thread running guest code stop with PLAT_EV_INTERRUPT soon. */
void plat_interrupt(struct plat_thread *th);

/* The host thread exits (it must be stopped at an event). Frees th. */
void plat_thread_exit(struct plat_thread *th);
/* Kills th's whole host process. th stays valid until plat_thread_put(). */
void plat_kill(struct plat_thread *th);
/* Releases th after PLAT_EV_DEAD or plat_kill(). */
void plat_thread_put(struct plat_thread *th);
/*
 * System call site patching (systrap): after a PLAT_EV_SYSCALL, a slot
 * (>= 0) when the platform would rewrite the site the call came from
 * (regs->rip - 7) so that its later calls skip the trap. The caller
 * tells plat_patch_site() whether that memory may be rewritten: a
 * private executable mapping only, so the change stays this process's
 * and never reaches a file or shared memory.
 */
int plat_patch_wanted(struct plat_thread *th, const struct plat_regs *regs);
void plat_patch_site(struct plat_thread *th, const struct plat_regs *regs,
		     int slot, bool allowed);
/*
 * A fault that is the platform's own doing (a thread that reached a site
 * while it was being rewritten): regs are set to run it again, and no
 * signal is due.
 */
bool plat_patch_trap(struct plat_thread *th, struct plat_regs *regs,
		     const struct plat_fault *f);
int plat_host_pid(struct plat_thread *th);
/* The host thread id of th (for its CPU usage), or 0 if not known yet. */
int plat_host_tid(struct plat_thread *th);

/*
 * Host mapping calls carried out inside th's address space (th must be
 * stopped at an event). prot and flags have their x86-64 Linux values.
 * host_fd is a kernel-side host fd to map, or -1. Return the host result.
 */
long plat_mmap(struct plat_thread *th, uint64_t addr, uint64_t len, int prot,
	       int flags, int host_fd, uint64_t off);
long plat_munmap(struct plat_thread *th, uint64_t addr, uint64_t len);
long plat_mprotect(struct plat_thread *th, uint64_t addr, uint64_t len,
		   int prot);
long plat_madvise(struct plat_thread *th, uint64_t addr, uint64_t len,
		  int advice);
long plat_mremap(struct plat_thread *th, uint64_t old, uint64_t old_len,
		 uint64_t new_len, int flags, uint64_t new_addr);

/* Guest memory access: the number of bytes moved, or -EFAULT if none. */
long plat_read_mem(struct plat_thread *th, uint64_t addr, void *buf,
		   size_t len);
long plat_write_mem(struct plat_thread *th, uint64_t addr, const void *buf,
		    size_t len);

/*
 * The FPU image (XSAVE layout, as in a signal frame) of a stopped thread:
 * plat_fpu_size() is the size of a full image; save copies it out, load
 * replaces the thread's state with buf (sanitized). Return 0 or -errno.
 */
size_t plat_fpu_size(void);
int plat_fpu_save(struct plat_thread *th, void *buf, size_t len);
int plat_fpu_load(struct plat_thread *th, const void *buf, size_t len);

/* The host vDSO in every guest process (address and size), or 0. */
uint64_t plat_vdso_base(size_t *size);
/* AT_HWCAP and AT_HWCAP2 of the host. */
uint64_t plat_hwcap(int which);

#endif
