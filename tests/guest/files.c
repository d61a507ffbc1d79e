// SPDX-License-Identifier: GPL-2.0
/*
 * File and directory semantics, checked against what Linux does: run as
 * root, it sets up files under a fresh directory in /tmp, then checks the
 * permission rules as uid/gid 65534 in a child (as another user, those
 * checks are left out). Prints "PASS" or
 * "FAIL: <what>" as its last line. It touches nothing outside its
 * directory, which it removes at the end.
 *
 *	gcc -static -O2 -o files tests/guest/files.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

static char base[64];
static int failures;
static bool root;

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

/* expr must be >= 0 */
#define OK(expr) do {							\
		long __r = (long)(expr);				\
		if (__r < 0)						\
			fail("%s:%d: %s: %s", __FILE__, __LINE__, #expr, \
			     strerror(errno));				\
	} while (0)
/* expr must fail with errno e */
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

static const char *P(const char *name)
{
	static char buf[8][256];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", base, name);
	return buf[i];
}

static void put(const char *name, const char *data, mode_t mode)
{
	int fd = open(P(name), O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || write(fd, data, strlen(data)) != (ssize_t)strlen(data))
		fail("put %s: %s", name, strerror(errno));
	close(fd);
}

static void test_rw(void)
{
	char buf[64];
	struct stat st;
	int fd;

	umask(022);
	fd = open(P("f"), O_RDWR | O_CREAT | O_EXCL, 0666);
	OK(fd);
	ERR(open(P("f"), O_RDWR | O_CREAT | O_EXCL, 0666), EEXIST);
	OK(fstat(fd, &st));
	TRUE((st.st_mode & 07777) == 0644 && S_ISREG(st.st_mode));
	TRUE(st.st_nlink == 1 && st.st_size == 0);
	TRUE(write(fd, "hello world", 11) == 11);
	TRUE(lseek(fd, 0, SEEK_CUR) == 11);
	TRUE(lseek(fd, -5, SEEK_END) == 6);
	TRUE(read(fd, buf, sizeof(buf)) == 5 && !memcmp(buf, "world", 5));
	TRUE(read(fd, buf, sizeof(buf)) == 0);
	TRUE(pwrite(fd, "W", 1, 6) == 1);
	TRUE(pread(fd, buf, 5, 6) == 5 && !memcmp(buf, "World", 5));
	TRUE(lseek(fd, 0, SEEK_CUR) == 11);
	ERR(lseek(fd, -100, SEEK_SET), EINVAL);
	ERR(lseek(fd, 0, 42), EINVAL);
	ERR(pread(fd, buf, 1, -1), EINVAL);
	/* holes read as zeros */
	TRUE(pwrite(fd, "x", 1, 100) == 1);
	TRUE(pread(fd, buf, 4, 50) == 4 && !memcmp(buf, "\0\0\0\0", 4));
	OK(fstat(fd, &st));
	TRUE(st.st_size == 101);
	close(fd);

	fd = open(P("f"), O_WRONLY | O_APPEND);
	OK(fd);
	OK(lseek(fd, 0, SEEK_SET));
	TRUE(write(fd, "!", 1) == 1);
	OK(fstat(fd, &st));
	TRUE(st.st_size == 102);
	ERR(read(fd, buf, 1), EBADF);
	close(fd);

	fd = open(P("f"), O_RDONLY);
	ERR(write(fd, "x", 1), EBADF);
	ERR(ftruncate(fd, 0), EINVAL);
	close(fd);
	fd = open(P("f"), O_RDWR | O_TRUNC);
	OK(fstat(fd, &st));
	TRUE(st.st_size == 0);
	OK(ftruncate(fd, 10));
	TRUE(read(fd, buf, 20) == 10 && buf[9] == 0);
	ERR(ftruncate(fd, -1), EINVAL);
	close(fd);
	ERR(truncate(base, 0), EISDIR);
	ERR(open(P("f/x"), O_RDONLY), ENOTDIR);
	ERR(open(P("nonexistent"), O_RDONLY), ENOENT);
	ERR(open(P("f"), O_RDONLY | O_DIRECTORY), ENOTDIR);
	ERR(open(base, O_WRONLY), EISDIR);
	ERR(open(P("newdir/"), O_CREAT | O_WRONLY, 0644), EISDIR);

	/* readv/writev */
	{
		struct iovec v[2] = { { "ab", 2 }, { "cde", 3 } };
		char a[2], b[10];
		struct iovec r[2] = { { a, 2 }, { b, 10 } };

		fd = open(P("v"), O_RDWR | O_CREAT | O_TRUNC, 0600);
		TRUE(writev(fd, v, 2) == 5);
		OK(lseek(fd, 0, SEEK_SET));
		TRUE(readv(fd, r, 2) == 5 && a[1] == 'b' && b[2] == 'e');
		ERR(syscall(SYS_readv, fd, r, 1025), EINVAL);
		close(fd);
		unlink(P("v"));
	}
}

static void test_links(void)
{
	struct stat a, b;
	char buf[256];
	int fd;

	put("l1", "data", 0644);
	OK(link(P("l1"), P("l2")));
	OK(stat(P("l1"), &a));
	OK(stat(P("l2"), &b));
	TRUE(a.st_ino == b.st_ino && a.st_nlink == 2);
	ERR(link(P("l1"), P("l2")), EEXIST);
	ERR(link(base, P("dirlink")), EPERM);
	OK(unlink(P("l1")));
	OK(stat(P("l2"), &b));
	TRUE(b.st_nlink == 1);

	OK(symlink("l2", P("s")));
	OK(lstat(P("s"), &a));
	TRUE(S_ISLNK(a.st_mode) && a.st_size == 2);
	OK(stat(P("s"), &a));
	TRUE(S_ISREG(a.st_mode) && a.st_ino == b.st_ino);
	TRUE(readlink(P("s"), buf, sizeof(buf)) == 2 && !memcmp(buf, "l2", 2));
	TRUE(readlink(P("s"), buf, 1) == 1);
	ERR(readlink(P("l2"), buf, sizeof(buf)), EINVAL);
	ERR(open(P("s"), O_RDONLY | O_NOFOLLOW), ELOOP);
	fd = open(P("s"), O_RDONLY);
	OK(fd);
	TRUE(read(fd, buf, 4) == 4 && !memcmp(buf, "data", 4));
	close(fd);
	OK(symlink("loop2", P("loop1")));
	OK(symlink("loop1", P("loop2")));
	ERR(open(P("loop1"), O_RDONLY), ELOOP);
	OK(symlink("nowhere", P("dangling")));
	ERR(stat(P("dangling"), &a), ENOENT);
	OK(lstat(P("dangling"), &a));
	/* O_CREAT through a dangling symlink creates its target */
	fd = open(P("dangling"), O_WRONLY | O_CREAT, 0644);
	OK(fd);
	close(fd);
	OK(stat(P("nowhere"), &a));
	ERR(open(P("dangling"), O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	OK(symlink(".", P("dot")));
	OK(stat(P("dot/dot/dot/l2"), &a));
	/* an open file outlives its name */
	fd = open(P("l2"), O_RDONLY);
	OK(unlink(P("l2")));
	OK(fstat(fd, &a));
	TRUE(a.st_nlink == 0);
	TRUE(read(fd, buf, 4) == 4 && !memcmp(buf, "data", 4));
	close(fd);
	unlink(P("s"));
	unlink(P("loop1"));
	unlink(P("loop2"));
	unlink(P("dangling"));
	unlink(P("nowhere"));
	unlink(P("dot"));
}

static void test_dirs(void)
{
	struct stat st;
	char cwd[512];
	int fd, n, seen = 0;
	char buf[4096];

	OK(mkdir(P("d"), 0755));
	ERR(mkdir(P("d"), 0755), EEXIST);
	OK(stat(P("d"), &st));
	TRUE(S_ISDIR(st.st_mode) && st.st_nlink == 2);
	OK(mkdir(P("d/sub"), 0700));
	OK(stat(P("d"), &st));
	TRUE(st.st_nlink == 3);
	put("d/file", "x", 0600);
	OK(symlink("file", P("d/link")));
	OK(mkfifo(P("d/fifo"), 0600));

	fd = open(P("d"), O_RDONLY | O_DIRECTORY);
	OK(fd);
	ERR(read(fd, buf, 1), EISDIR);
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (int off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			if (!strcmp(d->d_name, ".") && d->d_type == DT_DIR)
				seen |= 1;
			if (!strcmp(d->d_name, "..") && d->d_type == DT_DIR)
				seen |= 2;
			if (!strcmp(d->d_name, "sub") && d->d_type == DT_DIR)
				seen |= 4;
			if (!strcmp(d->d_name, "file") && d->d_type == DT_REG)
				seen |= 8;
			if (!strcmp(d->d_name, "link") && d->d_type == DT_LNK)
				seen |= 16;
			if (!strcmp(d->d_name, "fifo") && d->d_type == DT_FIFO)
				seen |= 32;
			off += d->d_reclen;
		}
	}
	TRUE(n == 0 && seen == 63);
	OK(lseek(fd, 0, SEEK_SET));
	ERR(syscall(SYS_getdents64, fd, buf, 5), EINVAL);
	close(fd);

	ERR(rmdir(P("d")), ENOTEMPTY);
	ERR(rmdir(P("d/file")), ENOTDIR);
	ERR(unlink(P("d/sub")), EISDIR);
	ERR(rmdir(P("d/.")), EINVAL);
	ERR(mkdir(P("d/file/x"), 0755), ENOTDIR);
	ERR(mkdir(P("missing/x"), 0755), ENOENT);

	/* rename rules */
	put("r1", "1", 0644);
	put("r2", "2", 0644);
	OK(rename(P("r1"), P("r2")));
	ERR(stat(P("r1"), &st), ENOENT);
	OK(mkdir(P("rd"), 0755));
	ERR(rename(P("r2"), P("rd")), EISDIR);
	ERR(rename(P("rd"), P("r2")), ENOTDIR);
	ERR(rename(P("rd"), P("rd/inside")), EINVAL);
	TRUE(rename(P("rd"), P("d")) == -1 &&
	     (errno == ENOTEMPTY || errno == EEXIST));
	OK(mkdir(P("empty"), 0755));
	OK(rename(P("rd"), P("empty")));
	OK(stat(P("empty"), &st));
	ERR(stat(P("rd"), &st), ENOENT);
	OK(rename(P("empty"), P("d/moved")));
	OK(stat(P("d"), &st));
	TRUE(st.st_nlink == 4);
	put("x1", "1", 0644);
	put("x2", "22", 0644);
	ERR(syscall(SYS_renameat2, AT_FDCWD, P("x1"), AT_FDCWD, P("x2"),
		    RENAME_NOREPLACE), EEXIST);
	OK(syscall(SYS_renameat2, AT_FDCWD, P("x1"), AT_FDCWD, P("x2"),
		   RENAME_EXCHANGE));
	OK(stat(P("x1"), &st));
	TRUE(st.st_size == 2);
	ERR(syscall(SYS_renameat2, AT_FDCWD, P("x1"), AT_FDCWD, P("x3"),
		    RENAME_EXCHANGE), ENOENT);
	unlink(P("x1"));
	unlink(P("x2"));
	unlink(P("r2"));

	/* cwd */
	OK(chdir(P("d/sub")));
	TRUE(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, P("d/sub")));
	ERR(getcwd(cwd, 3) == NULL ? -1 : 0, ERANGE);
	OK(chdir(".."));
	OK(stat("file", &st));
	fd = open("/", O_RDONLY | O_DIRECTORY);
	OK(fchdir(fd));
	close(fd);
	TRUE(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/"));
	fd = open(P("d"), O_RDONLY | O_DIRECTORY);
	OK(fstatat(fd, "file", &st, 0));
	OK(mkdirat(fd, "at", 0700));
	OK(unlinkat(fd, "at", AT_REMOVEDIR));
	ERR(unlinkat(fd, "file", 0x4000), EINVAL);
	close(fd);
}

static void test_attrs(void)
{
	struct timespec ts[2] = { { 1000, 5 }, { 2000, 6 } };
	struct stat st;

	put("a", "x", 0644);
	OK(utimensat(AT_FDCWD, P("a"), ts, 0));
	OK(stat(P("a"), &st));
	TRUE(st.st_atim.tv_sec == 1000 && st.st_mtim.tv_sec == 2000 &&
	     st.st_mtim.tv_nsec == 6);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 3000;
	OK(utimensat(AT_FDCWD, P("a"), ts, 0));
	OK(stat(P("a"), &st));
	TRUE(st.st_atim.tv_sec == 1000 && st.st_mtim.tv_sec == 3000);
	ts[1].tv_nsec = 1000000000;
	ERR(utimensat(AT_FDCWD, P("a"), ts, 0), EINVAL);
	TRUE(access(P("a"), R_OK | W_OK) == 0);
	ERR(access(P("nope"), F_OK), ENOENT);
	ERR(access(P("a"), 0x10), EINVAL);
	OK(chmod(P("a"), 04755));
	OK(stat(P("a"), &st));
	TRUE((st.st_mode & 07777) == 04755);
	if (!root)
		return;
	OK(chown(P("a"), 1, 1));
	OK(stat(P("a"), &st));
	TRUE(st.st_uid == 1 && st.st_gid == 1 && !(st.st_mode & S_ISUID));
	OK(chown(P("a"), -1, 2));
	OK(stat(P("a"), &st));
	TRUE(st.st_uid == 1 && st.st_gid == 2);
	OK(chown(P("a"), 0, 0));
	OK(mknod(P("null2"), S_IFCHR | 0666, makedev(1, 3)));
	OK(stat(P("null2"), &st));
	TRUE(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
	     minor(st.st_rdev) == 3);
	unlink(P("null2"));
	ERR(mknod(P("dirnode"), S_IFDIR | 0755, 0), EPERM);
}

static void test_devices(void)
{
	char buf[16];
	int fd;

	fd = open("/dev/null", O_RDWR);
	OK(fd);
	TRUE(write(fd, "x", 1) == 1 && read(fd, buf, 16) == 0);
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 1, sizeof(buf));
	TRUE(read(fd, buf, 16) == 16 && buf[0] == 0 && buf[15] == 0);
	close(fd);
	fd = open("/dev/full", O_WRONLY);
	ERR(write(fd, "x", 1), ENOSPC);
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	TRUE(read(fd, buf, 16) == 16);
	close(fd);
}

static void test_pipes(void)
{
	int p[2], fd, fd2;
	char buf[8];
	struct pollfd pf;
	fd_set rs;
	struct timeval tv = { 0, 0 };

	OK(pipe2(p, O_NONBLOCK));
	ERR(read(p[0], buf, 1), EAGAIN);
	TRUE(fcntl(p[0], F_GETPIPE_SZ) == 65536);
	pf.fd = p[0];
	pf.events = POLLIN;
	TRUE(poll(&pf, 1, 0) == 0);
	TRUE(write(p[1], "abc", 3) == 3);
	TRUE(poll(&pf, 1, 100) == 1 && (pf.revents & POLLIN));
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	TRUE(select(p[0] + 1, &rs, NULL, NULL, &tv) == 1 &&
	     FD_ISSET(p[0], &rs));
	TRUE(read(p[0], buf, 8) == 3);
	close(p[1]);
	TRUE(read(p[0], buf, 8) == 0);
	pf.events = POLLIN;
	TRUE(poll(&pf, 1, 0) == 1 && (pf.revents & POLLHUP));
	close(p[0]);

	OK(pipe(p));
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	ERR(write(p[1], "x", 1), EPIPE);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
	ERR(pipe2(p, 0x12345678), EINVAL);

	/* fifos */
	OK(mkfifo(P("fifo"), 0600));
	ERR(open(P("fifo"), O_WRONLY | O_NONBLOCK), ENXIO);
	fd = open(P("fifo"), O_RDONLY | O_NONBLOCK);
	OK(fd);
	fd2 = open(P("fifo"), O_WRONLY | O_NONBLOCK);
	OK(fd2);
	TRUE(write(fd2, "hi", 2) == 2);
	TRUE(read(fd, buf, 8) == 2);
	ERR(lseek(fd, 0, SEEK_SET), ESPIPE);
	close(fd);
	close(fd2);
	unlink(P("fifo"));
}

static void test_fds(void)
{
	int fd = open(P("a"), O_RDONLY), d;

	OK(fd);
	d = dup(fd);
	OK(d);
	TRUE(fcntl(d, F_GETFD) == 0);
	OK(dup2(fd, 100));
	TRUE(dup2(100, 100) == 100);
	ERR(dup3(100, 100, O_CLOEXEC), EINVAL);
	OK(dup3(fd, 101, O_CLOEXEC));
	TRUE(fcntl(101, F_GETFD) == FD_CLOEXEC);
	d = fcntl(fd, F_DUPFD_CLOEXEC, 200);
	TRUE(d >= 200 && fcntl(d, F_GETFD) == FD_CLOEXEC);
	close(d);
	TRUE((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY);
	OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	TRUE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(100);
	close(101);
	ERR(close(100), EBADF);
	ERR(fcntl(12345, F_GETFD), EBADF);
	close(fd);
	ERR(read(fd, NULL, 0), EBADF);
}

static void test_locks(void)
{
	int fd = open(P("lock"), O_RDWR | O_CREAT, 0644), fd2, st;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = 0, .l_len = 10 };
	pid_t pid;

	OK(fd);
	OK(flock(fd, LOCK_EX));
	fd2 = open(P("lock"), O_RDWR);
	ERR(flock(fd2, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	OK(flock(fd, LOCK_UN));
	OK(flock(fd2, LOCK_SH | LOCK_NB));
	close(fd2);
	OK(fcntl(fd, F_SETLK, &fl));
	pid = fork();
	if (pid == 0) {
		struct flock g = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				   .l_start = 5, .l_len = 1 };

		if (fcntl(fd, F_SETLK, &g) != -1 || errno != EAGAIN)
			_exit(1);
		if (fcntl(fd, F_GETLK, &g) || g.l_type != F_WRLCK ||
		    g.l_pid != getppid() || g.l_start != 0 || g.l_len != 10)
			_exit(2);
		g.l_start = 10;
		if (fcntl(fd, F_SETLK, &g))
			_exit(3);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(fd);
	unlink(P("lock"));
}

/* As uid/gid 65534 in a child: the permission rules. */
static void test_perms(void)
{
	pid_t pid;
	int st;

	umask(0);
	OK(mkdir(P("root755"), 0755));
	OK(mkdir(P("sticky"), 01777));
	OK(mkdir(P("noexec"), 0766));
	put("noexec/f", "x", 0644);
	put("root755/secret", "x", 0600);
	put("root755/pub", "x", 0644);
	put("sticky/rootfile", "x", 0666);
	put("run", "#!/bin/sh\n", 0644);
	OK(chmod(base, 0755));
	umask(022);
	pid = fork();
	if (pid == 0) {
		struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
		struct stat s;
		int fd;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
			printf("not ok: cannot become 65534\n");
			_exit(1);
		}
		ERR(open(P("root755/secret"), O_RDONLY), EACCES);
		fd = open(P("root755/pub"), O_RDONLY);
		OK(fd);
		close(fd);
		ERR(open(P("root755/pub"), O_WRONLY), EACCES);
		ERR(open(P("root755/new"), O_CREAT | O_WRONLY, 0644), EACCES);
		ERR(mkdir(P("root755/dir"), 0755), EACCES);
		ERR(unlink(P("root755/pub")), EACCES);
		ERR(chmod(P("root755/pub"), 0777), EPERM);
		ERR(chown(P("root755/pub"), 65534, 65534), EPERM);
		ERR(utimensat(AT_FDCWD, P("root755/pub"), ts, 0), EPERM);
		ERR(utimensat(AT_FDCWD, P("root755/pub"), NULL, 0), EACCES);
		OK(utimensat(AT_FDCWD, P("sticky/rootfile"), NULL, 0));
		ERR(utimensat(AT_FDCWD, P("sticky/rootfile"), ts, 0), EPERM);
		ERR(access(P("root755/pub"), W_OK), EACCES);
		OK(access(P("root755/pub"), R_OK));
		ERR(access(P("run"), X_OK), EACCES);
		ERR(stat(P("noexec/f"), &s), EACCES);
		ERR(chdir(P("noexec")), EACCES);
		ERR(unlink(P("sticky/rootfile")), EPERM);
		ERR(rename(P("sticky/rootfile"), P("sticky/mine")), EPERM);
		fd = open(P("sticky/own"), O_CREAT | O_WRONLY, 0600);
		OK(fd);
		OK(fstat(fd, &s));
		TRUE(s.st_uid == 65534 && s.st_gid == 65534);
		OK(fchmod(fd, 0640));
		ERR(fchown(fd, 0, -1), EPERM);
		ERR(fchown(fd, -1, 0), EPERM);
		OK(fchown(fd, -1, 65534));
		close(fd);
		OK(unlink(P("sticky/own")));
		ERR(mknod(P("sticky/dev"), S_IFCHR | 0600, makedev(1, 3)),
		    EPERM);
		ERR(chroot(P("sticky")), EPERM);
		_exit(failures ? 1 : 0);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fail("unprivileged checks (status %#x)", st);
	/* root: reads what it may not, but executes only with an x bit */
	OK(access(P("root755/secret"), R_OK | W_OK));
	ERR(access(P("run"), X_OK), EACCES);
	OK(chmod(P("run"), 0744));
	OK(access(P("run"), X_OK));
}

static void cleanup(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("warning: could not remove %s\n", dir);
}

int main(void)
{
	/* Unprivileged, the checks that need root to set up are left out. */
	root = getuid() == 0;
	strcpy(base, "/tmp/files-test-XXXXXX");
	if (!mkdtemp(base)) {
		printf("FAIL: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_rw();
	test_links();
	test_dirs();
	test_attrs();
	test_devices();
	test_pipes();
	test_fds();
	test_locks();
	if (root)
		test_perms();
	else
		printf("not root: permission checks as uid 65534 skipped\n");
	chdir("/");
	cleanup(base);
	if (failures) {
		printf("FAIL: %d check(s) failed\n", failures);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
