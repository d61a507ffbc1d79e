// SPDX-License-Identifier: GPL-2.0
/*
 * execve: gathering the arguments, finding a loader, and replacing the
 * calling process's image.
 *
 * A new image always gets a fresh host process from the platform (the old
 * host process is killed once the new one is ready), so nothing of the old
 * address space can leak into the new one, and a failure before the point
 * of no return leaves the caller exactly as it was.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/time.h"
#include "kern/exec.h"
#include "kern/fs.h"
#include "kern/mm.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

void mm_release_vfork(struct task *t);
void attach_pid(struct task *t);

#define ARG_MAX_BYTES	(2UL << 20)

static int bprm_add_string(struct linux_binprm *bprm, const char *s,
			   size_t len)
{
	if (len + 1 > MAX_ARG_STRLEN)
		return -E2BIG;
	if (bprm->strings_len + len + 1 > ARG_MAX_BYTES)
		return -E2BIG;
	if (bprm->strings_len + len + 1 > bprm->strings_cap) {
		size_t cap = max(bprm->strings_cap * 2, (size_t)4096);
		char *n;

		while (cap < bprm->strings_len + len + 1)
			cap *= 2;
		n = krealloc(bprm->strings, cap);
		if (!n)
			return -ENOMEM;
		bprm->strings = n;
		bprm->strings_cap = cap;
	}
	memcpy(bprm->strings + bprm->strings_len, s, len);
	bprm->strings[bprm->strings_len + len] = 0;
	bprm->strings_len += len + 1;
	return 0;
}

static int copy_strings_kernel(struct linux_binprm *bprm,
			       const char *const *v, int *count)
{
	int r;

	for (*count = 0; v && v[*count]; (*count)++) {
		r = bprm_add_string(bprm, v[*count], strlen(v[*count]));
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Guest memory is read a page (or what is left of one) at a time: each
 * read is a host call, and an environment's pointers and strings are
 * usually packed together, so one read serves many of them.
 */
struct user_window {
	uaddr_t base;
	size_t len;
	char buf[PAGE_SIZE];
};

/* Loads the window with what lies from addr to the end of its page. */
static int window_load(struct user_window *w, uaddr_t addr)
{
	size_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));

	w->len = 0;
	if (copy_from_user(w->buf, addr, chunk))
		return -EFAULT;
	w->base = addr;
	w->len = chunk;
	return 0;
}

static bool window_has(const struct user_window *w, uaddr_t addr, size_t len)
{
	return w->len && addr >= w->base && addr - w->base <= w->len &&
	       len <= w->len - (addr - w->base);
}

static int read_pointer(struct user_window *w, uaddr_t addr, u64 *p)
{
	if (!window_has(w, addr, 8)) {
		/* a pointer across a page boundary is read on its own */
		if (PAGE_SIZE - (addr & (PAGE_SIZE - 1)) < 8)
			return copy_from_user(p, addr, 8) ? -EFAULT : 0;
		if (window_load(w, addr) < 0)
			return -EFAULT;
	}
	memcpy(p, w->buf + (addr - w->base), 8);
	return 0;
}

/* A string that ends inside the window is taken from it; NULL if not. */
static const char *window_string(struct user_window *w, uaddr_t addr,
				 size_t *len)
{
	const char *s, *nul;

	if (!window_has(w, addr, 1) && window_load(w, addr) < 0)
		return NULL;
	s = w->buf + (addr - w->base);
	nul = memchr(s, 0, w->len - (addr - w->base));
	if (!nul)
		return NULL;
	*len = (size_t)(nul - s);
	return s;
}

static int copy_strings_user(struct linux_binprm *bprm, uaddr_t uv,
			     int *count)
{
	struct user_window *ptrs, *strs;
	char *tmp = NULL;
	int r = 0;

	*count = 0;
	if (!uv)
		return 0;
	ptrs = kmalloc(2 * sizeof(*ptrs));	/* both windows, empty */
	if (!ptrs)
		return -ENOMEM;
	strs = ptrs + 1;
	ptrs->len = strs->len = 0;
	for (;;) {
		const char *str;
		size_t len;
		u64 p;
		long n;

		if (read_pointer(ptrs, uv + 8 * (uaddr_t)*count, &p) < 0) {
			r = -EFAULT;
			break;
		}
		if (!p)
			break;
		str = window_string(strs, p, &len);
		if (!str) {
			/* longer than the rest of its page: the slow way */
			if (!tmp && !(tmp = kmalloc(MAX_ARG_STRLEN))) {
				r = -ENOMEM;
				break;
			}
			n = strncpy_from_user(tmp, p, MAX_ARG_STRLEN);
			if (n < 0) {
				r = n == -ENAMETOOLONG ? -E2BIG : (int)n;
				break;
			}
			str = tmp;
			len = (size_t)n;
		}
		r = bprm_add_string(bprm, str, len);
		if (r < 0)
			break;
		(*count)++;
	}
	kfree(tmp);
	kfree(ptrs);
	return r;
}

int bprm_open(struct linux_binprm *bprm, const char *path)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	int r;

	f = filp_open(path, O_RDONLY | __O_EXEC_OPEN, 0);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	r = file_exec_check(f);
	if (r < 0) {
		fput(f);
		return r;
	}
	n = kernel_read(f, bprm->buf, sizeof(bprm->buf), &pos);
	if (n < 0) {
		fput(f);
		return (int)n;
	}
	if (bprm->file)
		fput(bprm->file);
	bprm->file = f;
	bprm->buf_len = (size_t)n;
	kfree(bprm->interp);
	bprm->interp = kstrdup(path);
	return bprm->interp ? 0 : -ENOMEM;
}

int bprm_replace_argv0(struct linux_binprm *bprm, const char *const *args,
		       int n)
{
	size_t first = bprm->argc ? strlen(bprm->strings) + 1 : 0;
	char *old = bprm->strings;
	size_t old_len = bprm->strings_len;
	int r = 0;

	bprm->strings = NULL;
	bprm->strings_len = bprm->strings_cap = 0;
	for (int i = 0; i < n && r == 0; i++)
		r = bprm_add_string(bprm, args[i], strlen(args[i]));
	if (r == 0 && old_len > first) {
		if (bprm->strings_len + old_len - first > ARG_MAX_BYTES) {
			r = -E2BIG;
		} else {
			size_t need = bprm->strings_len + old_len - first;
			char *p = krealloc(bprm->strings, need);

			if (!p) {
				r = -ENOMEM;
			} else {
				memcpy(p + bprm->strings_len, old + first,
				       old_len - first);
				bprm->strings = p;
				bprm->strings_len = need;
				bprm->strings_cap = need;
			}
		}
	}
	kfree(old);
	if (r == 0)
		bprm->argc += n - (bprm->argc ? 1 : 0);
	return r;
}

int search_binary_handler(struct linux_binprm *bprm)
{
	int r;

	if (++bprm->depth > MAX_INTERP_DEPTH)
		return -ELOOP;
	r = load_script(bprm);
	if (r != -ENOEXEC)
		return r;
	return load_elf_binary(bprm);
}

static void bprm_free(struct linux_binprm *bprm)
{
	if (bprm->file)
		fput(bprm->file);
	kfree(bprm->strings);
	kfree(bprm->filename);
	kfree(bprm->interp);
}

/*
 * Other threads of the group must go before a new image runs. They are
 * killed as by a fatal signal, but the exec'ing thread is exempt, and
 * when it is not the leader it takes over the leader's pid, as on Linux.
 */
static int de_thread(struct task *t)
{
	struct signal_struct *sig = t->signal;
	struct task *o, *leader = t->group_leader;

	if (sig->nr_threads == 1)
		return 0;
	if (sig->flags & SIGNAL_GROUP_EXIT)
		return -EAGAIN;
	sig->flags |= SIGNAL_GROUP_EXIT;
	sig->group_exit_code = SIGKILL;
	sig->group_exec_task = t;
	list_for_each_entry(o, &sig->threads, thread_node) {
		if (o == t || o->state != TASK_RUNNING)
			continue;
		o->pending.signal |= sigmask(SIGKILL);
		if (o->in_user && o->pth)
			plat_interrupt(o->pth);
		wake_up_task(o);
	}
	/* Our own group exit is pending too: sleep regardless of signals. */
	while (sig->live > 1)
		schedule_timeout_uninterruptible(ktime_get_ns() + 1000000);
	sig->flags &= ~SIGNAL_GROUP_EXIT;
	sig->group_exec_task = NULL;
	sig->group_exit_code = 0;

	if (leader != t) {
		/* Wait for the old leader's host side to be gone, then
		 * take its place in the process tree. */
		pid_t old = t->pid;

		t->pid = leader->pid;
		t->group_leader = t;
		t->parent = leader->parent;
		t->exit_signal = leader->exit_signal;
		list_del(&t->sibling);
		list_add_tail(&t->sibling, &leader->sibling);
		list_del(&leader->sibling);
		INIT_LIST_HEAD(&leader->sibling);
		while (!list_empty(&leader->children)) {
			struct task *c = list_first_entry(&leader->children,
							  struct task, sibling);
			list_del(&c->sibling);
			c->parent = t;
			list_add_tail(&c->sibling, &t->children);
		}
		list_for_each_entry(o, &sig->threads, thread_node)
			o->group_leader = t;
		list_del(&leader->thread_node);
		sig->nr_threads--;
		sig->refs--;
		leader->state = TASK_DEAD;
		leader->signal = NULL;
		free_pid(old);
		attach_pid(t);
		put_task(leader);
	}
	return 0;
}

int exec_begin_new_image(struct linux_binprm *bprm)
{
	struct task *t = current;
	struct plat_thread *npth, *opth = t->pth;
	struct mm *nmm, *omm = t->mm;
	int r;

	r = de_thread(t);
	if (r < 0)
		return r;
	nmm = mm_alloc();
	if (!nmm)
		return -ENOMEM;
	/*
	 * An address space nobody else uses (no vfork parent waiting on it,
	 * no CLONE_VM sibling) is emptied and reused in the same host
	 * process; the old image's robust futexes and clear_child_tid are
	 * released first, while its memory is still there.
	 */
	if (opth && !t->pth_dead && omm && omm->refs == 1 &&
	    plat_exec_in_place(opth)) {
		bprm->point_of_no_return = true;
		futex_exit_release(t);
		exec_itimers(t->signal);
		t->mm = nmm;
		mm_put(omm);
		return plat_exec_reset(opth);
	}
	r = plat_spawn(&npth);
	if (r < 0) {
		mm_put(nmm);
		return r;
	}
	bprm->point_of_no_return = true;
	plat_batch_begin(npth);
	/* The old image's robust futexes and clear_child_tid, timers, time. */
	if (opth && !t->pth_dead)
		futex_exit_release(t);
	exec_itimers(t->signal);
	if (opth)
		account_exec_cputime(t, opth);
	t->pth = npth;
	t->pth_dead = false;
	t->mm = nmm;
	if (opth) {
		plat_kill(opth);
		plat_thread_put(opth);
	}
	if (omm)
		mm_put(omm);
	return 0;
}

static void set_comm(struct task *t, const char *filename)
{
	const char *base = strrchr(filename, '/');

	strlcpy(t->comm, base ? base + 1 : filename, sizeof(t->comm));
}

void exec_finish(struct linux_binprm *bprm, uaddr_t entry, uaddr_t sp)
{
	struct task *t = current;
	struct files_struct *nf;
	mode_t mode = 0;
	uid_t uid = 0;
	gid_t gid = 0;

	mm_release_vfork(t);
	t->exec_done = true;
	/* A file table shared with another process is unshared first. */
	nf = files_dup(t->files);
	if (!IS_ERR_OR_NULL(nf)) {
		files_put(t->files);
		t->files = nf;
	}
	files_close_on_exec(t->files);
	flush_signal_handlers(t);
	set_comm(t, bprm->filename);
	kfree(t->mm->exe_path);
	t->mm->exe_path = file_path(bprm->file);
	/* /proc/PID/exe opens this very file */
	if (t->mm->exe_file)
		fput(t->mm->exe_file);
	t->mm->exe_file = get_file(bprm->file);

	file_exec_ids(bprm->file, &mode, &uid, &gid);
	if (!t->no_new_privs) {
		if (mode & S_ISUID)
			t->cred->euid = t->cred->suid = t->cred->fsuid = uid;
		if ((mode & (S_ISGID | 0010)) == (S_ISGID | 0010))
			t->cred->egid = t->cred->sgid = t->cred->fsgid = gid;
	}
	t->cred->suid = t->cred->euid;
	t->cred->sgid = t->cred->egid;

	memset(&t->regs, 0, sizeof(t->regs));
	t->regs.rip = entry;
	t->regs.rsp = sp;
	t->regs.eflags = 0x202;
	t->regs.cs = 0x33;
	t->regs.ss = 0x2b;
	t->regs.fs_base = 0;
	t->sas_ss_sp = 0;
	t->sas_ss_size = 0;
	t->sas_ss_flags = SS_DISABLE;
	t->robust_list = 0;
	t->clear_child_tid = 0;
}

/* The common path of execve, execveat and kernel_execve. */
static int do_execve_common(struct linux_binprm *bprm)
{
	int r;

	r = bprm_open(bprm, bprm->filename);
	if (r < 0)
		return r;
	r = search_binary_handler(bprm);
	if (r < 0 && bprm->point_of_no_return) {
		/* Nothing left to return to: the process dies. */
		pr_warn("%s[%d]: exec of %s failed after the point of no return (%d)\n",
			current->comm, current->pid, bprm->filename, r);
		bprm_free(bprm);
		do_group_exit(SIGSEGV);
	}
	return r;
}

int kernel_execve(const char *path, const char *const *argv,
		  const char *const *envp)
{
	struct linux_binprm bprm;
	int r;

	memset(&bprm, 0, sizeof(bprm));
	bprm.filename = kstrdup(path);
	if (!bprm.filename)
		return -ENOMEM;
	r = copy_strings_kernel(&bprm, argv, &bprm.argc);
	if (r == 0)
		r = copy_strings_kernel(&bprm, envp, &bprm.envc);
	if (r == 0)
		r = do_execve_common(&bprm);
	bprm_free(&bprm);
	return r;
}

static long do_execve_user(int dfd, uaddr_t upath, uaddr_t argv, uaddr_t envp,
			   int flags)
{
	struct linux_binprm bprm;
	char *path;
	int r;

	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	path = getname(upath);
	if (IS_ERR(path) && PTR_ERR(path) == -ENOENT &&
	    (flags & AT_EMPTY_PATH) && dfd >= 0) {
		path = kasprintf("/proc/self/fd/%d", dfd);
		if (!path)
			return -ENOMEM;
	} else if (IS_ERR(path)) {
		return PTR_ERR(path);
	} else if (dfd != AT_FDCWD && path[0] != '/') {
		/* Relative to a directory fd: resolved as /proc/self/fd/N/path. */
		char *p = kasprintf("/proc/self/fd/%d/%s", dfd, path);

		putname(path);
		if (!p)
			return -ENOMEM;
		path = p;
	}
	memset(&bprm, 0, sizeof(bprm));
	bprm.filename = path;
	r = copy_strings_user(&bprm, argv, &bprm.argc);
	if (r == 0)
		r = copy_strings_user(&bprm, envp, &bprm.envc);
	if (r == 0)
		r = do_execve_common(&bprm);
	bprm_free(&bprm);
	return r;
}

SYSCALL_DEFINE3(execve, uaddr_t, path, uaddr_t, argv, uaddr_t, envp)
{
	return do_execve_user(AT_FDCWD, path, argv, envp, 0);
}

SYSCALL_DEFINE5(execveat, int, dfd, uaddr_t, path, uaddr_t, argv,
		uaddr_t, envp, int, flags)
{
	return do_execve_user(dfd, path, argv, envp, flags);
}

/*
 * The initial stack, from the top down: a NULL word, the file name
 * (AT_EXECFN), the argument and environment strings, the platform string,
 * 16 random bytes (AT_RANDOM); then, 16-byte aligned, argc, argv[], NULL,
 * envp[], NULL and the auxiliary vector. Built in a kernel buffer and
 * written with one copy.
 */
long exec_setup_stack(struct linux_binprm *bprm, const u64 *auxv, int nauxv)
{
	static const char platform_str[] = "x86_64";
	struct task *t = current;
	struct mm *mm = t->mm;
	uaddr_t top = mm->start_stack;
	size_t fnlen = strlen(bprm->filename) + 1;
	uaddr_t execfn = top - 8 - fnlen;
	uaddr_t strings = execfn - bprm->strings_len;
	uaddr_t platform = ALIGN_DOWN(strings - sizeof(platform_str), 8);
	uaddr_t random = ALIGN_DOWN(platform - 16, 16);
	size_t nwords = 1 + (size_t)bprm->argc + 1 + (size_t)bprm->envc + 1 +
			((size_t)nauxv + 4) * 2;
	uaddr_t sp = ALIGN_DOWN(random - nwords * 8, 16);
	size_t size = top - sp;
	u8 *buf;
	u64 *w;
	uaddr_t s;
	int i, r;

	if (size > task_rlimit(t, RLIMIT_STACK) / 4 + (64UL << 10) &&
	    size > (256UL << 10))
		return -E2BIG;
	buf = kzalloc(size);
	if (!buf)
		return -ENOMEM;
#define AT(addr) (buf + ((addr) - sp))
	memcpy(AT(execfn), bprm->filename, fnlen);
	memcpy(AT(strings), bprm->strings, bprm->strings_len);
	memcpy(AT(platform), platform_str, sizeof(platform_str));
	os_getrandom(AT(random), 16);
	w = (u64 *)buf;
	*w++ = (u64)bprm->argc;
	s = strings;
	for (i = 0; i < bprm->argc + bprm->envc; i++) {
		if (i == bprm->argc) {
			mm->arg_start = strings;
			mm->arg_end = s;
			*w++ = 0;
		}
		*w++ = s;
		s += strlen((char *)AT(s)) + 1;
	}
	if (bprm->argc == bprm->envc + bprm->argc) {
		mm->arg_start = strings;
		mm->arg_end = s;
		*w++ = 0;
	}
	*w++ = 0;
	mm->env_start = mm->arg_end;
	mm->env_end = s;
	mm->auxv_start = sp + (uaddr_t)((u8 *)w - buf);
	for (i = 0; i < nauxv * 2; i++)
		*w++ = auxv[i];
	*w++ = 25;		/* AT_RANDOM */
	*w++ = random;
	*w++ = 31;		/* AT_EXECFN */
	*w++ = execfn;
	*w++ = 15;		/* AT_PLATFORM */
	*w++ = platform;
	*w++ = 0;		/* AT_NULL */
	*w++ = 0;
	mm->auxv_end = sp + (uaddr_t)((u8 *)w - buf);
#undef AT
	r = copy_to_task(t, sp, buf, size);
	kfree(buf);
	return r < 0 ? r : (long)sp;
}
