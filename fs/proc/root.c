// SPDX-License-Identifier: GPL-2.0
/*
 * The files at the top of /proc and in /proc/sys, in Linux's formats.
 */
#include "internal.h"
#include "kern/boot.h"
#include "kern/mm.h"

#define HZ	100

extern char uts_nodename[];	/* kernel/sys.c */

static int show_version(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "Linux version " UTS_RELEASE
			  " (uml-c) (gcc) " UTS_VERSION "\n");
}

static int show_cmdline(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%s\n", boot_params.cmdline);
}

static int show_meminfo(struct inode *inode, struct seq *s)
{
	struct mm_meminfo mi;

	mm_meminfo(&mi);
	return seq_printf(s,
		"MemTotal:       %8llu kB\n"
		"MemFree:        %8llu kB\n"
		"MemAvailable:   %8llu kB\n"
		"Buffers:        %8llu kB\n"
		"Cached:         %8llu kB\n"
		"SwapCached:     %8llu kB\n"
		"Shmem:          %8llu kB\n"
		"SwapTotal:      %8llu kB\n"
		"SwapFree:       %8llu kB\n"
		"CommitLimit:    %8llu kB\n"
		"Committed_AS:   %8llu kB\n"
		"VmallocTotal:   %8llu kB\n",
		(unsigned long long)mi.total, (unsigned long long)mi.free,
		(unsigned long long)mi.available, 0ULL, 0ULL, 0ULL,
		(unsigned long long)mi.shmem, 0ULL, 0ULL,
		(unsigned long long)mi.commit_limit,
		(unsigned long long)mi.committed_as,
		(unsigned long long)mi.vmalloc_total);
}

static int show_uptime(struct inode *inode, struct seq *s)
{
	u64 up = ktime_get_ns() - boot_time_ns;

	/* idle time: we do not account it; Linux shows the sum over CPUs */
	return seq_printf(s, "%llu.%02llu 0.00\n",
			  (unsigned long long)(up / 1000000000ULL),
			  (unsigned long long)(up % 1000000000ULL / 10000000ULL));
}

static int count_tasks(int *running)
{
	struct task *t;
	int n = 0;

	*running = 0;
	list_for_each_entry(t, &all_tasks, all_node) {
		if (t->state == TASK_DEAD || t->state == TASK_ZOMBIE)
			continue;
		n++;
		if (t->in_user || t == current)
			(*running)++;
	}
	return n;
}

static int show_loadavg(struct inode *inode, struct seq *s)
{
	int running, n = count_tasks(&running);
	pid_t last = 0;
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_node)
		if (t->pid > last)
			last = t->pid;
	/* no load accounting yet: the averages are honest zeros */
	return seq_printf(s, "0.00 0.00 0.00 %d/%d %d\n", running, n, last);
}

static int show_stat(struct inode *inode, struct seq *s)
{
	u64 now = os_clock_ns(OS_CLOCK_REALTIME);
	u64 up = ktime_get_ns() - boot_time_ns;
	u64 user = 0, sys = 0;
	int running, n = count_tasks(&running), ncpu = os_nprocs();
	struct task *t;
	int r;

	list_for_each_entry(t, &all_tasks, all_node) {
		user += t->utime_ns;
		sys += t->stime_ns;
	}
	user /= 1000000000ULL / HZ;
	sys /= 1000000000ULL / HZ;
	r = seq_printf(s, "cpu  %llu 0 %llu %llu 0 0 0 0 0 0\n",
		       (unsigned long long)user, (unsigned long long)sys,
		       (unsigned long long)(up / (1000000000ULL / HZ) *
					    (u64)ncpu));
	for (int i = 0; !r && i < ncpu; i++)
		r = seq_printf(s, "cpu%d 0 0 0 0 0 0 0 0 0 0\n", i);
	if (!r)
		r = seq_printf(s, "intr 0\nctxt 0\nbtime %llu\n"
			       "processes %d\nprocs_running %d\n"
			       "procs_blocked 0\nsoftirq 0\n",
			       (unsigned long long)((now - up) / 1000000000ULL),
			       n, running);
	return r;
}

static int show_cpuinfo(struct inode *inode, struct seq *s)
{
	int r = 0;

	for (int i = 0; !r && i < os_nprocs(); i++)
		r = seq_printf(s, "processor\t: %d\nvendor_id\t: User Mode Linux\n"
			       "model name\t: UML\nmode\t\t: skas\n"
			       "host\t\t: " UTS_SYSNAME " " UTS_MACHINE "\n"
			       "bogomips\t: 4000.00\n\n", i);
	return r;
}

static int show_mounts(struct inode *inode, struct seq *s)
{
	char *line = kmalloc(PATH_MAX + 512);
	struct vfsmount *m;
	struct path root;
	int r = 0;

	if (!line)
		return -ENOMEM;
	get_fs_root(&root);
	list_for_each_entry(m, &mount_list, mnt_list) {
		int n = mnt_show(m, line, PATH_MAX + 512, &root);

		if (n < 0)
			continue;
		r = seq_write(s, line, min((size_t)n, (size_t)PATH_MAX + 511));
		if (r)
			break;
	}
	path_put(&root);
	kfree(line);
	return r;
}

static int show_filesystems(struct inode *inode, struct seq *s)
{
	char buf[1024];
	int n = filesystems_show(buf, sizeof(buf));

	return seq_write(s, buf, min((size_t)n, sizeof(buf) - 1));
}

static int show_devices(struct inode *inode, struct seq *s)
{
	char buf[2048];
	int n = chrdev_show(buf, sizeof(buf));
	int r = seq_printf(s, "Character devices:\n");

	if (!r)
		r = seq_write(s, buf, min((size_t)n, sizeof(buf) - 1));
	if (!r)
		r = seq_printf(s, "\nBlock devices:\n");
	return r;
}

static int show_hostname(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%s\n", uts_nodename);
}

static int show_ostype(struct inode *inode, struct seq *s)
{
	return seq_printf(s, UTS_SYSNAME "\n");
}

static int show_osrelease(struct inode *inode, struct seq *s)
{
	return seq_printf(s, UTS_RELEASE "\n");
}

static int show_pid_max(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%d\n", PID_MAX);
}

static char *self_link(struct inode *inode)
{
	char *s = kasprintf("%d", current->tgid);

	return s ? s : ERR_PTR(-ENOMEM);
}

static char *mounts_link(struct inode *inode)
{
	char *s = kstrdup("self/mounts");

	return s ? s : ERR_PTR(-ENOMEM);
}

static const struct proc_entry sys_kernel[] = {
	{ "hostname", S_IFREG | 0444, 0, show_hostname },
	{ "ostype", S_IFREG | 0444, 0, show_ostype },
	{ "osrelease", S_IFREG | 0444, 0, show_osrelease },
	{ "pid_max", S_IFREG | 0444, 0, show_pid_max },
	{ NULL }
};

static const struct proc_entry sys_dir[] = {
	{ "kernel", S_IFDIR | 0555, 0, .children = sys_kernel },
	{ NULL }
};

static const struct proc_entry root_children[] = {
	{ "self", S_IFLNK | 0777, 0, .link = self_link },
	{ "mounts", S_IFLNK | 0777, 0, .link = mounts_link },
	{ "version", S_IFREG | 0444, 0, show_version },
	{ "cmdline", S_IFREG | 0444, 0, show_cmdline },
	{ "meminfo", S_IFREG | 0444, 0, show_meminfo },
	{ "uptime", S_IFREG | 0444, 0, show_uptime },
	{ "loadavg", S_IFREG | 0444, 0, show_loadavg },
	{ "stat", S_IFREG | 0444, 0, show_stat },
	{ "cpuinfo", S_IFREG | 0444, 0, show_cpuinfo },
	{ "filesystems", S_IFREG | 0444, 0, show_filesystems },
	{ "devices", S_IFREG | 0444, 0, show_devices },
	{ "sys", S_IFDIR | 0555, 0, .children = sys_dir },
	{ NULL }
};

/* also used for /proc/PID/mounts */
int proc_show_mounts(struct inode *inode, struct seq *s)
{
	return show_mounts(inode, s);
}

static int root_lookup(struct inode *dir, struct dentry *d)
{
	for (const struct proc_entry *e = root_children; e->name; e++) {
		if (strlen(e->name) == d->d_name.len &&
		    !memcmp(e->name, d->d_name.name, d->d_name.len)) {
			struct inode *inode = proc_make_inode(dir->i_sb, e, 0,
							      -1);

			if (!inode)
				return -ENOMEM;
			d_instantiate(d, inode);
			return 0;
		}
	}
	return proc_root_lookup_pid(dir, d);
}

static int root_iterate(struct file *f, void *ctx, proc_emit_fn emit)
{
	loff_t nstatic = (loff_t)ARRAY_SIZE(root_children) - 1;

	if (f->c.f_pos < nstatic + 2) {
		if (proc_emit_static(f, ctx, emit, root_children, 0))
			return 0;
	}
	proc_root_iterate_pids(f, ctx, emit, nstatic + 2);
	return 0;
}

const struct proc_entry proc_root_entry = {
	"/", S_IFDIR | 0555, 0,
	.lookup = root_lookup,
	.iterate = root_iterate,
};

int proc_init(void)
{
	return register_filesystem(&proc_fs_type);
}
