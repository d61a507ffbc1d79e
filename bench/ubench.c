/*
 * ubench: the micro-benchmarks of `make bench`, one static program run
 * unchanged on the host, in the real UML, in gVisor and in our kernel.
 *
 * Each figure is the median of several runs ("reps"). A rep of a per-call
 * figure runs the operation n times, n chosen once by calibration so that a
 * rep lasts about the target time: slow kernels get fewer iterations, not
 * longer runs. Fixed-size figures (the 64 MiB file, the 1000 files, the
 * shell loop) do the whole job once per rep.
 *
 * Output, one line per figure:
 *	RESULT <name> <value> <unit>
 *	ERROR <name>: <reason>
 * then PASS, or FAIL: <reason> if any figure could not be measured (the
 * results are checked: a wrong byte or exit status is an error, never a
 * fast time). Exit status 0 only on PASS.
 *
 *	ubench [-r reps] [-t ms] [-s MiB] [-f files] [-l loops] [-d dir]
 *	       [-x true-binary] [-b busybox] [-o name:name...] [-q]
 *
 * -o runs only the named figures (separated by ':' or ',').
 *
 * -q is the smoke-test setting used by `make check`: one rep, one
 * iteration, a 1 MiB file, 10 files, a 3-step loop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS 51

static int reps = 5;
static double target_ms = 100;
static long big_mib = 64;
static long nfiles = 1000;
static long nloops = 100;
static int quick;
static const char *dir = ".";
static const char *true_bin;
static const char *busybox = "/bin/busybox";
static const char *only;

static char datapath[4096];
static char errbuf[512];
static char *bigbuf;

/* err: records why the current figure failed; returns -1 for the caller. */
static int err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return -1;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* wait_ok: reaps pid and checks that it exited with status 0. */
static int wait_ok(pid_t pid, const char *what)
{
	int st;
	pid_t r;

	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r != pid)
		return err("waitpid(%s): %s", what, strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return err("%s: child ended with status 0x%x", what, st);
	return 0;
}

/* --- per-call figures: fn(n, &us) runs n operations, us = their time --- */

static int b_getppid(long n, double *us)
{
	pid_t want = getppid();
	double t = now_us();

	for (long i = 0; i < n; i++)
		if (syscall(SYS_getppid) != want)
			return err("getppid changed");
	*us = now_us() - t;
	return 0;
}

static int b_stat(long n, double *us)
{
	struct stat st;
	double t = now_us();

	for (long i = 0; i < n; i++)
		if (stat(datapath, &st) < 0)
			return err("stat %s: %s", datapath, strerror(errno));
	*us = now_us() - t;
	if (st.st_size != 1 << 20)
		return err("stat: size %lld, want %d", (long long)st.st_size,
			   1 << 20);
	return 0;
}

static int b_open_close(long n, double *us)
{
	double t = now_us();

	for (long i = 0; i < n; i++) {
		int fd = open(datapath, O_RDONLY);

		if (fd < 0)
			return err("open %s: %s", datapath, strerror(errno));
		if (close(fd) < 0)
			return err("close: %s", strerror(errno));
	}
	*us = now_us() - t;
	return 0;
}

/* The data file holds 256 pages; page p is filled with byte p. */
static int b_pread(long n, double *us)
{
	char buf[4096];
	int fd = open(datapath, O_RDONLY);
	double t;

	if (fd < 0)
		return err("open %s: %s", datapath, strerror(errno));
	t = now_us();
	for (long i = 0; i < n; i++) {
		long p = i & 255;

		if (pread(fd, buf, sizeof(buf), p * 4096) != sizeof(buf)) {
			close(fd);
			return err("pread: %s", strerror(errno));
		}
		if ((unsigned char)buf[i & 4095] != p) {
			close(fd);
			return err("pread: wrong data in page %ld", p);
		}
	}
	*us = now_us() - t;
	close(fd);
	return 0;
}

static int b_pipe(long n, double *us)
{
	int a[2], b[2];
	char c = 0;
	pid_t pid;
	double t;
	int ret = 0;

	if (pipe(a) < 0 || pipe(b) < 0)
		return err("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		return err("fork: %s", strerror(errno));
	if (pid == 0) {
		/* Echo every byte back, incremented, until EOF. */
		close(a[1]);
		close(b[0]);
		while (read(a[0], &c, 1) == 1) {
			c++;
			if (write(b[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	t = now_us();
	for (long i = 0; i < n; i++) {
		char s = (char)i, r;

		if (write(a[1], &s, 1) != 1 || read(b[0], &r, 1) != 1) {
			ret = err("pipe round trip: %s", strerror(errno));
			break;
		}
		if (r != (char)(s + 1)) {
			ret = err("pipe round trip: wrong byte");
			break;
		}
	}
	*us = now_us() - t;
	close(a[1]);
	close(b[0]);
	if (wait_ok(pid, "pipe child") < 0)
		ret = -1;
	return ret;
}

static _Atomic int fword;
static long fiters;

static long futex(_Atomic int *w, int op, int val)
{
	return syscall(SYS_futex, w, op, val, NULL, NULL, 0);
}

/* The partner thread: waits for 1, answers 0, fiters times. */
static void *futex_partner(void *unused)
{
	(void)unused;
	for (long i = 0; i < fiters; i++) {
		while (atomic_load(&fword) != 1)
			futex(&fword, FUTEX_WAIT_PRIVATE, 0);
		atomic_store(&fword, 0);
		futex(&fword, FUTEX_WAKE_PRIVATE, 1);
	}
	return NULL;
}

static int b_futex(long n, double *us)
{
	pthread_t th;
	double t;
	int e;

	atomic_store(&fword, 0);
	fiters = n;
	e = pthread_create(&th, NULL, futex_partner, NULL);
	if (e)
		return err("pthread_create: %s", strerror(e));
	t = now_us();
	for (long i = 0; i < n; i++) {
		atomic_store(&fword, 1);
		futex(&fword, FUTEX_WAKE_PRIVATE, 1);
		while (atomic_load(&fword) != 0)
			futex(&fword, FUTEX_WAIT_PRIVATE, 1);
	}
	*us = now_us() - t;
	e = pthread_join(th, NULL);
	if (e)
		return err("pthread_join: %s", strerror(e));
	return 0;
}

static void *thread_fn(void *arg)
{
	return arg;
}

static int b_thread(long n, double *us)
{
	double t = now_us();

	for (long i = 0; i < n; i++) {
		pthread_t th;
		void *r;
		int e = pthread_create(&th, NULL, thread_fn, (void *)i);

		if (e)
			return err("pthread_create: %s", strerror(e));
		e = pthread_join(th, &r);
		if (e)
			return err("pthread_join: %s", strerror(e));
		if (r != (void *)i)
			return err("pthread_join: wrong value");
	}
	*us = now_us() - t;
	return 0;
}

static int b_fork(long n, double *us)
{
	double t = now_us();

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return err("fork: %s", strerror(errno));
		if (pid == 0)
			_exit(0);
		if (wait_ok(pid, "fork child") < 0)
			return -1;
	}
	*us = now_us() - t;
	return 0;
}

/*
 * spawn_true: starts the small program in a child. A function of its own so
 * that no caller variable is live across vfork().
 */
static pid_t spawn_true(int use_vfork)
{
	static char *argv[] = { "true", NULL };
	static char *envp[] = { NULL };
	pid_t pid = use_vfork ? vfork() : fork();

	if (pid == 0) {
		execve(true_bin, argv, envp);
		_exit(127);
	}
	return pid;
}

static int do_exec(long n, double *us, int use_vfork)
{
	double t = now_us();

	for (long i = 0; i < n; i++) {
		pid_t pid = spawn_true(use_vfork);

		if (pid < 0)
			return err("fork: %s", strerror(errno));
		if (wait_ok(pid, true_bin) < 0)
			return -1;
	}
	*us = now_us() - t;
	return 0;
}

static int b_fork_exec(long n, double *us)
{
	return do_exec(n, us, 0);
}

static int b_vfork_exec(long n, double *us)
{
	return do_exec(n, us, 1);
}

static int b_mmap(long n, double *us)
{
	const size_t len = 1 << 20;
	double t = now_us();

	for (long i = 0; i < n; i++) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return err("mmap: %s", strerror(errno));
		for (size_t o = 0; o < len; o += 4096)
			p[o] = 1;
		if (p[len - 4096] != 1 || p[1] != 0)
			return err("mmap: wrong contents");
		if (munmap(p, len) < 0)
			return err("munmap: %s", strerror(errno));
	}
	*us = now_us() - t;
	return 0;
}

/* --- fixed-size figures: fn(&value) does the whole job once ------------ */

/* Writes big_mib MiB in 1 MiB writes, fsync, close: MB/s (10^6 bytes). */
static char bigpath[4096];

static int b_bigwrite(double *val)
{
	long chunk = 1 << 20;
	double t;
	int fd;

	unlink(bigpath);
	t = now_us();
	fd = open(bigpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return err("open %s: %s", bigpath, strerror(errno));
	for (long i = 0; i < big_mib; i++) {
		/* Each chunk starts with its number: the read checks it. */
		memcpy(bigbuf, &i, sizeof(i));
		if (write(fd, bigbuf, chunk) != chunk) {
			close(fd);
			return err("write: %s", errno ? strerror(errno) : "short");
		}
	}
	if (fsync(fd) < 0) {
		close(fd);
		return err("fsync: %s", strerror(errno));
	}
	if (close(fd) < 0)
		return err("close: %s", strerror(errno));
	*val = big_mib * (double)chunk / (now_us() - t);
	return 0;
}

/* Reads the file bigwrite left, checking each chunk's number: MB/s. */
static int b_bigread(double *val)
{
	long chunk = 1 << 20, total = 0;
	double t = now_us();
	int fd = open(bigpath, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return err("open %s: %s (bigwrite must run first)", bigpath,
			   strerror(errno));
	for (;;) {
		long got = 0, idx;

		while (got < chunk) {
			r = read(fd, bigbuf + got, chunk - got);
			if (r < 0) {
				close(fd);
				return err("read: %s", strerror(errno));
			}
			if (r == 0)
				break;
			got += r;
		}
		if (got == 0)
			break;
		memcpy(&idx, bigbuf, sizeof(idx));
		if (got != chunk || idx != total / chunk) {
			close(fd);
			return err("read: wrong data at %ld", total);
		}
		total += got;
	}
	close(fd);
	if (total != big_mib * chunk)
		return err("read %ld bytes, want %ld", total, big_mib * chunk);
	*val = total / (now_us() - t);
	return 0;
}

/* Creates nfiles files of 100 bytes each, then unlinks them: total us. */
static int b_smallfiles(double *val)
{
	char path[4200], data[100];
	double t = now_us();

	memset(data, 'x', sizeof(data));
	for (long i = 0; i < nfiles; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/small.%ld", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return err("create %s: %s", path, strerror(errno));
		if (write(fd, data, sizeof(data)) != sizeof(data)) {
			close(fd);
			return err("write %s: %s", path, strerror(errno));
		}
		if (close(fd) < 0)
			return err("close: %s", strerror(errno));
	}
	for (long i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/small.%ld", dir, i);
		if (unlink(path) < 0)
			return err("unlink %s: %s", path, strerror(errno));
	}
	*val = now_us() - t;
	return 0;
}

/* `sh -c` running the small static program nloops times: total us. */
static int b_shell(double *val)
{
	char script[4500];
	char *argv[] = { "sh", "-c", script, NULL };
	char *envp[] = { "PATH=/bin:/usr/bin", NULL };
	double t;
	pid_t pid;

	snprintf(script, sizeof(script),
		 "i=0; while [ $i -lt %ld ]; do %s || exit 1; i=$((i+1)); done",
		 nloops, true_bin);
	t = now_us();
	pid = fork();
	if (pid < 0)
		return err("fork: %s", strerror(errno));
	if (pid == 0) {
		execve(busybox, argv, envp);
		_exit(127);
	}
	if (wait_ok(pid, "sh -c loop") < 0)
		return -1;
	*val = now_us() - t;
	return 0;
}

struct bench {
	const char *name;
	const char *unit;
	int (*percall)(long n, double *us);
	int (*fixed)(double *val);
};

static const struct bench benches[] = {
	{ "getppid", "us", b_getppid, NULL },
	{ "stat", "us", b_stat, NULL },
	{ "open_close", "us", b_open_close, NULL },
	{ "pread_4k", "us", b_pread, NULL },
	{ "pipe_rtt", "us", b_pipe, NULL },
	{ "futex_pingpong", "us", b_futex, NULL },
	{ "thread_create_join", "us", b_thread, NULL },
	{ "fork_exit_wait", "us", b_fork, NULL },
	{ "fork_exec_wait", "us", b_fork_exec, NULL },
	{ "vfork_exec_wait", "us", b_vfork_exec, NULL },
	{ "mmap_touch_1m", "us", b_mmap, NULL },
	{ "seq_write_fsync", "MB/s", NULL, b_bigwrite },
	{ "seq_read", "MB/s", NULL, b_bigread },
	{ "smallfiles", "us", NULL, b_smallfiles },
	{ "shell_loop", "us", NULL, b_shell },
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * calibrate: the iteration count for one rep of about target_ms. Doubles
 * the count until a run takes a tenth of the target, then scales it.
 */
static int calibrate(const struct bench *b, long *np)
{
	long n = 1;
	double us;

	if (quick) {
		*np = 1;
		return 0;
	}
	for (;;) {
		if (b->percall(n, &us) < 0)
			return -1;
		if (us >= target_ms * 100 || n >= (1L << 30))
			break;
		n = us < target_ms * 10 ? n * 4 : n * 2;
	}
	n = (long)(n * (target_ms * 1000) / (us > 0 ? us : 1));
	*np = n < 1 ? 1 : n;
	return 0;
}

static int run_one(const struct bench *b, double *val)
{
	double v[MAX_REPS];
	long n = 1;

	if (b->percall && calibrate(b, &n) < 0)
		return -1;
	for (int r = 0; r < reps; r++) {
		double x;

		if (b->percall) {
			if (b->percall(n, &x) < 0)
				return -1;
			v[r] = x / n;
		} else {
			if (b->fixed(&x) < 0)
				return -1;
			v[r] = x;
		}
	}
	*val = median(v, reps);
	return 0;
}

static int selected(const char *name)
{
	size_t l = strlen(name);
	const char *p = only;

	if (!only)
		return 1;
	while ((p = strstr(p, name))) {
		if ((p == only || p[-1] == ',' || p[-1] == ':') &&
		    (p[l] == ',' || p[l] == ':' || !p[l]))
			return 1;
		p += l;
	}
	return 0;
}

/* The data file of stat/open/pread: 1 MiB, page p filled with byte p. */
static int make_datafile(void)
{
	char page[4096];
	int fd;

	snprintf(datapath, sizeof(datapath), "%s/ubench.data", dir);
	fd = open(datapath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return err("create %s: %s", datapath, strerror(errno));
	for (int p = 0; p < 256; p++) {
		memset(page, p, sizeof(page));
		if (write(fd, page, sizeof(page)) != sizeof(page)) {
			close(fd);
			return err("write %s: %s", datapath, strerror(errno));
		}
	}
	if (close(fd) < 0)
		return err("close: %s", strerror(errno));
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ubench [-q] [-r reps] [-t ms] [-s MiB] [-f files] "
		"[-l loops] [-d dir] [-x true-binary] [-b busybox] "
		"[-o name:...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static char truebuf[4096];
	int c, failed = 0, ran = 0;
	char failnames[1024] = "";
	const char *slash;

	while ((c = getopt(argc, argv, "qr:t:s:f:l:d:x:b:o:")) != -1) {
		switch (c) {
		case 'q':
			quick = 1;
			reps = 1;
			big_mib = 1;
			nfiles = 10;
			nloops = 3;
			break;
		case 'r': reps = atoi(optarg); break;
		case 't': target_ms = atof(optarg); break;
		case 's': big_mib = atol(optarg); break;
		case 'f': nfiles = atol(optarg); break;
		case 'l': nloops = atol(optarg); break;
		case 'd': dir = optarg; break;
		case 'x': true_bin = optarg; break;
		case 'b': busybox = optarg; break;
		case 'o': only = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || reps < 1 || reps > MAX_REPS || target_ms <= 0 ||
	    big_mib < 1 || big_mib > 4096 || nfiles < 1 || nloops < 1)
		usage();
	if (!true_bin) {
		/* By default the small program lives beside this one. */
		slash = strrchr(argv[0], '/');
		snprintf(truebuf, sizeof(truebuf), "%.*sbench-true",
			 slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
		true_bin = truebuf;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		printf("FAIL: mkdir %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (access(true_bin, X_OK) < 0) {
		printf("FAIL: %s: %s\n", true_bin, strerror(errno));
		return 1;
	}
	snprintf(bigpath, sizeof(bigpath), "%s/ubench.big", dir);
	bigbuf = malloc(1 << 20);
	if (!bigbuf || make_datafile() < 0) {
		printf("FAIL: setup: %s\n", bigbuf ? errbuf : "out of memory");
		return 1;
	}
	memset(bigbuf, 0xa5, 1 << 20);
	printf("ubench: reps=%d target=%gms file=%ldMiB files=%ld loops=%ld "
	       "dir=%s\n", reps, target_ms, big_mib, nfiles, nloops, dir);
	fflush(stdout);

	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		const struct bench *b = &benches[i];
		double v;
		int r;

		if (!selected(b->name))
			continue;
		ran++;
		errbuf[0] = 0;
		/* seq_read reads what seq_write_fsync wrote. */
		if (b->fixed == b_bigread && !selected("seq_write_fsync"))
			r = b_bigwrite(&v);
		else
			r = 0;
		if (r == 0)
			r = run_one(b, &v);
		if (r < 0) {
			printf("ERROR %s: %s\n", b->name, errbuf);
			failed++;
			if (strlen(failnames) + strlen(b->name) + 2 <
			    sizeof(failnames)) {
				strcat(failnames, " ");
				strcat(failnames, b->name);
			}
		} else {
			printf("RESULT %s %.*f %s\n", b->name,
			       v < 10 ? 3 : 1, v, b->unit);
		}
		fflush(stdout);
	}
	unlink(bigpath);
	unlink(datapath);
	if (!ran) {
		printf("FAIL: no benchmark selected\n");
		return 1;
	}
	if (failed) {
		printf("FAIL: %d figure(s) not measured:%s\n", failed,
		       failnames);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
