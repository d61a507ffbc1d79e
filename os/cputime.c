// SPDX-License-Identifier: GPL-2.0
/*
 * CPU usage of the host processes and threads that carry guest tasks.
 *
 * A guest process's user code runs in its own host process, so the host's
 * accounting of that process is the guest's CPU time. Process CPU clocks of
 * another process are readable with clock_gettime(); per-thread figures
 * come from /proc, since a thread CPU clock is only readable from inside
 * its own process.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "os.h"

/* The host's clock tick for /proc figures (USER_HZ). */
static long clk_tck(void)
{
	static long tck;

	if (!tck) {
		long v = sysconf(_SC_CLK_TCK);
		tck = v > 0 ? v : 100;
	}
	return tck;
}

static uint64_t ticks_to_ns(unsigned long long ticks)
{
	return (uint64_t)ticks * (1000000000ULL / (uint64_t)clk_tck());
}

int os_process_cputime(int pid, int kind, uint64_t *ns)
{
	struct timespec ts;
	clockid_t id;

	if (pid <= 0 || kind < 0 || kind > 2)
		return -EINVAL;
	/* The process CPU clock of pid, as clock_getcpuclockid() builds it. */
	id = (clockid_t)((~(unsigned int)pid) << 3) | kind;
	if (clock_gettime(id, &ts) < 0)
		return -errno;
	*ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	return 0;
}

static int read_small_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	buf[n] = '\0';
	return 0;
}

int os_thread_cputime(int pid, int tid, uint64_t *ns)
{
	char path[64], buf[128];
	int r;

	if (pid <= 0 || tid <= 0)
		return -EINVAL;
	/* schedstat: run time in ns, wait time, timeslices. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", pid, tid);
	r = read_small_file(path, buf, sizeof(buf));
	if (r == 0) {
		*ns = strtoull(buf, NULL, 10);
		return 0;
	}
	/* Without schedstats, the tick-grained utime + stime of stat. */
	{
		struct os_usage u;

		r = os_usage(pid, tid, &u);
		if (r == 0)
			*ns = u.utime_ns + u.stime_ns;
	}
	return r;
}

/* The fields of /proc/.../stat after the command name. */
static int parse_stat(const char *path, struct os_usage *u)
{
	char buf[1024], *p;
	unsigned long long v[64];
	int n = 0, r;

	r = read_small_file(path, buf, sizeof(buf));
	if (r)
		return r;
	/* The command may hold spaces and parentheses: skip to the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return -EIO;
	p++;
	/* field 3 is the state letter */
	while (*p == ' ')
		p++;
	if (*p)
		p++;
	while (*p && n < 64) {
		char *end;

		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		v[n++] = strtoull(p, &end, 10);
		if (end == p)
			break;
		p = end;
	}
	/* v[0] is field 4 (ppid): minflt 10, majflt 12, utime 14, stime 15 */
	if (n < 12)
		return -EIO;
	u->minflt = v[10 - 4];
	u->majflt = v[12 - 4];
	u->utime_ns = ticks_to_ns(v[14 - 4]);
	u->stime_ns = ticks_to_ns(v[15 - 4]);
	return 0;
}

static void parse_status(const char *path, struct os_usage *u)
{
	char buf[4096], *p;

	if (read_small_file(path, buf, sizeof(buf)))
		return;
	p = strstr(buf, "VmHWM:");
	if (p)
		u->maxrss_kb = strtol(p + 6, NULL, 10);
	p = strstr(buf, "\nvoluntary_ctxt_switches:");
	if (p)
		u->nvcsw = strtoull(p + 25, NULL, 10);
	p = strstr(buf, "\nnonvoluntary_ctxt_switches:");
	if (p)
		u->nivcsw = strtoull(p + 28, NULL, 10);
}

int os_usage(int pid, int tid, struct os_usage *u)
{
	char path[64];
	uint64_t all, user;
	int r;

	memset(u, 0, sizeof(*u));
	if (pid <= 0 || tid < 0)
		return -EINVAL;
	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	r = parse_stat(path, u);
	if (r)
		return r;
	if (!tid && !os_process_cputime(pid, 0, &all) &&
	    !os_process_cputime(pid, 1, &user)) {
		/* Nanosecond figures where the host has them. */
		u->utime_ns = user;
		u->stime_ns = all > user ? all - user : 0;
	}
	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid,
			 tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
	parse_status(path, u);
	if (tid) {
		/* maxrss is a property of the address space, not the thread */
		struct os_usage pu = { 0 };

		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		parse_status(path, &pu);
		u->maxrss_kb = pu.maxrss_kb;
	}
	return 0;
}
