// SPDX-License-Identifier: GPL-2.0
/*
 * The n_tty line discipline on the terminal at fd 0: canonical editing,
 * VEOF/VEOL, input mapping, VMIN/VTIME, FIONREAD, flushing, poll, window
 * size and the termios forms. Input is injected with TIOCSTI (we are root
 * or the terminal is ours), so the test needs no peer. Echo is off while
 * it runs; the settings are restored at the end.
 *
 * Runs on fd 0 if that is our terminal, else on a pty or /dev/tty0 of
 * its own (see setup_terminal).
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
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* struct termios2 and struct termio of <asm/termbits.h>, which clashes
 * with glibc's <termios.h> */
struct termios2_k {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[19];
	speed_t c_ispeed, c_ospeed;
};
struct termio_k {
	unsigned short c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line;
	unsigned char c_cc[8];
};
#define TCGETS2_K	_IOR('T', 0x2A, struct termios2_k)

static struct termios saved;
static int failures;
/*
 * The far side of the terminal is gone (a console whose host input ended):
 * reads of an empty queue return 0 at once, so the waiting checks are
 * skipped.
 */
static int hung_up;

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			printf("check failed (line %d): ", __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

static void inject(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ioctl(0, TIOCSTI, s + i) < 0) {
			printf("FAIL: TIOCSTI: %s\n", strerror(errno));
			tcsetattr(0, TCSANOW, &saved);
			exit(1);
		}
}

#define INJ(lit) inject(lit, sizeof(lit) - 1)

static void set_mode(tcflag_t iflag, tcflag_t lflag, int vmin, int vtime)
{
	struct termios t = saved;

	t.c_iflag = iflag;
	t.c_oflag = OPOST | ONLCR;
	t.c_lflag = lflag;
	t.c_cc[VINTR] = 3;
	t.c_cc[VQUIT] = 034;
	t.c_cc[VERASE] = 0177;
	t.c_cc[VKILL] = 025;
	t.c_cc[VEOF] = 4;
	t.c_cc[VEOL] = 0;
	t.c_cc[VEOL2] = 0;
	t.c_cc[VWERASE] = 027;
	t.c_cc[VLNEXT] = 026;
	t.c_cc[VREPRINT] = 022;
	t.c_cc[VSUSP] = 032;
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	if (tcsetattr(0, TCSAFLUSH, &t) < 0) {
		printf("FAIL: tcsetattr: %s\n", strerror(errno));
		exit(1);
	}
}

static ssize_t rd(char *buf, size_t n)
{
	ssize_t r = read(0, buf, n);

	if (r >= 0)
		buf[r] = 0;
	return r;
}

static int inq(void)
{
	int n = -1;

	ioctl(0, FIONREAD, &n);
	return n;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t got_sig;
static void on_sig(int sig)
{
	got_sig = sig;
}

static void test_canonical(void)
{
	char buf[256];
	ssize_t r;
	tcflag_t canon = ICANON | IEXTEN;

	set_mode(ICRNL, canon, 1, 0);
	INJ("ab\x7f" "c\n");
	r = rd(buf, sizeof(buf));
	CHECK(r == 3 && !strcmp(buf, "ac\n"), "erase: got %zd '%s'", r, buf);

	INJ("xyz\x15ok\n");
	r = rd(buf, sizeof(buf));
	CHECK(r == 3 && !strcmp(buf, "ok\n"), "kill: got %zd '%s'", r, buf);

	INJ("foo bar\x17" "baz\n");
	r = rd(buf, sizeof(buf));
	CHECK(!strcmp(buf, "foo baz\n"), "werase: got '%s'", buf);

	INJ("foo bar  \x17\x17" "x\n");
	r = rd(buf, sizeof(buf));
	CHECK(!strcmp(buf, "x\n"), "werase twice: got '%s'", buf);

	INJ("a\x16\x7f\x16\x15\n");
	r = rd(buf, sizeof(buf));
	CHECK(r == 4 && !memcmp(buf, "a\x7f\x15\n", 4), "lnext: got %zd", r);

	INJ("abc\x04");
	r = rd(buf, sizeof(buf));
	CHECK(r == 3 && !strcmp(buf, "abc"), "eof after text: got %zd '%s'",
	      r, buf);
	INJ("\x04");
	r = rd(buf, sizeof(buf));
	CHECK(r == 0, "eof alone: got %zd", r);

	/* a read shorter than the line leaves the rest */
	INJ("hello\n");
	r = rd(buf, 3);
	CHECK(r == 3 && !strcmp(buf, "hel"), "short read: got '%s'", buf);
	r = rd(buf, sizeof(buf));
	CHECK(r == 3 && !strcmp(buf, "lo\n"), "rest: got '%s'", buf);

	/* one line per read */
	INJ("one\ntwo\n");
	r = rd(buf, sizeof(buf));
	CHECK(!strcmp(buf, "one\n"), "line 1: got '%s'", buf);
	r = rd(buf, sizeof(buf));
	CHECK(!strcmp(buf, "two\n"), "line 2: got '%s'", buf);

	/* FIONREAD counts complete lines only */
	INJ("ab\ncd");
	CHECK(inq() == 3, "FIONREAD canonical: %d", inq());
	tcflush(0, TCIFLUSH);
	CHECK(inq() == 0, "FIONREAD after TCIFLUSH: %d", inq());

	/* erase does not cross a completed line */
	INJ("ab\n\x7f\x7f" "c\n");
	r = rd(buf, sizeof(buf));
	CHECK(!strcmp(buf, "ab\n"), "erase boundary 1: '%s'", buf);
	r = rd(buf, sizeof(buf));
	CHECK(!strcmp(buf, "c\n"), "erase boundary 2: '%s'", buf);

	/* VEOL and VEOL2 end lines and are kept */
	{
		struct termios t;

		tcgetattr(0, &t);
		t.c_cc[VEOL] = '!';
		t.c_cc[VEOL2] = '?';
		tcsetattr(0, TCSANOW, &t);
		INJ("hi!yo?");
		r = rd(buf, sizeof(buf));
		CHECK(!strcmp(buf, "hi!"), "veol: '%s'", buf);
		r = rd(buf, sizeof(buf));
		CHECK(!strcmp(buf, "yo?"), "veol2: '%s'", buf);
	}

	/* IUTF8: erase takes a whole character */
	set_mode(ICRNL | IUTF8, canon, 1, 0);
	INJ("x\xc3\xa9\x7f\n");
	r = rd(buf, sizeof(buf));
	CHECK(!strcmp(buf, "x\n"), "utf8 erase: got %zd", r);
	set_mode(ICRNL, canon, 1, 0);
	INJ("x\xc3\xa9\x7f\n");
	r = rd(buf, sizeof(buf));
	CHECK(r == 3 && !memcmp(buf, "x\xc3\n", 3), "byte erase: got %zd", r);
}

static void test_input_flags(void)
{
	char buf[64];
	ssize_t r;

	set_mode(ICRNL, ICANON, 1, 0);
	INJ("a\r");
	r = rd(buf, sizeof(buf));
	CHECK(!strcmp(buf, "a\n"), "icrnl: '%s'", buf);

	set_mode(IGNCR, ICANON, 1, 0);
	INJ("a\rb\n");
	r = rd(buf, sizeof(buf));
	CHECK(!strcmp(buf, "ab\n"), "igncr: '%s'", buf);

	set_mode(INLCR, 0, 1, 0);
	INJ("a\n");
	r = rd(buf, sizeof(buf));
	CHECK(r == 2 && !strcmp(buf, "a\r"), "inlcr: %zd", r);

	set_mode(ISTRIP, 0, 1, 0);
	INJ("\xe1");
	r = rd(buf, sizeof(buf));
	CHECK(r == 1 && buf[0] == 'a', "istrip: %zd %02x", r,
	      (unsigned char)buf[0]);
}

static void test_noncanonical(void)
{
	char buf[64];
	ssize_t r;
	double t0;

	set_mode(0, 0, 0, 0);
	t0 = now();
	r = rd(buf, sizeof(buf));
	CHECK(r == 0 && now() - t0 < 0.1, "min0 time0: %zd", r);

	set_mode(0, 0, 0, 2);
	t0 = now();
	r = rd(buf, sizeof(buf));
	CHECK(r == 0 && (hung_up || now() - t0 >= 0.15) && now() - t0 < 1.0,
	      "min0 time2: %zd after %.3f", r, now() - t0);

	set_mode(0, 0, 3, 0);
	INJ("abcd");
	r = rd(buf, sizeof(buf));
	CHECK(r == 4, "min3 with 4 queued: %zd", r);
	INJ("xy");
	CHECK(inq() == 2, "FIONREAD raw: %d", inq());
	{
		struct pollfd p = { .fd = 0, .events = POLLIN };

		CHECK(hung_up || poll(&p, 1, 0) == 0,
		      "poll with fewer than VMIN bytes: %x", p.revents);
	}
	INJ("z");
	r = rd(buf, sizeof(buf));
	CHECK(r == 3 && !strcmp(buf, "xyz"), "min3: %zd '%s'", r, buf);

	/* interbyte timer: MIN 5, TIME 1, only 2 bytes come */
	set_mode(0, 0, 5, 1);
	INJ("pq");
	t0 = now();
	r = rd(buf, sizeof(buf));
	CHECK(r == 2 && now() - t0 < 1.0, "interbyte: %zd", r);

	/* no special characters without ICANON and ISIG */
	set_mode(0, 0, 1, 0);
	INJ("\x7f\x15\x03\x04");
	r = rd(buf, sizeof(buf));
	CHECK(r == 4, "raw specials: %zd", r);

	/* O_NONBLOCK with nothing queued */
	set_mode(0, 0, 1, 0);
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	r = read(0, buf, sizeof(buf));
	CHECK(hung_up ? r == 0 : r < 0 && errno == EAGAIN,
	      "nonblock: %zd %d", r, errno);
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) & ~O_NONBLOCK);

	/* switching to canonical makes the pending bytes one line */
	set_mode(0, 0, 1, 0);
	INJ("abc");
	{
		struct termios t;

		tcgetattr(0, &t);
		t.c_lflag |= ICANON;
		tcsetattr(0, TCSANOW, &t);
	}
	r = rd(buf, sizeof(buf));
	CHECK(r == 3 && !strcmp(buf, "abc"), "raw to canon: %zd", r);
}

static void test_poll(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN | POLLOUT };
	char buf[16];

	set_mode(0, ICANON, 1, 0);
	if (hung_up) {
		CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP),
		      "poll after hangup: %x", p.revents);
		return;
	}
	INJ("part");
	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLOUT,
	      "poll partial line: %x", p.revents);
	INJ("\n");
	CHECK(poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLOUT),
	      "poll line: %x", p.revents);
	rd(buf, sizeof(buf));
}

static void test_ioctls(void)
{
	struct winsize ws, ws2 = { 0 }, orig;
	struct termios2_k t2;
	struct termio_k tio;
	int n;

	CHECK(ioctl(0, TIOCGWINSZ, &orig) == 0, "TIOCGWINSZ");
	ws = orig;
	ws.ws_row = 33;
	ws.ws_col = 101;
	got_sig = 0;
	signal(SIGWINCH, on_sig);
	CHECK(ioctl(0, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ");
	CHECK(ioctl(0, TIOCGWINSZ, &ws2) == 0 && ws2.ws_row == 33 &&
	      ws2.ws_col == 101, "winsize round trip");
	if (tcgetpgrp(0) == getpgrp())
		CHECK(got_sig == SIGWINCH, "SIGWINCH for the foreground");
	ioctl(0, TIOCSWINSZ, &orig);
	signal(SIGWINCH, SIG_DFL);

	CHECK(ioctl(0, TCGETS2_K, &t2) == 0, "TCGETS2");
	CHECK(t2.c_ospeed == 38400 || (t2.c_cflag & CBAUD) != B38400,
	      "speed %u", t2.c_ospeed);
	{
		struct termios cur;

		tcgetattr(0, &cur);
		CHECK(ioctl(0, TCGETA, &tio) == 0 &&
		      tio.c_lflag == (unsigned short)cur.c_lflag &&
		      tio.c_cc[VERASE] == cur.c_cc[VERASE], "TCGETA");
	}
	CHECK(ioctl(0, TIOCGETD, &n) == 0 && n == 0, "TIOCGETD");
	n = 3;
	CHECK(ioctl(0, TIOCSETD, &n) < 0 && errno == EINVAL, "TIOCSETD 3");
	CHECK(ioctl(0, TCFLSH, 7) < 0 && errno == EINVAL, "TCFLSH 7");
	CHECK(ioctl(0, TCXONC, 9) < 0 && errno == EINVAL, "TCXONC 9");
	CHECK(ioctl(0, TIOCOUTQ, &n) == 0, "TIOCOUTQ");
	CHECK(ioctl(0, 0x5401 + 0x1000, &n) < 0 && errno == ENOTTY,
	      "unknown ioctl");
	CHECK(ioctl(0, TCGETS, (void *)8) < 0 && errno == EFAULT,
	      "TCGETS EFAULT");
}

static void test_isig(void)
{
	char buf[16];
	struct pollfd p = { .fd = 0, .events = POLLIN };

	if (tcgetpgrp(0) != getpgrp()) {
		printf("(not the foreground group: ISIG not tested)\n");
		return;
	}
	set_mode(0, ICANON | ISIG, 1, 0);
	signal(SIGINT, on_sig);
	got_sig = 0;
	INJ("junk\x03");
	CHECK(got_sig == SIGINT, "SIGINT from ^C: %d", got_sig);
	INJ("\n");
	CHECK(poll(&p, 1, 0) == 1, "line after ^C");
	rd(buf, sizeof(buf));
	CHECK(!strcmp(buf, "\n"), "^C flushed the line: '%s'", buf);

	set_mode(0, ICANON | ISIG | NOFLSH, 1, 0);
	got_sig = 0;
	signal(SIGQUIT, on_sig);
	INJ("keep\x1c\n");
	CHECK(got_sig == SIGQUIT, "SIGQUIT from ^\\");
	rd(buf, sizeof(buf));
	CHECK(!strcmp(buf, "keep\n"), "NOFLSH kept the line: '%s'", buf);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
}

/*
 * Puts a terminal that is our controlling terminal, with us in the
 * foreground, on fd 0. From an interactive shell that is fd 0 already.
 * Otherwise a child becomes a session leader and opens a fresh one: a pty
 * where there are ptys (Linux), else the console line /dev/tty0; the
 * parent waits for it and passes its exit status on.
 */
static void setup_terminal(void)
{
	int status, fd, m;
	pid_t pid;

	if (isatty(0) && tcgetpgrp(0) == getpgrp())
		return;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("FAIL: fork: %s\n", strerror(errno));
		exit(1);
	}
	if (pid > 0) {
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
			printf("FAIL: the test process died (status %x)\n",
			       status);
			exit(1);
		}
		exit(WEXITSTATUS(status));
	}
	setsid();
	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0)
		fd = open(ptsname(m), O_RDWR);
	else
		fd = open("/dev/tty0", O_RDWR);
	if (fd < 0 || tcgetpgrp(fd) != getpgrp()) {
		printf("FAIL: no terminal to test on (%s)\n", strerror(errno));
		exit(1);
	}
	dup2(fd, 0);
	if (fd != 0)
		close(fd);
}

int main(void)
{
	setup_terminal();
	if (tcgetattr(0, &saved) < 0) {
		printf("FAIL: fd 0 is not a terminal\n");
		return 1;
	}
	{
		struct pollfd p = { .fd = 0, .events = POLLIN };

		set_mode(0, ICANON, 1, 0);
		hung_up = poll(&p, 1, 0) == 1 && (p.revents & POLLHUP);
		if (hung_up)
			printf("(the terminal's input side is closed)\n");
	}
	test_canonical();
	test_input_flags();
	test_noncanonical();
	test_poll();
	test_ioctls();
	test_isig();
	tcsetattr(0, TCSAFLUSH, &saved);
	if (failures) {
		printf("FAIL: %d checks failed\n", failures);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
