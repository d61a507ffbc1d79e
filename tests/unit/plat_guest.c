/* A guest for the platform test: raw syscalls only, no libc. */
static long sc(long n, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

void _start(void)
{
	static const char msg[] = "hello from the guest\n";
	long pid;
	volatile double x = 1.5;

	sc(1, 1, (long)msg, sizeof(msg) - 1);
	pid = sc(57, 0, 0, 0);		/* fork */
	x *= 2;
	if (pid == 0) {
		sc(1, 1, (long)"child\n", 6);
		sc(231, x == 3.0 ? 7 : 9, 0, 0);
	}
	sc(1, 1, (long)"parent\n", 7);
	sc(231, 0, 0, 0);
	for (;;)
		;
}
