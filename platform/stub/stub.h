/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the kernel (platform/systrap) and the stub that runs
 * inside every guest host process. Only fixed-width types: both sides, and
 * the guest, see the same bytes.
 *
 * Guest address space layout (host virtual addresses inside a guest process):
 *
 *   0 .. GUEST_TASK_SIZE              guest memory, managed by mm/, but
 *                                     for a hole no guest mapping may take
 *                                     (MM_HOLE_START in kern/mm.h): the
 *                                     patched sites' slot table
 *   STUB_REGION_BASE ..               one STUB_REGION_SIZE region per host
 *                                     thread: a control page, a page for a
 *                                     saved FPU image and the signal stack
 *   STUB_CODE_ADDR ..                 the stub's code (read-only, executable)
 *
 * Everything in a region is writable by guest code, so the kernel treats it
 * as untrusted input: it copies what it needs, validates, and never follows
 * a pointer found there except after bounds checking it against the region.
 */
#ifndef PLATFORM_STUB_H
#define PLATFORM_STUB_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define GUEST_TASK_SIZE		0x7f0000000000UL
#define STUB_REGION_BASE	0x7f0000000000UL
#define STUB_REGION_SHIFT	16
#define STUB_REGION_SIZE	0x10000
#define STUB_MAX_SLOTS		8192
#define STUB_CODE_ADDR		0x7f8000000000UL
#define STUB_CODE_MAX		0x100000UL
/*
 * The seccomp filter lets the stub's mapping calls touch only addresses
 * whose upper 32 bits are below this, with lengths under 4 GiB, so no call
 * made from the stub's code can reach the stub's code itself.
 */
#define STUB_MAP_LIMIT_HI	0x7f7fU

/*
 * Patched system call sites (platform/systrap/patch.c). A guest's
 * "mov $nr,%eax; syscall" becomes "jmp *slot" (ff 24 25 + the slot's
 * 32-bit address): slot k of the read-only table, mapped by the zygote
 * in a hole of every guest address space, holds the address of the
 * stub's entry k, which saves the registers and posts STUB_EV_PATCHED
 * with k. The kernel alone knows which site and number k stands for.
 *
 * The table's address makes the jump's last two bytes 0f 05: code that
 * jumps straight to the original syscall instruction (5 bytes into the
 * site, with its own number in eax) still finds one there.
 */
#define STUB_PATCH_TABLE	0x050f0000
#define STUB_PATCH_HOLE_END	0x05100000	/* = MM_HOLE_END */
#define STUB_PATCH_SLOTS	4096
#define STUB_PATCH_ENTRY_SIZE	16
/*
 * The slots come in kinds, by the instruction the jump replaced besides
 * the syscall: kind 0 "mov $nr,%eax" (the number is the kernel's record),
 * kind 1 "mov 0x8(%rsp),%r9" (libc's syscall(): the number is in rax),
 * which that kind's entries carry out before anything else.
 */
#define STUB_PATCH_KINDS	2
#define STUB_PATCH_KIND_SLOTS	(STUB_PATCH_SLOTS / STUB_PATCH_KINDS)
#define STUB_PATCH_NR_IMM	0
#define STUB_PATCH_NR_RAX	1
/* execve in place unmaps the guest's range around the hole, in two calls */
#define STUB_GUEST_LOW		0x10000UL

/* Byte offsets inside the host's struct ucontext / sigcontext on x86-64. */
#define UC_FLAGS_OFF		0
#define UC_STACK_OFF		16
#define UC_MCONTEXT_OFF		40
#define UC_SIGMASK_OFF		(UC_MCONTEXT_OFF + 256)
#define UC_SIZE			(UC_SIGMASK_OFF + 8)
/* struct sigcontext_64 field order (all 8 bytes wide). */
#define SC_R8		0
#define SC_R9		1
#define SC_R10		2
#define SC_R11		3
#define SC_R12		4
#define SC_R13		5
#define SC_R14		6
#define SC_R15		7
#define SC_RDI		8
#define SC_RSI		9
#define SC_RBP		10
#define SC_RBX		11
#define SC_RDX		12
#define SC_RAX		13
#define SC_RCX		14
#define SC_RSP		15
#define SC_RIP		16
#define SC_EFLAGS	17
#define SC_CSGSFS	18
#define SC_ERR		19
#define SC_TRAPNO	20
#define SC_OLDMASK	21
#define SC_CR2		22
#define SC_FPSTATE	23
#define SC_NREGS		24

/* Region layout. */
#define STUB_DATA_OFF		0x0000
#define STUB_FPU_OFF		0x1000	/* 64-byte aligned XSAVE image, for new threads */
#define STUB_FPU_MAX		0x2000
#define STUB_STACK_OFF		0x3000
#define STUB_STACK_SIZE		(STUB_REGION_SIZE - STUB_STACK_OFF)
/*
 * A new thread's first ucontext, built there by the kernel before the
 * host clone, with the FPU image it starts from just below: the stub
 * waits for its first command, then enters guest code from it. The
 * stub's own frames until then stay in the 2 KiB above. Both sit in the
 * pages the signal frames use later: every page of a region a new thread
 * touches is a page fault in two processes and a page to clear.
 */
#define STUB_ENTRY_UC_OFF	(STUB_REGION_SIZE - 0x800 - 0x200)

/*
 * A patched call's state, written by the entry code through GS, whose
 * base is the thread's region: a ucontext (the same layout as a signal
 * frame's, so the kernel reads it the same way, and rt_sigreturn can
 * resume from it) at the bottom of the signal stack, which signal frames
 * never reach, and an XSAVE image in the FPU pages.
 */
#define STUB_PATCH_UC_OFF	STUB_STACK_OFF
#define STUB_PATCH_FPU_OFF	STUB_FPU_OFF
#define STUB_PATCH_MC_OFF	(STUB_PATCH_UC_OFF + UC_MCONTEXT_OFF)
/* struct stub_patch, at this offset in the control page */
#define STUB_PATCH_OFF		0xf00
#define SP_SELF			(STUB_PATCH_OFF + 0)	/* the region's address */
#define SP_SLOT			(STUB_PATCH_OFF + 8)	/* entry code: slot k */
#define SP_INTR			(STUB_PATCH_OFF + 16)	/* an interrupt came meanwhile */
#define SP_FPU_DIRTY		(STUB_PATCH_OFF + 24)	/* kernel changed the image */
#define SP_XFEATURES		(STUB_PATCH_OFF + 32)
#define SP_XSTATE_SIZE		(STUB_PATCH_OFF + 40)

/* Fixed host fds in a guest process. */
#define STUB_CTL_FD		3	/* SOCK_SEQPACKET to the kernel: fd passing */

/* The host signal the kernel uses to interrupt a thread running guest code. */
#define STUB_SIG_INTERRUPT	12	/* SIGUSR2 */

/* Host clone flags the stub may use (the filter allows exactly these). */
#define STUB_CLONE_TID		(0x01000000UL /* CLONE_CHILD_SETTID */ | \
				 0x00200000UL /* CLONE_CHILD_CLEARTID */)
#define STUB_CLONE_FORK		(0x00008000UL /* CLONE_PARENT */ | 17 /* SIGCHLD */ | \
				 STUB_CLONE_TID)
#define STUB_CLONE_VM		(0x00000100UL /* CLONE_VM */ | STUB_CLONE_FORK)
#define STUB_CLONE_THREAD	(0x00000100UL | 0x00000800UL /* SIGHAND */ | \
				 0x00010000UL /* THREAD */ | 0x00000400UL /* FILES */ | \
				 0x00000200UL /* FS */ | 0x00040000UL /* SYSVSEM */ | \
				 STUB_CLONE_TID)

#ifndef __ASSEMBLER__
/* The state word: the futex both sides sleep on. */
enum {
	STUB_ST_BUSY = 0,	/* stub or guest running */
	STUB_ST_EVENT = 1,	/* stub posted an event, kernel's turn */
	STUB_ST_CMD = 2,	/* kernel posted a command, stub's turn */
	STUB_ST_DEAD = 3,	/* host thread gone (set by the kernel's reaper) */
};

/*
 * A new region starts in the EVENT state (set by the kernel), as if its
 * thread had posted an event: the kernel's first command needs no
 * separate "ready" hand-over from the new thread.
 */
enum {
	STUB_EV_SYSCALL = 1,	/* guest made a system call (SIGSYS) */
	STUB_EV_FAULT,		/* guest faulted: signo/siginfo describe it */
	STUB_EV_INTERRUPT,	/* kernel asked (STUB_SIG_INTERRUPT) */
	STUB_EV_CALLS_DONE,	/* the host calls of the last command ran */
	STUB_EV_PATCHED,	/* system call from a patched site: patch.slot */
};

enum {
	STUB_CMD_RESUME = 1,	/* restore the ucontext, back to guest code */
	STUB_CMD_CALLS,		/* run calls[0..ncalls) then post CALLS_DONE */
	STUB_CMD_EXIT,		/* this host thread exits */
	/*
	 * run calls[0..ncalls), then resume without posting; any failure
	 * ends the whole process (used for what must be done before a new
	 * process runs guest code at all)
	 */
	STUB_CMD_CALLS_RESUME,
};

/* Pseudo system call numbers for calls[]. */
#define STUB_CALL_RECVFD	-1L	/* receive one fd from STUB_CTL_FD; ret = fd */
#define STUB_CALL_CLONE		-2L	/* args: flags, child region, new ctl fd */

#define STUB_MAX_CALLS		16
#define STUB_ARG_NONE		0xff

struct stub_call {
	int64_t nr;
	uint64_t args[6];
	int64_t ret;
	/* index of an argument replaced by the fd of the last RECVFD, or NONE */
	uint8_t fd_arg;
	uint8_t pad[7];
};

struct stub_data {
	uint32_t state;
	uint32_t kernel_waiting;
	uint32_t stub_waiting;
	uint32_t event;
	uint32_t cmd;
	int32_t signo;
	uint64_t uc;		/* guest address of the event's ucontext */
	uint64_t si;		/* guest address of the event's siginfo */
	uint32_t ncalls;
	uint32_t ndone;		/* calls run; the last may have failed */
	struct stub_call calls[STUB_MAX_CALLS];
	uint64_t fs_base;
	uint32_t set_fs;	/* set FS base to fs_base before resuming */
	uint32_t spin;		/* TSC cycles to spin before sleeping */
	uint32_t host_tid;	/* set at start, cleared by the host at exit */
	int32_t new_ctl_fd;	/* fork child: move this fd to STUB_CTL_FD */
	uint64_t kernel_pid;	/* parent check for PDEATHSIG races */
	uint32_t filter_len;	/* new process: seccomp program at STUB_FPU_OFF */
	uint32_t kernel_blocked; /* the task sleeps in the kernel: stop spinning */
	/*
	 * set_robust_list(2) is answered by the stub itself (it only records
	 * a guest pointer, which the kernel reads as untrusted at exit):
	 * robust_set says robust_head is newer than the kernel's record.
	 */
	uint32_t robust_set;
	uint64_t robust_head;
	/*
	 * How a waiting side spends its window: STUB_WAIT_YIELD gives the
	 * CPU up between looks (a side waited for on the same CPU can only
	 * answer then), STUB_WAIT_PAUSE only pauses (UML_WAIT=pause).
	 */
	uint32_t wait_mode;
	uint32_t pad_wait;
};

struct stub_patch {
	uint64_t self;
	uint64_t slot;
	uint64_t intr_pending;
	uint64_t fpu_dirty;
	uint64_t xfeatures;	/* XCR0: the image's software bytes */
	uint64_t xstate_size;	/* XSAVE image size, 0: no patching */
};

static inline struct stub_patch *stub_patch_of(struct stub_data *d)
{
	return (struct stub_patch *)((char *)d + STUB_PATCH_OFF);
}

enum {
	STUB_WAIT_PAUSE = 0,
	STUB_WAIT_YIELD,
};

#define STUB_NR_SET_ROBUST_LIST	273
#define STUB_ROBUST_HEAD_SIZE	24	/* struct robust_list_head */
#define STUB_AUDIT_ARCH_X86_64	0xc000003eU

#endif /* __ASSEMBLER__ */
#endif
