// SPDX-License-Identifier: GPL-2.0
/*
 * The seccomp program every guest process runs under.
 *
 * System calls from anywhere but the stub's code trap (SIGSYS) to the
 * stub, which hands them to the kernel. System calls from the stub's code
 * are allowed only from a short list, and the mapping calls among them only
 * below the stub's code (STUB_MAP_LIMIT_HI) with lengths under 4 GiB (and
 * one munmap of exactly the guest's range, for execve), so a guest that
 * jumps into the stub with registers of its choosing can neither replace
 * the stub's code nor do anything a guest could not ask the kernel for
 * anyway. Anything else from the stub kills the process.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <sys/prctl.h>

#include "systrap.h"
#include "../stub/stub.h"

#define OFF_NR		offsetof(struct seccomp_data, nr)
#define OFF_ARCH	offsetof(struct seccomp_data, arch)
#define OFF_IP_LO	offsetof(struct seccomp_data, instruction_pointer)
#define OFF_IP_HI	(OFF_IP_LO + 4)
#define OFF_ARG_LO(n)	(offsetof(struct seccomp_data, args) + 8 * (n))
#define OFF_ARG_HI(n)	(OFF_ARG_LO(n) + 4)

enum { L_TRAP = 1000, L_ALLOW, L_KILL, L_MAP, L_MREMAP, L_CLONE, L_PRCTL,
       L_MUNMAP };

struct asm_state {
	struct sock_filter *out;
	int n, max;
	int label_at[16];
	int fixup_jt[256], fixup_jf[256];
};

static void emit(struct asm_state *a, uint16_t code, uint32_t k, int jt, int jf)
{
	if (a->n >= a->max)
		return;
	a->fixup_jt[a->n] = jt;
	a->fixup_jf[a->n] = jf;
	a->out[a->n++] = (struct sock_filter){ code, 0, 0, k };
}

static void label(struct asm_state *a, int l)
{
	a->label_at[l - L_TRAP] = a->n;
}

/* Jump targets below L_TRAP are relative skips; labels are resolved here. */
static int resolve(struct asm_state *a)
{
	for (int i = 0; i < a->n; i++) {
		int t[2] = { a->fixup_jt[i], a->fixup_jf[i] };
		for (int j = 0; j < 2; j++) {
			int off = t[j];
			if (off >= L_TRAP)
				off = a->label_at[off - L_TRAP] - i - 1;
			if (off < 0 || off > 255)
				return -EINVAL;
			if (j == 0)
				a->out[i].jt = (uint8_t)off;
			else
				a->out[i].jf = (uint8_t)off;
		}
	}
	return 0;
}

#define LD(off)		emit(a, BPF_LD | BPF_W | BPF_ABS, (off), 0, 0)
#define JEQ(k, t, f)	emit(a, BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define JGE(k, t, f)	emit(a, BPF_JMP | BPF_JGE | BPF_K, (k), (t), (f))
#define RET(v)		emit(a, BPF_RET | BPF_K, (v), 0, 0)

/* Requires the high word of argument n to be below the mapping limit. */
static void check_addr(struct asm_state *a, int n)
{
	LD(OFF_ARG_HI(n));
	JGE(STUB_MAP_LIMIT_HI, L_KILL, 0);
}

static void check_len(struct asm_state *a, int n)
{
	LD(OFF_ARG_HI(n));
	JEQ(0, 0, L_KILL);
}

int systrap_build_filter(void *buf, size_t size, uint64_t text_start,
			 uint64_t text_end)
{
	static struct asm_state st;
	struct asm_state *a = &st;
	static const int allowed[] = {
		SYS_futex, SYS_rt_sigreturn, SYS_exit, SYS_exit_group,
		SYS_recvmsg, SYS_close, SYS_dup2, SYS_sigaltstack,
		SYS_arch_prctl, SYS_getppid, SYS_sched_yield,
		SYS_rt_sigprocmask,
	};
	int r;

	if ((text_start >> 32) != (text_end >> 32) ||
	    (text_start >> 32) != (STUB_CODE_ADDR >> 32))
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	a->out = buf;
	a->max = (int)(size / sizeof(struct sock_filter));

	LD(OFF_ARCH);
	JEQ(AUDIT_ARCH_X86_64, 0, L_TRAP);
	LD(OFF_IP_HI);
	JEQ((uint32_t)(text_start >> 32), 0, L_TRAP);
	LD(OFF_IP_LO);
	JGE((uint32_t)text_start, 0, L_TRAP);
	JGE((uint32_t)text_end, L_TRAP, 0);
	/* From here on the call comes from the stub's code. */
	LD(OFF_NR);
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		JEQ((uint32_t)allowed[i], L_ALLOW, 0);
	JEQ(SYS_mmap, L_MAP, 0);
	JEQ(SYS_munmap, L_MUNMAP, 0);
	JEQ(SYS_mprotect, L_MAP, 0);
	JEQ(SYS_madvise, L_MAP, 0);
	JEQ(SYS_mremap, L_MREMAP, 0);
	JEQ(SYS_clone, L_CLONE, 0);
	JEQ(SYS_prctl, L_PRCTL, 0);
	RET(SECCOMP_RET_KILL_PROCESS);

	/*
	 * execve in place: the guest's whole range in two calls, around the
	 * hole with the patch slot table, and nothing above it
	 */
	label(a, L_MUNMAP);
	LD(OFF_ARG_HI(0));
	JEQ(0, 0, L_MAP);
	LD(OFF_ARG_LO(0));
	JEQ((uint32_t)STUB_GUEST_LOW, 0, 4);	/* else the other range */
	LD(OFF_ARG_LO(1));
	JEQ((uint32_t)(STUB_PATCH_TABLE - STUB_GUEST_LOW), 0, L_MAP);
	LD(OFF_ARG_HI(1));
	JEQ(0, L_ALLOW, L_MAP);
	JEQ((uint32_t)STUB_PATCH_HOLE_END, 0, L_MAP);	/* A: still arg 0 */
	LD(OFF_ARG_LO(1));
	JEQ((uint32_t)(GUEST_TASK_SIZE - STUB_PATCH_HOLE_END), 0, L_MAP);
	LD(OFF_ARG_HI(1));
	JEQ((uint32_t)((GUEST_TASK_SIZE - STUB_PATCH_HOLE_END) >> 32),
	    L_ALLOW, L_MAP);

	label(a, L_MAP);
	check_addr(a, 0);
	check_len(a, 1);
	RET(SECCOMP_RET_ALLOW);

	label(a, L_MREMAP);
	check_addr(a, 0);
	check_len(a, 1);
	check_len(a, 2);
	check_addr(a, 4);
	RET(SECCOMP_RET_ALLOW);

	label(a, L_CLONE);
	LD(OFF_ARG_HI(0));
	JEQ(0, 0, L_KILL);
	LD(OFF_ARG_LO(0));
	JEQ((uint32_t)STUB_CLONE_FORK, L_ALLOW, 0);
	JEQ((uint32_t)STUB_CLONE_VM, L_ALLOW, 0);
	JEQ((uint32_t)STUB_CLONE_THREAD, L_ALLOW, L_KILL);

	label(a, L_PRCTL);
	LD(OFF_ARG_LO(0));
	JEQ(PR_SET_PDEATHSIG, L_ALLOW, L_KILL);

	label(a, L_TRAP);
	RET(SECCOMP_RET_TRAP);
	label(a, L_ALLOW);
	RET(SECCOMP_RET_ALLOW);
	label(a, L_KILL);
	RET(SECCOMP_RET_KILL_PROCESS);

	if (a->n >= a->max)
		return -ENOSPC;
	r = resolve(a);
	return r < 0 ? r : a->n;
}
