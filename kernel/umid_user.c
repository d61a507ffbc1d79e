// SPDX-License-Identifier: GPL-2.0
/*
 * Host half of the umid directory (shared/spec/umid.md): <uml_dir><umid>/
 * holding the pid file and the mconsole socket. Only host calls here; the
 * kernel half (umid.c) decides what to print.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kern/umid.h"

/* "~/x" -> "$HOME/x", with a trailing '/'. */
static int expand_dir(const char *in, char *out, size_t len)
{
	const char *home = "";
	int n;

	if (in[0] == '~') {
		home = getenv("HOME");
		if (!home || !*home)
			return -ENOENT;
		in++;
	}
	n = snprintf(out, len, "%s%s%s", home, in,
		     in[0] && in[strlen(in) - 1] == '/' ? "" : "/");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/*
 * Is the directory's instance alive? A missing, empty or unparsable pid
 * file means no; so does a pid that no longer exists. kill(pid, 0) failing
 * with EPERM means a live process of someone else: in use.
 */
static int dir_owner(const char *dir)
{
	char path[UMID_PATH_MAX], buf[16];
	unsigned long pid;
	char *end;
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/pid", dir) >= (int)sizeof(path))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	n = read(fd, buf, 10);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	pid = strtoul(buf, &end, 0);
	if (errno || end == buf || pid == 0 || pid > 0x7fffffff)
		return 0;
	if ((int)pid == getpid())	/* our own, before a reboot's re-exec */
		return 0;
	if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return (int)pid;
	return 0;
}

/* Unlinks every entry (not recursively), then the directory. */
static int remove_dir(const char *dir)
{
	char path[UMID_PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);
	int r = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path)) {
			r = -ENAMETOOLONG;
			continue;
		}
		if (unlink(path) < 0 && errno != ENOENT)
			r = -errno;
	}
	closedir(d);
	if (r)
		return r;
	return rmdir(dir) < 0 && errno != ENOENT ? -errno : 0;
}

/* A fresh random umid as the real UML makes it: mkstemp's suffix. */
static int random_umid(const char *base, char *umid, size_t len)
{
	char tmpl[UMID_PATH_MAX];
	int fd;

	if (snprintf(tmpl, sizeof(tmpl), "%sXXXXXX", base) >= (int)sizeof(tmpl))
		return -ENAMETOOLONG;
	fd = mkstemp(tmpl);
	if (fd < 0)
		return -errno;
	close(fd);
	unlink(tmpl);
	if (strlen(tmpl + strlen(base)) >= len)
		return -ENAMETOOLONG;
	strcpy(umid, tmpl + strlen(base));
	return 0;
}

int umid_user_setup(const char *uml_dir, char *umid, size_t umid_len,
		    char *dir, size_t dir_len, int *owner)
{
	char base[UMID_PATH_MAX], pidbuf[24];
	bool given = umid[0] != '\0';
	int fd, r, n;

	*owner = 0;
	r = expand_dir(uml_dir, base, sizeof(base));
	if (r)
		return r;
	if (mkdir(base, 0777) < 0 && errno != EEXIST)
		return -errno;
	for (int tries = 0;; tries++) {
		if (!given) {
			r = random_umid(base, umid, umid_len);
			if (r)
				return r;
		}
		if (snprintf(dir, dir_len, "%s%s", base, umid) >= (int)dir_len)
			return -ENAMETOOLONG;
		if (mkdir(dir, 0700) == 0)
			break;
		if (errno != EEXIST)
			return -errno;
		n = dir_owner(dir);
		if (n) {
			if (given) {
				*owner = n;
				return -EBUSY;
			}
		} else {
			r = remove_dir(dir);
			if (r)
				return r;
			if (mkdir(dir, 0700) == 0)
				break;
			if (errno != EEXIST)
				return -errno;
		}
		/* a random name raced another instance: draw again */
		if (given || tries > 16)
			return -EEXIST;
	}
	/*
	 * 0700 whatever the umask: the mconsole socket inside must be
	 * reachable by the owner only.
	 */
	if (chmod(dir, 0700) < 0)
		return -errno;
	n = snprintf(pidbuf, sizeof(pidbuf), "%d\n", getpid());
	if (snprintf(base, sizeof(base), "%s/pid", dir) >= (int)sizeof(base))
		return -ENAMETOOLONG;
	fd = open(base, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		remove_dir(dir);
		return r;
	}
	if (write(fd, pidbuf, (size_t)n) != n) {
		r = errno ? -errno : -EIO;
		close(fd);
		remove_dir(dir);
		return r;
	}
	close(fd);
	return 0;
}

void umid_user_remove(const char *dir)
{
	remove_dir(dir);
}
