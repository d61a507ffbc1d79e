// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID: one directory per process, in Linux's formats.
 */
#include "internal.h"
#include "kern/mm.h"
#include "kern/uaccess.h"
#include "kern/time.h"
#include "kern/tty.h"

#define HZ	100
#define NS_PER_TICK	(1000000000ULL / HZ)

int proc_show_mounts(struct inode *inode, struct seq *s);
int proc_show_mountinfo(struct inode *inode, struct seq *s);

/* One cgroup (v2) hierarchy with everything at its root. */
static int show_cgroup(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "0::/\n");
}

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

/* What /proc shows of one task, gathered once for stat and status. */
struct task_info {
	struct task *t, *leader;
	bool whole;			/* the process, not one thread */
	u64 utime, stime;		/* ns */
	long rss_kb;			/* -1: unknown */
	ksigset_t pending, shared, blocked, ignored, caught;
	int queued;			/* signals queued */
	u32 tty_nr;			/* guest encoding */
	pid_t tpgid, ppid;
};

static int count_list(const struct list_head *h)
{
	const struct list_head *e;
	int n = 0;

	for (e = h->next; e != h; e = e->next)
		n++;
	return n;
}

static void task_info(struct inode *inode, struct task *t,
		      struct task_info *ti)
{
	struct signal_struct *sig = t->signal;

	memset(ti, 0, sizeof(*ti));
	ti->t = t;
	ti->leader = t->group_leader ? t->group_leader : t;
	ti->whole = !PI(inode)->thread;
	if (ti->whole)
		thread_group_cputime(t, &ti->utime, &ti->stime);
	else
		task_cputime(t, &ti->utime, &ti->stime);
	ti->rss_kb = -1;
	if (t->mm && t->pth && !t->pth_dead && t->state != TASK_ZOMBIE)
		ti->rss_kb = os_process_rss_kb(plat_host_pid(t->pth));
	ti->pending = t->pending.signal;
	ti->shared = sig->shared_pending.signal;
	ti->blocked = t->blocked;
	ti->queued = count_list(&t->pending.list) +
		     count_list(&sig->shared_pending.list);
	if (t->sighand) {
		for (int i = 0; i < _NSIG; i++) {
			uaddr_t h = t->sighand->action[i].handler;

			if (h == SIG_IGN)
				ti->ignored |= 1ULL << i;
			else if (h != SIG_DFL)
				ti->caught |= 1ULL << i;
		}
	}
	ti->tpgid = -1;
	if (sig->tty) {
		ti->tty_nr = (u32)encode_dev_user(tty_devnum(sig->tty));
		ti->tpgid = tty_fg_pgrp(sig->tty);
	}
	ti->ppid = ti->leader->parent ? ti->leader->parent->tgid : 0;
}

static int show_stat(struct inode *inode, struct seq *s)
{
	struct task *t = proc_task(inode);
	struct signal_struct *sig;
	struct task_info ti;
	struct mm *mm;
	u64 start;
	int r;

	if (!t)
		return -ESRCH;
	task_info(inode, t, &ti);
	sig = t->signal;
	mm = t->state == TASK_ZOMBIE ? NULL : t->mm;
	start = (t->start_time_ns - boot_time_ns) / NS_PER_TICK;
	/* the fields of proc(5), in order */
	r = seq_printf(s, "%d (%s) %c %d %d %d %u %d %u %llu 0 %llu 0 "
		       "%llu %llu %llu %llu %d %d %d 0 %llu ",
		       t->pid, t->comm, state_char(t), ti.ppid, sig->pgrp,
		       sig->session, ti.tty_nr, ti.tpgid, 0x400000u,
		       (unsigned long long)t->min_flt,
		       (unsigned long long)t->maj_flt,
		       (unsigned long long)(ti.utime / NS_PER_TICK),
		       (unsigned long long)(ti.stime / NS_PER_TICK),
		       (unsigned long long)(ti.whole ? sig->cutime_ns /
					    NS_PER_TICK : 0),
		       (unsigned long long)(ti.whole ? sig->cstime_ns /
					    NS_PER_TICK : 0),
		       20 + t->nice, t->nice, sig->nr_threads,
		       (unsigned long long)start);
	if (!r)
		r = seq_printf(s, "%llu %ld %llu %lu %lu %lu 0 0 "
			       "%llu %llu %llu %llu 0 0 0 %d 0 0 0 0 0 0 ",
			       (unsigned long long)(mm ? mm->total_vm *
						    PAGE_SIZE : 0),
			       ti.rss_kb > 0 ? ti.rss_kb / 4 : 0,
			       (unsigned long long)sig->rlim[RLIMIT_RSS].cur,
			       mm ? mm->start_code : 0, mm ? mm->end_code : 0,
			       mm ? mm->start_stack : 0,
			       (unsigned long long)(ti.pending | ti.shared),
			       (unsigned long long)ti.blocked,
			       (unsigned long long)ti.ignored,
			       (unsigned long long)ti.caught,
			       ti.leader->exit_signal);
	if (!r)
		r = seq_printf(s, "%lu %lu %lu %lu %lu %lu %lu %d\n",
			       mm ? mm->start_data : 0, mm ? mm->end_data : 0,
			       mm ? mm->start_brk : 0, mm ? mm->arg_start : 0,
			       mm ? mm->arg_end : 0, mm ? mm->env_start : 0,
			       mm ? mm->env_end : 0,
			       t->state == TASK_ZOMBIE ? t->exit_code : 0);
	return r;
}

static int show_statm(struct inode *inode, struct seq *s)
{
	struct task *t = proc_task(inode);
	struct mm_stats st = { 0 };
	struct task_info ti;

	if (!t)
		return -ESRCH;
	task_info(inode, t, &ti);
	if (t->mm && t->state != TASK_ZOMBIE)
		mm_stats(t->mm, &st);
	return seq_printf(s, "%llu %llu %llu %llu 0 %llu 0\n",
			  (unsigned long long)st.total_vm,
			  (unsigned long long)(ti.rss_kb > 0 ? ti.rss_kb / 4 : 0),
			  (unsigned long long)st.shared_vm,
			  (unsigned long long)st.exec_vm,
			  (unsigned long long)(st.data_vm + st.stack_vm));
}

static int show_status(struct inode *inode, struct seq *s)
{
	struct task *t = proc_task(inode);
	const struct cred *c;
	struct mm_stats st = { 0 };
	struct task_info ti;
	char state;
	int r, ncpu = os_nprocs();

	if (!t)
		return -ESRCH;
	task_info(inode, t, &ti);
	c = t->cred;
	state = state_char(t);
	r = seq_printf(s, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\n"
		       "Ngid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
		       "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
		       "FDSize:\t%d\nGroups:\t",
		       t->comm, t->fs ? t->fs->umask : 0, state_name(state),
		       t->tgid, t->pid, ti.ppid,
		       c->uid, c->euid, c->suid, c->fsuid,
		       c->gid, c->egid, c->sgid, c->fsgid,
		       t->files ? files_count_max(t->files) : 0);
	for (int i = 0; !r && i < c->ngroups; i++)
		r = seq_printf(s, "%u ", c->groups[i]);
	if (!r)
		r = seq_printf(s, "\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\n"
			       "NSsid:\t%d\n", t->tgid, t->pid,
			       t->signal->pgrp, t->signal->session);
	if (!r && t->mm && t->state != TASK_ZOMBIE) {
		mm_stats(t->mm, &st);
		r = seq_printf(s, "VmPeak:\t%8llu kB\nVmSize:\t%8llu kB\n"
			       "VmLck:\t%8llu kB\nVmPin:\t%8llu kB\n",
			       (unsigned long long)st.total_vm * 4,
			       (unsigned long long)st.total_vm * 4,
			       (unsigned long long)st.locked_vm * 4, 0ULL);
		if (!r && ti.rss_kb >= 0)
			r = seq_printf(s, "VmHWM:\t%8ld kB\nVmRSS:\t%8ld kB\n",
				       ti.rss_kb, ti.rss_kb);
		if (!r)
			r = seq_printf(s, "VmData:\t%8llu kB\nVmStk:\t%8llu kB\n"
				       "VmExe:\t%8llu kB\nVmSwap:\t%8llu kB\n",
				       (unsigned long long)st.data_vm * 4,
				       (unsigned long long)st.stack_vm * 4,
				       (unsigned long long)st.exec_vm * 4, 0ULL);
	}
	if (!r)
		r = seq_printf(s, "Threads:\t%d\nSigQ:\t%d/%llu\nSigPnd:\t%016llx\n"
			       "ShdPnd:\t%016llx\nSigBlk:\t%016llx\n"
			       "SigIgn:\t%016llx\nSigCgt:\t%016llx\n"
			       "CapInh:\t%016llx\nCapPrm:\t%016llx\n"
			       "CapEff:\t%016llx\nCapBnd:\t%016llx\n"
			       "CapAmb:\t%016llx\nNoNewPrivs:\t%d\n"
			       "Seccomp:\t0\n",
			       t->signal->nr_threads, ti.queued,
			       (unsigned long long)
				       t->signal->rlim[RLIMIT_SIGPENDING].cur,
			       (unsigned long long)ti.pending,
			       (unsigned long long)ti.shared,
			       (unsigned long long)ti.blocked,
			       (unsigned long long)ti.ignored,
			       (unsigned long long)ti.caught,
			       (unsigned long long)c->cap_inheritable,
			       (unsigned long long)c->cap_permitted,
			       (unsigned long long)c->cap_effective,
			       (unsigned long long)c->cap_bset,
			       (unsigned long long)c->cap_ambient,
			       t->no_new_privs);
	if (!r)
		r = ncpu > 1 ? seq_printf(s, "Cpus_allowed_list:\t0-%d\n",
					  ncpu - 1) :
			       seq_printf(s, "Cpus_allowed_list:\t0\n");
	if (!r)
		r = seq_printf(s, "voluntary_ctxt_switches:\t%llu\n"
			       "nonvoluntary_ctxt_switches:\t%llu\n",
			       (unsigned long long)t->nvcsw,
			       (unsigned long long)t->nivcsw);
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

/*
 * Where exe (0), cwd (1) or root (2) of the process leads, counted; the
 * caller may look at it only with ptrace-like access.
 */
static int task_path(struct inode *inode, int which, struct path *p)
{
	struct task *t = proc_task(inode);

	if (!t)
		return -ENOENT;
	if (!proc_may_access(t))
		return -EACCES;
	if (which == 0) {
		if (!t->mm || t->state == TASK_ZOMBIE || !t->mm->exe_file ||
		    !t->mm->exe_file->f_path.dentry)
			return -ENOENT;
		*p = t->mm->exe_file->f_path;
	} else {
		if (!t->fs)
			return -ENOENT;
		*p = which == 1 ? t->fs->pwd : t->fs->root;
	}
	path_get(p);
	return 0;
}

/*
 * The text readlink shows for a path: files on a kernel-internal mount
 * (pipes, sockets, anonymous inodes) are named by kind and inode number
 * as in Linux; the rest by their path from the reader's root, with
 * " (deleted)" once unlinked.
 */
static char *path_text(const struct path *p)
{
	struct inode *inode = p->dentry->d_inode;
	struct path root;
	char *buf, *str, *res;

	if (!p->mnt->mnt_attached && p->dentry->d_parent == p->dentry) {
		if (S_ISFIFO(inode->i_mode))
			res = kasprintf("pipe:[%lu]", inode->i_ino);
		else if (S_ISSOCK(inode->i_mode))
			res = kasprintf("socket:[%lu]", inode->i_ino);
		else if (p->dentry->d_name.name[0] != '/')
			res = kasprintf("anon_inode:%s", p->dentry->d_name.name);
		else
			res = kasprintf("anon_inode:[%s]",
					p->mnt->mnt_sb->s_type->name);
		return res ? res : ERR_PTR(-ENOMEM);
	}
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

static char *path_link(struct inode *inode, int which)
{
	struct path p;
	char *res;
	int r = task_path(inode, which, &p);

	if (r)
		return ERR_PTR(r);
	res = path_text(&p);
	path_put(&p);
	return res;
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

static int exe_jump(struct inode *inode, struct path *p)
{
	return task_path(inode, 0, p);
}

static int cwd_jump(struct inode *inode, struct path *p)
{
	return task_path(inode, 1, p);
}

static int root_jump(struct inode *inode, struct path *p)
{
	return task_path(inode, 2, p);
}

/* The open file behind /proc/PID/fd/N, counted. */
static int fd_path(struct inode *inode, struct path *p)
{
	struct task *t = proc_task(inode);
	struct file *f;

	if (!t || !t->files)
		return -ENOENT;
	if (!proc_may_access(t))
		return -EACCES;
	f = fd_lookup(t->files, PI(inode)->fd);
	if (!f || !f->f_path.dentry)
		return -ENOENT;
	*p = f->f_path;
	path_get(p);
	return 0;
}

static char *fd_link(struct inode *inode)
{
	struct path p;
	char *res;
	int r = fd_path(inode, &p);

	if (r)
		return ERR_PTR(r);
	res = path_text(&p);
	path_put(&p);
	return res;
}

static const struct proc_entry fd_entry = {
	"fd", S_IFLNK | 0700, PROC_OWNED, .link = fd_link, .jump = fd_path,
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

/* /proc/PID/fdinfo/N: position, flags, mount and inode of an open file. */
static int show_fdinfo(struct inode *inode, struct seq *s)
{
	struct task *t = proc_task(inode);
	struct file *f;
	bool cloexec = false;
	unsigned int flags;
	int r;

	if (!t || !t->files)
		return -ESRCH;
	f = files_fd(t->files, PI(inode)->fd, &cloexec);
	if (!f)
		return -ENOENT;
	flags = f->c.f_flags | (cloexec ? O_CLOEXEC : 0);
	r = seq_printf(s, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n",
		       (long long)f->c.f_pos, flags,
		       f->f_path.mnt ? f->f_path.mnt->mnt_id : 0,
		       f->c.f_inode ? f->c.f_inode->i_ino : 0UL);
	if (!r && f->c.f_op && f->c.f_op->show_fdinfo &&
	    !(f->f_mode & FMODE_PATH))
		r = f->c.f_op->show_fdinfo(f, s);
	return r;
}

static const struct proc_entry fdinfo_entry = {
	"fdinfo", S_IFREG | 0400, PROC_OWNED, show_fdinfo,
};

/* fd/ and fdinfo/ list the same fds; the entry says what each name is. */
static int fd_lookup_common(struct inode *dir, struct dentry *d,
			    const struct proc_entry *e)
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
	inode = proc_make_inode(dir->i_sb, e, PI(dir)->pid, fd);
	if (!inode)
		return -ENOMEM;
	PI(inode)->thread = PI(dir)->thread;
	if (e == &fd_entry) {
		/* the link's mode tells how the file is open: lr-x, l-wx, lrwx */
		struct file *f = fd_lookup(t->files, fd);

		inode->i_mode = S_IFLNK | 0100;
		if (f->f_mode & FMODE_READ)
			inode->i_mode |= 0400;
		if (f->f_mode & FMODE_WRITE)
			inode->i_mode |= 0200;
	}
	d_instantiate(d, inode);
	return 0;
}

static int fd_dir_lookup(struct inode *dir, struct dentry *d)
{
	return fd_lookup_common(dir, d, &fd_entry);
}

static int fdinfo_dir_lookup(struct inode *dir, struct dentry *d)
{
	return fd_lookup_common(dir, d, &fdinfo_entry);
}

static int fd_iterate_common(struct file *f, void *ctx, proc_emit_fn emit,
			     unsigned int type)
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
		if (emit(ctx, name, n, 0x10000 + (u64)fd, type, fd + 3))
			return 0;
		f->c.f_pos = fd + 3;
	}
	return 0;
}

static int fd_dir_iterate(struct file *f, void *ctx, proc_emit_fn emit)
{
	return fd_iterate_common(f, ctx, emit, DT_LNK);
}

static int fdinfo_dir_iterate(struct file *f, void *ctx, proc_emit_fn emit)
{
	return fd_iterate_common(f, ctx, emit, DT_REG);
}

#define PID_COMMON_ENTRIES						\
	{ "stat", S_IFREG | 0444, PROC_OWNED, show_stat },		\
	{ "statm", S_IFREG | 0444, PROC_OWNED, show_statm },		\
	{ "status", S_IFREG | 0444, PROC_OWNED, show_status },		\
	{ "cmdline", S_IFREG | 0444, PROC_OWNED, show_cmdline },	\
	{ "comm", S_IFREG | 0644, PROC_OWNED, show_comm },		\
	{ "environ", S_IFREG | 0400, PROC_OWNED, show_environ },	\
	{ "maps", S_IFREG | 0444, PROC_OWNED, show_maps },		\
	{ "mounts", S_IFREG | 0444, PROC_OWNED, proc_show_mounts },	\
	{ "mountinfo", S_IFREG | 0444, PROC_OWNED, proc_show_mountinfo }, \
	{ "cgroup", S_IFREG | 0444, PROC_OWNED, show_cgroup },		\
	{ "exe", S_IFLNK | 0777, PROC_OWNED, .link = exe_link,		\
	  .jump = exe_jump },						\
	{ "cwd", S_IFLNK | 0777, PROC_OWNED, .link = cwd_link,		\
	  .jump = cwd_jump },						\
	{ "root", S_IFLNK | 0777, PROC_OWNED, .link = root_link,	\
	  .jump = root_jump },						\
	{ "fd", S_IFDIR | 0500, PROC_OWNED, .lookup = fd_dir_lookup,	\
	  .iterate = fd_dir_iterate },					\
	{ "fdinfo", S_IFDIR | 0500, PROC_OWNED,			\
	  .lookup = fdinfo_dir_lookup, .iterate = fdinfo_dir_iterate }

static const struct proc_entry tid_children[] = {
	PID_COMMON_ENTRIES,
	{ NULL }
};

const struct proc_entry proc_tid_entry = {
	"tid", S_IFDIR | 0555, PROC_OWNED, .children = tid_children,
};

/* /proc/PID/task/TID: the threads of the process. */
static int task_dir_lookup(struct inode *dir, struct dentry *d)
{
	struct task *leader = proc_task(dir), *t;
	struct inode *inode;
	int tid;

	if (!leader || parse_num(d->d_name.name, d->d_name.len, &tid))
		return 0;
	t = find_task(tid);
	if (!t || t->state == TASK_DEAD || t->tgid != leader->tgid)
		return 0;
	inode = proc_make_inode(dir->i_sb, &proc_tid_entry, tid, -1);
	if (!inode)
		return -ENOMEM;
	PI(inode)->thread = true;
	d_instantiate(d, inode);
	return 0;
}

/* Threads in tid order; f_pos = 2 + the next tid to list. */
static int task_dir_iterate(struct file *f, void *ctx, proc_emit_fn emit)
{
	struct task *leader = proc_task(f->c.f_inode);

	if (proc_emit_static(f, ctx, emit, NULL, 0) || !leader)
		return 0;
	for (;;) {
		pid_t want = (pid_t)(f->c.f_pos - 2), best = 0;
		struct task *t;
		char name[16];
		int n;

		list_for_each_entry(t, &leader->signal->threads, thread_node) {
			if (t->state == TASK_DEAD)
				continue;
			if (t->pid >= want && (!best || t->pid < best))
				best = t->pid;
		}
		if (!best)
			return 0;
		n = snprintf(name, sizeof(name), "%d", best);
		if (emit(ctx, name, n, 0x100000 + (u64)best, DT_DIR, best + 3))
			return 0;
		f->c.f_pos = best + 3;
	}
}

static const struct proc_entry pid_children[] = {
	PID_COMMON_ENTRIES,
	{ "task", S_IFDIR | 0555, 0, .lookup = task_dir_lookup,
	  .iterate = task_dir_iterate },
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
