// SPDX-License-Identifier: GPL-2.0
/*
 * A differential test of AF_UNIX: random operations from fixed seeds on
 * a couple of dozen sockets of every type (socket, socketpair, bind with
 * filesystem, abstract and automatic names, connect, listen, accept,
 * send, sendto, recv with MSG_PEEK/MSG_TRUNC, shutdown, poll, FIONREAD,
 * SO_ERROR, getpeername, getsockname, unlink, close), printing every
 * result. tests/t-unix.sh runs it natively and in the guest and compares
 * the outputs line by line. Descriptor passing is left out: Linux
 * collects socket cycles asynchronously, so those results are not
 * reproducible. Sends of up to 70000 bytes fill send buffers, so EAGAIN,
 * POLLOUT and SIOCOUTQ show Linux's buffer accounting too.
 *
 *	gcc -static -O2 -o unixdiff tests/unixdiff/unixdiff.c
 *	unixdiff [ITERATIONS [FIRST_SEED]]	(three seeds from FIRST_SEED)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/sockios.h>

#define NSOCK	24

static unsigned long rs;
static int fds[NSOCK];
static char dir[64];
static char buf[70000];

static unsigned int rnd(unsigned int n)
{
	rs = rs * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned int)(rs >> 33) % n;
}

static void res(const char *what, long r)
{
	printf(" %s=%ld", what, r);
	if (r < 0)
		printf("/%s", strerrorname_np(errno));
}

/* Puts fd in slot k, closing what was there. */
static void put(int k, int fd)
{
	if (fds[k] >= 0 && fds[k] != fd)
		close(fds[k]);
	fds[k] = fd;
}

static void make(int k, int k2)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	int t = types[rnd(3)] | SOCK_NONBLOCK, sv[2], fd;
	long r;

	if (rnd(2)) {
		r = socketpair(AF_UNIX, t, 0, sv);
		res("pair", r);
		if (r == 0) {
			put(k, sv[0]);
			if (k2 != k)
				put(k2, sv[1]);
			else
				close(sv[1]);
		}
	} else {
		fd = socket(AF_UNIX, t, 0);
		res("sock", fd >= 0 ? 0 : -1);
		if (fd >= 0)
			put(k, fd);
	}
}

static void receive(int s)
{
	int fl = MSG_DONTWAIT | (rnd(4) ? 0 : MSG_PEEK) |
		 (rnd(8) ? 0 : MSG_TRUNC);
	struct sockaddr_un from;
	socklen_t len = sizeof(from);
	long r = recvfrom(s, buf, rnd(400), fl, (struct sockaddr *)&from,
			  &len);

	res("recv", r);
	if (r >= 0)
		printf(" fromlen=%u", len);
}

static void names(int s)
{
	struct sockaddr_un n;
	socklen_t l = sizeof(int);
	int v = 0;

	res("soerr", getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &l));
	printf(" v=%d", v);
	l = sizeof(n);
	res("peer", getpeername(s, (struct sockaddr *)&n, &l));
	printf(" nl=%u", l);
	l = sizeof(n);
	res("name", getsockname(s, (struct sockaddr *)&n, &l));
	printf(" nl=%u", l);
}

static void step(unsigned long seed, int i)
{
	int k = (int)rnd(NSOCK), k2 = (int)rnd(NSOCK), op = (int)rnd(16);
	int s = fds[k], v = 0, fd;
	struct sockaddr_un a;
	struct pollfd p;
	socklen_t al, bl;
	char path[96];

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s/n%u", dir, rnd(4));
	if (rnd(3) == 0)
		a.sun_path[0] = 0;	/* abstract */
	al = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			 strlen(a.sun_path + (a.sun_path[0] ? 0 : 1)) + 1);
	printf("%lu:%d op%d k%d %c%s/%u", seed, i, op, k,
	       a.sun_path[0] ? ' ' : '@', strrchr(a.sun_path + 1, '/'), al);
	if (s < 0 && op > 1)
		op = 0;
	switch (op) {
	case 0:
		make(k, k2);
		break;
	case 1:
		if (s >= 0) {
			close(s);
			fds[k] = -1;
			res("close", 0);
		}
		break;
	case 2:
		bl = rnd(5) ? al : 2;	/* 2: autobind */
		res("bind", bind(s, (struct sockaddr *)&a, bl));
		printf(" bl=%u", bl);
		break;
	case 3:
		res("connect", connect(s, (struct sockaddr *)&a, al));
		break;
	case 4:
		res("listen", listen(s, (int)rnd(3)));
		break;
	case 5:
		fd = accept4(s, NULL, NULL, SOCK_NONBLOCK);
		res("accept", fd >= 0 ? 0 : -1);
		if (fd >= 0)
			put(k2, fd);
		break;
	case 6:
	case 7:
		res("send", send(s, buf, rnd(4) ? rnd(300) : rnd(sizeof(buf)),
				 MSG_DONTWAIT | (rnd(2) ? MSG_NOSIGNAL : 0)));
		break;
	case 8:
		res("sendto", sendto(s, buf, rnd(100), MSG_DONTWAIT,
				     (struct sockaddr *)&a, al));
		break;
	case 9:
	case 10:
		receive(s);
		break;
	case 11:
		res("shutdown", shutdown(s, (int)rnd(3)));
		break;
	case 12:
		p.fd = s;
		p.events = POLLIN | POLLOUT | POLLRDHUP;
		p.revents = 0;
		res("poll", poll(&p, 1, 0));
		printf(" rev=%x", p.revents);
		break;
	case 13:
		res("fionread", ioctl(s, FIONREAD, &v));
		printf(" v=%d", v);
		res("outq", ioctl(s, SIOCOUTQ, &v));
		printf(" v=%d", v);
		break;
	case 14:
		names(s);
		break;
	case 15:
		snprintf(path, sizeof(path), "%s/n%u", dir, rnd(4));
		res("unlink", unlink(path));
		break;
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 3000;
	unsigned long s0 = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	char path[96];

	memset(buf, 'a', sizeof(buf));
	signal(SIGPIPE, SIG_IGN);
	/* the same descriptor numbers wherever it runs */
	for (int f = 3; f < 100; f++)
		close(f);
	strcpy(dir, "/tmp/unixdiffXXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	for (unsigned long seed = s0; seed < s0 + 3; seed++) {
		rs = seed;
		for (int i = 0; i < NSOCK; i++)
			fds[i] = -1;
		for (int i = 0; i < iters; i++)
			step(seed, i);
		for (int i = 0; i < NSOCK; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		for (int j = 0; j < 4; j++) {
			snprintf(path, sizeof(path), "%s/n%d", dir, j);
			unlink(path);
		}
	}
	rmdir(dir);
	printf("done\n");
	return 0;
}
