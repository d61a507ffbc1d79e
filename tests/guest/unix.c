// SPDX-License-Identifier: GPL-2.0
/*
 * AF_UNIX sockets and the socket calls, checked against what Linux does:
 * stream, datagram and seqpacket sockets, socketpair, filesystem and
 * abstract names, autobind, SCM_RIGHTS and SCM_CREDENTIALS, SO_PEERCRED,
 * socket options, shutdown/EOF/EPIPE, blocking and poll, sendmmsg and
 * recvmmsg, argument checking, and the collection of socket cycles that
 * only live in each other's queues. Runs as root or not (the checks that
 * depend on it say so). Prints "PASS" or "FAIL: <what>" as its last line.
 *
 *	gcc -static -O2 -o unix tests/guest/unix.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/sockios.h>

static char base[64];
/* an address nothing is mapped at, hidden from the compiler's checks */
static void *volatile bad_ptr = (void *)8;
static int failures;
static bool root;
static volatile sig_atomic_t sigpipes;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("not ok: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	failures++;
}

#define OK(expr) do {							\
		long __r = (long)(expr);				\
		if (__r < 0)						\
			fail("%s:%d: %s: %s", __FILE__, __LINE__, #expr, \
			     strerror(errno));				\
	} while (0)
#define ERR(expr, e) do {						\
		errno = 0;						\
		long __r = (long)(expr);				\
		if (__r != -1 || errno != (e))				\
			fail("%s:%d: %s: got %ld/%s, want %s", __FILE__, \
			     __LINE__, #expr, __r, strerror(errno),	\
			     strerror(e));				\
	} while (0)
#define TRUE(c) do {							\
		if (!(c))						\
			fail("%s:%d: %s", __FILE__, __LINE__, #c);	\
	} while (0)
#define EQ(a, b) do {							\
		long __a = (long)(a), __b = (long)(b);			\
		if (__a != __b)						\
			fail("%s:%d: %s == %ld, want %ld (%s)", __FILE__, \
			     __LINE__, #a, __a, __b, strerror(errno));	\
	} while (0)

static const char *P(const char *name)
{
	static char buf[8][128];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", base, name);
	return buf[i];
}

static socklen_t mkaddr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

/* abstract name: "\0" + name, length without a terminator */
static socklen_t mkabs(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static int listener(int type, const char *path)
{
	struct sockaddr_un a;
	socklen_t l = mkaddr(&a, path);
	int s = socket(AF_UNIX, type, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&a, l) < 0 ||
	    (type != SOCK_DGRAM && listen(s, 8) < 0))
		fail("listener %s: %s", path, strerror(errno));
	return s;
}

static int connector(int type, const char *path)
{
	struct sockaddr_un a;
	socklen_t l = mkaddr(&a, path);
	int s = socket(AF_UNIX, type, 0);

	if (s < 0 || connect(s, (struct sockaddr *)&a, l) < 0)
		fail("connect %s: %s", path, strerror(errno));
	return s;
}

static short revents(int fd, short events)
{
	struct pollfd p = { fd, events, 0 };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static void on_sigpipe(int sig)
{
	sigpipes++;
}

static int send_fds(int s, const int *fds, int n, const char *data, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 256)];
	struct iovec iov = { (void *)data, len };
	struct msghdr m = { 0 };
	struct cmsghdr *c;

	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (n) {
		memset(cbuf, 0, sizeof(cbuf));
		m.msg_control = cbuf;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	}
	return (int)sendmsg(s, &m, 0);
}

/* Receives up to room fds; returns the data length, fds in out, *n. */
static ssize_t recv_fds(int s, int *out, int *n, size_t room, int flags,
			int *mflags)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 256)];
	char data[256];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m = { 0 };
	struct cmsghdr *c;
	ssize_t r;

	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = room ? cbuf : NULL;
	m.msg_controllen = room;
	*n = 0;
	r = recvmsg(s, &m, flags);
	if (r < 0)
		return r;
	if (mflags)
		*mflags = m.msg_flags;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));

			memcpy(out + *n, CMSG_DATA(c), sizeof(int) * k);
			*n += k;
		}
	}
	return r;
}

static int proc_net_unix_has(unsigned long ino, char *line, size_t len);
static unsigned long ino_of(int fd);

static void test_create(void)
{
	struct stat st;
	char link[64], want[64];
	int s, v;
	socklen_t l = sizeof(v);

	ERR(socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT);
	ERR(socket(4242, SOCK_STREAM, 0), EAFNOSUPPORT);
	ERR(socket(AF_UNIX, 0, 0), ESOCKTNOSUPPORT);
	ERR(socket(AF_UNIX, 42, 0), EINVAL);
	ERR(socket(AF_UNIX, SOCK_STREAM | 0x100000, 0), EINVAL);
	ERR(socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT);
	ERR(socket(AF_UNIX, SOCK_STREAM, 5), EPROTONOSUPPORT);
	s = socket(AF_UNIX, SOCK_RAW, 0);
	OK(s);
	OK(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l));
	EQ(v, SOCK_DGRAM);
	close(s);

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	OK(s);
	TRUE(fcntl(s, F_GETFL) & O_NONBLOCK);
	TRUE(fcntl(s, F_GETFD) & FD_CLOEXEC);
	OK(fstat(s, &st));
	TRUE(S_ISSOCK(st.st_mode));
	snprintf(want, sizeof(want), "socket:[%lu]", (unsigned long)st.st_ino);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", s);
	memset(link + 32, 0, 32);
	if (readlink(link, link + 32, 31) > 0)
		TRUE(!strcmp(link + 32, want));
	ERR(lseek(s, 0, SEEK_SET), ESPIPE);
	ERR(bind(1000, NULL, 0), EBADF);
	{
		int p[2];

		OK(pipe(p));
		ERR(listen(p[0], 1), ENOTSOCK);
		ERR(shutdown(p[0], SHUT_RD), ENOTSOCK);
		close(p[0]);
		close(p[1]);
	}
	close(s);
}

static void test_stream_pair(void)
{
	char buf[256];
	int sv[2], n;

	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	TRUE(write(sv[0], "hello", 5) == 5);
	TRUE(write(sv[0], "world", 5) == 5);
	OK(ioctl(sv[1], FIONREAD, &n));
	EQ(n, 10);
	/* a stream joins writes; reads may be partial */
	EQ(recv(sv[1], buf, 3, MSG_PEEK), 3);
	TRUE(!memcmp(buf, "hel", 3));
	EQ(recv(sv[1], buf, 7, MSG_PEEK), 7);
	TRUE(!memcmp(buf, "hellowo", 7));
	EQ(read(sv[1], buf, 3), 3);
	EQ(read(sv[1], buf, sizeof(buf)), 7);
	TRUE(!memcmp(buf, "loworld", 7));
	ERR(recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN);
	/* no urgent data: EINVAL with Linux's AF_UNIX_OOB, else EOPNOTSUPP */
	errno = 0;
	TRUE(recv(sv[1], buf, 1, MSG_OOB) == -1 &&
	     (errno == EINVAL || errno == EOPNOTSUPP));
	EQ(revents(sv[1], POLLIN | POLLOUT), POLLOUT);
	/* epoll on a stream: readable once the other end writes */
	{
		struct epoll_event ev = { EPOLLIN, { .u32 = 1 } }, out;
		int ep = epoll_create1(0);

		OK(ep);
		OK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev));
		EQ(epoll_wait(ep, &out, 1, 0), 0);
		EQ(write(sv[0], "e", 1), 1);
		EQ(epoll_wait(ep, &out, 1, 1000), 1);
		TRUE(out.events == EPOLLIN);
		EQ(read(sv[1], buf, 1), 1);
		EQ(epoll_wait(ep, &out, 1, 0), 0);
		close(ep);
	}
	/* writev is one stream of bytes; readv fills in order */
	{
		struct iovec v[2] = { { "ab", 2 }, { "cde", 3 } };
		char x[2], y[8];
		struct iovec r[2] = { { x, 2 }, { y, 8 } };

		EQ(writev(sv[0], v, 2), 5);
		EQ(readv(sv[1], r, 2), 5);
		TRUE(!memcmp(x, "ab", 2) && !memcmp(y, "cde", 3));
	}
	/* half close: the reader sees EOF, the other way still works */
	OK(shutdown(sv[0], SHUT_WR));
	TRUE(revents(sv[1], POLLIN | POLLRDHUP) == (POLLIN | POLLRDHUP));
	EQ(read(sv[1], buf, 1), 0);
	sigpipes = 0;
	ERR(write(sv[0], "x", 1), EPIPE);
	EQ(sigpipes, 1);
	ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	EQ(sigpipes, 1);
	EQ(write(sv[1], "back", 4), 4);
	EQ(read(sv[0], buf, 4), 4);
	ERR(shutdown(sv[0], 3), EINVAL);
	ERR(shutdown(sv[0], -1), EINVAL);
	close(sv[0]);
	TRUE(revents(sv[1], POLLIN | POLLOUT) & POLLHUP);
	EQ(read(sv[1], buf, 1), 0);
	sigpipes = 0;
	ERR(write(sv[1], "x", 1), EPIPE);
	EQ(sigpipes, 1);
	close(sv[1]);

	/* closing with unread data resets the peer */
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	EQ(write(sv[0], "lost", 4), 4);
	close(sv[1]);
	ERR(read(sv[0], buf, 1), ECONNRESET);
	EQ(read(sv[0], buf, 1), 0);
	close(sv[0]);

	/* sendfile into a socket */
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	{
		int fd = open(P("sf"), O_CREAT | O_RDWR | O_TRUNC, 0644);
		off_t off = 2;

		EQ(write(fd, "sendfile!", 9), 9);
		EQ(sendfile(sv[0], fd, &off, 7), 7);
		EQ(read(sv[1], buf, sizeof(buf)), 7);
		TRUE(!memcmp(buf, "ndfile!", 7));
		close(fd);
	}
	close(sv[0]);
	close(sv[1]);

	/* sendto with an address on a connected stream */
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	{
		struct sockaddr_un a;
		socklen_t l = mkaddr(&a, "/nonexistent");

		ERR(sendto(sv[0], "x", 1, 0, (struct sockaddr *)&a, l),
		    EISCONN);
	}
	close(sv[0]);
	close(sv[1]);
}

/* Fills a stream until EAGAIN; a child drains it; blocking then works. */
static void test_stream_blocking(void)
{
	static char big[1 << 20];
	char buf[4096];
	int sv[2], st;
	long total = 0, got = 0;
	ssize_t r;
	pid_t pid;

	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	memset(big, 'z', sizeof(big));
	while ((r = send(sv[0], big, 4096, MSG_DONTWAIT)) > 0) {
		total += r;
		if (total > 64L << 20)
			break;
	}
	ERR(send(sv[0], big, 4096, MSG_DONTWAIT), EAGAIN);
	TRUE(total > 0 && total < 64L << 20);
	TRUE(!(revents(sv[0], POLLOUT) & POLLOUT));
	OK(ioctl(sv[0], SIOCOUTQ, &st));
	TRUE(st > 0);
	pid = fork();
	if (pid == 0) {
		long want = total + (long)sizeof(big);

		close(sv[0]);
		while (got < want && (r = read(sv[1], buf, sizeof(buf))) > 0)
			got += r;
		_exit(got == want ? 0 : 1);
	}
	close(sv[1]);
	EQ(write(sv[0], big, sizeof(big)), sizeof(big));
	OK(waitpid(pid, &st, 0));
	TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(sv[0]);

	/* MSG_WAITALL waits for the whole request across writes */
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	if (pid == 0) {
		write(sv[1], "12345", 5);
		usleep(20000);
		write(sv[1], "67890", 5);
		_exit(0);
	}
	EQ(recv(sv[0], buf, 10, MSG_WAITALL), 10);
	TRUE(!memcmp(buf, "1234567890", 10));
	waitpid(pid, &st, 0);
	/* SO_RCVTIMEO ends a blocking read with EAGAIN */
	{
		struct timeval tv = { 0, 30000 }, g;
		socklen_t l = sizeof(g);

		OK(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
		OK(getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &g, &l));
		/* Linux keeps it in ticks, rounded up */
		TRUE(l == sizeof(g) && g.tv_sec == 0 && g.tv_usec >= 30000 &&
		     g.tv_usec < 50000);
		ERR(read(sv[0], buf, 1), EAGAIN);
		tv.tv_usec = 1000000;
		ERR(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)),
		    EDOM);
		ERR(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, 4), EINVAL);
	}
	close(sv[0]);
	close(sv[1]);
}

static void test_dgram_pair(void)
{
	char buf[64];
	int sv[2], n, fl;
	struct iovec v[3] = { { "a", 1 }, { "bc", 2 }, { "def", 3 } };
	struct msghdr m = { 0 };
	struct iovec rv = { buf, 4 };

	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	EQ(write(sv[0], "one", 3), 3);
	EQ(write(sv[0], "", 0), 0);
	EQ(writev(sv[0], v, 3), 6);
	OK(ioctl(sv[1], SIOCINQ, &n));
	EQ(n, 3);
	/* boundaries are kept; a short buffer truncates */
	EQ(recv(sv[1], buf, 2, 0), 2);
	EQ(recv(sv[1], buf, sizeof(buf), 0), 0);
	m.msg_iov = &rv;
	m.msg_iovlen = 1;
	EQ(recvmsg(sv[1], &m, MSG_PEEK), 4);
	TRUE(m.msg_flags & MSG_TRUNC);
	EQ(recv(sv[1], buf, 2, MSG_TRUNC), 6);
	TRUE(!memcmp(buf, "ab", 2));
	ERR(recv(sv[1], buf, 2, MSG_DONTWAIT), EAGAIN);
	/* a datagram larger than the send buffer */
	{
		static char huge[300000];
		int sb = 0;
		socklen_t l = sizeof(sb);

		ERR(send(sv[0], huge, sizeof(huge), 0), EMSGSIZE);
		OK(getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sb, &l));
		EQ(send(sv[0], huge, (size_t)sb / 2, 0), sb / 2);
		EQ(recv(sv[1], huge, sizeof(huge), 0), sb / 2);
	}
	/* after shutdown: EPIPE to send; nothing to read is EAGAIN, not EOF */
	{
		int t[2];

		OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, t));
		OK(shutdown(t[0], SHUT_WR));
		sigpipes = 0;
		ERR(send(t[0], "x", 1, 0), EPIPE);
		EQ(sigpipes, 0);
		EQ(send(t[1], "x", 1, 0), 1);
		OK(shutdown(t[0], SHUT_RD));
		ERR(send(t[1], "x", 1, MSG_DONTWAIT), EPIPE);
		EQ(recv(t[0], buf, 1, MSG_DONTWAIT), 1);
		ERR(recv(t[0], buf, 1, MSG_DONTWAIT), EAGAIN);
		EQ(recv(t[0], buf, 1, 0), 0);
		close(t[0]);
		close(t[1]);
	}
	/* the peer closes: the first send says so, then not connected */
	close(sv[1]);
	ERR(send(sv[0], "x", 1, MSG_DONTWAIT), ECONNREFUSED);
	ERR(send(sv[0], "x", 1, MSG_DONTWAIT), ENOTCONN);
	fl = 0;
	close(sv[0]);
	(void)fl;
}

static void test_names(void)
{
	struct sockaddr_un a, g;
	socklen_t l, gl;
	struct stat st;
	int s, c, t, fd;
	char buf[16];

	/* filesystem names */
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	l = mkaddr(&a, P("sock"));
	ERR(bind(s, (struct sockaddr *)&a, 1), EINVAL);
	ERR(bind(s, (struct sockaddr *)&a, sizeof(a) + 1), EINVAL);
	a.sun_family = AF_INET;
	ERR(bind(s, (struct sockaddr *)&a, l), EINVAL);
	a.sun_family = AF_UNIX;
	ERR(listen(s, 1), EINVAL);
	OK(bind(s, (struct sockaddr *)&a, l));
	ERR(bind(s, (struct sockaddr *)&a, l), EADDRINUSE);
	OK(stat(P("sock"), &st));
	TRUE(S_ISSOCK(st.st_mode));
	ERR(open(P("sock"), O_RDWR), ENXIO);
	gl = sizeof(g);
	OK(getsockname(s, (struct sockaddr *)&g, &gl));
	EQ(gl, l);
	TRUE(!strcmp(g.sun_path, P("sock")));
	/* a short buffer gets the start, and the full length */
	gl = 4;
	memset(&g, 0, sizeof(g));
	OK(getsockname(s, (struct sockaddr *)&g, &gl));
	EQ(gl, l);
	TRUE(g.sun_path[0] == '/' && g.sun_path[1] == 't' &&
	     g.sun_path[2] == 0);
	gl = (socklen_t)-1;
	ERR(getsockname(s, (struct sockaddr *)&g, &gl), EINVAL);
	ERR(getpeername(s, (struct sockaddr *)&g, &gl), ENOTCONN);
	t = socket(AF_UNIX, SOCK_STREAM, 0);
	ERR(bind(t, (struct sockaddr *)&a, l), EADDRINUSE);
	ERR(connect(t, (struct sockaddr *)&a, l), ECONNREFUSED);
	OK(listen(s, 4));
	ERR(accept(t, NULL, NULL), EINVAL);
	ERR(connect(t, (struct sockaddr *)&a, 2), EINVAL);
	OK(connect(t, (struct sockaddr *)&a, l));
	ERR(connect(t, (struct sockaddr *)&a, l), EISCONN);
	/* data sent before accept() is waiting on the new connection */
	EQ(write(t, "early", 5), 5);
	c = accept(s, (struct sockaddr *)&g, (gl = sizeof(g), &gl));
	OK(c);
	EQ(gl, 2);	/* the client has no name */
	EQ(read(c, buf, sizeof(buf)), 5);
	gl = sizeof(g);
	OK(getsockname(c, (struct sockaddr *)&g, &gl));
	TRUE(gl == l && !strcmp(g.sun_path, P("sock")));
	gl = sizeof(g);
	OK(getpeername(t, (struct sockaddr *)&g, &gl));
	TRUE(gl == l && !strcmp(g.sun_path, P("sock")));
	gl = sizeof(g);
	OK(getsockname(t, (struct sockaddr *)&g, &gl));
	EQ(gl, 2);
	close(c);
	close(t);
	/* wrong kind of socket, missing names, things that are not sockets */
	t = socket(AF_UNIX, SOCK_DGRAM, 0);
	ERR(connect(t, (struct sockaddr *)&a, l), EPROTOTYPE);
	ERR(listen(t, 1), EOPNOTSUPP);
	close(t);
	t = socket(AF_UNIX, SOCK_STREAM, 0);
	l = mkaddr(&a, P("none"));
	ERR(connect(t, (struct sockaddr *)&a, l), ENOENT);
	l = mkaddr(&a, P("nodir/sock"));
	ERR(bind(t, (struct sockaddr *)&a, l), ENOENT);
	fd = open(P("file"), O_CREAT | O_WRONLY, 0666);
	close(fd);
	l = mkaddr(&a, P("file"));
	ERR(connect(t, (struct sockaddr *)&a, l), ECONNREFUSED);
	ERR(bind(t, (struct sockaddr *)&a, l), EADDRINUSE);
	/* the name outlives the socket, but nobody answers */
	close(s);
	l = mkaddr(&a, P("sock"));
	ERR(connect(t, (struct sockaddr *)&a, l), ECONNREFUSED);
	OK(unlink(P("sock")));
	ERR(connect(t, (struct sockaddr *)&a, l), ENOENT);
	close(t);
	/* a path not NUL-terminated within the length is cut there */
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	l = mkaddr(&a, P("cut"));
	OK(bind(s, (struct sockaddr *)&a, l - 1));
	gl = sizeof(g);
	OK(getsockname(s, (struct sockaddr *)&g, &gl));
	EQ(gl, l);
	OK(access(P("cut"), F_OK));
	close(s);
	/* write permission on the name is needed to connect */
	s = listener(SOCK_STREAM, P("perm"));
	OK(chmod(P("perm"), 0555));
	if (fork() == 0) {
		int e;

		if (root && setuid(65534) < 0)
			_exit(2);
		t = socket(AF_UNIX, SOCK_STREAM, 0);
		l = mkaddr(&a, P("perm"));
		e = connect(t, (struct sockaddr *)&a, l) < 0 ? errno : 0;
		_exit(e == EACCES ? 0 : 1);
	}
	{
		int st;

		wait(&st);
		TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	close(s);

	/* abstract names */
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	l = mkabs(&a, "uml-unix-test");
	OK(bind(s, (struct sockaddr *)&a, l));
	ERR(bind(s, (struct sockaddr *)&a, l), EINVAL);
	gl = sizeof(g);
	OK(getsockname(s, (struct sockaddr *)&g, &gl));
	TRUE(gl == l && !memcmp(&g, &a, l));
	t = socket(AF_UNIX, SOCK_DGRAM, 0);
	ERR(bind(t, (struct sockaddr *)&a, l), EADDRINUSE);
	EQ(sendto(t, "abs", 3, 0, (struct sockaddr *)&a, l), 3);
	/* the sender is unnamed: no address comes back */
	gl = sizeof(g);
	EQ(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&g, &gl), 3);
	EQ(gl, 0);
	/* autobind: five hex digits in the abstract namespace */
	OK(bind(t, (struct sockaddr *)&a, 2));
	gl = sizeof(g);
	OK(getsockname(t, (struct sockaddr *)&g, &gl));
	EQ(gl, 8);
	TRUE(g.sun_path[0] == 0);
	EQ(sendto(t, "abs", 3, 0, (struct sockaddr *)&a, l), 3);
	gl = sizeof(a);
	EQ(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&a, &gl), 3);
	TRUE(gl == 8 && !memcmp(&a, &g, 8));
	close(t);
	close(s);
	l = mkabs(&a, "uml-unix-test");
	t = socket(AF_UNIX, SOCK_DGRAM, 0);
	ERR(sendto(t, "abs", 3, 0, (struct sockaddr *)&a, l), ECONNREFUSED);
	/* abstract names are per socket type in Linux */
	OK(bind(t, (struct sockaddr *)&a, l));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	ERR(connect(s, (struct sockaddr *)&a, l), ECONNREFUSED);
	OK(bind(s, (struct sockaddr *)&a, l));
	close(s);
	/* a datagram socket shut for sending: EPIPE before ENOTCONN */
	OK(shutdown(t, SHUT_WR));
	ERR(send(t, "x", 1, 0), EPIPE);
	close(t);
}

static void test_dgram_named(void)
{
	struct sockaddr_un a, g;
	socklen_t l, gl;
	char buf[16];
	int s, c, o, i, r;

	s = listener(SOCK_DGRAM, P("dg"));
	c = socket(AF_UNIX, SOCK_DGRAM, 0);
	OK(bind(c, (struct sockaddr *)&a, mkaddr(&a, P("dgc"))));
	l = mkaddr(&a, P("dg"));
	EQ(sendto(c, "hi", 2, 0, (struct sockaddr *)&a, l), 2);
	gl = sizeof(g);
	EQ(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&g, &gl), 2);
	TRUE(!strcmp(g.sun_path, P("dgc")));
	ERR(send(c, "x", 1, 0), ENOTCONN);
	OK(connect(c, (struct sockaddr *)&a, l));
	EQ(send(c, "yo", 2, 0), 2);
	EQ(recv(s, buf, sizeof(buf), 0), 2);
	gl = sizeof(g);
	OK(getpeername(c, (struct sockaddr *)&g, &gl));
	TRUE(!strcmp(g.sun_path, P("dg")));
	/* a socket connected elsewhere hears only from its peer */
	o = socket(AF_UNIX, SOCK_DGRAM, 0);
	OK(connect(s, (struct sockaddr *)&g, mkaddr(&g, P("dgc"))));
	ERR(sendto(o, "x", 1, 0, (struct sockaddr *)&a, l), EPERM);
	/* AF_UNSPEC disconnects */
	memset(&g, 0, sizeof(g));
	g.sun_family = AF_UNSPEC;
	OK(connect(s, (struct sockaddr *)&g, sizeof(g.sun_family)));
	/* the receive queue is bounded for strangers */
	for (i = 0; i < 5000; i++) {
		r = (int)sendto(o, "q", 1, MSG_DONTWAIT, (struct sockaddr *)&a,
				l);
		if (r < 0)
			break;
	}
	TRUE(i < 5000 && errno == EAGAIN);
	TRUE(!(revents(c, POLLOUT) & POLLOUT));
	/* epoll hears when the queue it waits on drains */
	{
		struct epoll_event ev = { EPOLLOUT, { .u32 = 7 } }, out;
		int ep = epoll_create1(0);

		OK(ep);
		OK(epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
		EQ(epoll_wait(ep, &out, 1, 0), 0);
		EQ(recv(s, buf, sizeof(buf), 0), 1);
		while (recv(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
		EQ(epoll_wait(ep, &out, 1, 1000), 1);
		TRUE(out.data.u32 == 7 && (out.events & EPOLLOUT));
		close(ep);
	}
	TRUE(revents(c, POLLOUT) & POLLOUT);
	/* a blocked sender goes on when the reader makes room */
	{
		pid_t pid;
		int st, sent = 0;

		for (i = 0; i < 5000; i++)
			if (sendto(o, "q", 1, MSG_DONTWAIT,
				   (struct sockaddr *)&a, l) < 0)
				break;
		TRUE(errno == EAGAIN);
		pid = fork();
		if (pid == 0) {
			usleep(20000);
			while (recv(s, buf, sizeof(buf), 0) > 0)
				if (!strcmp(buf, "last"))
					_exit(0);
			_exit(1);
		}
		if (sendto(o, "last", 5, 0, (struct sockaddr *)&a, l) == 5)
			sent = 1;
		TRUE(sent);
		waitpid(pid, &st, 0);
		TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		/* SO_SNDTIMEO: a full queue ends a blocking send with EAGAIN */
		{
			struct timeval tv = { 0, 20000 };

			for (i = 0; i < 5000; i++)
				if (sendto(o, "q", 1, MSG_DONTWAIT,
					   (struct sockaddr *)&a, l) < 0)
					break;
			OK(setsockopt(o, SOL_SOCKET, SO_SNDTIMEO, &tv,
				      sizeof(tv)));
			ERR(sendto(o, "q", 1, 0, (struct sockaddr *)&a, l),
			    EAGAIN);
			while (recv(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				;
		}
	}
	close(o);
	/* the bound socket goes: its connected senders are refused */
	close(s);
	ERR(send(c, "x", 1, 0), ECONNREFUSED);
	ERR(send(c, "x", 1, 0), ENOTCONN);
	ERR(sendto(c, "x", 1, 0, (struct sockaddr *)&a, l), ECONNREFUSED);
	l = mkaddr(&a, P("nothing"));
	ERR(sendto(c, "x", 1, 0, (struct sockaddr *)&a, l), ENOENT);
	close(c);
}

static void test_seqpacket(void)
{
	char buf[16];
	int sv[2], s, c, a;
	struct msghdr m = { 0 };
	struct iovec v = { buf, 3 };

	OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	EQ(send(sv[0], "abcdef", 6, 0), 6);
	EQ(send(sv[0], "gh", 2, 0), 2);
	m.msg_iov = &v;
	m.msg_iovlen = 1;
	EQ(recvmsg(sv[1], &m, 0), 3);
	TRUE(m.msg_flags & MSG_TRUNC);
	EQ(recv(sv[1], buf, sizeof(buf), 0), 2);
	close(sv[0]);
	EQ(recv(sv[1], buf, sizeof(buf), 0), 0);
	sigpipes = 0;
	/* unlike a stream, no SIGPIPE */
	ERR(send(sv[1], "x", 1, 0), EPIPE);
	ERR(send(sv[1], "x", 1, MSG_NOSIGNAL), EPIPE);
	EQ(sigpipes, 0);
	close(sv[1]);
	/* after shutdown(SHUT_RD), even a non-blocking read says EOF */
	OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	OK(shutdown(sv[0], SHUT_RD));
	EQ(recv(sv[0], buf, 1, MSG_DONTWAIT), 0);
	ERR(send(sv[1], "x", 1, 0), EPIPE);
	close(sv[0]);
	close(sv[1]);

	s = listener(SOCK_SEQPACKET, P("seq"));
	c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ERR(send(c, "x", 1, 0), ENOTCONN);
	ERR(recv(c, buf, 1, 0), ENOTCONN);
	c = connector(SOCK_SEQPACKET, P("seq"));
	TRUE(revents(s, POLLIN) & POLLIN);
	a = accept4(s, NULL, NULL, SOCK_NONBLOCK);
	OK(a);
	TRUE(fcntl(a, F_GETFL) & O_NONBLOCK);
	EQ(send(c, "one", 3, 0), 3);
	EQ(send(c, "two", 3, 0), 3);
	EQ(recv(a, buf, sizeof(buf), 0), 3);
	EQ(recv(a, buf, sizeof(buf), 0), 3);
	ERR(recv(a, buf, sizeof(buf), 0), EAGAIN);
	close(a);
	close(c);
	close(s);
}

static void test_listen_backlog(void)
{
	struct sockaddr_un a;
	socklen_t l = mkaddr(&a, P("bl"));
	int s = socket(AF_UNIX, SOCK_STREAM, 0), c[8], i, n = 0;
	char buf[4];

	OK(bind(s, (struct sockaddr *)&a, l));
	OK(listen(s, 0));
	ERR(accept4(s, NULL, NULL, 0x40000000), EINVAL);
	fcntl(s, F_SETFL, O_NONBLOCK);
	ERR(accept(s, NULL, NULL), EAGAIN);
	for (i = 0; i < 8; i++) {
		c[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (connect(c[i], (struct sockaddr *)&a, l) < 0) {
			TRUE(errno == EAGAIN);
			break;
		}
		n++;
	}
	TRUE(n >= 1 && n < 8);
	/* a blocking connect waits for room in the backlog */
	{
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			int k = socket(AF_UNIX, SOCK_STREAM, 0);

			_exit(connect(k, (struct sockaddr *)&a, l) == 0 ? 0 : 1);
		}
		usleep(20000);
		for (i = 0; i < n; i++) {
			int x = accept(s, NULL, NULL);

			if (x >= 0)
				close(x);
		}
		waitpid(pid, &st, 0);
		TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		/* the child's connection is queued */
		i = accept(s, NULL, NULL);
		OK(i);
		close(i);
		for (i = 0; i <= n && i < 8; i++)
			close(c[i]);
		n = 0;
		c[0] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		OK(connect(c[0], (struct sockaddr *)&a, l));
	}
	/* closing the listener resets what it never accepted */
	close(s);
	ERR(read(c[0], buf, 1), ECONNRESET);
	close(c[0]);
}

static void test_rights(void)
{
	int sv[2], p[2], fds[256], got[256], n, fl, i;
	char buf[8];

	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	OK(pipe(p));
	EQ(send_fds(sv[0], &p[1], 1, "f", 1), 1);
	EQ(recv_fds(sv[1], got, &n, CMSG_SPACE(sizeof(int)), 0, &fl), 1);
	EQ(n, 1);
	TRUE(!(fl & MSG_CTRUNC));
	if (n == 1) {
		EQ(write(got[0], "via", 3), 3);
		EQ(read(p[0], buf, 3), 3);
		TRUE(!(fcntl(got[0], F_GETFD) & FD_CLOEXEC));
		close(got[0]);
	}
	/* MSG_CMSG_CLOEXEC */
	EQ(send_fds(sv[0], &p[1], 1, "f", 1), 1);
	EQ(recv_fds(sv[1], got, &n, CMSG_SPACE(sizeof(int)),
		    MSG_CMSG_CLOEXEC, &fl), 1);
	if (n == 1) {
		TRUE(fcntl(got[0], F_GETFD) & FD_CLOEXEC);
		close(got[0]);
	}
	/* room for one of two: MSG_CTRUNC, the other is dropped */
	fds[0] = p[0];
	fds[1] = p[1];
	EQ(send_fds(sv[0], fds, 2, "f", 1), 1);
	EQ(recv_fds(sv[1], got, &n, CMSG_LEN(sizeof(int)), 0, &fl), 1);
	EQ(n, 1);
	TRUE(fl & MSG_CTRUNC);
	for (i = 0; i < n; i++)
		close(got[i]);
	/* no control buffer at all */
	EQ(send_fds(sv[0], fds, 2, "f", 1), 1);
	EQ(recv_fds(sv[1], got, &n, 0, 0, &fl), 1);
	TRUE(n == 0 && (fl & MSG_CTRUNC));
	/* a stream read stops after a message that carried files */
	EQ(send_fds(sv[0], fds, 1, "a", 1), 1);
	EQ(send(sv[0], "b", 1, 0), 1);
	EQ(recv_fds(sv[1], got, &n, CMSG_SPACE(sizeof(int)), 0, &fl), 1);
	EQ(n, 1);
	for (i = 0; i < n; i++)
		close(got[i]);
	EQ(recv(sv[1], buf, sizeof(buf), 0), 1);
	/* bad descriptors and too many */
	fds[0] = 9999;
	ERR(send_fds(sv[0], fds, 1, "f", 1), EBADF);
	for (i = 0; i < 254; i++)
		fds[i] = p[0];
	ERR(send_fds(sv[0], fds, 254, "f", 1), EINVAL);
	EQ(send_fds(sv[0], fds, 253, "f", 1), 1);
	EQ(recv_fds(sv[1], got, &n, CMSG_SPACE(sizeof(int) * 253), 0, &fl), 1);
	EQ(n, 253);
	for (i = 0; i < n; i++)
		close(got[i]);
	/* peeking installs copies; the read then gets them again */
	EQ(send_fds(sv[0], &p[1], 1, "k", 1), 1);
	EQ(recv_fds(sv[1], got, &n, CMSG_SPACE(sizeof(int)), MSG_PEEK, &fl), 1);
	EQ(n, 1);
	if (n)
		close(got[0]);
	EQ(recv_fds(sv[1], got, &n, CMSG_SPACE(sizeof(int)), 0, &fl), 1);
	EQ(n, 1);
	if (n)
		close(got[0]);
	/* a file in flight that is never received is closed with the queue */
	EQ(send_fds(sv[0], &p[1], 1, "z", 1), 1);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	EQ(read(p[0], buf, 1), 0);
	close(p[0]);

	/* sockets nested in queued sockets, deeper than Linux once allowed */
	{
		int prev[2], cur[2], k;
		unsigned long first;

		OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, prev));
		first = ino_of(prev[0]);
		for (k = 0; k < 50; k++) {
			OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, cur));
			EQ(send_fds(cur[0], &prev[0], 2, "n", 1), 1);
			close(prev[0]);
			close(prev[1]);
			prev[0] = cur[0];
			prev[1] = cur[1];
		}
		close(prev[0]);
		close(prev[1]);
		/* the whole chain went with the outermost queue */
		TRUE(proc_net_unix_has(first, NULL, 0) != 1);
	}

	/* over datagrams, to a named socket */
	{
		int s = listener(SOCK_DGRAM, P("rights"));
		int c = socket(AF_UNIX, SOCK_DGRAM, 0);
		struct sockaddr_un a;

		OK(connect(c, (struct sockaddr *)&a, mkaddr(&a, P("rights"))));
		OK(pipe(p));
		EQ(send_fds(c, &p[0], 1, "", 0), 0);
		EQ(recv_fds(s, got, &n, CMSG_SPACE(sizeof(int)), 0, &fl), 0);
		EQ(n, 1);
		if (n)
			close(got[0]);
		close(p[0]);
		close(p[1]);
		close(s);
		close(c);
	}
}

static void test_creds(void)
{
	int sv[2], on = 1, v;
	char cbuf[CMSG_SPACE(sizeof(struct ucred))], buf[8];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { 0 };
	struct cmsghdr *c;
	struct ucred uc, pc;
	socklen_t l;
	int st;

	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	l = sizeof(pc);
	OK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &pc, &l));
	TRUE(l == sizeof(pc) && pc.pid == getpid() && pc.uid == geteuid() &&
	     pc.gid == getegid());
	OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	l = sizeof(v);
	OK(getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &v, &l));
	EQ(v, 1);
	EQ(send(sv[0], "c", 1, 0), 1);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	EQ(recvmsg(sv[1], &m, 0), 1);
	c = CMSG_FIRSTHDR(&m);
	TRUE(c && c->cmsg_level == SOL_SOCKET &&
	     c->cmsg_type == SCM_CREDENTIALS &&
	     c->cmsg_len == CMSG_LEN(sizeof(uc)));
	if (c) {
		memcpy(&uc, CMSG_DATA(c), sizeof(uc));
		TRUE(uc.pid == getpid() && uc.uid == getuid() &&
		     uc.gid == getgid());
	}
	/* explicit credentials: only one's own unless privileged */
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(uc));
	uc.pid = getpid();
	uc.uid = getuid();
	uc.gid = getgid();
	memcpy(CMSG_DATA(c), &uc, sizeof(uc));
	iov.iov_len = 1;
	EQ(sendmsg(sv[0], &m, 0), 1);
	EQ(recv(sv[1], buf, sizeof(buf), 0), 1);
	c->cmsg_len = CMSG_LEN(sizeof(uc)) - 1;
	ERR(sendmsg(sv[0], &m, 0), EINVAL);
	c->cmsg_len = CMSG_LEN(sizeof(uc));
	c->cmsg_type = 77;
	ERR(sendmsg(sv[0], &m, 0), EINVAL);
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = sizeof(cbuf) + 8;
	ERR(sendmsg(sv[0], &m, 0), EINVAL);
	c->cmsg_len = CMSG_LEN(sizeof(uc));
	if (fork() == 0) {
		if (root && setuid(65534) < 0)
			_exit(2);
		uc.pid = 1;
		uc.uid = getuid();
		uc.gid = getgid();
		memcpy(CMSG_DATA(c), &uc, sizeof(uc));
		if (sendmsg(sv[0], &m, 0) != -1 || errno != EPERM)
			_exit(1);
		uc.pid = getpid();
		uc.uid = 0;
		memcpy(CMSG_DATA(c), &uc, sizeof(uc));
		if (sendmsg(sv[0], &m, 0) != -1 || errno != EPERM)
			_exit(3);
		_exit(0);
	}
	wait(&st);
	TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (root) {
		uc.pid = 4194303;	/* no such process */
		memcpy(CMSG_DATA(c), &uc, sizeof(uc));
		ERR(sendmsg(sv[0], &m, 0), ESRCH);
		uc.pid = 1;
		uc.uid = 123;
		uc.gid = 456;
		memcpy(CMSG_DATA(c), &uc, sizeof(uc));
		EQ(sendmsg(sv[0], &m, 0), 1);
		m.msg_controllen = sizeof(cbuf);
		iov.iov_len = sizeof(buf);
		EQ(recvmsg(sv[1], &m, 0), 1);
		c = CMSG_FIRSTHDR(&m);
		if (c) {
			memcpy(&uc, CMSG_DATA(c), sizeof(uc));
			TRUE(uc.pid == 1 && uc.uid == 123 && uc.gid == 456);
		}
	}
	close(sv[0]);
	close(sv[1]);

	/* SO_PEERCRED across a connection, from two processes */
	{
		int s = listener(SOCK_STREAM, P("cred")), a;
		pid_t pid = fork();

		if (pid == 0) {
			int k = connector(SOCK_STREAM, P("cred"));
			struct ucred p;
			socklen_t pl = sizeof(p);

			if (getsockopt(k, SOL_SOCKET, SO_PEERCRED, &p, &pl) < 0 ||
			    p.pid != getppid())
				_exit(1);
			read(k, buf, 1);
			_exit(0);
		}
		a = accept(s, NULL, NULL);
		OK(a);
		l = sizeof(pc);
		OK(getsockopt(a, SOL_SOCKET, SO_PEERCRED, &pc, &l));
		EQ(pc.pid, pid);
		write(a, "x", 1);
		waitpid(pid, &st, 0);
		TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		close(a);
		close(s);
	}
	/* unconnected: nobody */
	sv[0] = socket(AF_UNIX, SOCK_STREAM, 0);
	l = sizeof(pc);
	OK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &pc, &l));
	TRUE(pc.pid == 0 && pc.uid == (uid_t)-1 && pc.gid == (gid_t)-1);
	/* SO_PASSCRED autobinds on connect */
	OK(setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	{
		int s = listener(SOCK_STREAM, P("pc"));
		struct sockaddr_un a;
		socklen_t al = sizeof(a);

		OK(connect(sv[0], (struct sockaddr *)&a, mkaddr(&a, P("pc"))));
		OK(getsockname(sv[0], (struct sockaddr *)&a, &al));
		EQ(al, 8);
		close(s);
	}
	close(sv[0]);
}

static void test_options(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0), v;
	socklen_t l = sizeof(v);
	struct linger lg = { 1, 5 }, lg2;

	OK(getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &l));
	EQ(v, AF_UNIX);
	OK(getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &l));
	EQ(v, 0);
	OK(getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &l));
	EQ(v, 0);
	OK(getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &l));
	EQ(v, 0);
	v = 50000;
	OK(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	OK(getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &l));
	EQ(v, 100000);
	v = 60000;
	OK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	OK(getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &l));
	EQ(v, 120000);
	v = 1;
	OK(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)));
	OK(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v)));
	v = 0;
	OK(getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &l));
	EQ(v, 1);
	OK(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	l = sizeof(lg2);
	OK(getsockopt(s, SOL_SOCKET, SO_LINGER, &lg2, &l));
	TRUE(l == sizeof(lg2) && lg2.l_onoff == 1 && lg2.l_linger == 5);
	/* a short buffer gets what fits */
	l = 2;
	v = 0;
	OK(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l));
	EQ(l, 2);
	l = (socklen_t)-1;
	ERR(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l), EINVAL);
	ERR(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, 2), EINVAL);
	ERR(setsockopt(s, SOL_SOCKET, 9999, &v, sizeof(v)), ENOPROTOOPT);
	l = sizeof(v);
	ERR(getsockopt(s, SOL_SOCKET, 9999, &v, &l), ENOPROTOOPT);
	ERR(setsockopt(s, 6 /* SOL_TCP */, 1, &v, sizeof(v)), EOPNOTSUPP);
	ERR(getsockopt(s, 6, 1, &v, &l), EOPNOTSUPP);
	ERR(getsockopt(s, SOL_SOCKET, SO_TYPE, bad_ptr, &l), EFAULT);
	close(s);
	s = listener(SOCK_STREAM, P("acc"));
	l = sizeof(v);
	OK(getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &l));
	EQ(v, 1);
	close(s);
}

static void test_badargs(void)
{
	int sv[2];
	char buf[8];
	struct iovec v[1025];
	struct msghdr m = { 0 };

	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	for (int i = 0; i < 1025; i++) {
		v[i].iov_base = buf;
		v[i].iov_len = 1;
	}
	m.msg_iov = v;
	m.msg_iovlen = 1025;
	ERR(sendmsg(sv[0], &m, 0), EMSGSIZE);
	m.msg_iovlen = 1;
	v[0].iov_len = (size_t)-1;
	ERR(sendmsg(sv[0], &m, 0), EINVAL);
	v[0].iov_len = 1;
	v[0].iov_base = (void *)8;
	ERR(sendmsg(sv[0], &m, 0), EFAULT);
	v[0].iov_base = buf;
	m.msg_name = buf;
	m.msg_namelen = (socklen_t)-1;
	ERR(sendmsg(sv[0], &m, 0), EINVAL);
	m.msg_name = NULL;
	m.msg_namelen = 0;
	ERR(sendmsg(sv[0], (struct msghdr *)8, 0), EFAULT);
	ERR(recvmsg(sv[0], (struct msghdr *)8, 0), EFAULT);
	ERR(send(sv[0], (void *)8, 4, 0), EFAULT);
	ERR(socketpair(AF_UNIX, SOCK_STREAM, 0, (int *)bad_ptr), EFAULT);
	ERR(sendto(sv[0], "x", 1, 0, (struct sockaddr *)buf, 200), EINVAL);
	ERR(sendto(sv[0], "x", 1, 0, (struct sockaddr *)8, 10), EFAULT);
	close(sv[0]);
	close(sv[1]);
	{
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		ERR(send(s, "x", 1, 0), ENOTCONN);
		ERR(recv(s, buf, 1, 0), EINVAL);
		{
			struct sockaddr_un a;
			socklen_t l = mkaddr(&a, "/x");

			ERR(sendto(s, "x", 1, 0, (struct sockaddr *)&a, l),
			    EOPNOTSUPP);
		}
		OK(shutdown(s, SHUT_RDWR));
		close(s);
	}
}

static void test_mmsg(void)
{
	struct mmsghdr mm[4];
	struct iovec v[4];
	char bufs[4][8];
	struct timespec ts = { 0, 0 };
	int sv[2], i;

	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < 3; i++) {
		snprintf(bufs[i], sizeof(bufs[i]), "m%d", i);
		v[i].iov_base = bufs[i];
		v[i].iov_len = 2 + (size_t)i;
		mm[i].msg_hdr.msg_iov = &v[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	EQ(sendmmsg(sv[0], mm, 3, 0), 3);
	EQ(mm[2].msg_len, 4);
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < 4; i++) {
		v[i].iov_base = bufs[i];
		v[i].iov_len = 8;
		mm[i].msg_hdr.msg_iov = &v[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	EQ(recvmmsg(sv[1], mm, 4, MSG_DONTWAIT, NULL), 3);
	TRUE(mm[0].msg_len == 2 && mm[1].msg_len == 3 && mm[2].msg_len == 4);
	ERR(recvmmsg(sv[1], mm, 4, MSG_DONTWAIT, NULL), EAGAIN);
	ts.tv_nsec = 2000000000L;
	ERR(recvmmsg(sv[1], mm, 4, 0, &ts), EINVAL);
	EQ(send(sv[0], "w", 1, 0), 1);
	EQ(recvmmsg(sv[1], mm, 4, MSG_WAITFORONE, NULL), 1);
	close(sv[0]);
	close(sv[1]);
}

/* Is a socket of this inode number listed in /proc/net/unix? */
static int proc_net_unix_has(unsigned long ino, char *line, size_t len)
{
	FILE *f = fopen("/proc/net/unix", "r");
	char l[512];
	int found = 0;

	if (!f)
		return -1;
	while (fgets(l, sizeof(l), f)) {
		unsigned long i;

		if (sscanf(l, "%*s %*s %*s %*s %*s %*s %lu", &i) == 1 &&
		    i == ino) {
			found = 1;
			if (line)
				snprintf(line, len, "%s", l);
		}
	}
	fclose(f);
	return found;
}

static unsigned long ino_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) < 0 ? 0 : (unsigned long)st.st_ino;
}

static void test_proc_and_gc(void)
{
	char line[512];
	int s = listener(SOCK_STREAM, P("proc")), sv[2], i, r;
	unsigned long ia, ib;

	r = proc_net_unix_has(ino_of(s), line, sizeof(line));
	if (r < 0) {
		printf("no /proc/net/unix: skipped its checks\n");
		return;
	}
	EQ(r, 1);
	TRUE(strstr(line, " 00010000 0001 01 ") && strstr(line, P("proc")));
	close(s);
	/* a cycle: each socket sits only in the other's queue */
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ia = ino_of(sv[0]);
	ib = ino_of(sv[1]);
	EQ(send_fds(sv[0], &sv[0], 1, "a", 1), 1);
	EQ(send_fds(sv[1], &sv[1], 1, "b", 1), 1);
	close(sv[0]);
	close(sv[1]);
	/* closing a unix socket runs the collector (Linux: soon after) */
	for (i = 0; i < 100; i++) {
		close(socket(AF_UNIX, SOCK_DGRAM, 0));
		if (proc_net_unix_has(ia, NULL, 0) == 0 &&
		    proc_net_unix_has(ib, NULL, 0) == 0)
			break;
		usleep(50000);
	}
	TRUE(i < 100);
}

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	if (system(cmd) != 0)
		printf("cleanup failed\n");
}

int main(void)
{
	root = geteuid() == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, on_sigpipe);
	strcpy(base, "/tmp/unix-test-XXXXXX");
	if (!mkdtemp(base)) {
		printf("FAIL: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	chmod(base, 0755);
	umask(022);
	test_create();
	test_stream_pair();
	test_stream_blocking();
	test_dgram_pair();
	test_names();
	test_dgram_named();
	test_seqpacket();
	test_listen_backlog();
	test_rights();
	test_creds();
	test_options();
	test_badargs();
	test_mmsg();
	test_proc_and_gc();
	cleanup();
	if (failures) {
		printf("FAIL: %d check(s) failed\n", failures);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
