// SPDX-License-Identifier: GPL-2.0
/*
 * Host-file helpers for the COW tools: pread/pwrite callbacks for the
 * format library, backing-path absolutization and the reader's messages,
 * worded as the real UML code words them (uml_moo's output depends on it).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include "cow_file.h"

long cow_fd_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	struct cow_fd *f = ctx;
	ssize_t n;

	if (off > (uint64_t)INT64_MAX) {
		f->err = EINVAL;
		return -1;
	}
	do {
		n = pread(f->fd, buf, len, (off_t)off);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		f->err = errno;
	return n;
}

long cow_fd_write(void *ctx, const void *buf, size_t len, uint64_t off)
{
	struct cow_fd *f = ctx;
	ssize_t n;

	if (off > (uint64_t)INT64_MAX) {
		f->err = EFBIG;
		return -1;
	}
	do {
		n = pwrite(f->fd, buf, len, (off_t)off);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		f->err = errno;
	else if (n == 0)
		f->err = ENOSPC;
	return n;
}

int cow_pread_full(int fd, void *buf, size_t len, uint64_t off,
		   bool zero_fill)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			if (!zero_fill) {
				errno = EIO;
				return -1;
			}
			memset(p, 0, len);
			return 0;
		}
		p += n;
		len -= n;
		off += n;
	}
	return 0;
}

int cow_pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += n;
		len -= n;
		off += n;
	}
	return 0;
}

int cow_absolutize(char *to, size_t size, const char *from)
{
	/* The real code saves the cwd in 256 bytes: deeper cwds fail. */
	char save_cwd[256];
	char dir[COW_PATH_MAX];
	const char *slash;
	size_t dlen;

	if (getcwd(save_cwd, sizeof(save_cwd)) == NULL) {
		printf("absolutize : unable to get cwd - errno = %d\n", errno);
		return -1;
	}
	slash = strrchr(from, '/');
	if (slash == NULL) {
		if (strlen(save_cwd) + 1 + strlen(from) + 1 > size) {
			printf("absolutize : unable to fit '%s' into %zu "
			       "chars\n", from, size);
			return -1;
		}
		snprintf(to, size, "%s/%s", save_cwd, from);
		return 0;
	}
	dlen = slash - from;
	if (dlen >= sizeof(dir)) {
		printf("absolutize : Can't cd to '%s' - errno = %d\n", from,
		       ENAMETOOLONG);
		return -1;
	}
	/* "/name" gives an empty directory part, which chdir refuses: the
	 * real code fails there too. */
	memcpy(dir, from, dlen);
	dir[dlen] = '\0';
	if (chdir(dir)) {
		printf("absolutize : Can't cd to '%s' - errno = %d\n", from,
		       errno);
		return -1;
	}
	if (getcwd(to, size) == NULL) {
		printf("absolutize : unable to get cwd of '%s' - errno = %d\n",
		       from, errno);
		goto fail;
	}
	if (strlen(to) + 1 + strlen(slash + 1) + 1 > size) {
		printf("absolutize : unable to fit '%s' into %zu chars\n",
		       from, size);
		goto fail;
	}
	strcat(to, "/");
	strcat(to, slash + 1);
	if (chdir(save_cwd))
		printf("absolutize : Can't cd back to '%s' - errno = %d\n",
		       save_cwd, errno);
	return 0;
fail:
	if (chdir(save_cwd))
		printf("absolutize : Can't cd back to '%s' - errno = %d\n",
		       save_cwd, errno);
	return -1;
}

int cow_file_size(const char *path, const struct stat *st, uint64_t *size)
{
	uint64_t bytes;
	int fd, err;

	if (!S_ISBLK(st->st_mode)) {
		*size = (uint64_t)st->st_size;
		return 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	err = ioctl(fd, BLKGETSIZE64, &bytes);
	close(fd);
	if (err)
		return -1;
	*size = bytes;
	return 0;
}

void cow_print_header_error(const struct cow_header *h, int err, int io_errno)
{
	if (err == -COW_ENOTCOW)
		return;
	if (h->broken_v3)
		printf("read_cow_header - broken V3 file with 64-bit layout - "
		       "recovering content.\n");
	switch (-err) {
	case COW_ESHORT:
		if (h->version >= 1 && h->version <= 3)
			printf("read_cow_header - failed to read V%u header\n",
			       h->version);
		else
			printf("read_cow_header - short header\n");
		break;
	case COW_EVERSION:
		printf("read_cow_header - invalid COW version\n");
		break;
	case COW_EIO:
		printf("read_cow_header - read failed, errno = %d\n", io_errno);
		break;
	case COW_EALIGN:
		if (!h->align) {
			printf("read_cow_header - invalid COW header, "
			       "align == 0\n");
			break;
		}
		/* fall through */
	default:
		printf("read_cow_header - %s\n", cow_strerror(err));
		break;
	}
}
