// SPDX-License-Identifier: GPL-2.0
/*
 * systrap: the FPU image of a thread's current event.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elf.h>
#include <linux/futex.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/personality.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "kern/platform.h"
#include "systrap.h"
#include "../stub/stub.h"

/* ---- FPU images ---- */

#define FP_XSTATE_MAGIC1	0x46505853U
#define FP_XSTATE_MAGIC2	0x46505845U

/* Size of the image at fp, from its software-reserved bytes. */
static size_t image_size(const unsigned char *fp, size_t max)
{
	uint32_t magic1, ext;

	memcpy(&magic1, fp + 464, 4);
	memcpy(&ext, fp + 468, 4);
	/* legacy area, XSAVE header, and MAGIC2 after the extended state */
	if (magic1 == FP_XSTATE_MAGIC1 && ext >= 512 + 64 + 4 && ext <= max)
		return ext;
	return 512;
}

static unsigned char *cur_fpu(struct plat_thread *th, size_t *len)
{
	uint64_t *sc = cur_mcontext(th);
	unsigned char *fp;
	uint64_t at;

	if (!sc)
		return NULL;
	/* read once: the guest may change it under us */
	at = __atomic_load_n(&sc[SC_FPSTATE], __ATOMIC_RELAXED);
	fp = at ? region_ptr(th, at, 512, STUB_FPU_OFF) : NULL;
	if (!fp)
		return NULL;
	*len = image_size(fp, STUB_REGION_SIZE - (at - th->gaddr));
	return fp;
}

size_t plat_fpu_size(void)
{
	return fpu_size;
}

int plat_fpu_save(struct plat_thread *th, void *buf, size_t len)
{
	size_t n;
	unsigned char *fp = cur_fpu(th, &n);

	memset(buf, 0, len);
	if (!fp) {
		/* initial state: x87 control word and MXCSR defaults */
		if (len >= 512) {
			uint16_t fcw = 0x37f;
			uint32_t mxcsr = 0x1f80;
			memcpy(buf, &fcw, 2);
			memcpy((char *)buf + 24, &mxcsr, 4);
		}
		return 0;
	}
	if (n > len)
		n = len;
	memcpy(buf, fp, n);
	return 0;
}

int plat_fpu_load(struct plat_thread *th, const void *buf, size_t len)
{
	size_t n;
	unsigned char *fp = cur_fpu(th, &n);
	uint32_t mxcsr;

	if (!fp || len < 512)
		return -EFAULT;
	patch_fpu_dirty(th);
	/* Keep the host's software bytes and XSAVE header, take the rest. */
	memcpy(fp, buf, 464);
	memcpy(&mxcsr, fp + 24, 4);
	mxcsr &= 0xffff;
	memcpy(fp + 24, &mxcsr, 4);
	if (n >= 576 + 4 && len >= n) {
		uint64_t host_bv, guest_bv;

		memcpy(&host_bv, fp + 512, 8);
		memcpy(&guest_bv, (const char *)buf + 512, 8);
		memcpy(fp + 576, (const char *)buf + 576, n - 576 - 4);
		guest_bv &= host_bv | 3;
		memcpy(fp + 512, &guest_bv, 8);
	}
	return 0;
}

/* The copy of a thread starts with its parent's FPU state. */
void copy_fpu_to_child(struct plat_thread *parent,
		       struct plat_thread *child)
{
	size_t n, at;
	unsigned char *fp = cur_fpu(parent, &n);
	uint64_t *sc = cur_mcontext(child);

	if (!sc)
		return;
	if (!fp || n > STUB_FPU_MAX) {
		sc[SC_FPSTATE] = 0;
		return;
	}
	at = (STUB_ENTRY_UC_OFF - 8 - n) & ~(size_t)63;	/* XSAVE alignment */
	memcpy((char *)child->d + at, fp, n);
	sc[SC_FPSTATE] = child->gaddr + at;
	/* uc_flags: UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
	*(uint64_t *)((char *)sc - UC_MCONTEXT_OFF + UC_FLAGS_OFF) = 0x7;
}

/* Back to the initial x87 and SSE state, every XSAVE component init. */
void fpu_reset(struct plat_thread *th)
{
	size_t n;
	unsigned char *fp = cur_fpu(th, &n);
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;

	if (!fp)
		return;
	patch_fpu_dirty(th);
	memset(fp, 0, 464);
	memcpy(fp, &fcw, 2);
	memcpy(fp + 24, &mxcsr, 4);
	if (n >= 576 + 4)
		memset(fp + 512, 0, 8);		/* XSTATE_BV */
}
