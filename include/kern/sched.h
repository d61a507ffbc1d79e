/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tasks. A guest thread is a struct task served by its own host thread
 * (DESIGN.md decision 4): the host thread runs task_loop() (kernel/sched.c),
 * which resumes the guest through the platform, takes the big kernel lock
 * when the guest traps, handles the trap and delivers signals.
 *
 * Threads of one process share a struct signal_struct (the thread group:
 * shared pending signals, process group and session, rlimits, exit state)
 * and, with CLONE_SIGHAND, a struct sighand. Process relationships
 * (parent, children) hang off the thread group leader.
 */
#ifndef KERN_SCHED_H
#define KERN_SCHED_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/wait.h"
#include "kern/signal.h"
#include "kern/platform.h"

struct mm;
struct files_struct;
struct fs_struct;
struct tty;

#define PID_MAX		32768
#define TASK_COMM_LEN	16

struct cred {
	int refs;
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	int ngroups;
	gid_t *groups;
	u64 cap_effective, cap_permitted, cap_inheritable, cap_bset, cap_ambient;
	bool keep_caps;
};

struct cred *cred_alloc_root(void);
struct cred *cred_copy(const struct cred *c);
void cred_put(struct cred *c);
bool in_group_p(gid_t gid);		/* fsgid or a supplementary group */
bool capable(int cap);			/* current has cap in its effective set */
/* current may inspect p as ptrace's access check allows (kernel/cred.c) */
bool ptrace_may_access(struct task *p);
#define CAP_CHOWN		0
#define CAP_DAC_OVERRIDE	1
#define CAP_DAC_READ_SEARCH	2
#define CAP_FOWNER		3
#define CAP_FSETID		4
#define CAP_KILL		5
#define CAP_SETGID		6
#define CAP_SETUID		7
#define CAP_SETPCAP		8
#define CAP_NET_BIND_SERVICE	10
#define CAP_NET_ADMIN		12
#define CAP_NET_RAW		13
#define CAP_IPC_LOCK		14
#define CAP_SYS_CHROOT		18
#define CAP_SYS_PTRACE		19
#define CAP_SYS_ADMIN		21
#define CAP_SYS_BOOT		22
#define CAP_SYS_NICE		23
#define CAP_SYS_RESOURCE	24
#define CAP_SYS_TIME		25
#define CAP_SYS_TTY_CONFIG	26
#define CAP_MKNOD		27
#define CAP_SETFCAP		31
#define CAP_LAST_CAP		40

struct krlimit {
	u64 cur, max;
};
#define RLIMIT_CPU		0
#define RLIMIT_FSIZE		1
#define RLIMIT_DATA		2
#define RLIMIT_STACK		3
#define RLIMIT_CORE		4
#define RLIMIT_RSS		5
#define RLIMIT_NPROC		6
#define RLIMIT_NOFILE		7
#define RLIMIT_MEMLOCK		8
#define RLIMIT_AS		9
#define RLIMIT_LOCKS		10
#define RLIMIT_SIGPENDING	11
#define RLIMIT_MSGQUEUE		12
#define RLIMIT_NICE		13
#define RLIMIT_RTPRIO		14
#define RLIMIT_RTTIME		15
#define RLIM_NLIMITS		16
#define RLIM_INFINITY		(~0ULL)

struct itimer {
	u64 expires_ns;		/* CLOCK_MONOTONIC deadline, 0 = disarmed */
	u64 interval_ns;
};

/* Thread group state (Linux's signal_struct). */
struct signal_struct {
	int refs;
	struct list_head threads;	/* of task.thread_node */
	int nr_threads;
	int live;			/* threads not yet exited */
	struct sigpending shared_pending;
	int flags;
#define SIGNAL_GROUP_EXIT	0x1	/* exit_group or fatal signal in progress */
#define SIGNAL_STOPPED		0x2	/* group stop complete */
#define SIGNAL_STOP_CONTINUED	0x4	/* SIGCONT arrived: report to parent */
#define SIGNAL_STOP_STOPPED	0x8	/* stop to report to parent (WUNTRACED) */
	int group_exit_code;		/* wait status once exiting */
	/* execve in progress in this thread: the others die, it does not */
	struct task *group_exec_task;
	int group_stop_count;
	int stop_signal;
	pid_t pgrp;
	pid_t session;
	bool leader;			/* session leader */
	struct tty *tty;		/* controlling terminal */
	struct krlimit rlim[RLIM_NLIMITS];
	struct itimer itimer[3];	/* ITIMER_REAL, VIRTUAL, PROF */
	struct list_head posix_timers;
	u64 utime_ns, stime_ns;		/* of dead threads */
	u64 cutime_ns, cstime_ns;	/* of reaped children */
	long cmaxrss_kb;
	struct wait_queue_head wait_chldexit;	/* parent waits here (wait4) */
	int pdeath_signal_dummy;
};

enum task_state {
	TASK_NEW,		/* created, host thread not yet started */
	TASK_RUNNING,		/* guest code or kernel code */
	TASK_STOPPED,		/* group stop */
	TASK_ZOMBIE,		/* exited, waiting to be reaped */
	TASK_DEAD,		/* reaped: memory freed when the host thread ends */
};

struct task {
	pid_t pid;			/* the thread id the guest sees */
	pid_t tgid;
	struct task *group_leader;
	struct signal_struct *signal;
	struct list_head thread_node;	/* in signal->threads */

	/* process tree: meaningful on group leaders */
	struct task *parent;		/* leader of the parent process */
	struct list_head children;	/* of task.sibling */
	struct list_head sibling;
	int exit_signal;		/* sent to the parent at exit (SIGCHLD) */
	int exit_code;			/* wait status */
	enum task_state state;
	bool exit_reported;		/* zombie seen by a WNOWAIT-less wait */
	bool exec_done;			/* has called execve (setpgid EACCES) */

	struct mm *mm;
	struct files_struct *files;
	struct fs_struct *fs;
	struct cred *cred;
	struct sighand *sighand;

	ksigset_t blocked;
	ksigset_t real_blocked;		/* blocked outside rt_sigtimedwait */
	unsigned int sigflags;		/* TSIG_* (kern/signal.h) */
	unsigned long fault_trapno;	/* last fault, for the sigcontext */
	unsigned long fault_err;
	uaddr_t fault_addr;
	ksigset_t saved_sigmask;	/* restored after sigsuspend-style waits */
	bool restore_sigmask;
	struct sigpending pending;
	uaddr_t sas_ss_sp;
	size_t sas_ss_size;
	unsigned int sas_ss_flags;
	int pdeath_signal;

	uaddr_t clear_child_tid;
	uaddr_t robust_list;
	size_t robust_list_len;
	struct task *vfork_parent;	/* released at exec or exit */
	bool vfork_done;
	struct wait_queue_head vfork_wait;

	char comm[TASK_COMM_LEN];
	unsigned int personality;
	bool no_new_privs;
	int dumpable;
	int nice;
	int policy;			/* SCHED_*, bookkeeping (kernel/sched_syscalls.c) */
	int rt_priority;
	bool sched_reset_on_fork;
	u16 ioprio;
	u64 start_time_ns;		/* CLOCK_MONOTONIC at creation */
	u64 utime_ns, stime_ns;
	u64 kernel_enter_ns;
	u64 nvcsw, nivcsw, min_flt, maj_flt;

	/* execution */
	struct plat_thread *pth;
	struct plat_regs regs;
	bool in_user;			/* guest code may be running now */
	bool pth_dead;			/* its host process is gone */
	bool in_syscall;
	long syscall_nr;		/* current syscall, for restarts */
	u32 wake_seq;			/* futex word for schedule() */
	u32 host_done;			/* set when the host thread has finished */
	int refs;

	/* restart_syscall support */
	long (*restart_fn)(struct task *t);
	u64 restart_args[6];

	/* per-subsystem state hung off the task */
	void *futex_state;
	void *tty_state;
	struct list_head all_node;	/* in the global task list */
};

extern __thread struct task *current;
extern struct list_head all_tasks;
extern struct task *init_task_ptr;	/* pid 1 */

static inline bool thread_group_leader(const struct task *t)
{
	return t->group_leader == t;
}

/* pids; nr_tasks counts live task structs, bounded by max_threads() */
extern int nr_tasks;
int max_threads(void);
pid_t alloc_pid(void);
void free_pid(pid_t pid);
struct task *find_task(pid_t pid);		/* any thread, live or zombie */
struct task *find_process(pid_t tgid);		/* its group leader */
pid_t last_pid_allocated(void);			/* /proc/loadavg */
extern unsigned long nr_forks;			/* tasks created since boot */

/* reference counting of task memory (not of its life) */
void get_task(struct task *t);
void put_task(struct task *t);

/* kernel/fork.c, kernel/exit.c */
/* pidfd_at: where CLONE_PIDFD's fd goes (clone3); 0: at ptid, as clone(2) */
long do_fork(unsigned long flags, uaddr_t stack, uaddr_t ptid, uaddr_t ctid,
	     uaddr_t tls, uaddr_t pidfd_at);
void do_exit(int code) __noreturn;		/* this thread */
void do_group_exit(int code) __noreturn;	/* the whole thread group */
/* Starts the host thread of a task made by do_fork or at boot. */
int wake_up_new_task(struct task *t);

/* kernel/sched.c: the loop each task's host thread runs */
bool fatal_signal_pending(struct task *t);
void task_loop(void *arg);
void task_return_to_user(struct task *t);

/*
 * kernel/freezer.c: the whole guest paused (mconsole stop/go). While
 * frozen, task_loop() parks every task before it would run guest code.
 */
bool guests_frozen(void);
int freeze_guests(void);		/* -EALREADY, -ETIMEDOUT or 0 */
void thaw_guests(void);
void try_to_freeze(struct task *t);

/*
 * kernel/loadavg.c: the 1, 5 and 15 minute load averages, sampled every
 * 5 s (started by loadavg_init), in fixed point with FSHIFT bits of
 * fraction; nr_running_tasks counts tasks running now.
 */
#define FSHIFT		11
#define FIXED_1		(1UL << FSHIFT)
void loadavg_init(void);
void get_avenrun(unsigned long loads[3]);
int nr_running_tasks(void);

/* u64 CLOCK_MONOTONIC now */
static inline u64 ktime_get_ns(void)
{
	return os_clock_ns(OS_CLOCK_MONOTONIC);
}

/* boot time (CLOCK_MONOTONIC ns) */
extern u64 boot_time_ns;

static inline u64 task_rlimit(const struct task *t, int r)
{
	return t->signal->rlim[r].cur;
}

#endif
