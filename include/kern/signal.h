/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signals: the kernel's types. sigset bit (n - 1) stands for signal n;
 * _NSIG is 64 as on x86-64 Linux.
 */
#ifndef KERN_SIGNAL_H
#define KERN_SIGNAL_H

#include "kern/list.h"
#include "kern/wait.h"

#define _NSIG		64
#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32

#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

#define SIG_DFL		0UL
#define SIG_IGN		1UL

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1U << 31)
#define MINSIGSTKSZ	2048

/* si_code values */
#define SI_USER		0
#define SI_KERNEL	0x80
#define SI_QUEUE	(-1)
#define SI_TIMER	(-2)
#define SI_MESGQ	(-3)
#define SI_ASYNCIO	(-4)
#define SI_SIGIO	(-5)
#define SI_TKILL	(-6)
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_TRAPPED	4
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

typedef u64 ksigset_t;

static inline ksigset_t sigmask(int sig)
{
	return 1ULL << (sig - 1);
}

/*
 * siginfo as the guest sees it (128 bytes). Only the fields used by the
 * kernel are named; the union keeps Linux's x86-64 offsets.
 */
struct ksiginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	union {
		struct { int pid; unsigned int uid; } kill;
		struct { int tid; int overrun; u64 sigval; } timer;
		struct { int pid; unsigned int uid; u64 sigval; } rt;
		struct { int pid; unsigned int uid; int status;
			 int __pad; long utime; long stime; } chld;
		struct { u64 addr; short addr_lsb; } fault;
		struct { long band; int fd; } poll;
		struct { u64 call_addr; int syscall; unsigned int arch; } sys;
		u8 __raw[112];
	};
};
_Static_assert(sizeof(struct ksiginfo) == 128, "siginfo is 128 bytes");

struct sigqueue {
	struct list_head list;
	struct ksiginfo info;
	uid_t uid;			/* charged to this user's RLIMIT_SIGPENDING */
};

struct sigpending {
	struct list_head list;		/* of struct sigqueue */
	ksigset_t signal;
};

struct k_sigaction {
	uaddr_t handler;
	unsigned long flags;
	uaddr_t restorer;
	ksigset_t mask;
};

struct sighand {
	int refs;
	struct k_sigaction action[_NSIG];
	/* signalfd readers and pollers: woken when a signal is queued */
	struct wait_queue_head signalfd_wqh;
};

struct task;

/*
 * Sends sig to one thread / to a thread group / to a process group, from
 * the kernel: no permission check; info NULL means SI_KERNEL. Sig 0 only
 * validates. 0, -EINVAL, -EAGAIN (real-time queue full) or -ESRCH.
 */
int send_sig_info(int sig, struct ksiginfo *info, struct task *t);
int group_send_sig_info(int sig, struct ksiginfo *info, struct task *t);
int kill_pgrp(pid_t pgrp, int sig, struct ksiginfo *info);
/* A signal from the kernel itself (SI_KERNEL), e.g. SIGPIPE, SIGCHLD. */
int send_sig(int sig, struct task *t, bool group);
/* A synchronous fault: forced, unblocked, default action if ignored. */
void force_sig_fault(int sig, int code, uaddr_t addr);
void force_sig(int sig);
bool signal_pending(struct task *t);
/* Called on every return to guest code: delivers pending signals. */
void do_signal(struct task *t);
void flush_signal_handlers(struct task *t);	/* at execve */
struct sighand *sighand_alloc(void);
struct sighand *sighand_copy(struct sighand *old);
void sighand_put(struct sighand *sh);
void flush_sigqueue(struct sigpending *p);
void init_sigpending(struct sigpending *p);
/*
 * Tells the parent that t (a thread group leader) exited: queues sig
 * (t->exit_signal) with CLD_EXITED/CLD_KILLED/CLD_DUMPED siginfo from
 * t->exit_code and wakes waiters in wait4/waitid. Returns true when the
 * parent ignores SIGCHLD or set SA_NOCLDWAIT: the child is then reaped
 * at once instead of becoming a zombie.
 */
bool do_notify_parent(struct task *t, int sig);
/* Job control: tells the parent that t's group stopped or continued. */
void do_notify_parent_cldstop(struct task *t, int why);

/*
 * Makes t notice a new pending signal or group exit soon: interrupts its
 * guest code or wakes its interruptible sleep.
 */
void signal_wake_up(struct task *t);
/*
 * Called by do_exit() before anything else: the thread leaves a group stop
 * in progress, hands shared signals to a sibling and drops its own.
 */
void exit_signals(struct task *t);
/*
 * A fault with the x86 trap number and error code for the signal frame's
 * sigcontext (force_sig_fault() guesses them from sig and code).
 */
void force_sig_fault_trap(int sig, int code, uaddr_t addr,
			  unsigned long trapno, unsigned long err);

/*
 * Group stop: the wait status of a stopped group is (stop_signal << 8) |
 * 0x7f, also left in signal->group_exit_code while SIGNAL_STOPPED is set.
 * Per-thread state in task->sigflags:
 */
#define TSIG_STOP_PENDING	0x1	/* must take part in a group stop */
#define TSIG_STOPPED		0x2	/* sleeping in a group stop */
#define TSIG_EXITING		0x4	/* exit_signals() ran */

/* Signal classes (default actions and delivery order). */
#define KERNEL_ONLY_MASK	(sigmask(SIGKILL) | sigmask(SIGSTOP))
#define STOP_MASK		(sigmask(SIGSTOP) | sigmask(SIGTSTP) | \
				 sigmask(SIGTTIN) | sigmask(SIGTTOU))
#define COREDUMP_MASK		(sigmask(SIGQUIT) | sigmask(SIGILL) | \
				 sigmask(SIGTRAP) | sigmask(SIGABRT) | \
				 sigmask(SIGBUS) | sigmask(SIGFPE) | \
				 sigmask(SIGSEGV) | sigmask(SIGXCPU) | \
				 sigmask(SIGXFSZ) | sigmask(SIGSYS))
#define DEFAULT_IGNORE_MASK	(sigmask(SIGCHLD) | sigmask(SIGURG) | \
				 sigmask(SIGWINCH) | sigmask(SIGCONT))
#define SYNCHRONOUS_MASK	(sigmask(SIGSEGV) | sigmask(SIGBUS) | \
				 sigmask(SIGILL) | sigmask(SIGTRAP) | \
				 sigmask(SIGFPE) | sigmask(SIGSYS))

static inline bool valid_signal(int sig)
{
	return sig >= 0 && sig <= _NSIG;
}

/*
 * For signalfd: the signals in mask pending for t (its own and its
 * group's), and the queue woken when one is queued.
 */
ksigset_t signals_pending_in(struct task *t, ksigset_t mask);
struct wait_queue_head *signalfd_wqh(struct task *t);

/* Internal to the signal code (kernel/signal.c, kernel/sigcalls.c,
 * arch/x86/signal.c). */
int dequeue_signal(struct task *t, ksigset_t mask, struct ksiginfo *info);
int check_kill_permission(int sig, struct task *t);
int kill_task_checked(int sig, struct ksiginfo *info, struct task *t,
		      bool group, bool check);
int kill_pgrp_checked(pid_t pgrp, int sig, struct ksiginfo *info,
		      bool check);
bool is_current_pgrp_orphaned(void);
void flush_signal_from_group(struct task *t, int sig);
int setup_rt_frame(struct task *t, int sig, struct k_sigaction *ka,
		   const struct ksiginfo *info, ksigset_t oldmask);
bool on_sig_stack(struct task *t, uaddr_t sp);
int sas_ss_flags(struct task *t, uaddr_t sp);
void set_current_blocked(struct task *t, ksigset_t mask);
void force_sigsegv(int sig);

#endif
