// SPDX-License-Identifier: GPL-2.0
/*
 * Drives the systrap platform directly, without the kernel: loads a tiny
 * static guest, serves write/fork/exit_group, and checks what came out.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include "kern/platform.h"

struct guest { struct plat_thread *th; struct plat_regs regs; int done; int status; };

static int load(struct plat_thread *th, const char *path, struct plat_regs *r)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	unsigned char *img;
	Elf64_Ehdr *eh;

	if (fd < 0 || fstat(fd, &st) < 0)
		return -1;
	img = malloc(st.st_size);
	if (read(fd, img, st.st_size) != st.st_size)
		return -1;
	eh = (Elf64_Ehdr *)img;
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(img + eh->e_phoff) + i;
		unsigned long start = ph->p_vaddr & ~4095UL;
		unsigned long end = (ph->p_vaddr + ph->p_memsz + 4095) & ~4095UL;

		if (ph->p_type != PT_LOAD)
			continue;
		if (plat_mmap(th, start, end - start, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (long)start)
			return -2;
		if (plat_write_mem(th, ph->p_vaddr, img + ph->p_offset, ph->p_filesz) !=
		    (long)ph->p_filesz)
			return -3;
	}
	if (plat_mmap(th, 0x10000000, 0x10000, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != 0x10000000)
		return -4;
	memset(r, 0, sizeof(*r));
	r->rip = eh->e_entry;
	r->rsp = 0x10000000 + 0x10000 - 8;
	r->eflags = 0x202;
	return 0;
}

static char out[4096];
static size_t outlen;

static int serve(struct plat_thread *th, struct plat_regs *r)
{
	struct plat_event ev;

	for (;;) {
		plat_run(th, r, &ev);
		if (ev.type == PLAT_EV_DEAD)
			return -1000 - ev.dead_signal;
		if (ev.type != PLAT_EV_SYSCALL) {
			fprintf(stderr, "event %d sig %d at %#lx\n", ev.type,
				ev.fault.signo, (unsigned long)r->rip);
			return -2000;
		}
		switch (r->orig_rax) {
		case 1: {
			char buf[256];
			long n = plat_read_mem(th, r->rsi, buf, r->rdx < 256 ? r->rdx : 256);
			if (n > 0) {
				memcpy(out + outlen, buf, n);
				outlen += n;
			}
			r->rax = n;
			break;
		}
		case 57: {
			struct plat_thread *child;
			struct plat_regs cr;
			int st;

			if (plat_fork(th, &child) < 0) {
				r->rax = -11;
				break;
			}
			cr = *r;
			cr.rax = 0;
			st = serve(child, &cr);
			plat_thread_put(child);
			r->rax = 1234;
			if (st != 7) {
				fprintf(stderr, "child status %d\n", st);
				return -3000;
			}
			break;
		}
		case 231:
			plat_kill(th);
			return (int)r->rdi;
		default:
			r->rax = -38;
		}
	}
}

int main(int argc, char **argv)
{
	struct plat_thread *th;
	struct plat_regs r;
	int st;

	if (plat_init(NULL) < 0 || plat_spawn(&th) < 0) {
		puts("FAIL: spawn");
		return 1;
	}
	if (load(th, argv[1], &r) < 0) {
		puts("FAIL: load");
		return 1;
	}
	st = serve(th, &r);
	out[outlen] = 0;
	if (st != 0 || strcmp(out, "hello from the guest\nchild\nparent\n")) {
		printf("FAIL: status %d output [%s]\n", st, out);
		return 1;
	}
	puts("PASS");
	return 0;
}
