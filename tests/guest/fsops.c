/*
 * Filesystem operations a disk filesystem must get right, run in the
 * current directory (natively on the host's filesystem, in the guest on
 * tmpfs by t-guest.sh and on ext2/3/4 by t-ext4.sh): extended attributes
 * and their errnos, a sparse file past 4 GiB with SEEK_DATA/SEEK_HOLE, a
 * directory with thousands of entries listed with stable telldir/seekdir
 * positions, rename flags, hard links, shared and private mappings,
 * truncation. Prints PASS or FAIL: reason as its last line.
 * "fsops setx FILE NAME VALUE" only sets an extended attribute.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define NENT	3000

static int failed;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL: " __VA_ARGS__);				\
		printf(" (line %d, errno %d)\n", __LINE__, errno);	\
		failed = 1;						\
		return;							\
	}								\
} while (0)

static void xattrs(void)
{
	static char big[65537];
	char buf[300], name[300];
	ssize_t n;
	int fd;

	fd = open("xa", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0, "create xa");
	CHECK(setxattr("xa", "user.one", "value1", 6, 0) == 0, "setxattr");
	CHECK(getxattr("xa", "user.one", NULL, 0) == 6, "size query");
	CHECK(getxattr("xa", "user.one", buf, 3) < 0 && errno == ERANGE,
	      "small buffer: ERANGE");
	n = getxattr("xa", "user.one", buf, sizeof(buf));
	CHECK(n == 6 && !memcmp(buf, "value1", 6), "getxattr value");
	CHECK(setxattr("xa", "user.one", "x", 1, XATTR_CREATE) < 0 &&
	      errno == EEXIST, "XATTR_CREATE on existing: EEXIST");
	CHECK(setxattr("xa", "user.two", "x", 1, XATTR_REPLACE) < 0 &&
	      errno == ENODATA, "XATTR_REPLACE on missing: ENODATA");
	CHECK(fsetxattr(fd, "user.two", "", 0, XATTR_CREATE) == 0,
	      "empty value");
	CHECK(fgetxattr(fd, "user.two", buf, sizeof(buf)) == 0, "empty get");
	n = listxattr("xa", buf, sizeof(buf));
	CHECK(n == 18 && memmem(buf, (size_t)n, "user.one", 9) &&
	      memmem(buf, (size_t)n, "user.two", 9), "listxattr (%zd)", n);
	CHECK(listxattr("xa", buf, 5) < 0 && errno == ERANGE, "list ERANGE");
	CHECK(removexattr("xa", "user.one") == 0, "removexattr");
	CHECK(getxattr("xa", "user.one", buf, sizeof(buf)) < 0 &&
	      errno == ENODATA, "removed: ENODATA");
	CHECK(removexattr("xa", "user.one") < 0 && errno == ENODATA,
	      "remove missing: ENODATA");
	CHECK(setxattr("xa", "", "x", 1, 0) < 0 && errno == ERANGE,
	      "empty name: ERANGE");
	memset(name, 'a', sizeof(name));
	memcpy(name, "user.", 5);
	name[256] = 0;
	CHECK(setxattr("xa", name, "x", 1, 0) < 0 && errno == ERANGE,
	      "long name: ERANGE");
	CHECK(setxattr("xa", "bogus.name", "x", 1, 0) < 0 &&
	      errno == EOPNOTSUPP, "unknown namespace: EOPNOTSUPP");
	CHECK(setxattr("xa", "user.big", big, sizeof(big), 0) < 0 &&
	      errno == E2BIG,
	      "value > 64 KiB: E2BIG");
	CHECK(setxattr("xa", "user.one", "x", 1, 8) < 0 && errno == EINVAL,
	      "bad flags: EINVAL");
	symlink("xa", "xl");
	CHECK(lsetxattr("xl", "user.one", "x", 1, 0) < 0 && errno == EPERM,
	      "user.* on a symlink: EPERM");
	CHECK(lgetxattr("xl", "user.one", buf, 10) < 0 && errno == ENODATA,
	      "user.* read on a symlink: ENODATA");
	if (geteuid() == 0) {
		CHECK(setxattr("xa", "trusted.t", "tv", 2, 0) == 0, "trusted");
		CHECK(getxattr("xa", "trusted.t", buf, 10) == 2, "trusted get");
		CHECK(setxattr("xa", "security.s", "sv", 2, 0) == 0, "security");
	} else {
		CHECK(setxattr("xa", "trusted.t", "tv", 2, 0) < 0 &&
		      errno == EPERM, "trusted unprivileged: EPERM");
	}
	CHECK(fgetxattr(-1, "user.one", buf, 10) < 0 && errno == EBADF,
	      "bad fd: EBADF");
	close(fd);
}

static void sparse(void)
{
	const off_t far = 5LL << 30;
	struct stat st;
	char c = 0;
	off_t d;
	int fd;

	fd = open("sparse", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0, "create sparse");
	CHECK(pwrite(fd, "Z", 1, far) == 1, "write at 5 GiB");
	CHECK(fstat(fd, &st) == 0 && st.st_size == far + 1, "size");
	CHECK(st.st_blocks < 2048, "st_blocks counts the data, not the holes (%lld)",
	      (long long)st.st_blocks);
	CHECK(pread(fd, &c, 1, 1LL << 32) == 1 && c == 0, "hole reads 0");
	CHECK(pread(fd, &c, 1, far) == 1 && c == 'Z', "data reads back");
	d = lseek(fd, 0, SEEK_DATA);
	CHECK(d > (4LL << 30) && d <= far, "SEEK_DATA skips the hole (%lld)",
	      (long long)d);
	CHECK(lseek(fd, 0, SEEK_HOLE) == 0, "SEEK_HOLE at 0");
	CHECK(lseek(fd, far + 1, SEEK_DATA) < 0 && errno == ENXIO,
	      "SEEK_DATA at EOF: ENXIO");
	CHECK(fsync(fd) == 0, "fsync");
	CHECK(ftruncate(fd, 4096) == 0 && fstat(fd, &st) == 0 &&
	      st.st_size == 4096, "truncate down");
	CHECK(pread(fd, &c, 1, far) == 0, "nothing past the end");
	close(fd);
}

static void bigdir(void)
{
	char path[64];
	struct dirent *e;
	long pos = -1;
	int n = 0, after = 0;
	char seen[64] = "";
	DIR *dir;

	CHECK(mkdir("big", 0755) == 0, "mkdir big");
	for (int i = 0; i < NENT; i++) {
		int fd;

		snprintf(path, sizeof(path), "big/entry-%05d", i);
		fd = open(path, O_CREAT | O_WRONLY, 0644);
		CHECK(fd >= 0, "create %s", path);
		close(fd);
	}
	for (int i = 0; i < NENT; i += 2) {
		snprintf(path, sizeof(path), "big/entry-%05d", i);
		CHECK(unlink(path) == 0, "unlink %s", path);
	}
	dir = opendir("big");
	CHECK(dir, "opendir");
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		if (n == NENT / 4) {
			pos = telldir(dir);
			continue;
		}
		if (n == NENT / 4 + 1)
			snprintf(seen, sizeof(seen), "%s", e->d_name);
	}
	CHECK(n == NENT / 2, "listed %d of %d", n, NENT / 2);
	seekdir(dir, pos);
	e = readdir(dir);
	CHECK(e && !strcmp(e->d_name, seen), "seekdir to a telldir position");
	while (readdir(dir))
		after++;
	CHECK(after == NENT / 2 - NENT / 4 - 1, "entries after seekdir: %d",
	      after);
	closedir(dir);
	CHECK(rmdir("big") < 0 && errno == ENOTEMPTY, "rmdir: ENOTEMPTY");
}

static void renames(void)
{
	struct stat a, b;
	char buf[8] = "";
	int fd;

	fd = open("r1", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "one", 3) == 3, "r1");
	close(fd);
	fd = open("r2", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "two", 3) == 3, "r2");
	close(fd);
	CHECK(renameat2(AT_FDCWD, "r1", AT_FDCWD, "r2", RENAME_NOREPLACE) < 0 &&
	      errno == EEXIST, "RENAME_NOREPLACE: EEXIST");
	CHECK(renameat2(AT_FDCWD, "r1", AT_FDCWD, "r2", RENAME_EXCHANGE) == 0,
	      "RENAME_EXCHANGE");
	fd = open("r1", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 3) == 3 && !memcmp(buf, "two", 3),
	      "exchanged contents");
	close(fd);
	CHECK(mkdir("rd", 0755) == 0 && mkdir("rd/sub", 0755) == 0, "mkdirs");
	CHECK(rename("rd/sub", "sub2") == 0, "move a directory up");
	CHECK(stat(".", &a) == 0 && stat("sub2/..", &b) == 0 &&
	      a.st_ino == b.st_ino, "its .. follows");
	CHECK(stat("rd", &b) == 0 && b.st_nlink == 2, "old parent's nlink");
	CHECK(rename("r1", "r2") == 0, "rename over");
	CHECK(stat("r1", &a) < 0 && errno == ENOENT, "old name gone");
	CHECK(link("r2", "r3") == 0 && stat("r2", &a) == 0 && a.st_nlink == 2,
	      "hard link");
	CHECK(unlink("r2") == 0 && stat("r3", &a) == 0 && a.st_nlink == 1,
	      "unlink one name");
	CHECK(rmdir("sub2") == 0 && rmdir("rd") == 0, "rmdir");
}

static void mappings(void)
{
	char *shared, *priv, buf[16];
	int fd = open("m", O_CREAT | O_RDWR | O_TRUNC, 0644);

	CHECK(fd >= 0 && ftruncate(fd, 8192) == 0, "m");
	shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	priv = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(shared != MAP_FAILED && priv != MAP_FAILED, "mmap");
	memcpy(shared + 4096, "shared", 6);
	CHECK(pread(fd, buf, 6, 4096) == 6 && !memcmp(buf, "shared", 6),
	      "a shared write is seen by read");
	memcpy(priv, "private", 7);
	CHECK(pread(fd, buf, 7, 0) == 7 && buf[0] == 0,
	      "a private write is not");
	CHECK(pwrite(fd, "written", 7, 100) == 7 &&
	      !memcmp(shared + 100, "written", 7), "write seen in the mapping");
	CHECK(msync(shared, 8192, MS_SYNC) == 0 && fsync(fd) == 0, "sync");
	munmap(shared, 8192);
	munmap(priv, 8192);
	close(fd);
}

int main(int argc, char **argv)
{
	/* "fsops setx FILE NAME VALUE": a setxattr for shell scripts */
	if (argc == 5 && !strcmp(argv[1], "setx")) {
		if (setxattr(argv[2], argv[3], argv[4], strlen(argv[4]), 0)) {
			perror("setxattr");
			return 1;
		}
		return 0;
	}
	xattrs();
	if (!failed)
		sparse();
	if (!failed)
		bigdir();
	if (!failed)
		renames();
	if (!failed)
		mappings();
	if (failed)
		return 1;
	printf("PASS\n");
	return 0;
}
