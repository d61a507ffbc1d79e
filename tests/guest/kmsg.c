// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel log: syslog(2) (klogctl) actions, their permission rules and
 * errnos, /proc/kmsg (root's destructive read), and /dev/kmsg (records "prio,seq,usec,flags;text", one per
 * read, EINVAL for a short buffer, lseek to SEEK_SET/SEEK_DATA/SEEK_END,
 * poll, EPIPE after an overrun, messages written by root). The host runs
 * it too; where kernel.dmesg_restrict is 1 there (unprivileged readers
 * refused) only that is checked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/uio.h>
#include <sys/wait.h>
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

#define FAILS(c, e) ({ errno = 0; long __r = (long)(c); \
		__r == -1 && errno == (e); })

static int restricted(void)
{
	FILE *f = fopen("/proc/sys/kernel/dmesg_restrict", "r");
	int v = 0;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

static char big[1 << 20];

static void test_syslog(void)
{
	int size = klogctl(10, NULL, 0), n;

	CHECK(size > 0, "SIZE_BUFFER: %d %s", size, strerror(errno));
	n = klogctl(3, big, sizeof(big));
	CHECK(n > 0, "READ_ALL: %d %s", n, strerror(errno));
	if (n > 0) {
		big[n] = 0;
		CHECK(big[0] == '<' && strchr(big, '>') &&
		      strstr(big, "] "), "format: %.40s", big);
	}
	{
		/* a short buffer gets the newest whole records */
		static char small[300];
		int k = klogctl(3, small, sizeof(small));
		int all = klogctl(3, big, sizeof(big));

		CHECK(k > 0 && k <= (int)sizeof(small) && all >= k &&
		      !memcmp(big + all - k, small, (size_t)k) &&
		      small[0] == '<' && small[k - 1] == '\n',
		      "READ_ALL of %zu: %d of %d", sizeof(small), k, all);
	}
	CHECK(FAILS(klogctl(3, NULL, 10), EINVAL), "NULL buffer: %s",
	      strerror(errno));
	CHECK(FAILS(klogctl(3, big, -1), EINVAL), "negative length: %s",
	      strerror(errno));
	CHECK(klogctl(3, big, 0) == 0, "zero length");
	if (getuid() == 0) {
		CHECK(FAILS(klogctl(11, NULL, 0), EINVAL), "action 11: %s",
		      strerror(errno));
		CHECK(FAILS(klogctl(8, NULL, 9), EINVAL), "level 9: %s",
		      strerror(errno));
		CHECK(klogctl(9, NULL, 0) >= 0, "SIZE_UNREAD: %s",
		      strerror(errno));
		/* a child without privileges */
		pid_t pid = fork();

		if (pid == 0) {
			int bad = 0;

			if (setgid(1000) || setuid(1000))
				_exit(2);
			if (!restricted() && klogctl(3, big, 100) < 0)
				bad |= 4;
			if (!restricted() && klogctl(10, NULL, 0) < 0)
				bad |= 8;
			if (!FAILS(klogctl(5, NULL, 0), EPERM))
				bad |= 16;
			if (!FAILS(klogctl(2, big, 10), EPERM))
				bad |= 32;
			if (!FAILS(klogctl(11, NULL, 0), EPERM))
				bad |= 64;
			_exit(bad);
		}
		int st;

		waitpid(pid, &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "unprivileged actions: status %x", st);
	} else {
		CHECK(FAILS(klogctl(5, NULL, 0), EPERM), "CLEAR: %s",
		      strerror(errno));
		CHECK(FAILS(klogctl(8, NULL, 4), EPERM), "CONSOLE_LEVEL: %s",
		      strerror(errno));
	}
}

static void test_kmsg(void)
{
	char buf[8192], mark[64];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK), n, found = 0;
	unsigned int prio;
	unsigned long long seq, usec, prev = 0;
	struct pollfd p;

	CHECK(fd >= 0, "open /dev/kmsg: %s", strerror(errno));
	if (fd < 0)
		return;
	n = (int)read(fd, buf, sizeof(buf));
	CHECK(n > 0 && sscanf(buf, "%u,%llu,%llu,", &prio, &seq, &usec) == 3 &&
	      buf[n - 1] == '\n' && strchr(buf, ';'), "record: %d '%.40s'",
	      n, buf);
	prev = seq;
	n = (int)read(fd, buf, sizeof(buf));
	CHECK(n > 0 && sscanf(buf, "%u,%llu,", &prio, &seq) == 2 &&
	      seq == prev + 1, "next record seq %llu after %llu", seq, prev);
	CHECK(FAILS(read(fd, buf, 4), EINVAL), "short buffer: %s",
	      strerror(errno));
	CHECK(FAILS(lseek(fd, 1, SEEK_SET), ESPIPE), "offset 1: %s",
	      strerror(errno));
	CHECK(lseek(fd, 0, SEEK_END) == 0, "SEEK_END: %s", strerror(errno));
	if (getuid() == 0) {
		snprintf(mark, sizeof(mark), "kmsg-test-%d", getpid());
		int w = open("/dev/kmsg", O_WRONLY);
		char msg[96];

		n = snprintf(msg, sizeof(msg), "<5>%s\n", mark);
		CHECK(w >= 0 && write(w, msg, (size_t)n) == n, "write: %s",
		      strerror(errno));
		close(w);
		p.fd = fd;
		p.events = POLLIN;
		CHECK(poll(&p, 1, 1000) == 1 && (p.revents & POLLIN),
		      "poll after a write");
		while ((n = (int)read(fd, buf, sizeof(buf) - 1)) > 0) {
			buf[n] = 0;
			/* written messages are LOG_USER's: 1 << 3 | 5 */
			if (strstr(buf, mark) && !strncmp(buf, "13,", 3))
				found = 1;
		}
		CHECK(found, "our message at level 5, LOG_USER");
		/* writev: one message of all the buffers, as systemd writes */
		{
			struct iovec iov[3] = {
				{ "<4>", 3 }, { mark, strlen(mark) },
				{ "-vec\n", 5 },
			};
			char want[96];

			w = open("/dev/kmsg", O_WRONLY);
			n = (int)(3 + strlen(mark) + 5);
			CHECK(w >= 0 && writev(w, iov, 3) == n, "writev: %s",
			      strerror(errno));
			close(w);
			snprintf(want, sizeof(want), "%s-vec\n", mark);
			found = 0;
			while ((n = (int)read(fd, buf, sizeof(buf) - 1)) > 0) {
				buf[n] = 0;
				if (!strncmp(buf, "12,", 3) &&
				    strstr(buf, want))
					found++;
				if (strstr(buf, ";<4>"))
					found += 10;
			}
			CHECK(found == 1, "writev as one message (%d)", found);
		}
		n = klogctl(3, big, sizeof(big));
		big[n > 0 ? n : 0] = 0;
		CHECK(strstr(big, mark) != NULL, "our message in syslog(2)");
	}
	errno = 0;
	n = (int)read(fd, buf, sizeof(buf));
	CHECK(n < 0 && errno == EAGAIN, "at the end: %d %s", n,
	      strerror(errno));
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, sizeof(buf)) > 0,
	      "SEEK_SET reads again");
	CHECK(lseek(fd, 0, SEEK_DATA) == 0, "SEEK_DATA: %s", strerror(errno));
	CHECK(FAILS(lseek(fd, 0, 7), EINVAL), "whence 7: %s", strerror(errno));
	close(fd);
}

/* /proc/kmsg: syslog(2)'s destructive read, for root only. */
static void test_proc_kmsg(void)
{
	char buf[4096];
	int fd = open("/proc/kmsg", O_RDONLY | O_NONBLOCK), n, total = 0;

	if (getuid() != 0) {
		CHECK(fd < 0 && errno == EACCES, "/proc/kmsg as a user: %s",
		      strerror(errno));
		return;
	}
	CHECK(fd >= 0, "open /proc/kmsg: %s", strerror(errno));
	if (fd < 0)
		return;
	while ((n = (int)read(fd, buf, sizeof(buf))) > 0) {
		if (!total)
			CHECK(buf[0] == '<', "format: %.20s", buf);
		total += n;
	}
	CHECK(n < 0 && errno == EAGAIN, "drained: %d %s", n, strerror(errno));
	CHECK(klogctl(9, NULL, 0) == 0, "SIZE_UNREAD after draining: %d",
	      klogctl(9, NULL, 0));
	close(fd);
}

/* More than the ring holds: a reader that fell behind gets EPIPE once. */
static void test_overrun(void)
{
	int r = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	int w = open("/dev/kmsg", O_WRONLY);
	int size = klogctl(10, NULL, 0), n, saw_pipe = 0;
	char line[256], buf[8192];

	CHECK(r >= 0 && w >= 0, "open: %s", strerror(errno));
	if (r < 0 || w < 0)
		return;
	memset(line, 'k', sizeof(line));
	line[0] = '<';
	line[1] = '7';
	line[2] = '>';
	for (int i = 0; i < size / 200 + 64; i++)
		if (write(w, line, 200) != 200)
			break;
	for (int i = 0; i < 5; i++) {
		n = (int)read(r, buf, sizeof(buf));
		if (n < 0 && errno == EPIPE)
			saw_pipe++;
	}
	CHECK(saw_pipe == 1, "EPIPE %d times", saw_pipe);
	close(r);
	close(w);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (getuid() != 0 && restricted()) {
		/* the host's setting: unprivileged readers are refused */
		CHECK(FAILS(klogctl(3, big, 100), EPERM), "restricted: %s",
		      strerror(errno));
		CHECK(FAILS(open("/dev/kmsg", O_RDONLY), EPERM),
		      "restricted /dev/kmsg: %s", strerror(errno));
	} else {
		test_syslog();
		test_kmsg();
		test_proc_kmsg();
		if (getuid() == 0)
			test_overrun();
	}
	if (failures) {
		printf("FAIL %d checks\n", failures);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
