// SPDX-License-Identifier: GPL-2.0
/*
 * The files at the top of /proc and in /proc/sys, in Linux's formats.
 */
#include "internal.h"
#include "kern/blkdev.h"
#include "kern/ipc.h"
#include "kern/tty.h"
#include "kern/boot.h"
#include "kern/fsnotify.h"
#include "kern/mconsole.h"
#include "kern/mm.h"
#include "kern/net.h"
#include "kern/printk.h"
#include "kern/time.h"

#define HZ	100

/* kernel/sys.c */
#define UTS_LEN		64
extern char uts_nodename[UTS_LEN + 1], uts_domainname[UTS_LEN + 1];

#define NGROUPS_MAX	65536
#define NR_OPEN_MAX	(1 << 20)	/* as fs/file.c enforces */

static int show_version(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "Linux version " UTS_RELEASE
			  " (uml-c) (gcc) " UTS_VERSION "\n");
}

static int show_cmdline(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%s\n", boot_params.cmdline);
}

/*
 * /proc/vmstat: the counters procps's vmstat needs. Page faults are the
 * host's counts for the guest's processes; there is no swap, and disk
 * paging goes through the host's page cache, which the guest does not see.
 */
static int show_vmstat(struct inode *inode, struct seq *s)
{
	struct mm_meminfo mi;
	u64 minflt = 0, majflt = 0;
	struct task *t;

	mm_meminfo(&mi);
	list_for_each_entry(t, &all_tasks, all_node) {
		minflt += t->min_flt;
		majflt += t->maj_flt;
	}
	return seq_printf(s,
		"nr_free_pages %llu\n"
		"nr_shmem %llu\n"
		"nr_dirty 0\n"
		"nr_writeback 0\n"
		"pgpgin 0\n"
		"pgpgout 0\n"
		"pswpin 0\n"
		"pswpout 0\n"
		"pgfault %llu\n"
		"pgmajfault %llu\n",
		(unsigned long long)mi.free / 4, (unsigned long long)mi.shmem / 4,
		(unsigned long long)(minflt + majflt),
		(unsigned long long)majflt);
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

/*
 * CPU time of every guest process, live or gone, in ns: a live or zombie
 * group's own time plus what it banked from children it reaped; what a
 * reaped process used is in its reaper's bank, so nothing counts twice.
 */
static void guest_cputime(u64 *user, u64 *sys)
{
	struct task *t;

	*user = *sys = 0;
	list_for_each_entry(t, &all_tasks, all_node) {
		u64 u, s;

		if (!thread_group_leader(t) || t->state == TASK_DEAD ||
		    !t->signal)
			continue;
		thread_group_cputime(t, &u, &s);
		*user += u + t->signal->cutime_ns;
		*sys += s + t->signal->cstime_ns;
	}
}

/* Idle time summed over CPUs: what guests left of ncpu * uptime. */
static u64 idle_ns(u64 up, u64 user, u64 sys)
{
	u64 all = up * (u64)max(os_nprocs(), 1);

	return all > user + sys ? all - user - sys : 0;
}

static int show_uptime(struct inode *inode, struct seq *s)
{
	u64 up = ktime_get_ns() - boot_time_ns, user, sys, idle;

	guest_cputime(&user, &sys);
	idle = idle_ns(up, user, sys);
	return seq_printf(s, "%llu.%02llu %llu.%02llu\n",
			  (unsigned long long)(up / NSEC_PER_SEC),
			  (unsigned long long)(up % NSEC_PER_SEC / 10000000ULL),
			  (unsigned long long)(idle / NSEC_PER_SEC),
			  (unsigned long long)(idle % NSEC_PER_SEC /
					       10000000ULL));
}

static int count_tasks(void)
{
	struct task *t;
	int n = 0;

	list_for_each_entry(t, &all_tasks, all_node)
		if (t->state != TASK_DEAD && t->state != TASK_ZOMBIE)
			n++;
	return n;
}

static int show_loadavg(struct inode *inode, struct seq *s)
{
	unsigned long l[3];
	int i;

	get_avenrun(l);
	/* rounded to hundredths, as Linux prints them */
	for (i = 0; i < 3; i++)
		l[i] += FIXED_1 / 200;
	return seq_printf(s, "%lu.%02lu %lu.%02lu %lu.%02lu %d/%d %d\n",
			  l[0] >> FSHIFT, (l[0] & (FIXED_1 - 1)) * 100 >> FSHIFT,
			  l[1] >> FSHIFT, (l[1] & (FIXED_1 - 1)) * 100 >> FSHIFT,
			  l[2] >> FSHIFT, (l[2] & (FIXED_1 - 1)) * 100 >> FSHIFT,
			  nr_running_tasks(), count_tasks(),
			  last_pid_allocated());
}

static int show_stat(struct inode *inode, struct seq *s)
{
	u64 now = os_clock_ns(OS_CLOCK_REALTIME);
	u64 up = ktime_get_ns() - boot_time_ns, user, sys, idle;
	int ncpu = max(os_nprocs(), 1);
	int r;

	guest_cputime(&user, &sys);
	idle = idle_ns(up, user, sys);
	user /= NSEC_PER_SEC / HZ;
	sys /= NSEC_PER_SEC / HZ;
	idle /= NSEC_PER_SEC / HZ;
	r = seq_printf(s, "cpu  %llu 0 %llu %llu 0 0 0 0 0 0\n",
		       (unsigned long long)user, (unsigned long long)sys,
		       (unsigned long long)idle);
	/*
	 * Which host CPU ran guest code is not known: each line gets an
	 * equal share, so the lines add up to the total.
	 */
	for (int i = 0; !r && i < ncpu; i++) {
		u64 share_u = user / (u64)ncpu, share_s = sys / (u64)ncpu,
		    share_i = idle / (u64)ncpu;

		if (i == 0) {
			share_u += user % (u64)ncpu;
			share_s += sys % (u64)ncpu;
			share_i += idle % (u64)ncpu;
		}
		r = seq_printf(s, "cpu%d %llu 0 %llu %llu 0 0 0 0 0 0\n", i,
			       (unsigned long long)share_u,
			       (unsigned long long)share_s,
			       (unsigned long long)share_i);
	}
	if (!r)
		r = seq_printf(s, "intr 0\nctxt 0\nbtime %llu\n"
			       "processes %lu\nprocs_running %d\n"
			       "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
			       (unsigned long long)((now - up) / NSEC_PER_SEC),
			       nr_forks, nr_running_tasks());
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

static int show_mount_lines(struct seq *s,
			    int (*show)(struct vfsmount *m, char *buf,
					size_t len, const struct path *root))
{
	char *line = kmalloc(PATH_MAX + 512);
	struct vfsmount *m;
	struct path root;
	int r = 0;

	if (!line)
		return -ENOMEM;
	get_fs_root(&root);
	list_for_each_entry(m, &mount_list, mnt_list) {
		int n = show(m, line, PATH_MAX + 512, &root);

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
	n = blkdev_majors_show(buf, sizeof(buf));
	if (!r)
		r = seq_write(s, buf, min((size_t)n, sizeof(buf) - 1));
	return r;
}

static int show_hostname(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%s\n", uts_nodename);
}

static int show_domainname(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%s\n", uts_domainname);
}

/* A name written to a uts field: one line, at most 64 bytes. */
static ssize_t write_uts(char *dst, const char *buf, size_t len)
{
	size_t n = len;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (n && buf[n - 1] == '\n')
		n--;
	if (n > UTS_LEN)
		return -EINVAL;
	memcpy(dst, buf, n);
	dst[n] = 0;
	return (ssize_t)len;
}

static ssize_t write_hostname(struct inode *inode, const char *buf,
			      size_t len)
{
	return write_uts(uts_nodename, buf, len);
}

static ssize_t write_domainname(struct inode *inode, const char *buf,
				size_t len)
{
	return write_uts(uts_domainname, buf, len);
}

static int show_ostype(struct inode *inode, struct seq *s)
{
	return seq_printf(s, UTS_SYSNAME "\n");
}

static int show_osrelease(struct inode *inode, struct seq *s)
{
	return seq_printf(s, UTS_RELEASE "\n");
}

static int show_kversion(struct inode *inode, struct seq *s)
{
	return seq_printf(s, UTS_VERSION "\n");
}

static int show_pid_max(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%d\n", PID_MAX);
}

static int show_ngroups_max(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%d\n", NGROUPS_MAX);
}

/* console_loglevel, then Linux's fixed defaults (message, min, console) */
static int show_printk(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%d\t4\t1\t7\n", console_loglevel);
}

/* kernel/syslog.c follows Linux's rules with the restriction off. */
static int show_dmesg_restrict(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "0\n");
}

static int show_uuid(struct seq *s, const u8 *b)
{
	return seq_printf(s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			  "%02x%02x%02x%02x%02x%02x\n", b[0], b[1], b[2], b[3],
			  b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
			  b[12], b[13], b[14], b[15]);
}

/* A random (version 4) UUID. */
static int make_uuid(u8 b[16])
{
	int r = os_getrandom(b, 16);

	if (r < 0)
		return r;
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	return 0;
}

static int show_boot_id(struct inode *inode, struct seq *s)
{
	static u8 id[16];
	static bool made;

	if (!made) {
		int r = make_uuid(id);

		if (r < 0)
			return r;
		made = true;
	}
	return show_uuid(s, id);
}

static int show_random_uuid(struct inode *inode, struct seq *s)
{
	u8 id[16];
	int r = make_uuid(id);

	return r < 0 ? r : show_uuid(s, id);
}

/* Guest memory is committed strictly against mem= (mm/commit.c). */
static int show_overcommit(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "2\n");
}

/* Open files are limited per process only, as LONG_MAX says in Linux. */
static int show_file_max(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "9223372036854775807\n");
}

static int show_nr_open(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%d\n", NR_OPEN_MAX);
}

static int show_inotify_queued(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%d\n", INOTIFY_MAX_QUEUED_EVENTS);
}

static int show_inotify_instances(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%d\n", INOTIFY_MAX_USER_INSTANCES);
}

static int show_inotify_watches(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%d\n", INOTIFY_MAX_USER_WATCHES);
}

/* UML's /proc/exitcode: the status the kernel exits with at halt. */
static int show_exitcode(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%d\n", kernel_exit_code);
}

static ssize_t write_exitcode(struct inode *inode, const char *buf,
			      size_t len)
{
	char tmp[32];
	char *end;
	long v;
	size_t n = min(len, sizeof(tmp) - 1);

	memcpy(tmp, buf, n);
	tmp[n] = 0;
	v = (long)strtoul(tmp, &end, 0);
	if (end == tmp || (*end && *end != '\n'))
		return -EINVAL;
	kernel_exit_code = (int)v;
	return (ssize_t)len;
}

static int show_partitions(struct inode *inode, struct seq *s)
{
	char buf[2048];
	int n = blkdev_partitions_show(buf, sizeof(buf));

	return seq_write(s, buf, min((size_t)n, sizeof(buf) - 1));
}

/* No swap: guest memory is the host's. */
static int show_swaps(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "Filename\t\t\t\tType\t\tSize\t\tUsed"
			  "\t\tPriority\n");
}

static char *self_link(struct inode *inode)
{
	char *s;

	if (!current)		/* the kernel is no process */
		return ERR_PTR(-ENOENT);
	s = kasprintf("%d", current->tgid);

	return s ? s : ERR_PTR(-ENOMEM);
}

static char *thread_self_link(struct inode *inode)
{
	char *s;

	if (!current)
		return ERR_PTR(-ENOENT);
	s = kasprintf("%d/task/%d", current->tgid, current->pid);

	return s ? s : ERR_PTR(-ENOMEM);
}

static char *mounts_link(struct inode *inode)
{
	char *s = kstrdup("self/mounts");

	return s ? s : ERR_PTR(-ENOMEM);
}

static const struct proc_entry sys_kernel_random[] = {
	{ "boot_id", S_IFREG | 0444, 0, show_boot_id },
	{ "uuid", S_IFREG | 0444, 0, show_random_uuid },
	{ NULL }
};

/* ---- System V IPC: limits and /proc/sysvipc ---- */

#define IPC_SYSCTL(fn, which)						\
static int show_##fn(struct inode *inode, struct seq *s)		\
{									\
	char buf[96];							\
	int n = ipc_sysctl_show(which, buf, sizeof(buf));		\
									\
	return n < 0 ? n : seq_write(s, buf, (size_t)n);		\
}									\
static ssize_t write_##fn(struct inode *inode, const char *buf,	\
			  size_t len)					\
{									\
	return ipc_sysctl_write(which, buf, len);			\
}
IPC_SYSCTL(shmmax, IPC_SHMMAX)
IPC_SYSCTL(shmall, IPC_SHMALL)
IPC_SYSCTL(shmmni, IPC_SHMMNI)
IPC_SYSCTL(sem, IPC_SEM)
IPC_SYSCTL(msgmax, IPC_MSGMAX)
IPC_SYSCTL(msgmnb, IPC_MSGMNB)
IPC_SYSCTL(msgmni, IPC_MSGMNI)

static int show_text(struct seq *s, char *text, size_t len)
{
	int r;

	if (!text)
		return -ENOMEM;
	r = seq_write(s, text, len);
	kfree(text);
	return r;
}

static int show_sysvipc_shm(struct inode *inode, struct seq *s)
{
	size_t len = 0;
	char *t = sysvipc_shm_text(&len);

	return show_text(s, t, len);
}

static int show_sysvipc_sem(struct inode *inode, struct seq *s)
{
	size_t len = 0;
	char *t = sysvipc_sem_text(&len);

	return show_text(s, t, len);
}

static int show_sysvipc_msg(struct inode *inode, struct seq *s)
{
	size_t len = 0;
	char *t = sysvipc_msg_text(&len);

	return show_text(s, t, len);
}

static int show_pty_max(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%d\n", pty_max());
}

static int show_pty_nr(struct inode *inode, struct seq *s)
{
	return seq_printf(s, "%d\n", pty_nr());
}

static const struct proc_entry sys_kernel_pty[] = {
	{ "max", S_IFREG | 0444, 0, show_pty_max },
	{ "nr", S_IFREG | 0444, 0, show_pty_nr },
	{ NULL }
};

static const struct proc_entry sysvipc_dir[] = {
	{ "msg", S_IFREG | 0444, 0, show_sysvipc_msg },
	{ "sem", S_IFREG | 0444, 0, show_sysvipc_sem },
	{ "shm", S_IFREG | 0444, 0, show_sysvipc_shm },
	{ NULL }
};

static const struct proc_entry sys_kernel[] = {
	{ "hostname", S_IFREG | 0644, 0, show_hostname, write_hostname },
	{ "domainname", S_IFREG | 0644, 0, show_domainname, write_domainname },
	{ "ostype", S_IFREG | 0444, 0, show_ostype },
	{ "osrelease", S_IFREG | 0444, 0, show_osrelease },
	{ "version", S_IFREG | 0444, 0, show_kversion },
	{ "pid_max", S_IFREG | 0444, 0, show_pid_max },
	{ "ngroups_max", S_IFREG | 0444, 0, show_ngroups_max },
	{ "printk", S_IFREG | 0444, 0, show_printk },
	{ "dmesg_restrict", S_IFREG | 0444, 0, show_dmesg_restrict },
	{ "shmmax", S_IFREG | 0644, 0, show_shmmax, write_shmmax },
	{ "shmall", S_IFREG | 0644, 0, show_shmall, write_shmall },
	{ "shmmni", S_IFREG | 0644, 0, show_shmmni, write_shmmni },
	{ "sem", S_IFREG | 0644, 0, show_sem, write_sem },
	{ "msgmax", S_IFREG | 0644, 0, show_msgmax, write_msgmax },
	{ "msgmnb", S_IFREG | 0644, 0, show_msgmnb, write_msgmnb },
	{ "msgmni", S_IFREG | 0644, 0, show_msgmni, write_msgmni },
	{ "random", S_IFDIR | 0555, 0, .children = sys_kernel_random },
	{ "pty", S_IFDIR | 0555, 0, .children = sys_kernel_pty },
	{ NULL }
};

static const struct proc_entry sys_vm[] = {
	{ "overcommit_memory", S_IFREG | 0444, 0, show_overcommit },
	{ NULL }
};

static const struct proc_entry sys_fs_inotify[] = {
	{ "max_queued_events", S_IFREG | 0444, 0, show_inotify_queued },
	{ "max_user_instances", S_IFREG | 0444, 0, show_inotify_instances },
	{ "max_user_watches", S_IFREG | 0444, 0, show_inotify_watches },
	{ NULL }
};

static const struct proc_entry sys_fs[] = {
	{ "file-max", S_IFREG | 0444, 0, show_file_max },
	{ "nr_open", S_IFREG | 0444, 0, show_nr_open },
	{ "inotify", S_IFDIR | 0555, 0, .children = sys_fs_inotify },
	{ NULL }
};

static const struct proc_entry sys_dir[] = {
	{ "fs", S_IFDIR | 0555, 0, .children = sys_fs },
	{ "kernel", S_IFDIR | 0555, 0, .children = sys_kernel },
	{ "vm", S_IFDIR | 0555, 0, .children = sys_vm },
	{ NULL }
};

static int seq_emit(void *ctx, const char *s, size_t len)
{
	return seq_write(ctx, s, len);
}

static int show_net_unix(struct inode *inode, struct seq *s)
{
	return unix_proc_show(seq_emit, s);
}

static const struct proc_entry net_dir[] = {
	{ "unix", S_IFREG | 0444, 0, show_net_unix },
	{ NULL }
};

/*
 * /proc/mconsole, with a notify socket (mconsole=notify:): what a guest
 * writes goes to the host as a user notification.
 */
static ssize_t write_mconsole(struct inode *inode, const char *buf,
			      size_t len)
{
	mconsole_notify_user(buf, len);
	return (ssize_t)len;
}

static const struct proc_entry root_children[] = {
	{ "self", S_IFLNK | 0777, 0, .link = self_link },
	{ "thread-self", S_IFLNK | 0777, 0, .link = thread_self_link },
	{ "mounts", S_IFLNK | 0777, 0, .link = mounts_link },
	{ "version", S_IFREG | 0444, 0, show_version },
	{ "cmdline", S_IFREG | 0444, 0, show_cmdline },
	{ "meminfo", S_IFREG | 0444, 0, show_meminfo },
	{ "vmstat", S_IFREG | 0444, 0, show_vmstat },
	{ "uptime", S_IFREG | 0444, 0, show_uptime },
	{ "loadavg", S_IFREG | 0444, 0, show_loadavg },
	{ "stat", S_IFREG | 0444, 0, show_stat },
	{ "cpuinfo", S_IFREG | 0444, 0, show_cpuinfo },
	{ "filesystems", S_IFREG | 0444, 0, show_filesystems },
	{ "devices", S_IFREG | 0444, 0, show_devices },
	{ "sys", S_IFDIR | 0555, 0, .children = sys_dir },
	{ "net", S_IFDIR | 0555, 0, .children = net_dir },
	{ "exitcode", S_IFREG | 0600, 0, show_exitcode, write_exitcode },
	{ "partitions", S_IFREG | 0444, 0, show_partitions },
	{ "swaps", S_IFREG | 0444, 0, show_swaps },
	{ "sysvipc", S_IFDIR | 0555, 0, .children = sysvipc_dir },
	{ "kmsg", S_IFREG | 0400, 0, .fops = &proc_kmsg_fops },
	{ "mconsole", S_IFREG | 0200, 0, NULL, write_mconsole,
	  .visible = mconsole_notify_enabled },
	{ NULL }
};

static int show_mounts(struct inode *inode, struct seq *s)
{
	return show_mount_lines(s, mnt_show);
}

/* also used for /proc/PID/mounts */
int proc_show_mounts(struct inode *inode, struct seq *s)
{
	return show_mounts(inode, s);
}

/* /proc/PID/mountinfo */
int proc_show_mountinfo(struct inode *inode, struct seq *s)
{
	return show_mount_lines(s, mnt_show_info);
}

static int root_lookup(struct inode *dir, struct dentry *d)
{
	for (const struct proc_entry *e = root_children; e->name; e++) {
		if (e->visible && !e->visible())
			continue;
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
	loadavg_init();
	return register_filesystem(&proc_fs_type);
}
