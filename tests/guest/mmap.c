/*
 * Memory mappings as Linux does them: anonymous private and shared memory
 * across fork, file mappings (private copy-on-write, shared coherent with
 * read/write), mprotect and munmap faults, mremap, MAP_FIXED_NOREPLACE,
 * brk, madvise, mincore, the errors of bad arguments, and, when MemTotal
 * is small (the guest booted with mem=32M), ENOMEM beyond the commit
 * limit. Prints PASS or FAIL: reason as its last line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static long pg;
static int failures;
static sigjmp_buf jb;
static volatile sig_atomic_t got_sig, got_code;
static void *volatile got_addr;

#define CHECK(c, ...) do {						\
		if (!(c)) {						\
			printf("FAIL: line %d: ", __LINE__);		\
			printf(__VA_ARGS__);				\
			printf(" (errno %s)\n", strerror(errno));	\
			failures++;					\
		}							\
	} while (0)

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(jb, 1);
}

/* Touches addr (write or read); returns the signal, 0 if none. */
static int touch(volatile char *addr, int write)
{
	got_sig = 0;
	got_code = 0;
	if (sigsetjmp(jb, 1) == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
	}
	return got_sig;
}

static void test_anon_fork(void)
{
	int *shared = mmap(NULL, pg, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *priv = mmap(NULL, pg, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st;

	CHECK(shared != MAP_FAILED && priv != MAP_FAILED, "anon mmap");
	if (shared == MAP_FAILED || priv == MAP_FAILED)
		return;
	CHECK(shared[0] == 0 && priv[100] == 0, "anonymous memory is zeroed");
	shared[0] = 1;
	priv[0] = 1;
	pid = fork();
	if (pid == 0) {
		int ok = shared[0] == 1 && priv[0] == 1;

		shared[0] = 2;
		priv[0] = 2;
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0, "fork");
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child saw the values");
	CHECK(shared[0] == 2, "shared write seen across fork: %d", shared[0]);
	CHECK(priv[0] == 1, "private copy-on-write: %d", priv[0]);
	munmap(shared, pg);
	munmap(priv, pg);
}

/* /dev/zero maps as anonymous memory: private, or shared across fork. */
static void test_dev_zero(void)
{
	int fd = open("/dev/zero", O_RDWR);
	int *p, *s, st;
	pid_t pid;

	CHECK(fd >= 0, "open /dev/zero");
	if (fd < 0)
		return;
	p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	s = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED && s != MAP_FAILED, "mmap /dev/zero");
	if (p == MAP_FAILED || s == MAP_FAILED)
		return;
	CHECK(p[0] == 0 && s[0] == 0, "zeroed");
	p[0] = 1;
	pid = fork();
	if (pid == 0) {
		s[0] = p[0] + 1;
		p[0] = 9;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK(s[0] == 2 && p[0] == 1, "/dev/zero shared %d private %d",
	      s[0], p[0]);
	munmap(p, 2 * pg);
	munmap(s, pg);
	close(fd);
}

static int tmpfile_fd(char *path, size_t len)
{
	static const char *dirs[] = { "/tmp", ".", "/" };

	for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		int fd;

		snprintf(path, len, "%s/mmap-test.XXXXXX", dirs[i]);
		fd = mkstemp(path);
		if (fd >= 0)
			return fd;
	}
	return -1;
}

static void test_files(void)
{
	char path[64], buf[16];
	int fd = tmpfile_fd(path, sizeof(path)), rfd;
	char *p, *q;

	CHECK(fd >= 0, "temporary file");
	if (fd < 0)
		return;
	CHECK(write(fd, "hello, mapping", 14) == 14, "write");
	CHECK(ftruncate(fd, 2 * pg) == 0, "ftruncate");

	/* Shared: both directions are coherent. */
	p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "shared file mmap");
	if (p != MAP_FAILED) {
		CHECK(!memcmp(p, "hello, mapping", 14), "file data mapped");
		memcpy(p, "HELLO", 5);
		CHECK(pread(fd, buf, 14, 0) == 14 &&
		      !memcmp(buf, "HELLO, mapping", 14),
		      "write through the mapping seen by read()");
		CHECK(pwrite(fd, "world", 5, pg) == 5, "pwrite");
		CHECK(!memcmp(p + pg, "world", 5),
		      "write() seen through the mapping");
		CHECK(msync(p, 2 * pg, MS_SYNC) == 0, "msync");
		CHECK(msync(p, pg, MS_SYNC | MS_ASYNC) == -1 &&
		      errno == EINVAL, "msync flags");
	}

	/* Private: copy-on-write, the file keeps its data. */
	q = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(q != MAP_FAILED, "private file mmap");
	if (q != MAP_FAILED) {
		CHECK(!memcmp(q, "HELLO", 5), "private sees file data");
		q[0] = 'J';
		CHECK(pread(fd, buf, 1, 0) == 1 && buf[0] == 'H',
		      "private write stays private");
		CHECK(p == MAP_FAILED || p[0] == 'H', "shared unaffected");
		munmap(q, pg);
	}
	if (p != MAP_FAILED)
		munmap(p, 2 * pg);

	/* Permissions follow the open mode. */
	rfd = open(path, O_RDONLY);
	CHECK(rfd >= 0, "reopen read-only");
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
	CHECK(p == MAP_FAILED && errno == EACCES,
	      "shared writable mapping of a read-only fd");
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, rfd, 0);
	CHECK(p != MAP_FAILED, "shared read-only mapping");
	if (p != MAP_FAILED) {
		CHECK(mprotect(p, pg, PROT_READ | PROT_WRITE) == -1 &&
		      errno == EACCES, "mprotect cannot add write");
		munmap(p, pg);
	}
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, rfd, 0);
	CHECK(p != MAP_FAILED, "private writable mapping of a read-only fd");
	if (p != MAP_FAILED)
		munmap(p, pg);
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, rfd, 1);
	CHECK(p == MAP_FAILED && errno == EINVAL, "unaligned offset");
	close(rfd);
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, rfd, 0);
	CHECK(p == MAP_FAILED && errno == EBADF, "closed fd");
	rfd = open(path, O_WRONLY);
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, rfd, 0);
	CHECK(p == MAP_FAILED && errno == EACCES, "write-only fd");
	close(rfd);
	close(fd);
	unlink(path);
}

static void test_faults(void)
{
	char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED, "mmap");
	if (p == MAP_FAILED)
		return;
	CHECK(touch(p + pg, 1) == 0, "writable page");
	CHECK(mprotect(p + pg, pg, PROT_READ) == 0, "mprotect read-only");
	CHECK(touch(p + pg, 0) == 0, "read of read-only page");
	CHECK(touch(p + pg, 1) == SIGSEGV && got_code == SEGV_ACCERR &&
	      got_addr == p + pg, "write fault: sig %d code %d",
	      (int)got_sig, (int)got_code);
	CHECK(touch(p, 1) == 0 && touch(p + 2 * pg, 1) == 0,
	      "neighbours still writable");
	CHECK(mprotect(p, pg, PROT_NONE) == 0, "PROT_NONE");
	CHECK(touch(p, 0) == SIGSEGV && got_code == SEGV_ACCERR,
	      "read fault on PROT_NONE");
	CHECK(munmap(p + 2 * pg, pg) == 0, "munmap a hole");
	CHECK(touch(p + 2 * pg, 0) == SIGSEGV && got_code == SEGV_MAPERR,
	      "fault in the hole: code %d", (int)got_code);
	CHECK(touch(p + 3 * pg, 1) == 0, "after the hole");
	CHECK(mprotect(p, 4 * pg, PROT_READ) == -1 && errno == ENOMEM,
	      "mprotect across a hole");
	CHECK(mprotect(p + 1, pg, PROT_READ) == -1 && errno == EINVAL,
	      "mprotect unaligned");
	CHECK(munmap(p + 1, pg) == -1 && errno == EINVAL, "munmap unaligned");
	CHECK(munmap(p, 0) == -1 && errno == EINVAL, "munmap 0");
	munmap(p, 4 * pg);
	CHECK(munmap(p, 4 * pg) == 0, "munmap of nothing");
}

static void test_fixed_mremap(void)
{
	char *p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q, *r;

	CHECK(p != MAP_FAILED, "mmap");
	if (p == MAP_FAILED)
		return;
	q = mmap(p + pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE");
	p[pg] = 7;
	q = mmap(p + pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED, -1, 0);
	CHECK(q == p + pg && q[0] == 0, "MAP_FIXED replaces");
	munmap(p, 3 * pg);

	p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 'x', 2 * pg);
	q = mremap(p, 2 * pg, 64 * pg, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED, "mremap grow");
	if (q == MAP_FAILED)
		return;
	CHECK(q[0] == 'x' && q[2 * pg - 1] == 'x' && q[2 * pg] == 0 &&
	      q[64 * pg - 1] == 0, "contents kept, growth zeroed");
	q[64 * pg - 1] = 'y';
	r = mremap(q, 64 * pg, pg, 0);
	CHECK(r == q && q[0] == 'x', "mremap shrink");
	CHECK(touch(q + pg, 0) == SIGSEGV, "shrunk tail unmapped");
	r = mmap(NULL, 8 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(r, 8 * pg);
	p = mremap(q, pg, pg, MREMAP_MAYMOVE | MREMAP_FIXED, r + 4 * pg);
	CHECK(p == r + 4 * pg && p[0] == 'x', "mremap fixed");
	CHECK(touch(q, 0) == SIGSEGV, "old place unmapped");
	CHECK(mremap(p + 40 * pg, pg, 2 * pg, MREMAP_MAYMOVE) == MAP_FAILED &&
	      errno == EFAULT, "mremap of nothing");
	CHECK(mremap(p, pg, pg, 8) == MAP_FAILED && errno == EINVAL,
	      "mremap bad flags");
	CHECK(mremap(p, pg, 2 * pg, MREMAP_FIXED, r) == MAP_FAILED &&
	      errno == EINVAL, "FIXED without MAYMOVE");
	munmap(p, pg);

	/*
	 * Moved shared memory stays shared; growing the mapping does not
	 * grow the object, whose end faults with SIGBUS.
	 */
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	p[0] = 5;
	q = mremap(p, pg, 4 * pg, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED, "mremap shared");
	if (q != MAP_FAILED) {
		pid_t pid;
		int st;

		CHECK(q[0] == 5, "moved shared memory kept");
		pid = fork();
		if (pid == 0) {
			q[0] = 6;
			_exit(0);
		}
		waitpid(pid, &st, 0);
		CHECK(q[0] == 6, "moved shared memory is still shared");
		CHECK(touch(q + 3 * pg, 1) == SIGBUS,
		      "beyond the object: signal %d", (int)got_sig);
		munmap(q, 4 * pg);
	}
}

static void test_brk_madvise_mincore(void)
{
	char *b0 = sbrk(0), *b1, *p;
	unsigned char vec[4];

	b1 = sbrk(256 * 1024);
	CHECK(b1 == b0, "sbrk grow");
	if (b1 == b0) {
		memset(b1, 1, 256 * 1024);
		CHECK(sbrk(0) == b0 + 256 * 1024, "new break");
		CHECK(sbrk(-256 * 1024) == b0 + 256 * 1024, "sbrk shrink");
		CHECK(sbrk(0) == b0, "break back");
	}

	p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 9, 4 * pg);
	CHECK(madvise(p, pg, MADV_DONTNEED) == 0 && p[0] == 0 && p[pg] == 9,
	      "MADV_DONTNEED zeroes private memory");
	CHECK(madvise(p, pg, 1234) == -1 && errno == EINVAL, "bad advice");
	CHECK(madvise(p, 4 * pg, MADV_WILLNEED) == 0, "WILLNEED");
	CHECK(mincore(p, 4 * pg, vec) == 0 && (vec[1] & 1) && (vec[3] & 1),
	      "mincore: touched pages resident");
	munmap(p + 2 * pg, pg);
	CHECK(mincore(p, 4 * pg, vec) == -1 && errno == ENOMEM,
	      "mincore over a hole");
	CHECK(mincore(p + 1, pg, vec) == -1 && errno == EINVAL,
	      "mincore unaligned");
	CHECK(madvise(p, 4 * pg, MADV_NORMAL) == -1 && errno == ENOMEM,
	      "madvise over a hole");
	munmap(p, 4 * pg);

	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
	      MAP_FAILED && errno == EINVAL, "length 0");
	CHECK(mmap(NULL, pg, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == EINVAL, "no MAP_SHARED or MAP_PRIVATE");
	CHECK(mmap((void *)(pg + 1), pg, PROT_READ, MAP_PRIVATE |
		   MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED &&
	      errno == EINVAL, "unaligned MAP_FIXED");
	CHECK(mmap(NULL, -pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
	      == MAP_FAILED && errno == ENOMEM, "huge length");
}

/* The parent reads and writes a child's memory (as a debugger would). */
static void test_process_vm(void)
{
	static char secret[64] = "child's secret";
	char buf[64] = "", *page;
	int to_child[2], to_parent[2], st;
	struct iovec l[2], r[1];
	pid_t pid;
	ssize_t n;

	page = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page + pg, pg);
	if (pipe(to_child) || pipe(to_parent))
		return;
	pid = fork();
	if (pid == 0) {
		char c;

		strcpy(secret, "CHILD'S SECRET");
		if (write(to_parent[1], "r", 1) != 1 ||
		    read(to_child[0], &c, 1) != 1)
			_exit(2);
		_exit(strcmp(secret, "written by parent") ? 1 : 0);
	}
	if (read(to_parent[0], buf, 1) != 1)
		CHECK(0, "child ready");
	l[0].iov_base = buf;
	l[0].iov_len = 5;
	l[1].iov_base = buf + 5;
	l[1].iov_len = sizeof(buf) - 5;
	r[0].iov_base = secret;
	r[0].iov_len = 15;
	n = process_vm_readv(pid, l, 2, r, 1, 0);
	CHECK(n == 15 && !strcmp(buf, "CHILD'S SECRET"),
	      "process_vm_readv %zd [%s]", n, buf);
	strcpy(buf, "written by parent");
	l[0].iov_len = 18;
	n = process_vm_writev(pid, l, 1, r, 1, 0);
	CHECK(n == 15, "process_vm_writev %zd", n);
	l[0].iov_base = buf + 15;
	l[0].iov_len = 3;
	r[0].iov_base = secret + 15;
	r[0].iov_len = 3;
	n = process_vm_writev(pid, l, 1, r, 1, 0);
	CHECK(n == 3, "second process_vm_writev %zd", n);
	/* A remote fault ends the transfer: partial count, then EFAULT. */
	r[0].iov_base = page + pg - 4;
	r[0].iov_len = 8;
	l[0].iov_base = buf;
	l[0].iov_len = 8;
	n = process_vm_readv(pid, l, 1, r, 1, 0);
	CHECK(n == 4, "partial read up to the unmapped page: %zd", n);
	r[0].iov_base = page + pg;
	n = process_vm_readv(pid, l, 1, r, 1, 0);
	CHECK(n == -1 && errno == EFAULT, "unmapped remote");
	CHECK(process_vm_readv(pid, l, 1, r, 1, 1) == -1 && errno == EINVAL,
	      "flags");
	CHECK(write(to_child[1], "w", 1) == 1, "wake the child");
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child saw the write");
	CHECK(process_vm_readv(pid, l, 1, r, 1, 0) == -1 && errno == ESRCH,
	      "reaped process");
	munmap(page, pg);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

static long memtotal_kb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Only meaningful when the machine is small, as the guest with mem=32M. */
static void test_commit_limit(void)
{
	long kb = memtotal_kb();
	size_t big;
	void *p;

	if (kb <= 0 || kb > 128 * 1024) {
		printf("commit limit: skipped (MemTotal %ld kB)\n", kb);
		return;
	}
	big = (size_t)kb * 1024 * 2;
	p = mmap(NULL, big, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p == MAP_FAILED && errno == ENOMEM,
	      "twice MemTotal of private memory refused");
	if (p != MAP_FAILED)
		munmap(p, big);
	p = mmap(NULL, big, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(p == MAP_FAILED && errno == ENOMEM,
	      "twice MemTotal of shared memory refused");
	if (p != MAP_FAILED)
		munmap(p, big);
	p = mmap(NULL, big, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "read-only reservation is not charged");
	if (p != MAP_FAILED) {
		CHECK(mprotect(p, big, PROT_READ | PROT_WRITE) == -1 &&
		      errno == ENOMEM, "making it writable is");
		munmap(p, big);
	}
}

int main(void)
{
	struct sigaction sa;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pg = sysconf(_SC_PAGESIZE);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	test_anon_fork();
	test_files();
	test_dev_zero();
	test_faults();
	test_fixed_mremap();
	test_brk_madvise_mincore();
	test_process_vm();
	test_commit_limit();

	if (failures) {
		printf("FAIL: %d checks failed\n", failures);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
