/*
 * Built three ways by tests/t-loader.sh (dynamic PIE, dynamic non-PIE,
 * static PIE) and also run through ld.so directly: checks what the ELF
 * loader hands a program (auxv, program headers, stack, TLS, threads).
 * Prints PASS or FAIL lines; passes natively first.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <grp.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static int failures;
static __thread int tls_value = 1234;

#define CHECK(c, ...) do { if (!(c)) { failures++; \
	printf("FAIL: " __VA_ARGS__); printf("\n"); } } while (0)

extern char **environ;

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	int *n = data;

	(void)size;
	if ((*n)++ == 0) {
		/* the first object is the program: AT_PHDR must be its headers */
		CHECK(info->dlpi_phdr == (const void *)getauxval(AT_PHDR),
		      "AT_PHDR %#lx, dl_iterate_phdr %p", getauxval(AT_PHDR),
		      (const void *)info->dlpi_phdr);
		CHECK(info->dlpi_phnum == getauxval(AT_PHNUM), "AT_PHNUM");
	}
	return 0;
}

static void *thread_fn(void *arg)
{
	tls_value = 99;
	return (void *)((uintptr_t)arg * 2);
}

/* "--exec-as-nobody PATH": drops to uid 65534 and runs PATH. */
static int exec_as_nobody(const char *path)
{
	char *args[] = { (char *)path, NULL };

	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		printf("FAIL: cannot become nobody\n");
		return 1;
	}
	execv(path, args);
	printf("FAIL: exec %s as nobody: %s\n", path, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	const unsigned char *rnd = (const void *)getauxval(AT_RANDOM);
	const unsigned char *vdso = (const void *)getauxval(AT_SYSINFO_EHDR);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	pthread_t t;
	void *r;
	int n = 0, zero = 1;

	if (argc == 3 && !strcmp(argv[1], "--exec-as-nobody"))
		return exec_as_nobody(argv[2]);

	CHECK(argc >= 1 && argv[argc] == NULL, "argv not NULL-terminated");
	CHECK(environ && getenv("LOADER_TEST") &&
	      !strcmp(getenv("LOADER_TEST"), "yes"), "environment lost");
	CHECK(getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ %lu", getauxval(AT_PAGESZ));
	CHECK(getauxval(AT_CLKTCK) == 100, "AT_CLKTCK");
	CHECK(getauxval(AT_HWCAP) != 0, "AT_HWCAP is 0");
	CHECK(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid() &&
	      getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid(),
	      "AT_UID/EUID/GID/EGID");
	CHECK(getauxval(AT_SECURE) == 0, "AT_SECURE");
	CHECK(rnd != NULL, "no AT_RANDOM");
	if (rnd) {
		for (int i = 0; i < 16; i++)
			zero &= rnd[i] == 0;
		CHECK(!zero, "AT_RANDOM bytes are all zero");
	}
	/* (run as "ld.so PROG", glibc's ld.so points AT_EXECFN at PROG too) */
	CHECK(execfn && !strcmp(execfn, argv[0]), "AT_EXECFN '%s' argv[0] '%s'",
	      execfn ? execfn : "(null)", argv[0]);
	CHECK(vdso && !memcmp(vdso, ELFMAG, SELFMAG), "no vDSO ELF image");
	CHECK((uintptr_t)__builtin_frame_address(0) % 16 == 0 ||
	      (uintptr_t)__builtin_frame_address(0) % 16 == 8, "stack alignment");
	dl_iterate_phdr(phdr_cb, &n);
	CHECK(n >= 1, "dl_iterate_phdr saw nothing");
	CHECK(pthread_create(&t, NULL, thread_fn, (void *)21) == 0, "pthread_create");
	pthread_join(t, &r);
	CHECK((uintptr_t)r == 42 && tls_value == 1234, "threads or TLS");
	printf("%s\n", failures ? "FAIL: see above" : "PASS");
	return failures != 0;
}
