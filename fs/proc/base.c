// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID: one directory per process, in Linux's formats.
 */
#include "internal.h"
#include "kern/mm.h"
#include "kern/uaccess.h"

#define HZ	100
#define NS_PER_TICK	(1000000000ULL / HZ)

int proc_show_mounts(struct inode *inode, struct seq *s);

static char state_char(struct task *t)
{
	switch (t->state) {
	case TASK_ZOMBIE:
		return 'Z';
	case TASK_STOPPED:
		return 'T';
	case TASK_DEAD:
		return 'X';
	default:
		return (t == current || t->in_user) ? 'R' : 'S';
	}
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "X (dead)";
	}
}

static u64 group_time(struct task *leader, bool sys)
{
	struct task *t;
	u64 ns = sys ? leader->signal->stime_ns : leader->signal->utime_ns;

	list_for_each_entry(t, &leader->signal->threads, thread_node)
		ns += sys ? t->stime_ns : t->utime_ns;
	return ns;
}

static int show_stat(struct inode *inode, struct seq *s)
{
	struct task *t = proc_task(inode);
	struct signal_struct *sig;
	struct mm *mm;
	u64 start;

	if (!t)
		return -ESRCH;
	sig = t->signal;
	mm = t->mm;
	start = (t->start_time_ns - boot_time_ns) / NS_PER_TICK;
	return seq_printf(s,
		"%d (%s) %c %d %d %d %d %d %u %llu 0 %llu 0 %llu %llu %llu %llu "
		"20 %d %d 0 %llu %llu %llu %llu %lu %lu %lu 0 0 0 0 0 0 0 0 0 %d "
		"0 0 0 0 0 0 %lu %lu %lu %lu %lu %lu %lu %d\n",
		t->tgid, t->comm, state_char(t),
		t->parent ? t->parent->tgid : 0, sig->pgrp, sig->session,
		0, -1, 0x400000u,
		(unsigned long long)t->min_flt, (unsigned long long)t->maj_flt,
		(unsigned long long)(group_time(t, false) / NS_PER_TICK),
		(unsigned long long)(group_time(t, true) / NS_PER_TICK),
		(unsigned long long)(sig->cutime_ns / NS_PER_TICK),
		(unsigned long long)(sig->cstime_ns / NS_PER_TICK),
		t->nice, sig->nr_threads, (unsigned long long)start,
		(unsigned long long)(mm ? mm->total_vm * PAGE_SIZE : 0),
		(unsigned long long)(mm ? mm->total_vm : 0),
		(unsigned long long)sig->rlim[RLIMIT_RSS].cur,
		mm ? mm->start_code : 0, mm ? mm->end_code : 0,
		mm ? mm->start_stack : 0, t->exit_signal,
		mm ? mm->start_data : 0, mm ? mm->end_data : 0,
		mm ? mm->start_brk : 0, mm ? mm->arg_start : 0,
		mm ? mm->arg_end : 0, mm ? mm->env_start : 0,
		mm ? mm->env_end : 0,
		t->state == TASK_ZOMBIE ? t->exit_code : 0);
}

static int show_statm(struct inode *inode, struct seq *s)
{
	struct task *t = proc_task(inode);
	struct mm_stats st = { 0 };

	if (!t)
		return -ESRCH;
	if (t->mm)
		mm_stats(t->mm, &st);
	return seq_printf(s, "%llu %llu %llu %llu 0 %llu 0\n",
			  (unsigned long long)st.total_vm,
			  (unsigned long long)st.total_vm,
			  (unsigned long long)st.shared_vm,
			  (unsigned long long)st.exec_vm,
			  (unsigned long long)(st.data_vm + st.stack_vm));
}

static int show_status(struct inode *inode, struct seq *s)
{
	struct task *t = proc_task(inode);
	const struct cred *c;
	struct mm_stats st = { 0 };
	char state;
	ksigset_t ign = 0, cgt = 0;
	int r;

	if (!t)
		return -ESRCH;
	c = t->cred;
	state = state_char(t);
	if (t->mm)
		mm_stats(t->mm, &st);
	if (t->sighand) {
		for (int i = 0; i < _NSIG; i++) {
			if (t->sighand->action[i].handler == SIG_IGN)
				ign |= 1ULL << i;
			else if (t->sighand->action[i].handler != SIG_DFL)
				cgt |= 1ULL << i;
		}
	}
	r = seq_printf(s, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\n"
		       "Ngid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
		       "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
		       "FDSize:\t%d\nGroups:\t",
		       t->comm, t->fs ? t->fs->umask : 0, state_name(state),
		       t->tgid, t->tgid, t->parent ? t->parent->tgid : 0,
		       c->uid, c->euid, c->suid, c->fsuid,
		       c->gid, c->egid, c->sgid, c->fsgid,
		       t->files ? files_count_max(t->files) : 0);
	for (int i = 0; !r && i < c->ngroups; i++)
		r = seq_printf(s, "%u ", c->groups[i]);
	if (!r && t->mm)
		r = seq_printf(s, "\nVmPeak:\t%8llu kB\nVmSize:\t%8llu kB\n"
			       "VmLck:\t%8llu kB\nVmData:\t%8llu kB\n"
			       "VmStk:\t%8llu kB\nVmExe:\t%8llu kB",
			       (unsigned long long)st.total_vm * 4,
			       (unsigned long long)st.total_vm * 4,
			       (unsigned long long)st.locked_vm * 4,
			       (unsigned long long)st.data_vm * 4,
			       (unsigned long long)st.stack_vm * 4,
			       (unsigned long long)st.exec_vm * 4);
	if (!r)
		r = seq_printf(s, "\nThreads:\t%d\nSigPnd:\t%016llx\n"
			       "ShdPnd:\t%016llx\nSigBlk:\t%016llx\n"
			       "SigIgn:\t%016llx\nSigCgt:\t%016llx\n"
			       "CapInh:\t%016llx\nCapPrm:\t%016llx\n"
			       "CapEff:\t%016llx\nCapBnd:\t%016llx\n"
			       "CapAmb:\t%016llx\nNoNewPrivs:\t%d\n",
			       t->signal->nr_threads,
			       (unsigned long long)t->pending.signal,
			       (unsigned long long)t->signal->shared_pending.signal,
			       (unsigned long long)t->blocked,
			       (unsigned long long)ign, (unsigned long long)cgt,
			       (unsigned long long)c->cap_inheritable,
			       (unsigned long long)c->cap_permitted,
			       (unsigned long long)c->cap_effective,
			       (unsigned long long)c->cap_bset,
			       (unsigned long long)c->cap_ambient,
			       t->no_new_privs);
	return r;
}

static int show_comm(struct inode *inode, struct seq *s)
{
	struct task *t = proc_task(inode);

	if (!t)
		return -ESRCH;
	return seq_printf(s, "%s\n", t->comm);
}

/* Copies [start, end) of t's memory: its arguments or environment. */
static int show_area(struct task *t, uaddr_t start, uaddr_t end,
		     struct seq *s)
{
	char buf[4096];

	if (!t->mm || end <= start || t->pth_dead)
		return 0;
	if (end - start > PROC_MAX_FILE / 2)
		end = start + PROC_MAX_FILE / 2;
	while (start < end) {
		size_t n = min((size_t)(end - start), sizeof(buf));

		if (copy_from_task(t, buf, start, n))
			break;
		if (seq_write(s, buf, n))
			return -ENOMEM;
		start += n;
	}
	return 0;
}

static int show_cmdline(struct inode *inode, struct seq *s)
{
	struct task *t = proc_task(inode);

	if (!t)
		return -ESRCH;
	if (t->state == TASK_ZOMBIE || !t->mm)
		return 0;
	return show_area(t, t->mm->arg_start, t->mm->arg_end, s);
}

static int show_environ(struct inode *inode, struct seq *s)
{
	struct task *t = proc_task(inode);

	if (!t)
		return -ESRCH;
	if (!proc_may_access(t))
		return -EACCES;
	if (t->state == TASK_ZOMBIE || !t->mm)
		return 0;
	return show_area(t, t->mm->env_start, t->mm->env_end, s);
}

static int show_maps(struct inode *inode, struct seq *s)
{
	struct task *t = proc_task(inode);
	size_t len;
	char *text;
	int r;

	if (!t)
		return -ESRCH;
	if (!proc_may_access(t))
		return -EACCES;
	if (!t->mm || t->state == TASK_ZOMBIE)
		return 0;
	text = mm_maps_text(t->mm, &len);
	if (!text)
		return -ENOMEM;
	r = seq_write(s, text, len);
	kfree(text);
	return r;
}

static char *path_link(struct inode *inode, int which)
{
	struct task *t = proc_task(inode);
	struct path root, *p;
	char *buf, *str, *res;

	if (!t)
		return ERR_PTR(-ENOENT);
	if (!proc_may_access(t))
		return ERR_PTR(-EACCES);
	if (which == 0) {
		if (!t->mm || !t->mm->exe_path)
			return ERR_PTR(-ENOENT);
		res = kstrdup(t->mm->exe_path);
		return res ? res : ERR_PTR(-ENOMEM);
	}
	if (!t->fs)
		return ERR_PTR(-ENOENT);
	p = which == 1 ? &t->fs->pwd : &t->fs->root;
	buf = kmalloc(PATH_MAX);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	get_fs_root(&root);
	str = d_path(p, &root, buf, PATH_MAX);
	path_put(&root);
	res = IS_ERR(str) ? str : kstrdup(str);
	kfree(buf);
	return res ? res : ERR_PTR(-ENOMEM);
}

static char *exe_link(struct inode *inode)
{
	return path_link(inode, 0);
}

static char *cwd_link(struct inode *inode)
{
	return path_link(inode, 1);
}

static char *root_link(struct inode *inode)
{
	return path_link(inode, 2);
}

/* /proc/PID/fd/N: what the fd refers to, as Linux names it. */
static char *fd_link(struct inode *inode)
{
	struct task *t = proc_task(inode);
	struct file *f;
	struct inode *fi;
	char *s;

	if (!t || !t->files)
		return ERR_PTR(-ENOENT);
	if (!proc_may_access(t))
		return ERR_PTR(-EACCES);
	f = fd_lookup(t->files, PI(inode)->fd);
	if (!f)
		return ERR_PTR(-ENOENT);
	fi = f->c.f_inode;
	if (fi && S_ISFIFO(fi->i_mode) && f->f_path.dentry &&
	    f->f_path.dentry->d_parent == f->f_path.dentry &&
	    fi->i_sb != root_mnt->mnt_sb)
		s = kasprintf("pipe:[%lu]", fi->i_ino);
	else
		s = file_path(f);
	return s ? s : ERR_PTR(-ENOMEM);
}

static const struct proc_entry fd_entry = {
	"fd", S_IFLNK | 0700, PROC_OWNED, .link = fd_link,
};

static int parse_num(const char *s, unsigned int len, int *out)
{
	long v = 0;

	if (!len || len > 9)
		return -ENOENT;
	for (unsigned int i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -ENOENT;
		v = v * 10 + (s[i] - '0');
	}
	if (len > 1 && s[0] == '0')
		return -ENOENT;
	*out = (int)v;
	return 0;
}

static int fd_dir_lookup(struct inode *dir, struct dentry *d)
{
	struct task *t = proc_task(dir);
	struct inode *inode;
	int fd;

	if (parse_num(d->d_name.name, d->d_name.len, &fd))
		return 0;
	if (!t || !t->files || !fd_lookup(t->files, fd))
		return 0;
	if (!proc_may_access(t))
		return -EACCES;
	inode = proc_make_inode(dir->i_sb, &fd_entry, PI(dir)->pid, fd);
	if (!inode)
		return -ENOMEM;
	d_instantiate(d, inode);
	return 0;
}

static int fd_dir_iterate(struct file *f, void *ctx, proc_emit_fn emit)
{
	struct task *t = proc_task(f->c.f_inode);
	char name[16];

	if (proc_emit_static(f, ctx, emit, NULL, 0))
		return 0;
	if (!t || !t->files)
		return 0;
	if (!proc_may_access(t))
		return -EACCES;
	for (int fd = (int)f->c.f_pos - 2; fd < files_count_max(t->files);
	     fd++) {
		int n;

		if (!fd_lookup(t->files, fd))
			continue;
		n = snprintf(name, sizeof(name), "%d", fd);
		if (emit(ctx, name, n, 0x10000 + (u64)fd, DT_LNK, fd + 3))
			return 0;
		f->c.f_pos = fd + 3;
	}
	return 0;
}

static const struct proc_entry pid_children[] = {
	{ "stat", S_IFREG | 0444, PROC_OWNED, show_stat },
	{ "statm", S_IFREG | 0444, PROC_OWNED, show_statm },
	{ "status", S_IFREG | 0444, PROC_OWNED, show_status },
	{ "cmdline", S_IFREG | 0444, PROC_OWNED, show_cmdline },
	{ "comm", S_IFREG | 0644, PROC_OWNED, show_comm },
	{ "environ", S_IFREG | 0400, PROC_OWNED, show_environ },
	{ "maps", S_IFREG | 0444, PROC_OWNED, show_maps },
	{ "mounts", S_IFREG | 0444, PROC_OWNED, proc_show_mounts },
	{ "exe", S_IFLNK | 0777, PROC_OWNED, .link = exe_link },
	{ "cwd", S_IFLNK | 0777, PROC_OWNED, .link = cwd_link },
	{ "root", S_IFLNK | 0777, PROC_OWNED, .link = root_link },
	{ "fd", S_IFDIR | 0500, PROC_OWNED, .lookup = fd_dir_lookup,
	  .iterate = fd_dir_iterate },
	{ NULL }
};

const struct proc_entry proc_pid_entry = {
	"pid", S_IFDIR | 0555, PROC_OWNED, .children = pid_children,
};

int proc_root_lookup_pid(struct inode *dir, struct dentry *d)
{
	struct task *t;
	struct inode *inode;
	int pid;

	if (parse_num(d->d_name.name, d->d_name.len, &pid))
		return 0;
	t = find_process(pid);
	if (!t || t->state == TASK_DEAD || t->tgid != pid)
		return 0;
	inode = proc_make_inode(dir->i_sb, &proc_pid_entry, pid, -1);
	if (!inode)
		return -ENOMEM;
	d_instantiate(d, inode);
	return 0;
}

/* Processes in pid order; f_pos = first + the next pid to list. */
int proc_root_iterate_pids(struct file *f, void *ctx, proc_emit_fn emit,
			   loff_t first)
{
	for (;;) {
		pid_t want = (pid_t)(f->c.f_pos - first), best = 0;
		struct task *t;
		char name[16];
		int n;

		list_for_each_entry(t, &all_tasks, all_node) {
			if (!thread_group_leader(t) || t->state == TASK_DEAD)
				continue;
			if (t->tgid >= want && (!best || t->tgid < best))
				best = t->tgid;
		}
		if (!best)
			return 0;
		n = snprintf(name, sizeof(name), "%d", best);
		if (emit(ctx, name, n, 0x100000 + (u64)best, DT_DIR,
			 first + best + 1))
			return 1;
		f->c.f_pos = first + best + 1;
	}
}
