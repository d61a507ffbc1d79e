/*
 * /proc and /sys as programs read them: formats, and consistency with what
 * the system calls say. Passes natively first (Linux is the oracle).
 *
 * Checks /proc/self/{stat,status} against getpid() and friends and the
 * signal state; /proc/self/fd magic links on a pipe and a deleted file
 * (reopening gives the same file); /proc/self/exe and cwd; the threads of
 * a pthread program in /proc/self/task; /proc/{loadavg,uptime,stat};
 * /proc/sys/kernel against uname(); /sys/devices/system/cpu/online
 * against sysconf(); /sys/class/mem/null/dev; statfs magics.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures++;
}

/* The whole of a small file, NUL-terminated, or NULL. */
static char *slurp(const char *path)
{
	static char buf[8][16384];
	static int next;
	char *b = buf[next++ % 8];
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	while ((n = read(fd, b + len, sizeof(buf[0]) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (n < 0)
		return NULL;
	b[len] = 0;
	return b;
}

/* The value after "Key:" in a status file, or NULL. */
static const char *status_field(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			p += kl + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			return p;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static unsigned long long status_hex(const char *text, const char *key)
{
	const char *v = status_field(text, key);

	return v ? strtoull(v, NULL, 16) : ~0ULL;
}

static long status_num(const char *text, const char *key)
{
	const char *v = status_field(text, key);

	return v ? strtol(v, NULL, 10) : -12345;
}

/*
 * Splits a stat line: fields[0] is the pid, fields[1] the command (without
 * parentheses), fields[2].. the rest. Returns the number of fields.
 */
static int split_stat(char *line, char **fields, int max)
{
	char *open = strchr(line, '('), *close = strrchr(line, ')');
	int n = 0;
	char *save, *tok;

	if (!open || !close || close < open)
		return 0;
	*open = 0;
	*close = 0;
	fields[n++] = line;
	fields[n++] = open + 1;
	for (tok = strtok_r(close + 1, " \n", &save); tok && n < max;
	     tok = strtok_r(NULL, " \n", &save))
		fields[n++] = tok;
	return n;
}

static void check_self_stat(void)
{
	char *text = slurp("/proc/self/stat"), *f[64];
	int n;

	if (!text) {
		fail("/proc/self/stat: %s", strerror(errno));
		return;
	}
	n = split_stat(text, f, 64);
	if (n < 52) {
		fail("/proc/self/stat has %d fields, want at least 52", n);
		return;
	}
	if (atoi(f[0]) != getpid())
		fail("stat pid %s != getpid %d", f[0], getpid());
	if (strcmp(f[1], "procfs"))
		fail("stat comm '%s', want procfs", f[1]);
	if (!strchr("RSD", f[2][0]) || f[2][1])
		fail("stat state '%s'", f[2]);
	if (atoi(f[3]) != getppid())
		fail("stat ppid %s != getppid %d", f[3], getppid());
	if (atoi(f[4]) != getpgrp())
		fail("stat pgrp %s != getpgrp %d", f[4], getpgrp());
	if (atoi(f[5]) != getsid(0))
		fail("stat session %s != getsid %d", f[5], getsid(0));
	if (atoi(f[19]) != 1)
		fail("stat num_threads %s, want 1", f[19]);
	if (strtoull(f[22], NULL, 10) == 0)
		fail("stat vsize is 0");
	if (strtoull(f[23], NULL, 10) == 0)
		fail("stat rss is 0");
}

static void on_hup(int sig)
{
	(void)sig;
}

static void check_self_status(void)
{
	sigset_t set, old;
	char *text;
	const char *v;
	unsigned int u[4], g[4];
	unsigned long long usr1 = 1ULL << (SIGUSR1 - 1);

	/* a blocked pending signal, an ignored one, a caught one */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGHUP, on_hup);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
	text = slurp("/proc/self/status");
	if (!text) {
		fail("/proc/self/status: %s", strerror(errno));
		goto out;
	}
	if (status_num(text, "Pid") != getpid())
		fail("status Pid %ld", status_num(text, "Pid"));
	if (status_num(text, "Tgid") != getpid())
		fail("status Tgid %ld", status_num(text, "Tgid"));
	if (status_num(text, "PPid") != getppid())
		fail("status PPid %ld", status_num(text, "PPid"));
	if (status_num(text, "TracerPid") != 0)
		fail("status TracerPid %ld", status_num(text, "TracerPid"));
	if (status_num(text, "Threads") != 1)
		fail("status Threads %ld", status_num(text, "Threads"));
	v = status_field(text, "State");
	if (!v || !strchr("RSD", v[0]) || v[1] != ' ' || v[2] != '(')
		fail("status State '%.12s'", v ? v : "(none)");
	v = status_field(text, "Uid");
	if (!v || sscanf(v, "%u %u %u %u", &u[0], &u[1], &u[2], &u[3]) != 4 ||
	    u[0] != getuid() || u[1] != geteuid())
		fail("status Uid line '%.30s'", v ? v : "(none)");
	v = status_field(text, "Gid");
	if (!v || sscanf(v, "%u %u %u %u", &g[0], &g[1], &g[2], &g[3]) != 4 ||
	    g[0] != getgid() || g[1] != getegid())
		fail("status Gid line '%.30s'", v ? v : "(none)");
	if (status_num(text, "VmRSS") <= 0)
		fail("status VmRSS %ld", status_num(text, "VmRSS"));
	if (status_num(text, "VmSize") <= 0)
		fail("status VmSize %ld", status_num(text, "VmSize"));
	if (!(status_hex(text, "SigPnd") & usr1))
		fail("status SigPnd %llx lacks SIGUSR1",
		     status_hex(text, "SigPnd"));
	if (!(status_hex(text, "SigBlk") & usr1))
		fail("status SigBlk %llx lacks SIGUSR1",
		     status_hex(text, "SigBlk"));
	if (!(status_hex(text, "SigIgn") & (1ULL << (SIGUSR2 - 1))))
		fail("status SigIgn %llx lacks SIGUSR2",
		     status_hex(text, "SigIgn"));
	if (!(status_hex(text, "SigCgt") & (1ULL << (SIGHUP - 1))))
		fail("status SigCgt %llx lacks SIGHUP",
		     status_hex(text, "SigCgt"));
	if (status_hex(text, "ShdPnd") == ~0ULL)
		fail("status has no ShdPnd");
	v = status_field(text, "SigQ");
	if (!v || !strchr(v, '/'))
		fail("status SigQ '%.20s'", v ? v : "(none)");
out:
	/* take the pending SIGUSR1 away again */
	signal(SIGUSR1, SIG_IGN);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

static void check_fd_pipe(void)
{
	char path[64], link[128], want[64], buf[16];
	struct stat st;
	int p[2], r, w;
	ssize_t n;

	if (pipe(p)) {
		fail("pipe: %s", strerror(errno));
		return;
	}
	fstat(p[0], &st);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
	if (strcmp(link, want))
		fail("readlink %s = '%s', want '%s'", path, link, want);
	if (write(p[1], "abc", 3) != 3)
		fail("pipe write: %s", strerror(errno));
	r = open(path, O_RDONLY);
	if (r < 0) {
		fail("open %s: %s", path, strerror(errno));
	} else {
		n = read(r, buf, sizeof(buf));
		if (n != 3 || memcmp(buf, "abc", 3))
			fail("read through %s: %zd", path, n);
		close(r);
	}
	/* the write end, reopened, writes into the same pipe */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
	w = open(path, O_WRONLY);
	if (w < 0) {
		fail("open %s: %s", path, strerror(errno));
	} else {
		if (write(w, "xyz", 3) != 3)
			fail("write through %s: %s", path, strerror(errno));
		close(w);
		n = read(p[0], buf, sizeof(buf));
		if (n != 3 || memcmp(buf, "xyz", 3))
			fail("read of what went through %s: %zd", path, n);
	}
	close(p[0]);
	close(p[1]);
}

static void check_fd_deleted(void)
{
	char path[64], link[4200], cwd[4096], want[4200], buf[16];
	struct stat a, b;
	int fd, r;
	ssize_t n;

	if (!getcwd(cwd, sizeof(cwd))) {
		fail("getcwd: %s", strerror(errno));
		return;
	}
	fd = open("procfs.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		fail("create procfs.tmp: %s", strerror(errno));
		return;
	}
	if (write(fd, "hello", 5) != 5)
		fail("write procfs.tmp");
	unlink("procfs.tmp");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof(want), "%s%sprocfs.tmp (deleted)", cwd,
		 strcmp(cwd, "/") ? "/" : "");
	if (strcmp(link, want))
		fail("readlink %s = '%s', want '%s'", path, link, want);
	r = open(path, O_RDONLY);
	if (r < 0) {
		fail("open deleted file through %s: %s", path, strerror(errno));
	} else {
		fstat(fd, &a);
		fstat(r, &b);
		if (a.st_ino != b.st_ino || a.st_dev != b.st_dev)
			fail("%s opened another file", path);
		n = read(r, buf, sizeof(buf));
		if (n != 5 || memcmp(buf, "hello", 5))
			fail("read deleted file through %s: %zd", path, n);
		close(r);
	}
	close(fd);
}

static void check_exe_cwd(void)
{
	char link[4096];
	struct stat a, b;
	ssize_t n;
	int fd;

	n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	if (n <= 0) {
		fail("readlink /proc/self/exe: %s", strerror(errno));
		return;
	}
	link[n] = 0;
	fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0) {
		fail("open /proc/self/exe: %s", strerror(errno));
		return;
	}
	if (fstat(fd, &a) || stat(link, &b) || a.st_ino != b.st_ino ||
	    a.st_dev != b.st_dev)
		fail("/proc/self/exe is not %s", link);
	close(fd);
	/* through cwd: the file made here is found there */
	fd = open("procfs.cwd", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		close(fd);
	if (stat("/proc/self/cwd/procfs.cwd", &a) || stat("procfs.cwd", &b) ||
	    a.st_ino != b.st_ino)
		fail("/proc/self/cwd/procfs.cwd: %s", strerror(errno));
	unlink("procfs.cwd");
}

#define NTHREADS 3

static pthread_barrier_t barrier;
static pid_t tids[NTHREADS + 1];

static void *thread_fn(void *arg)
{
	tids[(long)arg] = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&barrier);	/* started */
	pthread_barrier_wait(&barrier);	/* checked */
	return NULL;
}

static void check_tasks(void)
{
	pthread_t th[NTHREADS];
	int seen[NTHREADS + 1] = { 0 }, nseen = 0;
	struct dirent *de;
	char path[64], *text, *f[64];
	DIR *d;

	pthread_barrier_init(&barrier, NULL, NTHREADS + 1);
	tids[0] = (pid_t)syscall(SYS_gettid);
	for (long i = 1; i <= NTHREADS; i++)
		if (pthread_create(&th[i - 1], NULL, thread_fn, (void *)i)) {
			fail("pthread_create");
			exit(1);
		}
	pthread_barrier_wait(&barrier);
	d = opendir("/proc/self/task");
	if (!d) {
		fail("opendir /proc/self/task: %s", strerror(errno));
	} else {
		while ((de = readdir(d))) {
			pid_t t;
			int k;

			if (de->d_name[0] == '.')
				continue;
			t = atoi(de->d_name);
			nseen++;
			for (k = 0; k <= NTHREADS; k++)
				if (tids[k] == t)
					seen[k]++;
		}
		closedir(d);
		if (nseen != NTHREADS + 1)
			fail("/proc/self/task has %d entries, want %d", nseen,
			     NTHREADS + 1);
		for (int k = 0; k <= NTHREADS; k++)
			if (seen[k] != 1)
				fail("thread %d listed %d times in /proc/self/task",
				     tids[k], seen[k]);
	}
	for (int k = 0; k <= NTHREADS; k++) {
		snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tids[k]);
		text = slurp(path);
		if (!text || split_stat(text, f, 64) < 20 ||
		    atoi(f[0]) != tids[k])
			fail("%s: wrong or missing", path);
		snprintf(path, sizeof(path), "/proc/self/task/%d/status",
			 tids[k]);
		text = slurp(path);
		if (!text || status_num(text, "Pid") != tids[k] ||
		    status_num(text, "Tgid") != getpid())
			fail("%s: Pid/Tgid wrong", path);
	}
	text = slurp("/proc/self/status");
	if (!text || status_num(text, "Threads") != NTHREADS + 1)
		fail("status Threads %ld with %d threads",
		     text ? status_num(text, "Threads") : -1, NTHREADS + 1);
	text = slurp("/proc/self/stat");
	if (!text || split_stat(text, f, 64) < 20 ||
	    atoi(f[19]) != NTHREADS + 1)
		fail("stat num_threads wrong with %d threads", NTHREADS + 1);
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
}

static void check_system_files(void)
{
	char *text, *line;
	double l1, l5, l15, up, idle;
	int run, total, last;
	struct utsname u;

	text = slurp("/proc/loadavg");
	if (!text || sscanf(text, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15,
			    &run, &total, &last) != 6 || l1 < 0 || run < 1 ||
	    total < run || last < 1)
		fail("/proc/loadavg '%s'", text ? text : "(none)");
	text = slurp("/proc/uptime");
	if (!text || sscanf(text, "%lf %lf", &up, &idle) != 2 || up <= 0 ||
	    idle < 0)
		fail("/proc/uptime '%s'", text ? text : "(none)");
	text = slurp("/proc/stat");
	if (!text || strncmp(text, "cpu ", 4) || !strstr(text, "\ncpu0 ") ||
	    !strstr(text, "\nbtime ") || !strstr(text, "\nprocesses ") ||
	    !strstr(text, "\nprocs_running ") ||
	    !strstr(text, "\nprocs_blocked "))
		fail("/proc/stat lacks cpu/btime/processes/procs_* lines");
	else if ((line = strstr(text, "\nbtime ")) &&
		 (time_t)strtoll(line + 7, NULL, 10) > time(NULL))
		fail("/proc/stat btime is in the future");
	uname(&u);
	text = slurp("/proc/sys/kernel/ostype");
	if (!text || strcmp(text, "Linux\n"))
		fail("ostype '%s'", text ? text : "(none)");
	text = slurp("/proc/sys/kernel/osrelease");
	if (!text || strncmp(text, u.release, strlen(u.release)))
		fail("osrelease '%s' != uname '%s'", text ? text : "", u.release);
	text = slurp("/proc/sys/kernel/hostname");
	if (!text || strncmp(text, u.nodename, strlen(u.nodename)))
		fail("hostname '%s' != uname '%s'", text ? text : "",
		     u.nodename);
	text = slurp("/proc/sys/kernel/pid_max");
	if (!text || atoi(text) < getpid())
		fail("pid_max '%s'", text ? text : "(none)");
	text = slurp("/proc/sys/kernel/random/boot_id");
	if (!text || strlen(text) != 37 || text[8] != '-' || text[14] != '4')
		fail("boot_id '%s'", text ? text : "(none)");
	else {
		char first[40];

		strcpy(first, text);
		text = slurp("/proc/sys/kernel/random/boot_id");
		if (!text || strcmp(first, text))
			fail("boot_id changed");
	}
}

/* "0", "0-3", "0-1,3": how many CPUs. */
static int count_cpu_list(const char *s)
{
	int n = 0;

	while (*s && *s != '\n') {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			return -1;
		s = end;
		if (*s == '-') {
			b = strtol(s + 1, &end, 10);
			if (end == s + 1 || b < a)
				return -1;
			s = end;
		}
		n += (int)(b - a + 1);
		if (*s == ',')
			s++;
	}
	return n;
}

static void check_sysfs(void)
{
	struct statfs sf;
	struct stat st;
	struct dirent *de;
	char *text;
	int n, dirs = 0;
	long onln = sysconf(_SC_NPROCESSORS_ONLN);
	DIR *d;

	if (statfs("/sys", &sf) || sf.f_type != 0x62656572)
		fail("statfs /sys type %lx", (long)sf.f_type);
	if (statfs("/proc", &sf) || sf.f_type != 0x9fa0)
		fail("statfs /proc type %lx", (long)sf.f_type);
	text = slurp("/sys/devices/system/cpu/online");
	n = text ? count_cpu_list(text) : -1;
	if (n < 1)
		fail("/sys/devices/system/cpu/online '%s'", text ? text : "");
	if (onln < 1 || onln != n)
		fail("sysconf(_SC_NPROCESSORS_ONLN) %ld, online lists %d",
		     onln, n);
	d = opendir("/sys/devices/system/cpu");
	if (!d) {
		fail("opendir /sys/devices/system/cpu: %s", strerror(errno));
	} else {
		while ((de = readdir(d)))
			if (!strncmp(de->d_name, "cpu", 3) &&
			    isdigit((unsigned char)de->d_name[3]))
				dirs++;
		closedir(d);
		if (dirs < n)
			fail("%d cpuN directories for %d online CPUs", dirs, n);
	}
	text = slurp("/sys/class/mem/null/dev");
	if (!text || strcmp(text, "1:3\n"))
		fail("/sys/class/mem/null/dev '%s'", text ? text : "(none)");
	if (stat("/sys/dev/char/1:3/dev", &st))
		fail("/sys/dev/char/1:3/dev: %s", strerror(errno));
	if (lstat("/sys/class/mem/null", &st) || !S_ISLNK(st.st_mode))
		fail("/sys/class/mem/null is not a symlink");
	if (open("/sys/class/mem/null/dev", O_WRONLY) >= 0 || errno != EACCES)
		fail("writing a read-only sysfs attribute: %s",
		     strerror(errno));
}

/* /proc/self/fdinfo/N: position and flags (close-on-exec included). */
static void check_fdinfo(void)
{
	char path[64], *txt;
	unsigned long long pos = 99;
	unsigned int flags = 0;
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fail("open /proc/self/stat: %s", strerror(errno));
		return;
	}
	if (lseek(fd, 3, SEEK_SET) != 3)
		fail("lseek on /proc/self/stat");
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	txt = slurp(path);
	if (!txt || sscanf(txt, "pos:\t%llu\nflags:\t%o", &pos, &flags) != 2)
		fail("%s: '%s'", path, txt ? txt : "(unreadable)");
	else if (pos != 3 || !(flags & O_CLOEXEC) || (flags & O_ACCMODE) != O_RDONLY)
		fail("%s: pos %llu flags %o", path, pos, flags);
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_self_stat();
	check_self_status();
	check_fd_pipe();
	check_fd_deleted();
	check_exe_cwd();
	check_tasks();
	check_system_files();
	check_sysfs();
	check_fdinfo();
	if (failures)
		return 1;
	printf("PASS\n");
	return 0;
}
