/*
 * Processes: fork, vfork, clone threads, execve, exit and wait, ids,
 * process groups and sessions, rlimits, uname, sysinfo. Prints PASS or
 * FAIL lines; passes natively first (run as root or not).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static char self[4096];

#define CHECK(c, ...) do { if (!(c)) { failures++; \
	printf("FAIL at %d: ", __LINE__); printf(__VA_ARGS__); \
	printf("\n"); } } while (0)

static void test_fork_wait(void)
{
	int shared = 1, st;
	pid_t me = getpid(), pid;

	pid = fork();
	if (pid == 0) {
		shared = 2;	/* copy-on-write: the parent keeps 1 */
		_exit(getppid() == me ? 3 : 4);
	}
	CHECK(pid > 0 && pid != me, "fork returned %d", pid);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 3, "child exit status %#x", st);
	CHECK(shared == 1, "child's write reached the parent");

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK(waitpid(pid, &st, WNOHANG) == 0, "WNOHANG on a running child");
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGKILL, "killed child status %#x", st);
	CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD,
	      "ECHILD with no children");
}

static void test_waitid(void)
{
	siginfo_t si;
	pid_t pid = fork();

	if (pid == 0)
		_exit(7);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0 &&
	      si.si_pid == pid && si.si_code == CLD_EXITED && si.si_status == 7,
	      "waitid WNOWAIT: pid %d code %d status %d", si.si_pid,
	      si.si_code, si.si_status);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_ALL, 0, &si, WEXITED) == 0 && si.si_pid == pid,
	      "waitid after WNOWAIT still finds the child");
	CHECK(waitid(P_ALL, 0, &si, 0) == -1 && errno == EINVAL,
	      "waitid without WEXITED/WSTOPPED/WCONTINUED");
	memset(&si, 0, sizeof(si));
	pid = fork();
	if (pid == 0) {
		usleep(200000);
		_exit(0);
	}
	CHECK(waitid(P_PID, pid, &si, WEXITED | WNOHANG) == 0 && si.si_pid == 0,
	      "waitid WNOHANG on a running child: pid %d", si.si_pid);
	waitpid(pid, NULL, 0);
}

static void test_vfork(void)
{
	volatile int shared = 1;
	int st;
	pid_t pid = vfork();

	if (pid == 0) {
		shared = 2;	/* vfork: the parent's memory */
		_exit(5);
	}
	CHECK(shared == 2, "vfork child's write not seen by the parent");
	CHECK(waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 5,
	      "vfork status %#x", st);
}

static void test_exec_errors(void)
{
	char *args[] = { "x", NULL };
	char path[] = "/tmp/process-noexec-XXXXXX";
	int fd;

	errno = 0;
	CHECK(execve("/nonexistent/prog", args, environ) == -1 &&
	      errno == ENOENT, "execve ENOENT: %s", strerror(errno));
	CHECK(execve("/", args, environ) == -1 && errno == EACCES,
	      "execve of a directory: %s", strerror(errno));
	fd = mkstemp(path);
	if (fd >= 0) {
		CHECK(write(fd, "garbage not elf\n", 16) == 16, "write");
		close(fd);
		chmod(path, 0644);
		CHECK(execve(path, args, environ) == -1 && errno == EACCES,
		      "execve without x bit: %s", strerror(errno));
		chmod(path, 0755);
		CHECK(execve(path, args, environ) == -1 && errno == ENOEXEC,
		      "execve of garbage: %s", strerror(errno));
		unlink(path);
	}
}

/*
 * argv and envp as guest memory lays them out in awkward ways: arrays and
 * strings across page boundaries, a string running into an unmapped page,
 * an array that does. Run as "process --env N" after exec: checks that
 * the N variables arrived intact.
 */
#define ENV_N	600
static int check_env(int n)
{
	char want[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "V%d=%0*d", i, i % 50 + 1, i);
		if (!environ[i] || strcmp(environ[i], want))
			return 1;
	}
	return environ[n] ? 2 : 0;
}

static void test_exec_strings(void)
{
	static char *envp[ENV_N + 1];
	char *args[] = { self, "--env", NULL, NULL };
	char nbuf[16];
	long pg = sysconf(_SC_PAGESIZE);
	char *two, *s;
	int i, st;
	pid_t pid;

	/* 600 strings of 4 to 58 bytes, packed: many cross page ends */
	s = malloc(ENV_N * 64);
	for (i = 0; i < ENV_N && s; i++) {
		envp[i] = s;
		s += sprintf(s, "V%d=%0*d", i, i % 50 + 1, i) + 1;
	}
	snprintf(nbuf, sizeof(nbuf), "%d", ENV_N);
	args[2] = nbuf;
	pid = fork();
	if (pid == 0) {
		execve(self, args, envp);
		_exit(99);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "600 variables across execve: %#x", st);

	/* a page followed by an unmapped one */
	two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (two == MAP_FAILED)
		return;
	munmap(two + pg, pg);
	memset(two, 'a', pg);			/* no NUL before the hole */
	{
		char *bad_str[] = { "x", two + pg - 8, NULL };
		char **bad_vec = (char **)(two + pg - sizeof(char *));

		CHECK(execve(self, bad_str, NULL) == -1 && errno == EFAULT,
		      "execve, argv string into a hole: %s", strerror(errno));
		*bad_vec = "x";			/* the array runs off the page */
		CHECK(execve(self, bad_vec, NULL) == -1 && errno == EFAULT,
		      "execve, argv array into a hole: %s", strerror(errno));
		CHECK(execve(self, (char **)(two + pg), NULL) == -1 &&
		      errno == EFAULT, "execve, argv unmapped: %s",
		      strerror(errno));
	}
	munmap(two, pg);
}

/* Run as "process --fds KEPT CLOSED" after exec: checks the fd table. */
static int check_fds(int kept, int closed)
{
	int ok = fcntl(kept, F_GETFD) >= 0 &&
		 fcntl(closed, F_GETFD) == -1 && errno == EBADF;

	return ok ? 0 : 1;
}

static void test_exec_cloexec(void)
{
	int keep = open("/dev/null", O_RDONLY);
	int gone = open("/dev/null", O_RDONLY | O_CLOEXEC);
	char a[16], b[16];
	int st;
	pid_t pid;

	snprintf(a, sizeof(a), "%d", keep);
	snprintf(b, sizeof(b), "%d", gone);
	pid = fork();
	if (pid == 0) {
		execl(self, self, "--fds", a, b, (char *)NULL);
		_exit(99);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "close-on-exec across execve: %#x", st);
	close(keep);
	close(gone);
}

/*
 * What an image leaves behind must not reach the next one, whichever way
 * the kernel carries out the exec (the same host process is reused when
 * nothing else shares it): its memory and its FPU control state (a stale
 * robust list cannot be seen from here: libc sets its own). Run as "process --fresh ADDR" after exec; exit status says what
 * survived.
 */
#define STALE_ADDR	0x5a5a000000UL
static sigjmp_buf stale_jmp;

static void stale_segv(int sig)
{
	(void)sig;
	siglongjmp(stale_jmp, 1);
}

static int check_fresh(unsigned long addr)
{
	volatile unsigned char *p = (volatile unsigned char *)addr;
	unsigned int mxcsr;
	unsigned short fcw;
	volatile int bad = 0;

	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(fcw));
	if ((mxcsr & 0xffff) != 0x1f80)
		bad |= 1;
	if (fcw != 0x37f)
		bad |= 2;
	signal(SIGSEGV, stale_segv);
	if (!sigsetjmp(stale_jmp, 1)) {
		(void)*p;	/* the old image's page: must fault */
		bad |= 8;
	}
	return bad;
}

static void test_exec_fresh_state(void)
{
	static char robust[24];	/* a head the next image must not inherit */
	char a[32];
	int st;
	pid_t pid;

	snprintf(a, sizeof(a), "%lu", STALE_ADDR);
	pid = fork();
	if (pid == 0) {
		unsigned int mxcsr = 0x7f80;	/* round toward zero */
		unsigned short fcw = 0x27f;	/* 53-bit precision */
		unsigned char *m = mmap((void *)STALE_ADDR, 4096,
					PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS |
					MAP_FIXED_NOREPLACE, -1, 0);

		if (m != (void *)STALE_ADDR)
			_exit(98);
		m[0] = 0x5a;
		syscall(SYS_set_robust_list, robust, sizeof(robust));
		__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
		__asm__ volatile("fldcw %0" : : "m"(fcw));
		execl(self, self, "--fresh", a, (char *)NULL);
		_exit(99);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st),
	      "exec fresh state: status %#x", st);
	if (WIFEXITED(st)) {
		st = WEXITSTATUS(st);
		CHECK(!(st & 1), "MXCSR survived execve");
		CHECK(!(st & 2), "x87 control word survived execve");
		CHECK(!(st & 8), "the old image's memory survived execve");
		CHECK(st < 16, "exec fresh state: exit %d", st);
	}
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *exit_group_from_thread(void *arg)
{
	(void)arg;
	exit(11);	/* takes down the main thread too */
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[8];
	int st;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		pthread_t a, b;

		pthread_create(&a, NULL, sleeper, NULL);
		pthread_create(&b, NULL, exit_group_from_thread, NULL);
		for (;;)
			pause();
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 11, "exit from a thread: status %#x", st);

	for (int i = 0; i < 8; i++)
		CHECK(pthread_create(&t[i], NULL, (void *(*)(void *))
				     (void *)syscall, (void *)SYS_gettid) == 0,
		      "pthread_create %d", i);
	for (int i = 0; i < 8; i++) {
		void *r;

		pthread_join(t[i], &r);
		CHECK((long)r > 0 && (long)r != getpid(), "thread %d tid %ld",
		      i, (long)r);
	}

	/* execve from a thread: the others go, the pid stays */
	pid = fork();
	if (pid == 0) {
		pthread_t a;
		static char pidbuf[16];

		pthread_create(&a, NULL, sleeper, NULL);
		snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
		execl(self, self, "--pid", pidbuf, (char *)NULL);
		_exit(98);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "execve with threads: status %#x", st);
}

/* struct clone_args (VER2) spelled out: no dependency on the libc's */
struct c3args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

static long clone3(struct c3args *a, size_t size)
{
	return syscall(SYS_clone3, a, size);
}

static void test_clone3(void)
{
	struct c3args a;
	unsigned char big[128];
	struct sigaction sa;
	pid_t ptid = 0;
	long pid;
	int st;

#define C3_ERR(sz, e, what) do { errno = 0; \
	CHECK(clone3(&a, sz) == -1 && errno == (e), "clone3 %s: errno %d", \
	      what, errno); } while (0)
	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	C3_ERR(63, EINVAL, "size 63");
	C3_ERR(8192, E2BIG, "size 8192");
	a.flags = SIGCHLD;
	C3_ERR(sizeof(a), EINVAL, "CSIGNAL in flags");
	a.flags = CLONE_SIGHAND | (1ULL << 32) /* CLEAR_SIGHAND */;
	C3_ERR(sizeof(a), EINVAL, "CLONE_SIGHAND|CLONE_CLEAR_SIGHAND");
	a.flags = 1ULL << 40;
	C3_ERR(sizeof(a), EINVAL, "unknown flag");
	a.flags = 0;
	a.exit_signal = 65;
	C3_ERR(sizeof(a), EINVAL, "exit_signal 65");
	a.exit_signal = SIGCHLD;
	a.stack = (uint64_t)(uintptr_t)big;
	C3_ERR(sizeof(a), EINVAL, "stack without a size");
	a.stack = 0;
	a.stack_size = 4096;
	C3_ERR(sizeof(a), EINVAL, "a size without a stack");
	a.stack_size = 0;
	a.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	C3_ERR(sizeof(a), EINVAL, "CLONE_THREAD with an exit signal");
	a.flags = 0;
	/* a larger struct than the kernel knows: its tail must be zero */
	memset(big, 0, sizeof(big));
	memcpy(big, &a, sizeof(a));
	big[100] = 1;
	errno = 0;
	CHECK(syscall(SYS_clone3, big, sizeof(big)) == -1 && errno == E2BIG,
	      "clone3 nonzero tail: errno %d", errno);
	errno = 0;
	CHECK(clone3(NULL, sizeof(a)) == -1 && errno == EFAULT,
	      "clone3 NULL: errno %d", errno);

	/* a fork: exit signal, parent_tid, cleared handlers */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = (void (*)(int))(void *)test_clone3;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGUSR2, &sa, NULL);
	memset(&a, 0, sizeof(a));
	a.flags = CLONE_PARENT_SETTID | (1ULL << 32) /* CLEAR_SIGHAND */;
	a.parent_tid = (uint64_t)(uintptr_t)&ptid;
	a.exit_signal = SIGCHLD;
	pid = clone3(&a, 64);	/* VER0 is enough */
	if (pid == 0) {
		struct sigaction o1, o2;

		sigaction(SIGUSR1, NULL, &o1);
		sigaction(SIGUSR2, NULL, &o2);
		_exit(o1.sa_handler == SIG_DFL && o2.sa_handler == SIG_IGN ?
		      7 : 8);
	}
	CHECK(pid > 0 && ptid == pid, "clone3 fork: %ld, parent_tid %d",
	      pid, (int)ptid);
	CHECK(pid > 0 && waitpid((pid_t)pid, &st, 0) == pid &&
	      WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "clone3 fork: status %#x (8: handlers not cleared)", st);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);

	/* CLONE_PIDFD: its own pointer, which may not be parent_tid's */
	{
		int pfd = -1;

		memset(&a, 0, sizeof(a));
		a.flags = CLONE_PIDFD | CLONE_PARENT_SETTID;
		a.pidfd = a.parent_tid = (uint64_t)(uintptr_t)&pfd;
		a.exit_signal = SIGCHLD;
		C3_ERR(sizeof(a), EINVAL, "pidfd at parent_tid");
		ptid = 0;
		a.parent_tid = (uint64_t)(uintptr_t)&ptid;
		pid = clone3(&a, sizeof(a));
		if (pid == 0)
			_exit(5);
		CHECK(pid > 0 && ptid == pid && pfd >= 0 &&
		      (fcntl(pfd, F_GETFD) & FD_CLOEXEC),
		      "clone3 CLONE_PIDFD: %ld, tid %d, pidfd %d", pid,
		      (int)ptid, pfd);
		CHECK(pid > 0 && waitpid((pid_t)pid, &st, 0) == pid &&
		      WIFEXITED(st) && WEXITSTATUS(st) == 5,
		      "clone3 CLONE_PIDFD child: %#x", st);
		if (pfd >= 0)
			close(pfd);
	}
#undef C3_ERR
}

static void test_pgrp_session(void)
{
	int fds[2], st;
	pid_t pid;
	char c;

	CHECK(getpgid(0) == getpgrp(), "getpgid(0) vs getpgrp");
	CHECK(pipe(fds) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (setsid() != getpid() || getsid(0) != getpid() ||
		    getpgrp() != getpid())
			_exit(1);
		if (setsid() != -1 || errno != EPERM)
			_exit(2);
		if (setpgid(0, 0) != -1 || errno != EPERM)
			_exit(3);
		c = 'x';
		if (write(fds[1], &c, 1) != 1)
			_exit(4);
		pause();
		_exit(0);
	}
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 1, "child did not report");
	CHECK(getsid(pid) == pid, "getsid(child) %d", getsid(pid));
	CHECK(setpgid(pid, pid) == -1 && errno == EPERM,
	      "setpgid on a child in another session: %s", strerror(errno));
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	close(fds[0]);
	CHECK(getpgid(999999) == -1 && errno == ESRCH, "getpgid ESRCH");

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK(setpgid(pid, pid) == 0 && getpgid(pid) == pid,
	      "setpgid on a child: %s", strerror(errno));
	kill(-pid, SIGKILL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st),
	      "kill of the new process group");
}

static void test_limits_and_info(void)
{
	struct rlimit old, rl;
	struct utsname u;
	struct sysinfo si;
	int fd, major = 0, minor = 0;

	CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0, "getrlimit");
	rl.rlim_cur = 8;
	rl.rlim_max = old.rlim_max;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0, "setrlimit");
	for (fd = 0; fd < 16; fd++)
		if (open("/dev/null", O_RDONLY) < 0)
			break;
	CHECK(errno == EMFILE, "EMFILE below RLIMIT_NOFILE: %s",
	      strerror(errno));
	for (int i = 3; i < 16; i++)
		close(i);
	CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0, "restore");
	rl.rlim_cur = old.rlim_max + 1;
	rl.rlim_max = old.rlim_max + 1;
	if (geteuid() != 0)
		CHECK(setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EPERM,
		      "raising the hard limit unprivileged");
	rl.rlim_cur = 10;
	rl.rlim_max = 5;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EINVAL,
	      "soft above hard");

	CHECK(uname(&u) == 0 && !strcmp(u.sysname, "Linux") &&
	      !strcmp(u.machine, "x86_64"), "uname");
	sscanf(u.release, "%d.%d", &major, &minor);
	CHECK(major > 3 || (major == 3 && minor >= 2), "release %s",
	      u.release);
	CHECK(sysinfo(&si) == 0 && si.totalram > 0 && si.procs >= 1 &&
	      si.mem_unit >= 1, "sysinfo");
	CHECK(getppid() >= 0 && gettid() == getpid(), "ids");
}

static void test_umask_inherit(void)
{
	mode_t old = umask(027);
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(umask(0) == 027 ? 0 : 1);
	CHECK(waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 0,
	      "umask inherited");
	umask(old);
}

/*
 * Unbounded forking ends with EAGAIN or ENOMEM, not with the host's limits.
 * Only with little memory (our kernel at mem=32M): natively this would be
 * a fork bomb on the host.
 */
static void test_fork_bound(void)
{
	struct sysinfo si;
	pid_t pids[4096];
	int n = 0, err = 0;

	if (sysinfo(&si) || (unsigned long long)si.totalram * si.mem_unit >
	    (512ULL << 20))
		return;
	while (n < 4096) {
		pid_t p = fork();

		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0) {
			err = errno;
			break;
		}
		pids[n++] = p;
	}
	CHECK(n < 4096 && (err == EAGAIN || err == ENOMEM),
	      "fork bound: %d children, then %s", n, strerror(err));
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	/* and everything is usable again */
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	CHECK(p > 0 && waitpid(p, NULL, 0) == p, "fork after the bound");
}

int main(int argc, char **argv)
{
	ssize_t n;

	if (argc == 4 && !strcmp(argv[1], "--fds"))
		return check_fds(atoi(argv[2]), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "--env"))
		return check_env(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "--fresh"))
		return check_fresh(strtoul(argv[2], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "--pid"))
		return getpid() == atoi(argv[2]) ? 0 : 1;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		printf("FAIL: readlink /proc/self/exe\n");
		return 1;
	}
	self[n] = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_fork_wait();
	test_waitid();
	test_vfork();
	test_exec_errors();
	test_exec_cloexec();
	test_exec_fresh_state();
	test_exec_strings();
	test_threads();
	test_clone3();
	test_pgrp_session();
	test_limits_and_info();
	test_umask_inherit();
	test_fork_bound();
	printf("%s\n", failures ? "FAIL: see above" : "PASS");
	return failures != 0;
}
