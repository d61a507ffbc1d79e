// SPDX-License-Identifier: GPL-2.0
/*
 * Creating tasks: fork, vfork, clone, and pid 1 at boot.
 *
 * The guest side of a new task is made by the platform: a host fork of
 * the parent's process (copy-on-write by the host), a host process sharing
 * the parent's memory (vfork, CLONE_VM without CLONE_THREAD), or a host
 * thread in it (CLONE_THREAD). The kernel side is a struct task and a host
 * thread of ours running task_loop().
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/clone.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/mm.h"
#include "kern/fs.h"
#include "kern/boot.h"
#include "kern/exec.h"

void attach_pid(struct task *t);

int max_threads(void)
{
	u64 n = mem_total_pages / 32;

	return n < 20 ? 20 : n > PID_MAX / 2 ? PID_MAX / 2 : (int)n;
}

struct task *task_alloc(void)
{
	struct task *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->thread_node);
	init_sigpending(&t->pending);
	init_waitqueue_head(&t->vfork_wait);
	t->refs = 1;
	t->state = TASK_NEW;
	t->sas_ss_flags = SS_DISABLE;
	t->dumpable = 1;
	t->start_time_ns = ktime_get_ns();
	list_add_tail(&t->all_node, &all_tasks);
	nr_tasks++;
	return t;
}

static struct signal_struct *signal_alloc(void)
{
	struct signal_struct *sig = kzalloc(sizeof(*sig));

	if (!sig)
		return NULL;
	sig->refs = 1;
	INIT_LIST_HEAD(&sig->threads);
	INIT_LIST_HEAD(&sig->posix_timers);
	init_sigpending(&sig->shared_pending);
	init_waitqueue_head(&sig->wait_chldexit);
	return sig;
}

static void default_rlimits(struct signal_struct *sig)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		sig->rlim[i].cur = sig->rlim[i].max = RLIM_INFINITY;
	sig->rlim[RLIMIT_STACK].cur = 8ULL << 20;
	sig->rlim[RLIMIT_CORE].cur = 0;
	sig->rlim[RLIMIT_NOFILE].cur = 1024;
	sig->rlim[RLIMIT_NOFILE].max = 1024 * 1024;
	sig->rlim[RLIMIT_NPROC].cur = sig->rlim[RLIMIT_NPROC].max = 4096;
	sig->rlim[RLIMIT_MEMLOCK].cur = sig->rlim[RLIMIT_MEMLOCK].max = 8ULL << 20;
	sig->rlim[RLIMIT_SIGPENDING].cur = sig->rlim[RLIMIT_SIGPENDING].max = 4096;
	sig->rlim[RLIMIT_MSGQUEUE].cur = sig->rlim[RLIMIT_MSGQUEUE].max = 819200;
	sig->rlim[RLIMIT_NICE].cur = sig->rlim[RLIMIT_NICE].max = 0;
	sig->rlim[RLIMIT_RTPRIO].cur = sig->rlim[RLIMIT_RTPRIO].max = 0;
}

static int count_processes(uid_t uid)
{
	struct task *t;
	int n = 0;

	list_for_each_entry(t, &all_tasks, all_node)
		if (t->state != TASK_DEAD && t->cred && t->cred->uid == uid)
			n++;
	return n;
}

/* Undoes the kernel-side part of a half-made task. */
static void task_unmake(struct task *p, unsigned long flags)
{
	if (p->mm)
		mm_put(p->mm);
	if (p->files)
		files_put(p->files);
	if (p->fs)
		fs_put(p->fs);
	if (p->sighand)
		sighand_put(p->sighand);
	if (p->signal) {
		if (flags & CLONE_THREAD) {
			list_del(&p->thread_node);
			p->signal->nr_threads--;
			p->signal->live--;
			p->signal->refs--;
		} else {
			kfree(p->signal);
		}
	}
	if (!(flags & CLONE_THREAD) && !list_empty(&p->sibling))
		list_del(&p->sibling);
	cred_put(p->cred);
	if (p->pid > 0)
		free_pid(p->pid);
	p->state = TASK_DEAD;
	put_task(p);
}

static int copy_process_state(struct task *p, unsigned long flags)
{
	struct task *cur = current;

	p->cred = cred_copy(cur->cred);
	if (!p->cred)
		return -ENOMEM;
	if (flags & CLONE_FILES) {
		files_get(cur->files);
		p->files = cur->files;
	} else {
		p->files = files_dup(cur->files);
		if (IS_ERR_OR_NULL(p->files)) {
			p->files = NULL;
			return -ENOMEM;
		}
	}
	if (flags & CLONE_FS) {
		fs_get(cur->fs);
		p->fs = cur->fs;
	} else {
		p->fs = fs_copy(cur->fs);
		if (!p->fs)
			return -ENOMEM;
	}
	if (flags & CLONE_SIGHAND) {
		cur->sighand->refs++;
		p->sighand = cur->sighand;
	} else {
		p->sighand = sighand_copy(cur->sighand);
		if (!p->sighand)
			return -ENOMEM;
	}
	if (flags & CLONE_VM) {
		mm_get(cur->mm);
		p->mm = cur->mm;
	} else {
		p->mm = mm_dup(cur->mm);
		if (!p->mm)
			return -ENOMEM;
	}
	return 0;
}

static int copy_signal(struct task *p, unsigned long flags)
{
	struct task *cur = current;
	struct signal_struct *sig;

	if (flags & CLONE_THREAD) {
		sig = cur->signal;
		sig->refs++;
		p->tgid = cur->tgid;
		p->group_leader = cur->group_leader;
		p->exit_signal = -1;
	} else {
		sig = signal_alloc();
		if (!sig)
			return -ENOMEM;
		memcpy(sig->rlim, cur->signal->rlim, sizeof(sig->rlim));
		sig->pgrp = cur->signal->pgrp;
		sig->session = cur->signal->session;
		sig->tty = cur->signal->tty;
		p->tgid = p->pid;
		p->group_leader = p;
		p->parent = (flags & CLONE_PARENT) ? cur->group_leader->parent :
						    cur->group_leader;
		if (!p->parent)
			p->parent = cur->group_leader;
		p->exit_signal = (flags & CLONE_PARENT) ?
				 cur->group_leader->exit_signal :
				 (int)(flags & CSIGNAL);
		list_add_tail(&p->sibling, &p->parent->children);
	}
	p->signal = sig;
	list_add_tail(&p->thread_node, &sig->threads);
	sig->nr_threads++;
	sig->live++;
	return 0;
}

static int make_host_side(struct task *p, unsigned long flags)
{
	struct plat_thread *parent = current->pth;

	if ((flags & (CLONE_VM | CLONE_THREAD)) == (CLONE_VM | CLONE_THREAD))
		return plat_clone_thread(parent, &p->pth);
	if (flags & CLONE_VM)
		return plat_clone_vm(parent, &p->pth);
	return plat_fork(parent, &p->pth);
}

long do_fork(unsigned long flags, uaddr_t stack, uaddr_t ptid, uaddr_t ctid,
	     uaddr_t tls, uaddr_t pidfd_at)
{
	struct task *cur = current, *p;
	int r;

	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if (flags & (CLONE_NEWALL | CLONE_PTRACE))
		return -EINVAL;
	/* clone(2)'s pidfd goes where the parent's tid would: not both. */
	if (!pidfd_at)
		pidfd_at = ptid;
	if ((flags & CLONE_PIDFD) &&
	    ((flags & (CLONE_THREAD | CLONE_DETACHED)) ||
	     ((flags & CLONE_PARENT_SETTID) && pidfd_at == ptid)))
		return -EINVAL;
	if ((flags & CLONE_PARENT) && cur->pid == 1)
		return -EINVAL;
	/*
	 * Every task costs a host thread of ours and a host thread or process
	 * of the guest's: as Linux's threads-max, the count is bounded by
	 * memory (one task per 32 pages of mem=), root included.
	 */
	if (nr_tasks >= max_threads())
		return -EAGAIN;
	if (!(flags & CLONE_THREAD) && cur->cred->uid != 0 &&
	    (u64)count_processes(cur->cred->uid) >=
	    task_rlimit(cur, RLIMIT_NPROC))
		return -EAGAIN;

	p = task_alloc();
	if (!p)
		return -ENOMEM;
	r = alloc_pid();
	if (r < 0) {
		p->pid = 0;
		task_unmake(p, 0);
		return -EAGAIN;
	}
	p->pid = r;
	r = copy_signal(p, flags);
	if (r < 0) {
		task_unmake(p, flags & ~CLONE_THREAD);
		return r;
	}
	r = copy_process_state(p, flags);
	if (r < 0)
		goto fail;

	memcpy(p->comm, cur->comm, sizeof(p->comm));
	p->personality = cur->personality;
	p->no_new_privs = cur->no_new_privs;
	p->nice = cur->nice;
	p->ioprio = cur->ioprio;
	if (!cur->sched_reset_on_fork) {
		p->policy = cur->policy;
		p->rt_priority = cur->rt_priority;
	} else if (p->nice < 0) {
		p->nice = 0;	/* SCHED_RESET_ON_FORK: back to normal */
	}
	p->blocked = cur->blocked;
	if ((flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM) {
		p->sas_ss_sp = cur->sas_ss_sp;
		p->sas_ss_size = cur->sas_ss_size;
		p->sas_ss_flags = cur->sas_ss_flags;
	}
	if (flags & CLONE_CLEAR_SIGHAND) {
		/* clone3: handlers go back to default, ignored stays ignored */
		for (int i = 0; i < _NSIG; i++) {
			struct k_sigaction *ka = &p->sighand->action[i];

			if (ka->handler != SIG_IGN)
				memset(ka, 0, sizeof(*ka));
		}
	}
	p->regs = cur->regs;
	p->regs.rax = 0;
	if (stack)
		p->regs.rsp = stack;
	if (flags & CLONE_SETTLS)
		p->regs.fs_base = tls;
	if (flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = ctid;
	if (flags & CLONE_VFORK)
		p->vfork_parent = cur;

	r = make_host_side(p, flags);
	if (r < 0)
		goto fail;
	/*
	 * The new thread waits for the kernel lock we hold, so it is started
	 * before the task is visible: the host may refuse a thread (a guest
	 * making too many), which is EAGAIN for the guest, not a panic.
	 */
	r = wake_up_new_task(p);
	if (r < 0) {
		plat_kill(p->pth);
		plat_thread_put(p->pth);
		p->pth = NULL;
		r = -EAGAIN;
		goto fail;
	}
	/* Linux ignores failures of both writes too: the child exists */
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(ptid, &p->pid, sizeof(p->pid));
	if (flags & CLONE_CHILD_SETTID)
		copy_to_task(p, ctid, &p->pid, sizeof(p->pid));
	attach_pid(p);
	if (flags & CLONE_PIDFD) {
		struct file *pf = pidfd_file(p, 0);
		int fd = IS_ERR(pf) ? (int)PTR_ERR(pf) :
				      fd_install_new(cur->files, pf, O_CLOEXEC);

		/* The child exists already: a pidfd that cannot be had is
		 * reported as -1, as a failed copy of the tid is ignored. */
		if (fd < 0) {
			if (!IS_ERR(pf))
				fput(pf);
			fd = -1;
		}
		copy_to_user(pidfd_at, &fd, sizeof(fd));
	}
	/*
	 * The child's guest code starts now, while its task's host thread
	 * is still on its way: that thread only waits for the child's first
	 * event (task_loop), and a signal meanwhile interrupts the child as
	 * any running task (in_user). Frozen guests (mconsole stop) wait.
	 */
	if (!guests_frozen() && plat_start(p->pth, &p->regs) == 0)
		p->in_user = true;
	r = p->pid;
	if (flags & CLONE_VFORK) {
		/*
		 * The parent sleeps until the child execs or exits; only a
		 * fatal signal ends the wait early (as on Linux: killable).
		 */
		get_task(p);
		while (!p->vfork_done && !fatal_signal_pending(cur)) {
			DEFINE_WAIT(w);

			prepare_to_wait(&p->vfork_wait, &w);
			if (!p->vfork_done && !fatal_signal_pending(cur))
				schedule_uninterruptible();
			finish_wait(&p->vfork_wait, &w);
		}
		put_task(p);
	}
	return r;

fail:
	task_unmake(p, flags);
	return r;
}

static void task_start(void *arg)
{
	struct task *t = arg;

	current = t;
	task_loop(t);
}

int wake_up_new_task(struct task *t)
{
	t->state = TASK_RUNNING;
	return os_thread_create(task_start, t);
}

/* Called by exec and exit: a vfork parent may run again. */
void mm_release_vfork(struct task *t)
{
	if (t->vfork_parent) {
		t->vfork_done = true;
		wake_up(&t->vfork_wait);
		t->vfork_parent = NULL;
	}
}

SYSCALL_DEFINE5(clone, unsigned long, flags, uaddr_t, stack, uaddr_t, ptid,
		uaddr_t, ctid, unsigned long, tls)
{
	/* as Linux: clone(2) flags are 32 bits, the rest is clone3's */
	return do_fork(flags & 0xffffffffUL, stack, ptid, ctid, tls, 0);
}

/* struct clone_args of clone3(2), as far as we know it (VER2, 88 bytes). */
struct clone_args {
	u64 flags, pidfd, child_tid, parent_tid, exit_signal;
	u64 stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};
#define CLONE_ARGS_SIZE_VER0	64
#define MAX_PID_NS_LEVEL	32

/*
 * glibc tries clone3 first for every thread and falls back to clone on
 * ENOSYS: answering it saves that extra trap per pthread_create.
 */
SYSCALL_DEFINE2(clone3, uaddr_t, uargs, size_t, size)
{
	struct clone_args a;
	u64 flags;

	if (size > PAGE_SIZE)
		return -E2BIG;
	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	if (copy_from_user(&a, uargs, min(size, sizeof(a))))
		return -EFAULT;
	/* a larger struct from a newer libc: its unknown tail must be zero */
	for (size_t off = sizeof(a); off < size; off += 8) {
		u64 w = 0;
		size_t n = min(size - off, (size_t)8);

		if (copy_from_user(&w, uargs + off, n))
			return -EFAULT;
		if (w)
			return -E2BIG;
	}
	flags = a.flags;
	if (a.set_tid_size > MAX_PID_NS_LEVEL ||
	    (!a.set_tid && a.set_tid_size) || (a.set_tid && !a.set_tid_size))
		return -EINVAL;
	if ((a.exit_signal & ~(u64)CSIGNAL) || a.exit_signal > _NSIG)
		return -EINVAL;
	if ((flags & CLONE_INTO_CGROUP) &&
	    (a.cgroup > 0x7fffffff || size < sizeof(a)))
		return -EINVAL;
	if (flags & ~(0xffffffffULL | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP))
		return -EINVAL;
	if (flags & (CLONE_DETACHED | CSIGNAL))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && (flags & CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal)
		return -EINVAL;
	if (a.stack ? !a.stack_size || !access_ok(a.stack, a.stack_size) :
		      a.stack_size != 0)
		return -EINVAL;
	/*
	 * Choosing pids needs a pid namespace we do not have (Linux asks for
	 * CAP_CHECKPOINT_RESTORE over it), and there is no cgroup2 fs to
	 * clone into.
	 */
	if (a.set_tid_size > 1)
		return -EINVAL;
	if (a.set_tid_size)
		return -EPERM;
	if (flags & CLONE_INTO_CGROUP)
		return -EBADF;
	/* Linux fails the whole clone when the pidfd cannot be stored */
	if ((flags & CLONE_PIDFD) && !a.pidfd)
		return -EFAULT;
	return do_fork(flags | a.exit_signal, a.stack ? a.stack + a.stack_size : 0,
		       a.parent_tid, a.child_tid, a.tls, a.pidfd);
}

SYSCALL_DEFINE0(fork)
{
	return do_fork(SIGCHLD, 0, 0, 0, 0, 0);
}

SYSCALL_DEFINE0(vfork)
{
	return do_fork(CLONE_VFORK | CLONE_VM | SIGCHLD, 0, 0, 0, 0, 0);
}

SYSCALL_DEFINE1(set_tid_address, uaddr_t, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

/* ---- pid 1 ---- */

static const char *const init_candidates[] = {
	"/init", "/sbin/init", "/etc/init", "/bin/init", "/bin/sh",
};

static int try_init(const char *path)
{
	const char *argv[MAX_INIT_ARGS + 2];
	const char *envp[MAX_INIT_ARGS + 3];
	int n = 0, e = 0, r;

	argv[n++] = path;
	for (int i = 0; i < boot_params.init_argc; i++)
		argv[n++] = boot_params.init_argv[i];
	argv[n] = NULL;
	envp[e++] = "HOME=/";
	envp[e++] = "TERM=linux";
	for (int i = 0; i < boot_params.init_envc; i++)
		envp[e++] = boot_params.init_envp[i];
	envp[e] = NULL;
	pr_info("Run %s as init process\n", path);
	r = kernel_execve(path, argv, envp);
	if (r < 0)
		pr_err("Failed to execute %s (error %d).\n", path, r);
	return r;
}

static bool init_exists(const char *path)
{
	struct file *f = filp_open(path, O_PATH, 0);

	if (IS_ERR(f))
		return false;
	fput(f);
	return true;
}

static void init_main(void *arg)
{
	struct task *t = arg;
	struct file *con;
	int r = -ENOENT;

	current = t;
	os_kernel_lock();
	/* fds 0, 1 and 2 of init are /dev/console, as on Linux */
	con = filp_open("/dev/console", O_RDWR, 0);
	if (IS_ERR(con)) {
		pr_warn("Warning: unable to open an initial console.\n");
	} else {
		fd_install_new(t->files, con, 0);
		fd_install_new(t->files, get_file(con), 0);
		fd_install_new(t->files, get_file(con), 0);
	}
	if (boot_params.rdinit) {
		r = try_init(boot_params.rdinit);
		if (r < 0 && !boot_params.init)
			panic("Requested init %s failed (error %d).",
			      boot_params.rdinit, r);
	}
	if (r < 0 && boot_params.init) {
		r = try_init(boot_params.init);
		if (r < 0)
			panic("Requested init %s failed (error %d).",
			      boot_params.init, r);
	}
	for (size_t i = 0; r < 0 && i < ARRAY_SIZE(init_candidates); i++) {
		/*
		 * /init is the initramfs's program (Linux's default rdinit),
		 * tried only when it exists; a disk root starts at /sbin/init.
		 */
		if (!strcmp(init_candidates[i], "/init") &&
		    (!boot_params.initrd || !init_exists("/init")))
			continue;
		r = try_init(init_candidates[i]);
	}
	if (r < 0)
		panic("No working init found.  Try passing init= option to kernel.");
	os_kernel_unlock();
	task_loop(t);
}

int start_init(void)
{
	struct task *t;
	int r;

	os_kernel_lock();
	t = task_alloc();
	if (!t) {
		os_kernel_unlock();
		return -ENOMEM;
	}
	t->pid = alloc_pid();
	t->tgid = t->pid;
	t->group_leader = t;
	t->signal = signal_alloc();
	t->cred = cred_alloc_root();
	t->sighand = sighand_alloc();
	t->files = files_alloc();
	t->fs = fs_alloc_root();
	t->mm = mm_alloc();
	if (!t->signal || !t->cred || !t->sighand || !t->files || !t->fs ||
	    !t->mm) {
		os_kernel_unlock();
		return -ENOMEM;
	}
	default_rlimits(t->signal);
	list_add_tail(&t->thread_node, &t->signal->threads);
	t->signal->nr_threads = t->signal->live = 1;
	/* As on Linux, pid 1 starts in session 0 and leads nothing. */
	t->signal->pgrp = t->signal->session = 0;
	t->exit_signal = SIGCHLD;
	strlcpy(t->comm, "swapper", sizeof(t->comm));
	attach_pid(t);
	init_task_ptr = t;
	t->state = TASK_RUNNING;
	r = os_thread_create(init_main, t);
	os_kernel_unlock();
	return r;
}
