// SPDX-License-Identifier: GPL-2.0
/*
 * Job control on the controlling terminal at fd 0: background reads and
 * writes (SIGTTIN, SIGTTOU with TOSTOP, EIO when ignored or orphaned),
 * tcsetpgrp rules, TIOCGSID, /dev/tty, TIOCNOTTY and TIOCSCTTY errors.
 * Everything that could disturb the calling shell happens in children.
 *
 * Runs on fd 0 if that is our terminal and we are in the foreground, else
 * on a pty or /dev/tty0 of its own (see setup_terminal).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			printf("check failed (line %d): ", __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

/* Runs fn in a child in its own (background) process group. */
static int run_bg(void (*fn)(void), int *status)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		fn();
		_exit(0);
	}
	setpgid(pid, pid);
	waitpid(pid, status, WUNTRACED);
	if (WIFSTOPPED(*status)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return pid;
}

static void bg_read(void)
{
	char c;

	_exit(read(0, &c, 1) < 0 ? 100 + errno : 99);
}

static void bg_read_ignored(void)
{
	signal(SIGTTIN, SIG_IGN);
	bg_read();
}

static void bg_write(void)
{
	_exit(write(0, "", 0) < 0 ? 100 + errno : 0);
}

static void bg_write_ignored(void)
{
	signal(SIGTTOU, SIG_IGN);
	bg_write();
}

static void bg_tcsetattr(void)
{
	struct termios t;

	tcgetattr(0, &t);
	_exit(tcsetattr(0, TCSANOW, &t) < 0 ? 100 + errno : 0);
}

static void bg_tcsetattr_blocked(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGTTOU);
	sigprocmask(SIG_BLOCK, &s, NULL);
	bg_tcsetattr();
}

static void child_session(void)
{
	int fd;

	if (setsid() < 0)
		_exit(90);
	fd = open("/dev/tty", O_RDWR);
	if (fd >= 0 || errno != ENXIO)
		_exit(91);
	/* fd 0 belongs to another session: no stealing without arg 1 */
	if (ioctl(0, TIOCSCTTY, 0) == 0 || errno != EPERM)
		_exit(92);
	if (ioctl(0, TIOCGPGRP, &fd) == 0 || errno != ENOTTY)
		_exit(93);
	if (ioctl(0, TIOCGSID, &fd) == 0 || errno != ENOTTY)
		_exit(94);
	_exit(0);
}

static void child_notty(void)
{
	int fd;

	if (ioctl(0, TIOCSCTTY, 0) == 0 || errno != EPERM)
		_exit(80);
	if (ioctl(0, TIOCNOTTY) < 0)
		_exit(81);
	fd = open("/dev/tty", O_RDWR);
	if (fd >= 0 || errno != ENXIO)
		_exit(82);
	if (ioctl(0, TIOCNOTTY) == 0 || errno != ENOTTY)
		_exit(83);
	_exit(0);
}

static int run_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		fn();
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
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
	struct termios t;
	int status, n, fd;
	pid_t pid, me;
	sigset_t block, old;

	setup_terminal();
	me = getpgrp();
	if (tcgetpgrp(0) != me) {
		printf("FAIL: not the foreground process group of fd 0\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IONBF, 0);

	CHECK(ioctl(0, TIOCGSID, &n) == 0 && n == getsid(0), "TIOCGSID %d",
	      n);
	fd = open("/dev/tty", O_RDWR);
	CHECK(fd >= 0, "open /dev/tty: %s", strerror(errno));
	if (fd >= 0) {
		CHECK(ioctl(fd, TIOCGPGRP, &n) == 0 && n == me,
		      "TIOCGPGRP on /dev/tty");
		close(fd);
	}

	run_bg(bg_read, &status);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTIN,
	      "background read: status %x", status);
	run_bg(bg_read_ignored, &status);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 100 + EIO,
	      "background read, SIGTTIN ignored: status %x", status);

	tcgetattr(0, &t);
	t.c_lflag &= ~TOSTOP;
	tcsetattr(0, TCSANOW, &t);
	run_bg(bg_write, &status);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "background write without TOSTOP: status %x", status);
	t.c_lflag |= TOSTOP;
	tcsetattr(0, TCSANOW, &t);
	run_bg(bg_write, &status);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU,
	      "background write with TOSTOP: status %x", status);
	run_bg(bg_write_ignored, &status);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "background write, SIGTTOU ignored: status %x", status);
	t.c_lflag &= ~TOSTOP;
	tcsetattr(0, TCSANOW, &t);

	run_bg(bg_tcsetattr, &status);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU,
	      "background tcsetattr: status %x", status);
	run_bg(bg_tcsetattr_blocked, &status);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "background tcsetattr, SIGTTOU blocked: status %x", status);

	/* orphaned background group: EIO instead of a stop nobody ends */
	{
		int p[2];
		char r = '?';

		pipe(p);
		pid = fork();
		if (pid == 0) {
			pid_t gc = fork();

			if (gc == 0) {
				char c;

				setpgid(0, 0);
				usleep(300000);
				r = read(0, &c, 1) < 0 && errno == EIO ?
				    'y' : 'n';
				write(p[1], &r, 1);
				_exit(0);
			}
			setpgid(gc, gc);
			_exit(0);
		}
		close(p[1]);
		waitpid(pid, NULL, 0);
		read(p[0], &r, 1);
		close(p[0]);
		CHECK(r == 'y', "orphaned group read: %c", r);
	}

	/* tcsetpgrp */
	n = -1;
	CHECK(ioctl(0, TIOCSPGRP, &n) < 0 && errno == EINVAL,
	      "TIOCSPGRP -1: %s", strerror(errno));
	n = 0x7ffffff0;
	CHECK(ioctl(0, TIOCSPGRP, &n) < 0 && errno == ESRCH,
	      "TIOCSPGRP nonexistent: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		setsid();
		pause();
		_exit(0);
	}
	usleep(100000);
	CHECK(tcsetpgrp(0, pid) < 0 && errno == EPERM,
	      "tcsetpgrp to another session: %s", strerror(errno));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(pid, pid);
	CHECK(tcsetpgrp(0, pid) == 0, "tcsetpgrp to our child's group");
	CHECK(tcgetpgrp(0) == pid, "tcgetpgrp after set");
	/* we are in the background now: take the terminal back */
	sigemptyset(&block);
	sigaddset(&block, SIGTTOU);
	sigprocmask(SIG_BLOCK, &block, &old);
	CHECK(tcsetpgrp(0, me) == 0, "tcsetpgrp back from background");
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(tcgetpgrp(0) == me, "foreground again");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	n = run_child(child_session);
	CHECK(n == 0, "new session without a terminal: step %d", n);
	n = run_child(child_notty);
	CHECK(n == 0, "TIOCNOTTY from a non-leader: step %d", n);

	if (failures) {
		printf("FAIL: %d checks failed\n", failures);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
