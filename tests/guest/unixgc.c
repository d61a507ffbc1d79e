// SPDX-License-Identifier: GPL-2.0
/*
 * Random AF_UNIX traffic from fixed seeds: socketpairs of every type pass
 * each other (and themselves) around with SCM_RIGHTS, are read, peeked,
 * shut down and closed at random, so that sockets end up alive only in
 * each other's queues. At the end everything is closed: every socket that
 * was made must then be gone from /proc/net/unix (in-flight ones closed
 * with their queues, cycles collected). Prints "PASS" or "FAIL: <what>".
 *
 *	gcc -static -O2 -o unixgc tests/guest/unixgc.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#define MAXFD	60
#define MAXINO	100000

static unsigned long rs;
static unsigned long inos[MAXINO];
static int ninos;

static unsigned int rnd(unsigned int n)
{
	rs = rs * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned int)(rs >> 33) % n;
}

static void remember(int fd)
{
	struct stat st;

	if (ninos < MAXINO && fstat(fd, &st) == 0)
		inos[ninos++] = (unsigned long)st.st_ino;
}

static void send_fds(int s, int fd)
{
	char c[CMSG_SPACE(sizeof(int) * 3)];
	struct iovec iov = { "x", 1 };
	struct msghdr m = { 0 };
	struct cmsghdr *h;
	int n = 1 + (int)rnd(3), fds[3] = { fd, fd, fd };

	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = c;
	m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
	h = CMSG_FIRSTHDR(&m);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(h), fds, sizeof(int) * n);
	sendmsg(s, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static int recv_any(int s, int *fds, int n)
{
	char buf[256], c[CMSG_SPACE(sizeof(int) * 8)];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { 0 };
	struct cmsghdr *h;

	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = c;
	/* sometimes too small: the rest is dropped (MSG_CTRUNC) */
	m.msg_controllen = rnd(2) ? sizeof(c) : CMSG_LEN(sizeof(int));
	if (recvmsg(s, &m, MSG_DONTWAIT | (rnd(4) ? 0 : MSG_PEEK)) < 0)
		return n;
	for (h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h)) {
		int k, *p;

		if (h->cmsg_type != SCM_RIGHTS)
			continue;
		k = (int)((h->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		p = (int *)CMSG_DATA(h);
		for (int j = 0; j < k; j++) {
			if (n < MAXFD)
				fds[n++] = p[j];
			else
				close(p[j]);
		}
	}
	return n;
}

static void run(unsigned long seed, int iters)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	char buf[200] = { 0 };
	int fds[MAXFD], n = 0;

	rs = seed;
	for (int i = 0; i < iters; i++) {
		unsigned int op = rnd(10);
		int a = n ? fds[rnd(n)] : -1, b = n ? fds[rnd(n)] : -1;

		if (op < 2 && n < MAXFD - 2) {
			int sv[2];

			if (socketpair(AF_UNIX, types[rnd(3)] | SOCK_NONBLOCK,
				       0, sv) == 0) {
				remember(sv[0]);
				remember(sv[1]);
				fds[n++] = sv[0];
				fds[n++] = sv[1];
			}
		} else if (op < 4 && n) {
			send_fds(a, b);
		} else if (op < 6 && n) {
			n = recv_any(a, fds, n);
		} else if (op < 8 && n) {
			int j = (int)rnd(n);

			close(fds[j]);
			fds[j] = fds[--n];
		} else if (op < 9 && n) {
			send(a, buf, rnd(sizeof(buf)), MSG_DONTWAIT | MSG_NOSIGNAL);
		} else if (n) {
			shutdown(a, (int)rnd(3));
		}
	}
	while (n)
		close(fds[--n]);
}

static int cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* How many of our sockets /proc/net/unix still lists. */
static int left(void)
{
	FILE *f = fopen("/proc/net/unix", "r");
	char l[512];
	int found = 0;

	if (!f)
		return -1;
	while (fgets(l, sizeof(l), f)) {
		unsigned long i;

		if (sscanf(l, "%*s %*s %*s %*s %*s %*s %lu", &i) == 1 &&
		    bsearch(&i, inos, (size_t)ninos, sizeof(inos[0]), cmp))
			found++;
	}
	fclose(f);
	return found;
}

int main(void)
{
	int i, n = -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned long seed = 1; seed <= 4; seed++)
		run(seed, 5000);
	qsort(inos, (size_t)ninos, sizeof(inos[0]), cmp);
	/* closing a unix socket runs the collector (Linux: soon after) */
	for (i = 0; i < 100; i++) {
		close(socket(AF_UNIX, SOCK_DGRAM, 0));
		n = left();
		if (n <= 0)
			break;
		usleep(50000);
	}
	if (n < 0) {
		printf("no /proc/net/unix: nothing to check\nPASS\n");
		return 0;
	}
	if (n > 0) {
		printf("FAIL: %d of %d sockets still exist\n", n, ninos);
		return 1;
	}
	printf("%d sockets made, all gone\nPASS\n", ninos);
	return 0;
}
