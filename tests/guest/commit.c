/*
 * mem= is enforced: run with mem=32M, a program that asks for 100 MB and
 * touches it must be refused (ENOMEM, or killed as out of memory), never
 * get it. Meaningful in the guest only: natively the host has the memory.
 *
 * 1. one 100 MB anonymous mapping: Linux refuses a single request larger
 *    than RAM + swap with ENOMEM even under heuristic overcommit;
 * 2. brk grown by 100 MB: the same rule;
 * 3. 1 MB mappings, each touched, in a child, up to 100 MB: the child must
 *    be stopped on the way (ENOMEM or a kill).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MB (1024UL * 1024)
#define TOTAL (100 * MB)

static int failures;
static char first[160];

/* Records a failed check; the first one goes on the FAIL line. */
static void __attribute__((format(printf, 1, 2))) bad(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%s\n", msg);
	if (!failures++)
		snprintf(first, sizeof(first), "%s", msg);
}

int main(void)
{
	void *p, *brk0;
	int fds[2];
	pid_t pid;
	int st;
	long got = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);

	p = mmap(NULL, TOTAL, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED && errno == ENOMEM) {
		printf("mmap 100 MB: ENOMEM\n");
	} else if (p == MAP_FAILED) {
		bad("mmap 100 MB: failed with errno %d, expected ENOMEM",
		    errno);
	} else {
		bad("mmap 100 MB: succeeded");
		munmap(p, TOTAL);
	}

	brk0 = sbrk(0);
	p = sbrk((intptr_t)TOTAL);
	if (p == (void *)-1 && errno == ENOMEM) {
		printf("sbrk 100 MB: ENOMEM\n");
	} else if (p == (void *)-1) {
		bad("sbrk 100 MB: failed with errno %d, expected ENOMEM",
		    errno);
	} else {
		bad("sbrk 100 MB: succeeded");
		if (brk(brk0) < 0)
			printf("brk back: %s\n", strerror(errno));
	}

	if (pipe(fds) < 0) {
		printf("FAIL: pipe: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		printf("FAIL: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		for (long i = 1; i <= (long)(TOTAL / MB); i++) {
			char *q = mmap(NULL, MB, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (q == MAP_FAILED)
				_exit(errno == ENOMEM ? 0 : 3);
			memset(q, (int)i, MB);
			if (write(fds[1], &i, sizeof(i)) != sizeof(i))
				_exit(4);
		}
		_exit(1);
	}
	close(fds[1]);
	while (read(fds[0], &got, sizeof(got)) == sizeof(got))
		;
	close(fds[0]);
	if (waitpid(pid, &st, 0) != pid) {
		printf("FAIL: waitpid: %s\n", strerror(errno));
		return 1;
	}
	if (WIFSIGNALED(st)) {
		printf("touching 1 MB chunks: killed by signal %d after %ld MB\n",
		       WTERMSIG(st), got);
	} else if (WEXITSTATUS(st) == 0) {
		printf("touching 1 MB chunks: ENOMEM after %ld MB\n", got);
	} else if (WEXITSTATUS(st) == 1) {
		bad("touching 1 MB chunks: got all 100 MB");
	} else {
		printf("touching 1 MB chunks: child status %d after %ld MB\n",
		       WEXITSTATUS(st), got);
		bad("the allocating child exited with status %d",
		    WEXITSTATUS(st));
	}
	if (got > 32) {
		bad("%ld MB touched with mem=32M", got);
	}

	/* pipe buffers are memory too: a 128 MB pipe does not fit in 32 MB */
	if (pipe(fds) == 0) {
		long r = fcntl(fds[0], F_SETPIPE_SZ, 128 << 20);

		if (r >= 0)
			bad("a pipe of %ld bytes with mem=32M", r);
		else
			printf("128 MB pipe: %s\n", strerror(errno));
		close(fds[0]);
		close(fds[1]);
	}

	if (failures)
		printf("FAIL: %s (%d check(s) failed)\n", first, failures);
	else
		printf("PASS\n");
	return failures != 0;
}
