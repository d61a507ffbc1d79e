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
	.section .note.GNU-stack,"",@progbits
