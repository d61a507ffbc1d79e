/* SPDX-License-Identifier: GPL-2.0 */
/* execve: the program loaders (fs/exec.c, fs/binfmt_elf.c, fs/binfmt_script.c). */
#ifndef KERN_EXEC_H
#define KERN_EXEC_H

#include "kern/kernel.h"

struct file;
struct task;

#define BINPRM_BUF_SIZE		256
#define MAX_ARG_STRLEN		(32 * PAGE_SIZE)
#define MAX_ARG_STRINGS		0x7fffffff
#define MAX_INTERP_DEPTH	4

struct linux_binprm {
	char *filename;		/* as given (AT_EXECFN, comm) */
	char *interp;		/* the file actually opened */
	struct file *file;
	u8 buf[BINPRM_BUF_SIZE];
	size_t buf_len;
	int argc, envc;
	char *strings;		/* argv strings then envp strings, each NUL-ended */
	size_t strings_len, strings_cap;
	int depth;
	bool point_of_no_return;
};

/* The loaders: -ENOEXEC means "not mine". */
int load_elf_binary(struct linux_binprm *bprm);
int load_script(struct linux_binprm *bprm);

/* Helpers for loaders. */
int search_binary_handler(struct linux_binprm *bprm);
int bprm_open(struct linux_binprm *bprm, const char *path);
/* Replaces argv[0] with the given strings (script interpreters). */
int bprm_replace_argv0(struct linux_binprm *bprm, const char *const *args,
		       int n);
/* Past the point of no return: the new image replaces the old one. */
int exec_begin_new_image(struct linux_binprm *bprm);
void exec_finish(struct linux_binprm *bprm, uaddr_t entry, uaddr_t sp);
/* Builds argc/argv/envp/auxv on the new stack; returns the initial sp. */
long exec_setup_stack(struct linux_binprm *bprm, const u64 *auxv, int nauxv);

/* Runs a program from the kernel (init). 0 on success (the task now runs
 * the new image), -errno when nothing changed. */
int kernel_execve(const char *path, const char *const *argv,
		  const char *const *envp);

#endif
