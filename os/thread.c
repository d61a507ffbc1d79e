// SPDX-License-Identifier: GPL-2.0
/* Host threads, the big kernel lock and futex sleeping. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>

#include "os.h"

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread bool holding;
/*
 * Wakes of sleepers that will want the kernel lock, made while holding
 * it: done once it is dropped, so that the woken thread does not run
 * only to block on the lock (two more context switches on a busy CPU).
 */
#define LATE_WAKES	16
static __thread uint32_t *late_wakes[LATE_WAKES];
static __thread unsigned nlate_wakes;

/*
 * Making a host thread costs tens of microseconds on a loaded VM, and
 * every guest thread and process has one of ours: a thread whose task
 * ended waits, as a spare, for the next one instead of exiting (at most
 * SPARE_MAX of them), and os_thread_create hands work to a spare with
 * one futex wake.
 */
#define SPARE_MAX	4

struct worker {
	struct worker *next;
	uint32_t go;			/* futex: work was handed over */
	void (*fn)(void *);
	void *arg;
	jmp_buf top;			/* os_thread_exit() comes back here */
};

static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static struct worker *spares;
static int nspares;
static __thread struct worker *self;

/* Queues the calling worker as a spare; false if there are enough. */
static bool become_spare(struct worker *w)
{
	bool ok;

	pthread_mutex_lock(&spare_lock);
	ok = nspares < SPARE_MAX;
	if (ok) {
		__atomic_store_n(&w->go, 0, __ATOMIC_SEQ_CST);
		w->next = spares;
		spares = w;
		nspares++;
	}
	pthread_mutex_unlock(&spare_lock);
	return ok;
}

static void *trampoline(void *p)
{
	struct worker *w = p;

	self = w;
	for (;;) {
		if (!setjmp(w->top))
			w->fn(w->arg);
		holding = false;
		if (!become_spare(w))
			break;
		while (!__atomic_load_n(&w->go, __ATOMIC_SEQ_CST))
			syscall(SYS_futex, &w->go, FUTEX_WAIT_PRIVATE, 0, NULL,
				NULL, 0);
	}
	free(w);
	return NULL;
}

int os_thread_create(void (*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t t;
	struct worker *w;
	int r;

	pthread_mutex_lock(&spare_lock);
	w = spares;
	if (w) {
		spares = w->next;
		nspares--;
		w->fn = fn;
		w->arg = arg;
		__atomic_store_n(&w->go, 1, __ATOMIC_SEQ_CST);
	}
	pthread_mutex_unlock(&spare_lock);
	if (w) {
		syscall(SYS_futex, &w->go, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		return 0;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fn = fn;
	w->arg = arg;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	r = pthread_create(&t, &attr, trampoline, w);
	pthread_attr_destroy(&attr);
	if (r) {
		free(w);
		return -r;
	}
	return 0;
}

void os_kernel_lock(void)
{
	pthread_mutex_lock(&big_lock);
	holding = true;
}

int os_kernel_lock_timeout(uint64_t timeout_ns)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(timeout_ns / 1000000000ULL);
	ts.tv_nsec += (long)(timeout_ns % 1000000000ULL);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	if (pthread_mutex_timedlock(&big_lock, &ts) != 0)
		return -ETIMEDOUT;
	holding = true;
	return 0;
}

void os_kernel_unlock(void)
{
	unsigned n = nlate_wakes;

	holding = false;
	nlate_wakes = 0;
	pthread_mutex_unlock(&big_lock);
	for (unsigned i = 0; i < n; i++)
		os_futex_wake(late_wakes[i], 1);
}

bool os_kernel_lock_held(void)
{
	return holding;
}

int os_futex_wait(uint32_t *word, uint32_t val, uint64_t deadline_ns)
{
	struct timespec ts, *tp = NULL;
	long r;

	if (deadline_ns) {
		ts.tv_sec = (time_t)(deadline_ns / 1000000000ULL);
		ts.tv_nsec = (long)(deadline_ns % 1000000000ULL);
		tp = &ts;
	}
	/* Absolute CLOCK_MONOTONIC deadline: FUTEX_WAIT_BITSET. */
	r = syscall(SYS_futex, word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG,
		    val, tp, NULL, FUTEX_BITSET_MATCH_ANY);
	if (r < 0) {
		if (errno == ETIMEDOUT)
			return -ETIMEDOUT;
		if (errno == EAGAIN)
			return -EAGAIN;
	}
	return 0;
}

void os_futex_wake_late(uint32_t *word)
{
	if (!holding || nlate_wakes == LATE_WAKES) {
		os_futex_wake(word, 1);
		return;
	}
	for (unsigned i = 0; i < nlate_wakes; i++)
		if (late_wakes[i] == word)
			return;
	late_wakes[nlate_wakes++] = word;
}

void os_futex_wake(uint32_t *word, int n)
{
	syscall(SYS_futex, word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, n, NULL,
		NULL, 0);
}

void os_thread_exit(void)
{
	/* Kernel code keeps nothing on the stack that needs unwinding. */
	if (self)
		longjmp(self->top, 1);
	pthread_exit(NULL);
}
