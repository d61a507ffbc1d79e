// SPDX-License-Identifier: GPL-2.0
/*
 * File descriptor tables: the fd -> open file map of a process, with the
 * close-on-exec bits, and close/close_range/dup/dup2/dup3.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"

#define NR_OPEN_MAX	(1 << 20)	/* Linux's fs.nr_open */

struct files_struct {
	int refs;
	int max_fds;
	struct file **fd;
	u8 *cloexec;
};

static int expand_files(struct files_struct *fs, int nr)
{
	struct file **nfd;
	u8 *nce;
	int n = fs->max_fds ? fs->max_fds : 64;

	if (nr <= fs->max_fds)
		return 0;
	while (n < nr)
		n *= 2;
	nfd = kcalloc((size_t)n, sizeof(*nfd));
	nce = kcalloc((size_t)n, 1);
	if (!nfd || !nce) {
		kfree(nfd);
		kfree(nce);
		return -ENOMEM;
	}
	if (fs->max_fds) {
		memcpy(nfd, fs->fd, (size_t)fs->max_fds * sizeof(*nfd));
		memcpy(nce, fs->cloexec, (size_t)fs->max_fds);
	}
	kfree(fs->fd);
	kfree(fs->cloexec);
	fs->fd = nfd;
	fs->cloexec = nce;
	fs->max_fds = n;
	return 0;
}

struct files_struct *files_alloc(void)
{
	struct files_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->refs = 1;
	if (expand_files(fs, 64)) {
		kfree(fs);
		return NULL;
	}
	return fs;
}

struct files_struct *files_dup(struct files_struct *old)
{
	struct files_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->refs = 1;
	if (expand_files(fs, old->max_fds)) {
		kfree(fs);
		return NULL;
	}
	for (int i = 0; i < old->max_fds; i++) {
		fs->fd[i] = get_file(old->fd[i]);
		fs->cloexec[i] = old->cloexec[i];
	}
	return fs;
}

void files_get(struct files_struct *f)
{
	f->refs++;
}

static void close_slot(struct files_struct *fs, int fd)
{
	struct file *f = fs->fd[fd];

	fs->fd[fd] = NULL;
	fs->cloexec[fd] = 0;
	if (f) {
		locks_remove_posix(f, fs);
		fput(f);
	}
}

void files_put(struct files_struct *fs)
{
	if (!fs || --fs->refs)
		return;
	for (int i = 0; i < fs->max_fds; i++)
		close_slot(fs, i);
	kfree(fs->fd);
	kfree(fs->cloexec);
	kfree(fs);
}

void files_close_on_exec(struct files_struct *fs)
{
	for (int i = 0; i < fs->max_fds; i++)
		if (fs->fd[i] && fs->cloexec[i])
			close_slot(fs, i);
}

static unsigned long nofile_limit(void)
{
	u64 lim = current ? task_rlimit(current, RLIMIT_NOFILE) : 1024;

	return lim > NR_OPEN_MAX ? NR_OPEN_MAX : (unsigned long)lim;
}

static int alloc_fd(struct files_struct *fs, unsigned int start)
{
	unsigned long lim = nofile_limit();
	int fd;

	for (fd = (int)start; fd < fs->max_fds; fd++)
		if (!fs->fd[fd])
			break;
	if ((unsigned long)fd >= lim || start >= lim)
		return -EMFILE;
	if (fd >= fs->max_fds && expand_files(fs, fd + 1))
		return -ENOMEM;
	return fd;
}

int fd_install_new(struct files_struct *fs, struct file *f, int flags)
{
	int fd = alloc_fd(fs, 0);

	if (fd < 0)
		return fd;
	fs->fd[fd] = f;
	fs->cloexec[fd] = (flags & O_CLOEXEC) ? 1 : 0;
	return fd;
}

/* Installs f (its reference passes to the table) at the lowest fd >= start. */
static int install_from(struct file *f, unsigned int start, bool cloexec)
{
	struct files_struct *fs = current->files;
	int fd = alloc_fd(fs, start);

	if (fd < 0)
		return fd;
	fs->fd[fd] = f;
	fs->cloexec[fd] = cloexec;
	return fd;
}

int get_unused_fd(unsigned int start, bool cloexec)
{
	(void)cloexec;
	return alloc_fd(current->files, start);
}

int fd_install(int fd, struct file *f, bool cloexec)
{
	return install_from(f, (unsigned int)fd, cloexec);
}

int fd_install_cur(struct file *f, int flags)
{
	return install_from(f, 0, flags & O_CLOEXEC);
}

struct file *fd_lookup(struct files_struct *fs, int fd)
{
	if (fd < 0 || fd >= fs->max_fds)
		return NULL;
	return fs->fd[fd];
}

struct file *files_fd(struct files_struct *fs, int fd, bool *cloexec)
{
	struct file *f = fd_lookup(fs, fd);

	if (f && cloexec)
		*cloexec = fs->cloexec[fd];
	return f;
}

int files_count_max(struct files_struct *fs)
{
	return fs->max_fds;
}

struct file *fdget(int fd)
{
	if (!current || !current->files)
		return NULL;
	return get_file(fd_lookup(current->files, fd));
}

int set_close_on_exec(int fd, bool on)
{
	struct files_struct *fs = current->files;

	if (!fd_lookup(fs, fd))
		return -EBADF;
	fs->cloexec[fd] = on;
	return 0;
}

bool get_close_on_exec(int fd)
{
	return current->files->cloexec[fd];
}

int close_fd(int fd)
{
	struct files_struct *fs = current->files;

	if (!fd_lookup(fs, fd))
		return -EBADF;
	close_slot(fs, fd);
	return 0;
}

SYSCALL_DEFINE1(close, unsigned int, fd)
{
	if (fd > INT32_MAX)
		return -EBADF;
	return close_fd((int)fd);
}

#define CLOSE_RANGE_UNSHARE	(1U << 1)
#define CLOSE_RANGE_CLOEXEC	(1U << 2)

SYSCALL_DEFINE3(close_range, unsigned int, first, unsigned int, last,
		unsigned int, flags)
{
	struct files_struct *fs = current->files;

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if (flags & CLOSE_RANGE_UNSHARE && fs->refs > 1) {
		struct files_struct *n = files_dup(fs);

		if (!n)
			return -ENOMEM;
		current->files = n;
		files_put(fs);
		fs = n;
	}
	for (unsigned int i = first; i <= last && i < (unsigned int)fs->max_fds;
	     i++) {
		if (!fs->fd[i])
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			fs->cloexec[i] = 1;
		else
			close_slot(fs, (int)i);
	}
	return 0;
}

static long do_dup2(unsigned int oldfd, unsigned int newfd, bool cloexec)
{
	struct files_struct *fs = current->files;
	struct file *f = fd_lookup(fs, (int)oldfd);

	if (oldfd > INT32_MAX || !f)
		return -EBADF;
	if (newfd >= nofile_limit())
		return -EBADF;
	if (expand_files(fs, (int)newfd + 1))
		return -ENOMEM;
	get_file(f);
	if (fs->fd[newfd])
		close_slot(fs, (int)newfd);
	fs->fd[newfd] = f;
	fs->cloexec[newfd] = cloexec;
	return newfd;
}

SYSCALL_DEFINE1(dup, unsigned int, oldfd)
{
	struct file *f;
	int r;

	if (oldfd > INT32_MAX)
		return -EBADF;
	f = fdget((int)oldfd);
	if (!f)
		return -EBADF;
	r = install_from(f, 0, false);
	if (r < 0)
		fput(f);
	return r;
}

SYSCALL_DEFINE2(dup2, unsigned int, oldfd, unsigned int, newfd)
{
	if (oldfd == newfd)
		return fd_lookup(current->files, (int)oldfd) && oldfd <= INT32_MAX
			? (long)newfd : -EBADF;
	return do_dup2(oldfd, newfd, false);
}

SYSCALL_DEFINE3(dup3, unsigned int, oldfd, unsigned int, newfd, int, flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return do_dup2(oldfd, newfd, flags & O_CLOEXEC);
}

/* F_DUPFD and F_DUPFD_CLOEXEC (fs/fcntl.c). */
long f_dupfd(unsigned long start, struct file *f, bool cloexec)
{
	int r;

	if (start >= nofile_limit())
		return -EINVAL;
	get_file(f);
	r = install_from(f, (unsigned int)start, cloexec);
	if (r < 0)
		fput(f);
	return r;
}
