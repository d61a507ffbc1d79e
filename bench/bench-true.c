/*
 * bench-true: the "small static binary" of the fork+exec figures and of the
 * shell loop. No libc, no startup code: exit(0) and nothing else, so that
 * what is timed is the kernel's exec, not a C library's start-up.
 *
 *	gcc -static -nostdlib -O2 -o bench-true bench-true.c
 */
void _start(void)
{
	__asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
	__builtin_unreachable();
}
