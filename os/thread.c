// SPDX-License-Identifier: GPL-2.0
/* Host threads, the big kernel lock and futex sleeping. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>

#include "os.h"

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread bool holding;

struct start {
	void (*fn)(void *);
	void *arg;
};

static void *trampoline(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	s.fn(s.arg);
	return NULL;
}

int os_thread_create(void (*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t t;
	struct start *s = malloc(sizeof(*s));
	int r;

	if (!s)
		return -ENOMEM;
	s->fn = fn;
	s->arg = arg;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	r = pthread_create(&t, &attr, trampoline, s);
	pthread_attr_destroy(&attr);
	if (r) {
		free(s);
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
	holding = false;
	pthread_mutex_unlock(&big_lock);
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

void os_futex_wake(uint32_t *word, int n)
{
	syscall(SYS_futex, word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, n, NULL,
		NULL, 0);
}

void os_thread_exit(void)
{
	pthread_exit(NULL);
}
