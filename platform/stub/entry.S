/* SPDX-License-Identifier: GPL-2.0 */
/* Entry points of the stub that must be written without a C frame. */
#include "stub.h"

	.section .text.entry, "ax"

/* The zygote starts here, on the host's initial stack. */
	.globl _start
_start:
	xor	%ebp, %ebp
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	stub_zygote_main
	hlt

/*
 * long stub_clone(unsigned long flags, void *child_stack, int *child_tid)
 * The child starts on child_stack (the top of its own region) and never
 * returns here: it enters stub_child_main with the region in %rdi.
 */
	.globl stub_clone
stub_clone:
	mov	%rdx, %r10		/* child_tidptr */
	mov	%rdi, %rdi		/* flags */
	xor	%edx, %edx		/* parent_tidptr */
	xor	%r8d, %r8d		/* tls */
	mov	$56, %eax		/* __NR_clone */
	syscall
	test	%rax, %rax
	jnz	1f
	/* child: %rsp is the top of its region */
	mov	%rsp, %rdi
	sub	$1, %rdi
	and	$-STUB_REGION_SIZE, %rdi
	and	$-16, %rsp
	call	stub_child_main
	hlt
1:	ret

/*
 * void stub_enter(void *uc)
 * Enters guest code through rt_sigreturn on a frame we built ourselves:
 * %rsp must point at the ucontext, just past the frame's return address.
 */
	.globl stub_enter
stub_enter:
	mov	%rdi, %rsp
	mov	$15, %eax		/* __NR_rt_sigreturn */
	syscall
	hlt

/* Signal return trampoline for the stub's own handlers. */
	.globl stub_restorer
stub_restorer:
	mov	$15, %eax
	syscall
	hlt

/* long stub_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5) */
	.globl stub_syscall6
stub_syscall6:
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
	syscall
	ret

/*
 * Patched system call sites. Site k's "jmp *slot" lands on entry k, with
 * the guest's registers live and its stack untouched (the red zone below
 * %rsp may hold data): %rcx and %r11 are free, as the syscall instruction
 * would have clobbered them; %r11 carries k to the common part.
 */
#define MC(r)	(STUB_PATCH_MC_OFF + 8 * SC_##r)

	.p2align 4
	.globl stub_patch_entries
stub_patch_entries:
	.set k, 0
	.rept STUB_PATCH_KIND_SLOTS		/* "mov $nr,%eax" replaced */
	.balign STUB_PATCH_ENTRY_SIZE
	mov	$k, %r11d
	jmp	stub_patch_common
	.set k, k + 1
	.endr
	.rept STUB_PATCH_KIND_SLOTS		/* "mov 0x8(%rsp),%r9" replaced */
	.balign STUB_PATCH_ENTRY_SIZE
	mov	0x8(%rsp), %r9
	mov	$k, %r11d
	jmp	stub_patch_common
	.set k, k + 1
	.endr
	.globl stub_patch_entries_end
stub_patch_entries_end:

stub_patch_common:
	mov	%rsp, %gs:MC(RSP)
	mov	%gs:SP_SELF, %rsp
	lea	STUB_REGION_SIZE(%rsp), %rsp	/* lea: the flags are not saved yet */
	pushfq
	pop	%rcx
	mov	%rcx, %gs:MC(EFLAGS)
	mov	%r11, %gs:SP_SLOT
	mov	%rax, %gs:MC(RAX)
	mov	%r8, %gs:MC(R8)
	mov	%r9, %gs:MC(R9)
	mov	%r10, %gs:MC(R10)
	mov	%r12, %gs:MC(R12)
	mov	%r13, %gs:MC(R13)
	mov	%r14, %gs:MC(R14)
	mov	%r15, %gs:MC(R15)
	mov	%rdi, %gs:MC(RDI)
	mov	%rsi, %gs:MC(RSI)
	mov	%rbp, %gs:MC(RBP)
	mov	%rbx, %gs:MC(RBX)
	mov	%rdx, %gs:MC(RDX)
	mov	%gs:SP_SELF, %rdi
	mov	$-1, %eax
	mov	$-1, %edx
	xsave	STUB_PATCH_FPU_OFF(%rdi)
	cld
	call	stub_patch_serve
/*
 * Back to guest code without a system call, when the kernel's answer
 * leaves %rcx and %r11 as a syscall instruction would (the return address
 * and the flags) and the FPU as saved. An interrupt that arrived since
 * the entry is answered first; one arriving from here to the jump finds
 * the guest's registers where it can take them instead (stub.c).
 */
	.globl stub_patch_ret_start
stub_patch_ret_start:
	cmpq	$0, %gs:SP_INTR
	jne	1f
	mov	%gs:MC(R8), %r8
	mov	%gs:MC(R9), %r9
	mov	%gs:MC(R10), %r10
	mov	%gs:MC(R12), %r12
	mov	%gs:MC(R13), %r13
	mov	%gs:MC(R14), %r14
	mov	%gs:MC(R15), %r15
	mov	%gs:MC(RDI), %rdi
	mov	%gs:MC(RSI), %rsi
	mov	%gs:MC(RBP), %rbp
	mov	%gs:MC(RBX), %rbx
	mov	%gs:MC(RDX), %rdx
	mov	%gs:MC(RAX), %rax
	pushq	%gs:MC(EFLAGS)
	popfq
	mov	%gs:MC(R11), %r11
	mov	%gs:MC(RIP), %rcx
	mov	%gs:MC(RSP), %rsp
	jmp	*%rcx
	.globl stub_patch_ret_end
stub_patch_ret_end:
1:	mov	%gs:SP_SELF, %rdi
	call	stub_patch_interrupted
	jmp	stub_patch_ret_start
	.section .note.GNU-stack,"",@progbits
