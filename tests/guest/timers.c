/*
 * Futexes, clocks, sleeps and timers, checked against what Linux does.
 * Passes natively first (gcc -static -O2 -pthread); timing checks have
 * generous slack, since a loaded machine may run anything late.
 *
 *  - futex: wait/wake, EAGAIN, timeouts (relative, absolute MONOTONIC and
 *    REALTIME), bad arguments, bitsets, CMP_REQUEUE, WAKE_OP, private vs
 *    shared across fork on a MAP_SHARED page and a shared file mapping,
 *    pthread mutex/cond/join and robust mutexes (owner died);
 *  - clocks: resolutions, invalid ids, settime argument checks;
 *  - nanosleep, EINTR with the time left, clock_nanosleep TIMER_ABSTIME;
 *  - restarts: sleeps and timed futex waits keep their deadline through
 *    SIGSTOP/SIGCONT; an untimed futex wait restarts under SA_RESTART;
 *  - setitimer/getitimer/alarm with SIGALRM, ITIMER_PROF;
 *  - timer_create with SIGEV_SIGNAL and overruns, SIGEV_NONE,
 *    SIGEV_THREAD_ID;
 *  - times and getrusage (self, thread, children);
 *  - RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL at the hard one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			printf("FAIL at %d: ", __LINE__);		\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

static long futex(void *uaddr, int op, uint32_t val, const void *ts,
		  void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static double now_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void burn_cpu(double seconds)
{
	double end = now_s(CLOCK_THREAD_CPUTIME_ID) + seconds;
	volatile unsigned long x = 0;
	double wall_end = now_s(CLOCK_MONOTONIC) + 20 * seconds + 5;

	while (now_s(CLOCK_THREAD_CPUTIME_ID) < end &&
	       now_s(CLOCK_MONOTONIC) < wall_end)
		for (int i = 0; i < 100000; i++)
			x += i;
}

/* ---- futex basics ---- */

static _Atomic uint32_t fword;
static _Atomic int waiter_result = -100;

static void *waiter(void *arg)
{
	long r = futex((void *)&fword, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);

	(void)arg;
	waiter_result = r == 0 ? 0 : errno;
	return NULL;
}

static void test_futex_basic(void)
{
	struct timespec ts = { 0, 50 * 1000000L }, abs;
	pthread_t th;
	double t0;
	long r;
	int woken = 0;
	uint32_t w = 1;

	/* value mismatch */
	r = futex(&w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	CHECK(r == -1 && errno == EAGAIN, "WAIT mismatch: %ld %d", r, errno);
	/* relative timeout */
	t0 = now_s(CLOCK_MONOTONIC);
	r = futex(&w, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0);
	t0 = now_s(CLOCK_MONOTONIC) - t0;
	CHECK(r == -1 && errno == ETIMEDOUT, "WAIT timeout: %ld %d", r, errno);
	CHECK(t0 >= 0.045 && t0 < 5, "WAIT timeout took %.3f s", t0);
	/* absolute MONOTONIC deadline (WAIT_BITSET) */
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 50 * 1000000L;
	if (abs.tv_nsec >= 1000000000L) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000L;
	}
	r = futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 1, &abs, NULL,
		  FUTEX_BITSET_MATCH_ANY);
	CHECK(r == -1 && errno == ETIMEDOUT, "WAIT_BITSET mono: %ld %d", r,
	      errno);
	CHECK(now_s(CLOCK_MONOTONIC) >= abs.tv_sec + abs.tv_nsec / 1e9 - 0.001,
	      "WAIT_BITSET returned before its deadline");
	/* absolute REALTIME deadline */
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 30 * 1000000L;
	if (abs.tv_nsec >= 1000000000L) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000L;
	}
	r = futex(&w, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1,
		  &abs, NULL, FUTEX_BITSET_MATCH_ANY);
	CHECK(r == -1 && errno == ETIMEDOUT, "WAIT_BITSET realtime: %ld %d",
	      r, errno);
	/* past deadline: still compares the value first */
	r = futex(&w, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0,
		  &abs, NULL, FUTEX_BITSET_MATCH_ANY);
	CHECK(r == -1 && errno == EAGAIN, "WAIT_BITSET past, mismatch: %ld %d",
	      r, errno);
	/* bad arguments */
	r = futex((char *)&w + 1, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0);
	CHECK(r == -1 && errno == EINVAL, "misaligned: %ld %d", r, errno);
	r = futex((void *)16, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0);
	CHECK(r == -1 && errno == EFAULT, "unmapped: %ld %d", r, errno);
	r = futex(&w, FUTEX_WAIT_PRIVATE, 1, (void *)16, NULL, 0);
	CHECK(r == -1 && errno == EFAULT, "bad timeout ptr: %ld %d", r, errno);
	ts.tv_nsec = 1000000000L;
	r = futex(&w, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0);
	CHECK(r == -1 && errno == EINVAL, "bad timeout: %ld %d", r, errno);
	ts.tv_nsec = 1000;
	r = futex(&w, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 1, &ts,
		  NULL, 0);
	CHECK(r == -1 && errno == ENOSYS, "WAIT|CLOCK_REALTIME: %ld %d", r,
	      errno);
	r = futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 1, &ts, NULL, 0);
	CHECK(r == -1 && errno == EINVAL, "bitset 0: %ld %d", r, errno);
	r = futex(&w, 99 | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
	CHECK(r == -1 && errno == ENOSYS, "bad op: %ld %d", r, errno);
	r = futex(&w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	CHECK(r == 0, "WAKE with no waiter: %ld", r);

	/* wait and wake between two threads */
	fword = 0;
	pthread_create(&th, NULL, waiter, NULL);
	for (int i = 0; i < 500 && !woken; i++) {
		msleep(2);
		r = futex((void *)&fword, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		woken += (int)r;
	}
	pthread_join(th, NULL);
	CHECK(woken == 1 && waiter_result == 0, "wake: woken %d result %d",
	      woken, waiter_result);

	/* a wake with a non-matching bitset leaves the waiter asleep */
	fword = 0;
	waiter_result = -100;
	pthread_create(&th, NULL, waiter, NULL);
	msleep(50);
	r = futex((void *)&fword, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0);
	CHECK(r == -1 && errno == EINVAL, "WAKE_BITSET 0: %ld %d", r, errno);
	woken = 0;
	for (int i = 0; i < 500 && !woken; i++) {
		msleep(2);
		r = futex((void *)&fword, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL,
			  NULL, 0x1);
		woken += (int)r;
	}
	pthread_join(th, NULL);
	CHECK(woken == 1 && waiter_result == 0, "bitset wake: %d %d", woken,
	      waiter_result);
}

/* ---- requeue and wake_op ---- */

static _Atomic uint32_t f1, f2;
static _Atomic int rq_done;

static void *rq_waiter(void *arg)
{
	(void)arg;
	while (futex((void *)&f1, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) &&
	       errno == EINTR)
		;
	rq_done++;
	return NULL;
}

static void test_requeue(void)
{
	pthread_t th[3];
	long r;
	int moved = 0, woken = 0;

	f1 = 0;
	f2 = 0;
	rq_done = 0;
	for (int i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, rq_waiter, NULL);
	r = futex((void *)&f1, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)1L,
		  (void *)&f2, 1);
	CHECK(r == -1 && errno == EAGAIN, "CMP_REQUEUE mismatch: %ld %d", r,
	      errno);
	r = futex((void *)&f1, FUTEX_CMP_REQUEUE_PRIVATE, (uint32_t)-1,
		  (void *)1L, (void *)&f2, 0);
	CHECK(r == -1 && errno == EINVAL, "CMP_REQUEUE negative: %ld %d", r,
	      errno);
	/* move all three waiters to f2 without waking them */
	for (int i = 0; i < 1000 && moved < 3; i++) {
		r = futex((void *)&f1, FUTEX_CMP_REQUEUE_PRIVATE, 0,
			  (void *)(long)INT_MAX, (void *)&f2, 0);
		if (r > 0)
			moved += (int)r;
		msleep(1);
	}
	CHECK(moved == 3, "requeued %d of 3", moved);
	msleep(20);
	CHECK(rq_done == 0, "%d requeued waiters woke up", rq_done);
	r = futex((void *)&f1, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	CHECK(r == 0, "woke %ld on f1 after requeue", r);
	/* plain REQUEUE: wake 1, move the rest back to f1 */
	r = futex((void *)&f2, FUTEX_REQUEUE_PRIVATE, 1, (void *)(long)INT_MAX,
		  (void *)&f1, 0);
	CHECK(r == 3, "REQUEUE returned %ld", r);
	r = futex((void *)&f1, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	CHECK(r == 2, "woke %ld of 2 on f1", r);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	CHECK(rq_done == 3, "rq_done %d", rq_done);

	/* WAKE_OP: op on f2, wake on f1 always, on f2 if the test holds */
	f2 = 5;
	r = futex((void *)&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L,
		  (void *)&f2, FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 5));
	CHECK(r == 0 && f2 == 8, "WAKE_OP add: %ld f2=%u", r, f2);
	r = futex((void *)&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L,
		  (void *)&f2,
		  FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 4,
			   FUTEX_OP_CMP_GT, 100));
	CHECK(r == 0 && f2 == 24, "WAKE_OP or|shift: %ld f2=%u", r, f2);
	r = futex((void *)&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L,
		  (void *)&f2, FUTEX_OP(FUTEX_OP_ANDN, 8, FUTEX_OP_CMP_NE, 0));
	CHECK(r == 0 && f2 == 16, "WAKE_OP andn: %ld f2=%u", r, f2);
	r = futex((void *)&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L,
		  (void *)&f2, (7U << 28));
	CHECK(r == -1 && errno == ENOSYS, "WAKE_OP bad op: %ld %d", r, errno);
	/* a waiter on f2 woken by the comparison */
	f1 = 0;
	rq_done = 0;
	pthread_create(&th[0], NULL, rq_waiter, NULL);
	woken = 0;
	for (int i = 0; i < 1000 && !woken; i++) {
		msleep(1);
		r = futex((void *)&f2, FUTEX_WAKE_OP_PRIVATE, 0, (void *)1L,
			  (void *)&f1,
			  FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0));
		if (r > 0)
			woken += (int)r;
	}
	pthread_join(th[0], NULL);
	CHECK(woken == 1 && rq_done == 1, "WAKE_OP cmp wake: %d", woken);
}

/* ---- private and shared futexes across fork ---- */

static void test_futex_fork(void)
{
	uint32_t *shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct timespec ts = { 0, 300 * 1000000L };
	int st, woken = 0;
	pid_t pid;
	long r;

	CHECK(shm != MAP_FAILED, "mmap shared: %d", errno);
	if (shm == MAP_FAILED)
		return;
	/* shared: the child's wait is reached by the parent's wake */
	shm[0] = 0;
	shm[1] = 0;
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid < 0)
		return;
	if (pid == 0) {
		__atomic_store_n(&shm[1], 1, __ATOMIC_SEQ_CST);
		r = futex(&shm[0], FUTEX_WAIT, 0, NULL, NULL, 0);
		_exit(r == 0 ? 0 : 10 + errno % 100);
	}
	while (!__atomic_load_n(&shm[1], __ATOMIC_SEQ_CST))
		msleep(1);
	for (int i = 0; i < 2000 && !woken; i++) {
		r = futex(&shm[0], FUTEX_WAKE, 1, NULL, NULL, 0);
		if (r > 0)
			woken += (int)r;
		else
			msleep(1);
	}
	waitpid(pid, &st, 0);
	CHECK(woken == 1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "shared futex across fork: woken %d status %#x", woken, st);

	/* private: the same word in another process is another futex */
	shm[1] = 0;
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid < 0)
		return;
	if (pid == 0) {
		__atomic_store_n(&shm[1], 1, __ATOMIC_SEQ_CST);
		r = futex(&shm[0], FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
		_exit(r == -1 && errno == ETIMEDOUT ? 0 : 20);
	}
	while (!__atomic_load_n(&shm[1], __ATOMIC_SEQ_CST))
		msleep(1);
	woken = 0;
	for (int i = 0; i < 50; i++) {
		r = futex(&shm[0], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		if (r > 0)
			woken += (int)r;
		msleep(2);
	}
	waitpid(pid, &st, 0);
	CHECK(woken == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "private futex across fork: woken %d status %#x", woken, st);
	munmap(shm, 4096);
}

static void test_futex_file(void)
{
	char path[] = "/tmp/futexXXXXXX";
	int fd = mkstemp(path), st, woken = 0;
	uint32_t *a;
	pid_t pid;
	long r;

	if (fd < 0) {
		printf("SKIP file-backed shared futex (mkstemp: %s)\n",
		       strerror(errno));
		return;
	}
	unlink(path);
	if (ftruncate(fd, 8192)) {
		printf("SKIP file-backed shared futex (ftruncate: %s)\n",
		       strerror(errno));
		close(fd);
		return;
	}
	a = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED) {
		printf("SKIP file-backed shared futex (mmap: %s)\n",
		       strerror(errno));
		close(fd);
		return;
	}
	a[1024] = 0;
	a[1025] = 0;
	pid = fork();
	if (pid == 0) {
		/* another mapping of the same page, at another address */
		uint32_t *b = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED, fd, 4096);

		if (b == MAP_FAILED)
			_exit(30);
		__atomic_store_n(&b[1], 1, __ATOMIC_SEQ_CST);
		r = futex(&b[0], FUTEX_WAIT, 0, NULL, NULL, 0);
		_exit(r == 0 ? 0 : 31);
	}
	for (int i = 0; i < 5000 && !__atomic_load_n(&a[1025], __ATOMIC_SEQ_CST);
	     i++)
		msleep(1);
	for (int i = 0; i < 2000 && !woken; i++) {
		r = futex(&a[1024], FUTEX_WAKE, 1, NULL, NULL, 0);
		if (r > 0)
			woken += (int)r;
		else
			msleep(1);
	}
	if (!woken)
		kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	CHECK(woken == 1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "file-backed shared futex: woken %d status %#x", woken, st);
	munmap(a, 8192);
	close(fd);
}

/* ---- pthreads: mutex, condition variable, join, robust mutex ---- */

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;

static void *counter_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mtx);
	while (!ready)
		pthread_cond_wait(&cond, &mtx);
	pthread_mutex_unlock(&mtx);
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&mtx);
		counter++;
		pthread_mutex_unlock(&mtx);
	}
	return NULL;
}

static pthread_mutex_t robust;

static void *die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL;		/* exits with the mutex held */
}

static void test_pthreads(void)
{
	pthread_t th[4];
	pthread_mutexattr_t ma;
	int r;

	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, counter_thread, NULL);
	msleep(20);
	pthread_mutex_lock(&mtx);
	ready = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&mtx);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK(counter == 80000, "mutex counter %ld", counter);

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &ma);
	pthread_create(&th[0], NULL, die_holding, NULL);
	pthread_join(th[0], NULL);
	r = pthread_mutex_lock(&robust);
	CHECK(r == EOWNERDEAD, "robust mutex: %d", r);
	if (r == EOWNERDEAD) {
		pthread_mutex_consistent(&robust);
		pthread_mutex_unlock(&robust);
	}

	/* set_robust_list and get_robust_list agree (the stub answers set) */
	{
		struct robust_list_head h = { { &h.list }, 0, NULL };
		void *old = NULL, *now = NULL;
		size_t len = 0;

		errno = 0;
		CHECK(syscall(SYS_set_robust_list, &h, sizeof(h) - 1) == -1 &&
		      errno == EINVAL, "set_robust_list bad len: %d", errno);
		CHECK(syscall(SYS_get_robust_list, 0, &old, &len) == 0 &&
		      len == sizeof(h) && old, "get_robust_list: %zu", len);
		CHECK(syscall(SYS_set_robust_list, &h, sizeof(h)) == 0,
		      "set_robust_list");
		CHECK(syscall(SYS_get_robust_list, 0, &now, &len) == 0 &&
		      now == &h, "get_robust_list after set: %p", now);
		CHECK(syscall(SYS_get_robust_list, (pid_t)syscall(SYS_gettid),
			      &now, &len) == 0 && now == &h,
		      "get_robust_list by tid: %p", now);
		syscall(SYS_set_robust_list, old, sizeof(h));
	}
}

/* ---- clocks ---- */

static void test_clocks(void)
{
	static const clockid_t hires[] = {
		CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW,
		CLOCK_BOOTTIME, CLOCK_PROCESS_CPUTIME_ID,
		CLOCK_THREAD_CPUTIME_ID,
	};
	struct timespec a, b, res;
	struct timeval tv;
	double cpu0, cpu1;
	long r;

	for (unsigned i = 0; i < sizeof(hires) / sizeof(hires[0]); i++) {
		r = syscall(SYS_clock_getres, hires[i], &res);
		CHECK(r == 0 && res.tv_sec == 0 && res.tv_nsec >= 1 &&
		      res.tv_nsec <= 1000000, "getres(%d): %ld %ld", hires[i],
		      r, res.tv_nsec);
		r = syscall(SYS_clock_gettime, hires[i], &a);
		CHECK(r == 0, "gettime(%d): %d", hires[i], errno);
	}
	r = syscall(SYS_clock_getres, CLOCK_MONOTONIC_COARSE, &res);
	CHECK(r == 0 && res.tv_sec == 0 && res.tv_nsec >= 1000000 &&
	      res.tv_nsec <= 20000000, "getres(COARSE): %ld", res.tv_nsec);
	r = syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL);
	CHECK(r == 0, "getres(NULL): %d", errno);
	r = syscall(SYS_clock_gettime, 100, &a);
	CHECK(r == -1 && errno == EINVAL, "gettime(100): %ld %d", r, errno);
	r = syscall(SYS_clock_getres, 100, &res);
	CHECK(r == -1 && errno == EINVAL, "getres(100): %ld %d", r, errno);
	r = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)16);
	CHECK(r == -1 && errno == EFAULT, "gettime(bad ptr): %ld %d", r, errno);
	/* a CPU clock of a pid that does not exist */
	r = syscall(SYS_clock_gettime, (clockid_t)((~(unsigned)999999) << 3 | 2),
		    &a);
	CHECK(r == -1 && errno == EINVAL, "gettime(dead pid cpu): %ld %d", r,
	      errno);
	/* our own process CPU clock by pid */
	r = syscall(SYS_clock_gettime,
		    (clockid_t)((~(unsigned)getpid()) << 3 | 2), &a);
	CHECK(r == 0, "gettime(own pid cpu): %d", errno);

	/* monotonic never goes back; realtime agrees with time() */
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec &&
				      b.tv_nsec >= a.tv_nsec),
	      "monotonic went back");
	r = syscall(SYS_time, NULL);
	clock_gettime(CLOCK_REALTIME, &a);
	CHECK(labs(r - a.tv_sec) <= 1, "time %ld vs realtime %ld", r,
	      (long)a.tv_sec);
	r = syscall(SYS_gettimeofday, &tv, NULL);
	CHECK(r == 0 && labs(tv.tv_sec - a.tv_sec) <= 1 && tv.tv_usec >= 0 &&
	      tv.tv_usec < 1000000, "gettimeofday");

	/* setting: argument errors come before permission */
	a.tv_sec = 0;
	a.tv_nsec = 2000000000L;
	r = syscall(SYS_clock_settime, CLOCK_REALTIME, &a);
	CHECK(r == -1 && errno == EINVAL, "settime(bad ts): %ld %d", r, errno);
	r = syscall(SYS_clock_settime, CLOCK_MONOTONIC, &b);
	CHECK(r == -1 && errno == EINVAL, "settime(MONOTONIC): %ld %d", r,
	      errno);
	r = syscall(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, &b);
	CHECK(r == -1 && errno == EINVAL, "settime(PROCESS_CPUTIME): %ld %d",
	      r, errno);
	r = syscall(SYS_clock_settime,
		    (clockid_t)((~(unsigned)getpid()) << 3 | 2), &b);
	CHECK(r == -1 && errno == EPERM, "settime(pid CPU): %ld %d", r, errno);
	r = syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)16);
	CHECK(r == -1 && errno == EFAULT, "settime(bad ptr): %ld %d", r, errno);

	/* the clock discipline can be read */
	{
		struct timex tx;

		memset(&tx, 0, sizeof(tx));
		r = adjtimex(&tx);
		CHECK(r >= TIME_OK && r <= TIME_ERROR && tx.tick > 9000 &&
		      tx.tick < 11000, "adjtimex read: %ld tick %ld", r,
		      (long)tx.tick);
		memset(&tx, 0, sizeof(tx));
		tx.modes = 0x8000;	/* ADJ_ADJTIME without its flag */
		r = adjtimex(&tx);
		CHECK(r == -1 && errno == EINVAL, "adjtimex bad: %ld %d", r,
		      errno);
		r = syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, &tx);
		CHECK(r == -1 && errno == EOPNOTSUPP,
		      "clock_adjtime(MONOTONIC): %ld %d", r, errno);
	}

	/* CPU clocks move with CPU use */
	cpu0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	burn_cpu(0.1);
	cpu1 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(cpu1 - cpu0 >= 0.08, "process CPU clock moved %.3f s",
	      cpu1 - cpu0);
}

/* ---- sleeps ---- */

static volatile sig_atomic_t alarms;
static volatile sig_atomic_t profs;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_prof(int sig)
{
	(void)sig;
	profs++;
}

static void test_sleeps(void)
{
	struct sigaction sa;
	struct timespec req = { 0, 50 * 1000000L }, rem, abs;
	struct itimerval it;
	double t0;
	long r;

	t0 = now_s(CLOCK_MONOTONIC);
	r = nanosleep(&req, NULL);
	t0 = now_s(CLOCK_MONOTONIC) - t0;
	CHECK(r == 0 && t0 >= 0.049 && t0 < 5, "nanosleep 50 ms: %ld %.3f",
	      r, t0);
	req.tv_nsec = -1;
	r = nanosleep(&req, NULL);
	CHECK(r == -1 && errno == EINVAL, "nanosleep bad: %ld %d", r, errno);
	r = nanosleep((void *)16, NULL);
	CHECK(r == -1 && errno == EFAULT, "nanosleep fault: %ld %d", r, errno);

	/* interrupted by a handler: EINTR and the time left */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarms = 0;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 100000;
	setitimer(ITIMER_REAL, &it, NULL);
	req.tv_sec = 2;
	req.tv_nsec = 0;
	r = nanosleep(&req, &rem);
	CHECK(r == -1 && errno == EINTR && alarms == 1,
	      "nanosleep interrupted: %ld %d alarms %d", r, errno, alarms);
	CHECK(rem.tv_sec == 1 || (rem.tv_sec == 0 && rem.tv_nsec > 500000000L),
	      "remaining %ld.%09ld", (long)rem.tv_sec, rem.tv_nsec);

	/* absolute sleeps */
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 40 * 1000000L;
	if (abs.tv_nsec >= 1000000000L) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000L;
	}
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	CHECK(r == 0 && now_s(CLOCK_MONOTONIC) >=
	      abs.tv_sec + abs.tv_nsec / 1e9 - 0.0005,
	      "clock_nanosleep ABSTIME MONOTONIC: %ld", r);
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 40 * 1000000L;
	if (abs.tv_nsec >= 1000000000L) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000L;
	}
	r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL);
	CHECK(r == 0 && now_s(CLOCK_REALTIME) >=
	      abs.tv_sec + abs.tv_nsec / 1e9 - 0.0005,
	      "clock_nanosleep ABSTIME REALTIME: %ld", r);
	abs.tv_sec -= 10;
	r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL);
	CHECK(r == 0, "clock_nanosleep in the past: %ld", r);
	req.tv_sec = 0;
	req.tv_nsec = 1000;
	r = clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL);
	CHECK(r == EINVAL, "clock_nanosleep(THREAD_CPUTIME): %ld", r);
	r = clock_nanosleep(100, 0, &req, NULL);
	CHECK(r == EINVAL, "clock_nanosleep(100): %ld", r);
	r = clock_nanosleep(CLOCK_MONOTONIC_COARSE, 0, &req, NULL);
	CHECK(r == ENOTSUP, "clock_nanosleep(COARSE): %ld", r);
	req.tv_nsec = 20 * 1000000L;
	r = clock_nanosleep(CLOCK_BOOTTIME, 0, &req, NULL);
	CHECK(r == 0, "clock_nanosleep(BOOTTIME): %ld", r);

	/* relative clock_nanosleep interrupted: EINTR and the time left */
	alarms = 0;
	it.it_value.tv_sec = 0;
	it.it_value.tv_usec = 100000;
	setitimer(ITIMER_REAL, &it, NULL);
	req.tv_sec = 2;
	req.tv_nsec = 0;
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	CHECK(r == EINTR && alarms == 1 && (rem.tv_sec == 1 ||
	      (rem.tv_sec == 0 && rem.tv_nsec > 500000000L)),
	      "clock_nanosleep interrupted: %ld rem %ld.%09ld", r,
	      (long)rem.tv_sec, rem.tv_nsec);
}

/* ---- restarts: stop/continue and handlers during sleeps ---- */

static volatile sig_atomic_t usr1s;

static void on_usr1(int sig)
{
	(void)sig;
	usr1s++;
}

/* Runs fn in a child that the parent stops and continues once. */
static int stopped_child(int (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	msleep(60);
	kill(pid, SIGSTOP);
	msleep(60);
	kill(pid, SIGCONT);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + (st & 0x7f);
}

static int sleep_through_stop(void)
{
	struct timespec req = { 0, 400 * 1000000L };
	double t0 = now_s(CLOCK_MONOTONIC);
	int r = nanosleep(&req, NULL);

	t0 = now_s(CLOCK_MONOTONIC) - t0;
	if (r)
		return 1;
	return t0 >= 0.399 && t0 < 5 ? 0 : 2;
}

static int futex_through_stop(void)
{
	struct timespec ts = { 0, 400 * 1000000L };
	uint32_t w = 0;
	double t0 = now_s(CLOCK_MONOTONIC);
	long r = futex(&w, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);

	t0 = now_s(CLOCK_MONOTONIC) - t0;
	if (r != -1 || errno != ETIMEDOUT)
		return 1;
	return t0 >= 0.399 && t0 < 5 ? 0 : 2;
}

static void test_restart(void)
{
	uint32_t *shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct sigaction sa;
	int r, st;
	pid_t pid;

	r = stopped_child(sleep_through_stop);
	CHECK(r == 0, "nanosleep through SIGSTOP/SIGCONT: %d", r);
	r = stopped_child(futex_through_stop);
	CHECK(r == 0, "futex timeout through SIGSTOP/SIGCONT: %d", r);
	if (shm == MAP_FAILED)
		return;

	/* untimed FUTEX_WAIT: restarted under SA_RESTART, else EINTR */
	for (int restart = 0; restart < 2; restart++) {
		shm[0] = 0;
		shm[1] = 0;
		pid = fork();
		if (pid == 0) {
			long fr;

			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = on_usr1;
			sa.sa_flags = restart ? SA_RESTART : 0;
			sigaction(SIGUSR1, &sa, NULL);
			__atomic_store_n(&shm[1], 1, __ATOMIC_SEQ_CST);
			fr = futex(&shm[0], FUTEX_WAIT, 0, NULL, NULL, 0);
			if (!usr1s)
				_exit(3);
			if (restart)
				_exit(fr == 0 || errno == EAGAIN ? 0 : 4);
			_exit(fr == -1 && errno == EINTR ? 0 : 5);
		}
		while (!__atomic_load_n(&shm[1], __ATOMIC_SEQ_CST))
			msleep(1);
		msleep(50);
		kill(pid, SIGUSR1);
		msleep(100);
		__atomic_store_n(&shm[0], 1, __ATOMIC_SEQ_CST);
		futex(&shm[0], FUTEX_WAKE, 1, NULL, NULL, 0);
		waitpid(pid, &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "futex and a %s handler: status %#x",
		      restart ? "SA_RESTART" : "plain", st);
	}
	munmap(shm, 4096);
}

/* ---- interval timers ---- */

static void test_itimers(void)
{
	struct sigaction sa;
	struct itimerval it, old;
	sigset_t none;
	double t0;
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&none);

	/* periodic ITIMER_REAL: at least three SIGALRMs */
	alarms = 0;
	it.it_interval.tv_sec = 0;
	it.it_interval.tv_usec = 20000;
	it.it_value = it.it_interval;
	r = setitimer(ITIMER_REAL, &it, NULL);
	CHECK(r == 0, "setitimer: %d", errno);
	r = getitimer(ITIMER_REAL, &old);
	CHECK(r == 0 && old.it_interval.tv_usec == 20000 &&
	      old.it_value.tv_sec == 0 && old.it_value.tv_usec <= 20000,
	      "getitimer: %ld %ld %ld", r, (long)old.it_interval.tv_usec,
	      (long)old.it_value.tv_usec);
	t0 = now_s(CLOCK_MONOTONIC);
	while (alarms < 3 && now_s(CLOCK_MONOTONIC) - t0 < 10)
		sigsuspend(&none);
	CHECK(alarms >= 3, "only %d SIGALRMs", alarms);
	memset(&it, 0, sizeof(it));
	r = setitimer(ITIMER_REAL, &it, &old);
	CHECK(r == 0 && old.it_interval.tv_usec == 20000,
	      "setitimer old: %ld", (long)old.it_interval.tv_usec);
	r = getitimer(ITIMER_REAL, &old);
	CHECK(r == 0 && !old.it_value.tv_sec && !old.it_value.tv_usec,
	      "disarmed timer shows %ld.%06ld", (long)old.it_value.tv_sec,
	      (long)old.it_value.tv_usec);
	r = setitimer(7, &it, NULL);
	CHECK(r == -1 && errno == EINVAL, "setitimer(7): %ld %d", r, errno);
	it.it_value.tv_usec = 1000000;
	r = setitimer(ITIMER_REAL, &it, NULL);
	CHECK(r == -1 && errno == EINVAL, "setitimer(bad usec): %ld %d", r,
	      errno);

	/* alarm */
	r = alarm(5);
	CHECK(r == 0, "alarm first: %ld", r);
	r = alarm(0);
	CHECK(r == 5, "alarm left: %ld", r);
	alarms = 0;
	alarm(1);
	t0 = now_s(CLOCK_MONOTONIC);
	while (!alarms && now_s(CLOCK_MONOTONIC) - t0 < 10)
		sigsuspend(&none);
	t0 = now_s(CLOCK_MONOTONIC) - t0;
	CHECK(alarms == 1 && t0 > 0.9, "alarm(1): %d after %.3f", alarms, t0);

	/* ITIMER_PROF fires with CPU use */
	sa.sa_handler = on_prof;
	sigaction(SIGPROF, &sa, NULL);
	profs = 0;
	it.it_interval.tv_sec = 0;
	it.it_interval.tv_usec = 0;
	it.it_value.tv_sec = 0;
	it.it_value.tv_usec = 50000;
	setitimer(ITIMER_PROF, &it, NULL);
	t0 = now_s(CLOCK_MONOTONIC);
	while (!profs && now_s(CLOCK_MONOTONIC) - t0 < 10)
		burn_cpu(0.01);
	CHECK(profs == 1, "SIGPROF count %d", profs);
}

/* ---- POSIX timers ---- */

static volatile sig_atomic_t rt_count, rt_overrun, rt_code, rt_value,
	rt_getoverrun, rt_tid;
static timer_t rt_timer;

/* Records the first signal after rt_count was reset. */
static void on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (!rt_count++) {
		rt_overrun = si->si_overrun;
		rt_code = si->si_code;
		rt_value = si->si_value.sival_int;
		rt_getoverrun = timer_getoverrun(rt_timer);
		rt_tid = (int)syscall(SYS_gettid);
	}
}

static void test_posix_timers(void)
{
	struct sigaction sa;
	struct sigevent sev;
	struct itimerspec its, cur;
	sigset_t set, none;
	timer_t tn;
	int kid;
	double t0;
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_rt;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigemptyset(&none);

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_value.sival_int = 4242;
	r = timer_create(CLOCK_MONOTONIC, &sev, &rt_timer);
	CHECK(r == 0, "timer_create: %d", errno);
	/* every 10 ms while the signal is blocked: overruns pile up */
	sigprocmask(SIG_BLOCK, &set, NULL);
	its.it_interval.tv_sec = 0;
	its.it_interval.tv_nsec = 10 * 1000000L;
	its.it_value = its.it_interval;
	r = timer_settime(rt_timer, 0, &its, NULL);
	CHECK(r == 0, "timer_settime: %d", errno);
	r = timer_gettime(rt_timer, &cur);
	CHECK(r == 0 && cur.it_interval.tv_nsec == 10 * 1000000L &&
	      cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0,
	      "timer_gettime: %ld %ld", (long)cur.it_interval.tv_nsec,
	      (long)cur.it_value.tv_nsec);
	msleep(200);
	rt_count = 0;
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	/* one signal for all those expiries (a later one may follow) */
	CHECK(rt_count >= 1, "no timer signal after unblocking");
	CHECK(rt_code == SI_TIMER && rt_value == 4242,
	      "siginfo code %d value %d", (int)rt_code, (int)rt_value);
	CHECK(rt_overrun >= 5 && rt_overrun <= 30, "si_overrun %d",
	      (int)rt_overrun);
	CHECK(rt_getoverrun == rt_overrun, "timer_getoverrun %d vs %d",
	      (int)rt_getoverrun, (int)rt_overrun);
	/* it keeps firing */
	t0 = now_s(CLOCK_MONOTONIC);
	while (rt_count < 3 && now_s(CLOCK_MONOTONIC) - t0 < 10)
		sigsuspend(&none);
	CHECK(rt_count >= 3, "periodic timer: %d signals", (int)rt_count);
	r = timer_delete(rt_timer);
	CHECK(r == 0, "timer_delete: %d", errno);
	r = timer_gettime(rt_timer, &cur);
	CHECK(r == -1 && errno == EINVAL, "gettime after delete: %ld %d", r,
	      errno);
	r = syscall(SYS_timer_delete, 12345);
	CHECK(r == -1 && errno == EINVAL, "delete(12345): %ld %d", r, errno);

	/* SIGEV_NONE: nothing is sent, the time left is visible */
	sev.sigev_notify = SIGEV_NONE;
	r = timer_create(CLOCK_REALTIME, &sev, &tn);
	CHECK(r == 0, "timer_create NONE: %d", errno);
	its.it_interval.tv_nsec = 0;
	its.it_value.tv_sec = 1;
	its.it_value.tv_nsec = 0;
	timer_settime(tn, 0, &its, NULL);
	msleep(10);
	r = timer_gettime(tn, &cur);
	CHECK(r == 0 && cur.it_value.tv_sec == 0 &&
	      cur.it_value.tv_nsec > 500000000L,
	      "SIGEV_NONE left %ld.%09ld", (long)cur.it_value.tv_sec,
	      cur.it_value.tv_nsec);
	timer_delete(tn);

	/* bad arguments */
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 0;
	r = timer_create(CLOCK_MONOTONIC, &sev, &tn);
	CHECK(r == -1 && errno == EINVAL, "timer_create signo 0: %ld %d", r,
	      errno);
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_notify = 77;
	r = timer_create(CLOCK_MONOTONIC, &sev, &tn);
	CHECK(r == -1 && errno == EINVAL, "timer_create notify 77: %ld %d", r,
	      errno);
	sev.sigev_notify = SIGEV_SIGNAL;
	r = syscall(SYS_timer_create, 100, &sev, &kid);
	CHECK(r == -1 && errno == EINVAL, "timer_create clock 100: %ld %d", r,
	      errno);

	/* SIGEV_THREAD_ID: to this thread, with the raw system call */
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev._sigev_un._tid = (int)syscall(SYS_gettid);
	sev.sigev_value.sival_int = 77;
	r = syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &kid);
	CHECK(r == 0, "timer_create THREAD_ID: %d", errno);
	if (r == 0) {
		rt_count = 0;
		rt_timer = (timer_t)(long)kid;
		its.it_value.tv_sec = 0;
		its.it_value.tv_nsec = 20 * 1000000L;
		syscall(SYS_timer_settime, kid, 0, &its, NULL);
		t0 = now_s(CLOCK_MONOTONIC);
		while (!rt_count && now_s(CLOCK_MONOTONIC) - t0 < 10)
			sigsuspend(&none);
		CHECK(rt_count == 1 && rt_value == 77 &&
		      rt_tid == syscall(SYS_gettid),
		      "THREAD_ID timer: %d %d", (int)rt_count, (int)rt_value);
		syscall(SYS_timer_delete, kid);
	}
}

/* ---- times, getrusage ---- */

static void test_usage(void)
{
	struct rusage ru, rt;
	struct tms tms;
	clock_t c0, c1;
	long hz = sysconf(_SC_CLK_TCK);
	int st;
	pid_t pid;
	long r;

	c0 = times(&tms);
	burn_cpu(0.2);
	c1 = times(&tms);
	CHECK(c1 - c0 >= hz / 10, "times() moved %ld ticks", (long)(c1 - c0));
	CHECK(tms.tms_utime + tms.tms_stime >= hz / 10,
	      "tms_utime %ld tms_stime %ld", (long)tms.tms_utime,
	      (long)tms.tms_stime);
	r = getrusage(RUSAGE_SELF, &ru);
	CHECK(r == 0 && ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6 >= 0.15 &&
	      ru.ru_maxrss > 0 && ru.ru_utime.tv_usec < 1000000,
	      "getrusage self: utime %ld.%06ld maxrss %ld",
	      (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
	      ru.ru_maxrss);
	r = getrusage(RUSAGE_THREAD, &rt);
	CHECK(r == 0 && rt.ru_utime.tv_sec + rt.ru_stime.tv_sec +
	      (rt.ru_utime.tv_usec + rt.ru_stime.tv_usec) / 1e6 >= 0.1,
	      "getrusage thread: %ld.%06ld", (long)rt.ru_utime.tv_sec,
	      (long)rt.ru_utime.tv_usec);
	r = getrusage(5, &ru);
	CHECK(r == -1 && errno == EINVAL, "getrusage(5): %ld %d", r, errno);
	r = getrusage(RUSAGE_SELF, (void *)16);
	CHECK(r == -1 && errno == EFAULT, "getrusage(bad): %ld %d", r, errno);

	/* a reaped child's time shows in RUSAGE_CHILDREN */
	pid = fork();
	if (pid == 0) {
		burn_cpu(0.2);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	r = getrusage(RUSAGE_CHILDREN, &ru);
	CHECK(r == 0 && ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6 >= 0.1,
	      "getrusage children: %ld.%06ld + %ld.%06ld",
	      (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
	      (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec);
	times(&tms);
	CHECK(tms.tms_cutime + tms.tms_cstime >= hz / 10,
	      "tms_cutime %ld", (long)tms.tms_cutime);
}

/* ---- RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL at the hard one ---- */

static int xcpu_pipe[2];

static void on_xcpu(int sig)
{
	(void)sig;
	if (write(xcpu_pipe[1], "x", 1) < 0)
		_exit(9);
}

static void test_rlimit_cpu(void)
{
	struct rlimit rl = { 1, 2 };
	char buf[16];
	int st;
	long n;
	pid_t pid;

	if (pipe(xcpu_pipe))
		return;
	pid = fork();
	if (pid == 0) {
		signal(SIGXCPU, on_xcpu);
		/* a bound, not a threshold: a busy host gives less CPU */
		double end = now_s(CLOCK_MONOTONIC) + 40;

		if (setrlimit(RLIMIT_CPU, &rl))
			_exit(8);
		/* killed after 2 s of CPU; give up after 40 s of wall time */
		while (now_s(CLOCK_MONOTONIC) < end)
			burn_cpu(0.05);
		_exit(7);
	}
	close(xcpu_pipe[1]);
	waitpid(pid, &st, 0);
	n = read(xcpu_pipe[0], buf, sizeof(buf));
	close(xcpu_pipe[0]);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && n >= 1,
	      "RLIMIT_CPU: status %#x, %ld SIGXCPU", st, n);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_futex_basic();
	test_requeue();
	test_futex_fork();
	test_futex_file();
	test_pthreads();
	test_clocks();
	test_sleeps();
	test_restart();
	test_itimers();
	test_posix_timers();
	test_usage();
	test_rlimit_cpu();
	if (failures)
		printf("FAIL: %d checks failed\n", failures);
	else
		printf("PASS\n");
	return failures != 0;
}
