// SPDX-License-Identifier: GPL-2.0
/*
 * Unix98 ptys: /dev/ptmx and /dev/pts/N, the glibc calls (posix_openpt,
 * grantpt, unlockpt, ptsname) and the ioctls under them (TIOCGPTN,
 * TIOCSPTLCK, TIOCGPTPEER), data both ways through the slave's line
 * discipline (canonical and raw, echo, ONLCR), ^C on the slave's
 * foreground group, window size with SIGWINCH, flow control, packet mode,
 * what each end sees when the other is closed, tty(1) run the way
 * script(1) runs a command and an interactive shell driven the way
 * expect(1) drives one. The host runs it too:
 * Linux is the oracle.
 *
 * In the guest, as root, it mounts devpts on /dev/pts if nothing is there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER	_IO('T', 0x41)
#endif
#define DEVPTS_MAGIC	0x1cd1

static int failures;

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			printf("check failed (line %d): ", __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

static void devpts_ready(void)
{
	struct statfs st;

	if (statfs("/dev/pts", &st) == 0 && st.f_type == DEVPTS_MAGIC)
		return;
	mkdir("/dev/pts", 0755);
	if (mount("devpts", "/dev/pts", "devpts", 0, "gid=5,mode=620"))
		printf("mount devpts: %s\n", strerror(errno));
}

/* A new pair: master fd, slave fd (O_NOCTTY), its index. */
static int open_pair(int *slave, unsigned int *index)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	if (m < 0) {
		printf("posix_openpt: %s\n", strerror(errno));
		exit(1);
	}
	if (grantpt(m) || unlockpt(m) || ioctl(m, TIOCGPTN, index)) {
		printf("grantpt/unlockpt/TIOCGPTN: %s\n", strerror(errno));
		exit(1);
	}
	*slave = open(ptsname(m), O_RDWR | O_NOCTTY);
	if (*slave < 0) {
		printf("open %s: %s\n", ptsname(m), strerror(errno));
		exit(1);
	}
	return m;
}

/* Reads what is there within a short while (at most n-1 bytes). */
static ssize_t read_some(int fd, char *buf, size_t n, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	size_t got = 0;

	while (got + 1 < n && poll(&p, 1, ms) == 1 && (p.revents & POLLIN)) {
		ssize_t r = read(fd, buf + got, n - 1 - got);

		if (r <= 0)
			break;
		got += (size_t)r;
		ms = 50;
	}
	buf[got] = 0;
	return (ssize_t)got;
}

static void test_names(void)
{
	unsigned int n, n2 = 99;
	int m, s, r, lock;
	char want[32], link[64] = "", path[64];
	struct stat st;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK(m >= 0, "posix_openpt: %s", strerror(errno));
	CHECK(ioctl(m, TIOCGPTN, &n) == 0, "TIOCGPTN: %s", strerror(errno));
	snprintf(want, sizeof(want), "/dev/pts/%u", n);
	CHECK(!strcmp(ptsname(m), want), "ptsname %s, want %s", ptsname(m),
	      want);
	CHECK(ioctl(m, TIOCGPTLCK, &lock) == 0 && lock == 1,
	      "a new pty is locked (%d)", lock);
	/* locked: the slave cannot be opened yet */
	errno = 0;
	s = open(want, O_RDWR | O_NOCTTY);
	CHECK(s < 0 && errno == EIO, "open locked slave: %d %s", s,
	      strerror(errno));
	CHECK(grantpt(m) == 0, "grantpt: %s", strerror(errno));
	CHECK(unlockpt(m) == 0, "unlockpt: %s", strerror(errno));
	s = open(want, O_RDWR | O_NOCTTY);
	CHECK(s >= 0, "open slave: %s", strerror(errno));
	CHECK(fstat(s, &st) == 0 && S_ISCHR(st.st_mode) &&
	      major(st.st_rdev) == 136 && minor(st.st_rdev) == n &&
	      st.st_uid == getuid(), "slave stat: mode %o rdev %u:%u uid %u",
	      st.st_mode, major(st.st_rdev), minor(st.st_rdev), st.st_uid);
	CHECK(fstat(m, &st) == 0 && major(st.st_rdev) == 5 &&
	      minor(st.st_rdev) == 2, "master rdev %u:%u", major(st.st_rdev),
	      minor(st.st_rdev));
	CHECK(isatty(m) && isatty(s), "both ends are ttys");
	errno = 0;
	r = ioctl(s, TIOCGPTN, &n2);
	CHECK(r < 0 && errno == ENOTTY, "TIOCGPTN on the slave: %d %s", r,
	      strerror(errno));
	errno = 0;
	r = ioctl(s, TIOCGPTPEER, O_RDWR);
	CHECK(r < 0 && errno == EIO, "TIOCGPTPEER on the slave: %d %s", r,
	      strerror(errno));
	r = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	CHECK(r >= 0, "TIOCGPTPEER: %s", strerror(errno));
	if (r >= 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", r);
		CHECK(readlink(path, link, sizeof(link) - 1) > 0 &&
		      !strcmp(link, want), "peer fd is %s, want %s", link,
		      want);
		CHECK(fcntl(r, F_GETFD) == FD_CLOEXEC, "peer O_CLOEXEC");
		close(r);
	}
	CHECK(ttyname_r(s, path, sizeof(path)) == 0 && !strcmp(path, want),
	      "ttyname %s", path);
	close(s);
	close(m);
	/* the node goes with the master */
	CHECK(stat(want, &st) < 0 && errno == ENOENT, "%s after close: %s",
	      want, strerror(errno));
}

static void test_data(void)
{
	unsigned int n;
	int s, m = open_pair(&s, &n);
	char buf[256];
	struct termios t;
	ssize_t r;

	/* canonical, echo: the master sees the echo with ONLCR */
	CHECK(write(m, "hello\n", 6) == 6, "write master");
	r = read(s, buf, sizeof(buf));
	CHECK(r == 6 && !memcmp(buf, "hello\n", 6), "slave read %zd", r);
	r = read_some(m, buf, sizeof(buf), 1000);
	CHECK(r == 7 && !strcmp(buf, "hello\r\n"), "echo '%s'", buf);

	/* slave output with OPOST|ONLCR */
	CHECK(write(s, "a\nb", 3) == 3, "write slave");
	r = read_some(m, buf, sizeof(buf), 1000);
	CHECK(!strcmp(buf, "a\r\nb"), "master read '%s'", buf);

	/* line editing: erase and kill */
	CHECK(write(m, "abc\177d\n", 6) == 6, "write");
	r = read(s, buf, sizeof(buf));
	CHECK(r == 4 && !memcmp(buf, "abd\n", 4), "erase: %zd", r);
	read_some(m, buf, sizeof(buf), 200);

	/* a new slave's settings, as Linux makes them */
	CHECK(tcgetattr(s, &t) == 0 && t.c_iflag == (ICRNL | IXON) &&
	      t.c_oflag == (OPOST | ONLCR) &&
	      t.c_cflag == (B38400 | CS8 | CREAD) &&
	      t.c_lflag == (ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL |
			    ECHOKE | IEXTEN), "slave termios %o %o %o %o",
	      t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag);

	/* the master's termios ioctls are the slave's */
	CHECK(tcgetattr(m, &t) == 0 && (t.c_lflag & ICANON) &&
	      (t.c_oflag & ONLCR), "master tcgetattr: %o %o", t.c_lflag,
	      t.c_oflag);
	cfmakeraw(&t);
	CHECK(tcsetattr(m, TCSANOW, &t) == 0, "master tcsetattr");
	CHECK(tcgetattr(s, &t) == 0 && !(t.c_lflag & ICANON),
	      "raw through the master");
	CHECK(write(m, "xyz", 3) == 3, "write raw");
	r = read(s, buf, sizeof(buf));
	CHECK(r == 3 && !memcmp(buf, "xyz", 3), "raw read %zd", r);
	r = read_some(m, buf, sizeof(buf), 200);
	CHECK(r == 0, "no echo in raw mode: '%s'", buf);
	CHECK(write(s, "\n", 1) == 1, "write");
	r = read_some(m, buf, sizeof(buf), 1000);
	CHECK(r == 1 && buf[0] == '\n', "raw output: %zd", r);

	/* FIONREAD on the master */
	CHECK(write(s, "12345", 5) == 5, "write");
	usleep(10000);
	CHECK(ioctl(m, FIONREAD, &s) == 0 && s == 5, "FIONREAD %d", s);
	close(m);
}

/* More than any buffer holds goes through: writers wait for readers. */
static void test_bulk(void)
{
	unsigned int n;
	int s, m = open_pair(&s, &n);
	struct termios t;
	static char buf[65536];
	size_t total = 0, want = 200000;
	pid_t pid;
	int st;

	tcgetattr(s, &t);
	cfmakeraw(&t);
	tcsetattr(s, TCSANOW, &t);
	pid = fork();
	if (pid == 0) {
		memset(buf, 'q', sizeof(buf));
		for (size_t done = 0; done < want;) {
			size_t k = want - done < sizeof(buf) ?
				want - done : sizeof(buf);
			ssize_t w = write(m, buf, k);

			if (w <= 0)
				_exit(1);
			done += (size_t)w;
		}
		_exit(0);
	}
	while (total < want) {
		ssize_t r = read(s, buf, sizeof(buf));

		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			if (buf[i] != 'q')
				r = -1;
		if (r < 0)
			break;
		total += (size_t)r;
	}
	CHECK(total == want, "bulk: %zu of %zu bytes", total, want);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "writer status %x", st);
	close(s);
	close(m);
}

static volatile sig_atomic_t got_winch;

static void on_winch(int sig)
{
	got_winch = 1;
}

static void on_int(int sig)
{
	_exit(got_winch ? 42 : 41);
}

/*
 * A child makes the slave its controlling tty, in the foreground; ^C
 * typed on the master reaches it after a SIGWINCH from a resize.
 */
static void test_signals(void)
{
	unsigned int n;
	int s, m = open_pair(&s, &n), st, pfd[2];
	char c, buf[64];
	pid_t pid;
	struct winsize ws = { 30, 100, 0, 0 }, ws2;
	ssize_t r;

	CHECK(pipe(pfd) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		int fd;
		pid_t pg = 0;

		close(pfd[0]);
		signal(SIGWINCH, on_winch);
		signal(SIGINT, on_int);
		setsid();
		fd = open(ptsname(m), O_RDWR);
		if (fd < 0 || ioctl(fd, TIOCGPGRP, &pg) || pg != getpid())
			_exit(3);
		close(m);
		if (write(pfd[1], "r", 1) != 1)
			_exit(4);
		for (;;)
			pause();
	}
	close(pfd[1]);
	CHECK(read(pfd[0], &c, 1) == 1, "child ready");
	{
		pid_t pg = 0;

		CHECK(ioctl(m, TIOCGPGRP, &pg) == 0 && pg == pid,
		      "TIOCGPGRP on the master: %d, want %d", pg, pid);
	}
	CHECK(ioctl(m, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ");
	CHECK(ioctl(s, TIOCGWINSZ, &ws2) == 0 && ws2.ws_row == 30 &&
	      ws2.ws_col == 100, "slave size %dx%d", ws2.ws_row, ws2.ws_col);
	usleep(50000);
	CHECK(write(m, "\003", 1) == 1, "write ^C");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 42, "child status %x (42: SIGWINCH, SIGINT)",
	      st);
	r = read_some(m, buf, sizeof(buf), 1000);
	CHECK(r == 2 && !memcmp(buf, "^C", 2), "^C echo '%s'", buf);
	close(pfd[0]);
	close(s);
	close(m);
}

static void test_flow(void)
{
	unsigned int n;
	int s, m = open_pair(&s, &n);
	char buf[64];
	ssize_t r;

	fcntl(s, F_SETFL, O_NONBLOCK);
	CHECK(write(m, "\023", 1) == 1, "^S");
	usleep(100000);		/* Linux handles input asynchronously */
	errno = 0;
	r = write(s, "zz", 2);
	CHECK(r < 0 && errno == EAGAIN, "write while stopped: %zd %s", r,
	      strerror(errno));
	CHECK(write(m, "\021", 1) == 1, "^Q");
	usleep(100000);
	r = write(s, "zz", 2);
	CHECK(r == 2, "write after ^Q: %zd", r);
	r = read_some(m, buf, sizeof(buf), 1000);
	CHECK(r == 2 && !strcmp(buf, "zz"), "read '%s'", buf);
	close(s);
	close(m);
}

static void test_packet(void)
{
	unsigned int n;
	int s, m = open_pair(&s, &n), one = 1, v = 0;
	unsigned char buf[64];
	struct pollfd p = { 0, POLLIN | POLLPRI, 0 };
	struct termios t;
	ssize_t r;

	CHECK(ioctl(m, TIOCPKT, &one) == 0, "TIOCPKT");
	CHECK(ioctl(m, TIOCGPKT, &v) == 0 && v == 1, "TIOCGPKT %d", v);
	errno = 0;
	CHECK(ioctl(s, TIOCPKT, &one) < 0 && errno == ENOTTY,
	      "TIOCPKT on the slave: %s", strerror(errno));
	fcntl(m, F_SETFL, O_NONBLOCK);
	errno = 0;
	r = read(m, buf, sizeof(buf));
	CHECK(r < 0 && errno == EAGAIN, "empty: %zd %s", r, strerror(errno));
	CHECK(write(s, "hi", 2) == 2, "write");
	r = read(m, buf, sizeof(buf));
	CHECK(r == 3 && buf[0] == TIOCPKT_DATA && !memcmp(buf + 1, "hi", 2),
	      "data packet %zd", r);
	CHECK(tcflush(s, TCIFLUSH) == 0, "tcflush");
	p.fd = m;
	CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLPRI), "POLLPRI %x",
	      p.revents);
	r = read(m, buf, sizeof(buf));
	CHECK(r == 1 && buf[0] == TIOCPKT_FLUSHREAD, "flush packet %zd %x",
	      r, buf[0]);
	CHECK(tcflow(s, TCOOFF) == 0, "TCOOFF");
	r = read(m, buf, sizeof(buf));
	CHECK(r == 1 && buf[0] == TIOCPKT_STOP, "stop packet %x", buf[0]);
	CHECK(tcflow(s, TCOON) == 0, "TCOON");
	r = read(m, buf, sizeof(buf));
	CHECK(r == 1 && buf[0] == TIOCPKT_START, "start packet %x", buf[0]);
	tcgetattr(s, &t);
	t.c_iflag &= ~IXON;
	tcsetattr(s, TCSANOW, &t);
	r = read(m, buf, sizeof(buf));
	CHECK(r == 1 && buf[0] == TIOCPKT_NOSTOP, "nostop packet %x", buf[0]);
	t.c_iflag |= IXON;
	tcsetattr(s, TCSANOW, &t);
	r = read(m, buf, sizeof(buf));
	CHECK(r == 1 && buf[0] == TIOCPKT_DOSTOP, "dostop packet %x", buf[0]);
	close(s);
	close(m);
}

/*
 * What script(1) does: a child in a new session with the slave as its
 * controlling tty on fds 0-2 runs tty(1); the master reads its output
 * until the slave is closed by its exit (EIO).
 */
static void test_script(void)
{
	unsigned int n;
	int s, m = open_pair(&s, &n), st;
	char buf[256], want[64];
	size_t got = 0;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		setsid();
		if (ioctl(s, TIOCSCTTY, 0))
			_exit(3);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		close(s);
		close(m);
		execlp("tty", "tty", (char *)NULL);
		_exit(127);
	}
	close(s);
	for (;;) {
		ssize_t r = read(m, buf + got, sizeof(buf) - 1 - got);

		if (r <= 0) {
			CHECK(r < 0 && errno == EIO, "end of output: %zd %s",
			      r, strerror(errno));
			break;
		}
		got += (size_t)r;
	}
	buf[got] = 0;
	snprintf(want, sizeof(want), "/dev/pts/%u\r\n", n);
	CHECK(!strcmp(buf, want), "tty printed '%s'", buf);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "tty status %x", st);
	close(m);
}

/* Reads the master until want shows up (or 10 s pass: a failure). */
static int expect(int m, const char *want, char *buf, size_t size)
{
	size_t got = 0;
	struct pollfd p = { m, POLLIN, 0 };

	buf[0] = 0;
	for (int i = 0; i < 100 && !strstr(buf, want); i++) {
		ssize_t r;

		if (poll(&p, 1, 100) != 1)
			continue;
		r = read(m, buf + got, size - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		buf[got] = 0;
		if (got == size - 1) {
			/* keep the tail */
			memmove(buf, buf + got / 2, got - got / 2 + 1);
			got -= got / 2;
		}
	}
	return strstr(buf, want) != NULL;
}

/*
 * What expect(1) does: an interactive shell on the slave, commands typed
 * on the master, ^C stopping the foreground job and the shell going on.
 */
static void test_shell(void)
{
	unsigned int n;
	int s, m = open_pair(&s, &n), st;
	static char buf[8192];
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		setsid();
		if (ioctl(s, TIOCSCTTY, 0))
			_exit(3);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		close(s);
		close(m);
		setenv("PS1", "$ ", 1);
		execl("/bin/sh", "sh", "-i", (char *)NULL);
		_exit(127);
	}
	close(s);
	CHECK(write(m, "echo $((6*7))x\n", 15) == 15, "type");
	CHECK(expect(m, "42x", buf, sizeof(buf)), "no 42x in '%s'", buf);
	CHECK(write(m, "sleep 100\n", 10) == 10, "type sleep");
	/* sleep runs when the shell has made its group the foreground */
	for (int i = 0; i < 500; i++) {
		pid_t fg = 0;

		if (ioctl(m, TIOCGPGRP, &fg) == 0 && fg != pid && fg > 0)
			break;
		usleep(20000);
	}
	CHECK(write(m, "\003", 1) == 1, "type ^C");
	CHECK(write(m, "echo st$?\n", 10) == 10, "type echo");
	CHECK(expect(m, "st130", buf, sizeof(buf)), "no st130 in '%s'", buf);
	CHECK(write(m, "exit\n", 5) == 5, "type exit");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "shell status %x", st);
	close(m);
}

static void on_hup(int sig)
{
	_exit(43);
}

/* The master closed: the slave's session leader gets SIGHUP. */
static void test_hangup(void)
{
	unsigned int n;
	int s, m = open_pair(&s, &n), pfd[2], st;
	char c;
	pid_t pid;

	CHECK(pipe(pfd) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		signal(SIGHUP, on_hup);
		setsid();
		if (ioctl(s, TIOCSCTTY, 0))
			_exit(3);
		close(m);
		if (write(pfd[1], "r", 1) != 1)
			_exit(4);
		for (;;)
			pause();
	}
	close(pfd[1]);
	CHECK(read(pfd[0], &c, 1) == 1, "child ready");
	close(s);
	close(m);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 43, "session leader status %x (43: SIGHUP)",
	      st);
	close(pfd[0]);
}

static void test_close(void)
{
	unsigned int n;
	int s, m = open_pair(&s, &n);
	char buf[64];
	struct pollfd p = { 0, POLLIN, 0 };
	ssize_t r;

	/* the slave closed: EIO once drained, POLLHUP */
	CHECK(write(s, "x", 1) == 1, "write");
	close(s);
	r = read(m, buf, sizeof(buf));
	CHECK(r == 1 && buf[0] == 'x', "pending data first: %zd", r);
	errno = 0;
	r = read(m, buf, sizeof(buf));
	CHECK(r < 0 && errno == EIO, "master read, slave closed: %zd %s", r,
	      strerror(errno));
	p.fd = m;
	CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP), "POLLHUP %x",
	      p.revents);
	/* opened again: the master reads normally */
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	CHECK(s >= 0, "reopen: %s", strerror(errno));
	fcntl(m, F_SETFL, O_NONBLOCK);
	errno = 0;
	r = read(m, buf, sizeof(buf));
	CHECK(r < 0 && errno == EAGAIN, "master read, reopened: %zd %s", r,
	      strerror(errno));
	/* the master closed: the slave is hung up */
	close(m);
	r = read(s, buf, sizeof(buf));
	CHECK(r == 0, "slave read, master closed: %zd %s", r, strerror(errno));
	errno = 0;
	r = write(s, "x", 1);
	CHECK(r < 0 && errno == EIO, "slave write, master closed: %zd %s", r,
	      strerror(errno));
	p.fd = s;
	CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP), "slave POLLHUP %x",
	      p.revents);
	close(s);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (getuid() == 0)
		devpts_ready();
	test_names();
	test_data();
	test_bulk();
	test_signals();
	test_flow();
	test_packet();
	test_script();
	test_shell();
	test_hangup();
	test_close();
	if (failures) {
		printf("FAIL %d checks\n", failures);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
