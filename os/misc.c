// SPDX-License-Identifier: GPL-2.0
/* Odds and ends of the host contract. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <zlib.h>

#include "os.h"

/*
 * Small requests (an exec wants three: AT_RANDOM and two offsets) come
 * from a per-thread pool filled 256 bytes at a time, each byte given out
 * once and wiped: one host call instead of three per exec.
 */
#define POOL_BYTES	256
static __thread unsigned char pool[POOL_BYTES];
static __thread size_t pool_left;

static int fill(void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = getrandom((char *)buf + done, len - done, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		done += (size_t)r;
	}
	return 0;
}

int os_getrandom(void *buf, size_t len)
{
	unsigned char *from;
	int r;

	if (len > POOL_BYTES / 4)
		return fill(buf, len);
	if (pool_left < len) {
		r = fill(pool, POOL_BYTES);
		if (r < 0)
			return r;
		pool_left = POOL_BYTES;
	}
	from = pool + POOL_BYTES - pool_left;
	memcpy(buf, from, len);
	memset(from, 0, len);
	pool_left -= len;
	return 0;
}

int os_getpid(void)
{
	return getpid();
}

int os_nprocs(void)
{
	return get_nprocs();
}

void os_exit(int status)
{
	os_tty_restore_all();
	_exit(status);
}

void os_abort(void)
{
	os_tty_restore_all();
	signal(SIGABRT, SIG_DFL);
	abort();
}

void os_reexec(char **argv)
{
	os_tty_restore_all();
	execv("/proc/self/exe", argv);
	_exit(1);
}

uint64_t os_total_ram(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		return 0;
	return (uint64_t)si.totalram * si.mem_unit;
}

int os_gunzip(const void *in, size_t in_len, void **out, size_t *out_len,
	      size_t max_out)
{
	z_stream zs;
	size_t cap = in_len * 4 + 65536;
	unsigned char *buf;
	int r;

	if (cap > max_out)
		cap = max_out;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	memset(&zs, 0, sizeof(zs));
	/* 16 + MAX_WBITS: gzip wrapper; concatenated members are handled below */
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		free(buf);
		return -ENOMEM;
	}
	zs.next_in = (unsigned char *)in;
	zs.avail_in = (uInt)in_len;
	for (;;) {
		if (zs.total_out == cap) {
			unsigned char *n;

			if (cap >= max_out) {
				r = -EFBIG;
				goto fail;
			}
			cap = cap * 2 > max_out ? max_out : cap * 2;
			n = realloc(buf, cap);
			if (!n) {
				r = -ENOMEM;
				goto fail;
			}
			buf = n;
		}
		zs.next_out = buf + zs.total_out;
		zs.avail_out = (uInt)(cap - zs.total_out);
		r = inflate(&zs, Z_NO_FLUSH);
		if (r == Z_STREAM_END) {
			if (zs.avail_in == 0)
				break;
			/* another gzip member follows (cat a.gz b.gz) */
			if (inflateReset(&zs) != Z_OK) {
				r = -EINVAL;
				goto fail;
			}
			continue;
		}
		if (r != Z_OK && r != Z_BUF_ERROR) {
			r = -EINVAL;
			goto fail;
		}
		if (r == Z_BUF_ERROR && zs.avail_in == 0) {
			r = -EINVAL;	/* truncated */
			goto fail;
		}
	}
	*out = buf;
	*out_len = zs.total_out;
	inflateEnd(&zs);
	return 0;
fail:
	inflateEnd(&zs);
	free(buf);
	return r;
}

static void (*sig_handler)(int);

static void *sig_thread(void *arg)
{
	sigset_t *set = arg;

	for (;;) {
		int sig;

		if (sigwait(set, &sig) == 0 && sig_handler)
			sig_handler(sig);
	}
	return NULL;
}

int os_catch_signals(void (*handler)(int signo))
{
	static sigset_t set;
	pthread_t t;

	sig_handler = handler;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* Blocked in every thread; a dedicated thread takes them. */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (pthread_create(&t, NULL, sig_thread, &set) != 0)
		return -EAGAIN;
	pthread_detach(t);
	return 0;
}

int os_membarrier(void)
{
	/* MEMBARRIER_CMD_GLOBAL: every thread of every process passes a
	 * barrier, which covers the guest's host threads wherever they run. */
	return syscall(SYS_membarrier, 1, 0, 0) < 0 ? -errno : 0;
}
