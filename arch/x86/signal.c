// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 signal frames: building the rt_sigframe a handler runs on,
 * rt_sigreturn, and the alternate signal stack. The frame is the guest ABI
 * (glibc, musl and unwinders read it): the layouts below are Linux's
 * <asm/sigcontext.h> and <asm/ucontext.h>.
 *
 *	sp ->	pretcode (sa_restorer: the handler's return address)
 *		struct ucontext  uc
 *		struct siginfo   info
 *		...
 *		FPU image (XSAVE layout), 64-byte aligned, uc_mcontext.fpstate
 *		128-byte red zone of the interrupted code
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include <asm/sigcontext.h>

#define UC_FP_XSTATE		0x1
#define UC_SIGCONTEXT_SS	0x2
#define UC_STRICT_RESTORE_SS	0x4

#define FP_XSTATE_MAGIC1	0x46505853U
#define FP_XSTATE_MAGIC2	0x46505845U
#define FP_SW_BYTES_OFF		464
#define FXSAVE_SIZE		512

#define USER_CS			0x33
#define USER_DS			0x2b

/* eflags bits user code may change: AC OF DF TF SF ZF AF PF CF RF */
#define FIX_EFLAGS		(0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | \
				 0x40 | 0x10 | 0x4 | 0x1 | 0x10000)
#define EFLAGS_TF		0x100
#define EFLAGS_DF		0x400
#define EFLAGS_RF		0x10000

#define REDZONE			128

/* <asm/sigcontext.h> struct sigcontext, with fpstate as a guest address */
struct user_sigcontext {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	u16 cs, gs, fs, ss;
	u64 err, trapno, oldmask, cr2;
	u64 fpstate;
	u64 reserved1[8];
};

struct user_stack {
	u64 ss_sp;
	s32 ss_flags;
	s32 __pad;
	u64 ss_size;
};

struct user_ucontext {
	u64 uc_flags;
	u64 uc_link;
	struct user_stack uc_stack;
	struct user_sigcontext uc_mcontext;
	u64 uc_sigmask;
};

struct rt_sigframe {
	u64 pretcode;
	struct user_ucontext uc;
	struct ksiginfo info;
};

BUILD_BUG_ON(sizeof(struct user_stack) != 24);
BUILD_BUG_ON(sizeof(struct user_sigcontext) != sizeof(struct sigcontext));
BUILD_BUG_ON(offsetof(struct user_sigcontext, eflags) !=
	     offsetof(struct sigcontext, eflags));
BUILD_BUG_ON(offsetof(struct user_sigcontext, ss) !=
	     offsetof(struct sigcontext, ss));
BUILD_BUG_ON(offsetof(struct user_sigcontext, fpstate) !=
	     offsetof(struct sigcontext, fpstate));
BUILD_BUG_ON(offsetof(struct user_ucontext, uc_mcontext) != 40);
BUILD_BUG_ON(offsetof(struct user_ucontext, uc_sigmask) != 296);
BUILD_BUG_ON(offsetof(struct rt_sigframe, info) != 312);

/* ---- the alternate stack ---- */

static bool within_sig_stack(struct task *t, uaddr_t sp)
{
	return sp > t->sas_ss_sp && sp - t->sas_ss_sp <= t->sas_ss_size;
}

/*
 * With SS_AUTODISARM the handler may legitimately run on a stack that is
 * no longer registered, and new signals start over at its top.
 */
bool on_sig_stack(struct task *t, uaddr_t sp)
{
	if (t->sas_ss_flags & SS_AUTODISARM)
		return false;
	return within_sig_stack(t, sp);
}

int sas_ss_flags(struct task *t, uaddr_t sp)
{
	if (!t->sas_ss_size)
		return SS_DISABLE;
	return on_sig_stack(t, sp) ? SS_ONSTACK : 0;
}

static int do_sigaltstack(struct task *t, const struct user_stack *ss,
			  struct user_stack *oss, uaddr_t sp)
{
	if (oss) {
		memset(oss, 0, sizeof(*oss));
		oss->ss_sp = t->sas_ss_sp;
		oss->ss_size = t->sas_ss_size;
		oss->ss_flags = sas_ss_flags(t, sp) |
				(int)(t->sas_ss_flags & SS_AUTODISARM);
	}
	if (ss) {
		unsigned int flags = (unsigned int)ss->ss_flags;
		unsigned int mode = flags & ~SS_AUTODISARM;
		u64 ssp = ss->ss_sp, size = ss->ss_size;

		if (on_sig_stack(t, sp))
			return -EPERM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			ssp = 0;
			size = 0;
		} else if (size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		t->sas_ss_sp = ssp;
		t->sas_ss_size = size;
		t->sas_ss_flags = flags;
	}
	return 0;
}

SYSCALL_DEFINE2(sigaltstack, uaddr_t, uss, uaddr_t, uoss)
{
	struct task *t = current;
	struct user_stack ss, oss;
	int r;

	if (uss && copy_from_user(&ss, uss, sizeof(ss)))
		return -EFAULT;
	r = do_sigaltstack(t, uss ? &ss : NULL, &oss, t->regs.rsp);
	if (!r && uoss && copy_to_user(uoss, &oss, sizeof(oss)))
		r = -EFAULT;
	return r;
}

/* ---- frames ---- */

static size_t fpu_frame_size(void)
{
	size_t n = plat_fpu_size();

	return n < FXSAVE_SIZE ? FXSAVE_SIZE : n;
}

static bool fpu_is_xstate(const u8 *fp, size_t len)
{
	u32 magic1, ext;

	if (len < FXSAVE_SIZE + 64)
		return false;
	memcpy(&magic1, fp + FP_SW_BYTES_OFF, 4);
	memcpy(&ext, fp + FP_SW_BYTES_OFF + 4, 4);
	return magic1 == FP_XSTATE_MAGIC1 && ext <= len;
}

/* The state a handler starts with: the x87 and SSE defaults. */
static void fpu_init_image(u8 *buf)
{
	u16 fcw = 0x37f;
	u32 mxcsr = 0x1f80;

	memset(buf, 0, FXSAVE_SIZE);
	memcpy(buf, &fcw, 2);
	memcpy(buf + 24, &mxcsr, 4);
}

static void fill_sigcontext(struct task *t, struct user_sigcontext *sc,
			    ksigset_t oldmask, uaddr_t fpstate)
{
	const struct plat_regs *r = &t->regs;

	memset(sc, 0, sizeof(*sc));
	sc->r8 = r->r8;
	sc->r9 = r->r9;
	sc->r10 = r->r10;
	sc->r11 = r->r11;
	sc->r12 = r->r12;
	sc->r13 = r->r13;
	sc->r14 = r->r14;
	sc->r15 = r->r15;
	sc->rdi = r->rdi;
	sc->rsi = r->rsi;
	sc->rbp = r->rbp;
	sc->rbx = r->rbx;
	sc->rdx = r->rdx;
	sc->rax = r->rax;
	sc->rcx = r->rcx;
	sc->rsp = r->rsp;
	sc->rip = r->rip;
	sc->eflags = r->eflags;
	sc->cs = USER_CS;
	sc->ss = USER_DS;
	sc->err = t->fault_err;
	sc->trapno = t->fault_trapno;
	sc->oldmask = oldmask;
	sc->cr2 = t->fault_addr;
	sc->fpstate = fpstate;
}

int setup_rt_frame(struct task *t, int sig, struct k_sigaction *ka,
		   const struct ksiginfo *info, ksigset_t oldmask)
{
	struct plat_regs *r = &t->regs;
	bool nested = on_sig_stack(t, r->rsp), entering = false;
	size_t fpsize = fpu_frame_size();
	struct rt_sigframe frame;
	uaddr_t sp, fp, fsp;
	u8 *fpu;
	int err;

	/* x86-64 has no kernel trampoline: the return path is the guest's */
	if (!(ka->flags & SA_RESTORER))
		return -EFAULT;
	sp = r->rsp - REDZONE;
	if ((ka->flags & SA_ONSTACK) && sas_ss_flags(t, sp) == 0) {
		sp = t->sas_ss_sp + t->sas_ss_size;
		entering = true;
	}
	fp = ALIGN_DOWN(sp - fpsize, 64);
	fsp = ALIGN_DOWN(fp - sizeof(frame), 16) - 8;
	/* an overflowing alternate stack must not spill below it */
	if ((nested || entering) && !within_sig_stack(t, fsp))
		return -EFAULT;
	if (fp > sp || fsp > fp || !access_ok(fsp, sp - fsp))
		return -EFAULT;

	fpu = kmalloc(fpsize);
	if (!fpu)
		return -ENOMEM;
	err = plat_fpu_save(t->pth, fpu, fpsize);
	if (!err)
		err = copy_to_user(fp, fpu, fpsize);

	memset(&frame, 0, sizeof(frame));
	frame.pretcode = ka->restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	if (fpu_is_xstate(fpu, fpsize))
		frame.uc.uc_flags |= UC_FP_XSTATE;
	frame.uc.uc_stack.ss_sp = t->sas_ss_sp;
	frame.uc.uc_stack.ss_size = t->sas_ss_size;
	frame.uc.uc_stack.ss_flags = (int)t->sas_ss_flags;
	fill_sigcontext(t, &frame.uc.uc_mcontext, oldmask, fp);
	frame.uc.uc_sigmask = oldmask;
	frame.info = *info;
	if (!err)
		err = copy_to_user(fsp, &frame, sizeof(frame));
	if (err) {
		kfree(fpu);
		return err;
	}

	/* the handler starts with a clean FPU, like a new function call */
	fpu_init_image(fpu);
	plat_fpu_load(t->pth, fpu, FXSAVE_SIZE);
	kfree(fpu);

	r->rdi = (u64)sig;
	r->rsi = fsp + offsetof(struct rt_sigframe, info);
	r->rdx = fsp + offsetof(struct rt_sigframe, uc);
	r->rax = 0;
	r->rsp = fsp;
	r->rip = ka->handler;
	r->eflags &= ~(u64)(EFLAGS_DF | EFLAGS_RF | EFLAGS_TF);
	r->cs = USER_CS;
	r->ss = USER_DS;
	return 0;
}

/*
 * The FPU image the guest left at fpstate. A guest is free to have
 * scribbled on it; the platform sanitises what it loads.
 */
static int restore_fpu(struct task *t, u64 uc_flags, uaddr_t fpstate)
{
	size_t max = fpu_frame_size(), len = FXSAVE_SIZE;
	u8 *buf;
	int r;

	buf = kmalloc(max);
	if (!buf)
		return -ENOMEM;
	if (!fpstate) {
		fpu_init_image(buf);
		goto load;
	}
	if (fpstate & 15) {
		r = -EFAULT;
		goto out;
	}
	r = copy_from_user(buf, fpstate, FXSAVE_SIZE);
	if (r)
		goto out;
	if ((uc_flags & UC_FP_XSTATE) && max > FXSAVE_SIZE) {
		u32 magic1, ext, magic2;

		memcpy(&magic1, buf + FP_SW_BYTES_OFF, 4);
		memcpy(&ext, buf + FP_SW_BYTES_OFF + 4, 4);
		if (magic1 == FP_XSTATE_MAGIC1 && ext >= FXSAVE_SIZE + 64 + 4 &&
		    ext <= max && !(fpstate & 63) &&
		    !get_user(magic2, fpstate + ext - 4) &&
		    magic2 == FP_XSTATE_MAGIC2) {
			r = copy_from_user(buf + FXSAVE_SIZE,
					   fpstate + FXSAVE_SIZE,
					   ext - FXSAVE_SIZE);
			if (r)
				goto out;
			len = ext;
		}
	}
load:
	r = plat_fpu_load(t->pth, buf, len);
out:
	kfree(buf);
	return r;
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct task *t = current;
	struct plat_regs *r = &t->regs;
	uaddr_t sp = r->rsp, frame = sp - 8;
	struct user_ucontext uc;
	struct user_sigcontext *sc = &uc.uc_mcontext;
	struct user_stack ss;

	if (copy_from_user(&uc, frame + offsetof(struct rt_sigframe, uc),
			   sizeof(uc)))
		goto bad;
	set_current_blocked(t, uc.uc_sigmask);
	r->r8 = sc->r8;
	r->r9 = sc->r9;
	r->r10 = sc->r10;
	r->r11 = sc->r11;
	r->r12 = sc->r12;
	r->r13 = sc->r13;
	r->r14 = sc->r14;
	r->r15 = sc->r15;
	r->rdi = sc->rdi;
	r->rsi = sc->rsi;
	r->rbp = sc->rbp;
	r->rbx = sc->rbx;
	r->rdx = sc->rdx;
	r->rax = sc->rax;
	r->rcx = sc->rcx;
	r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->eflags = (r->eflags & ~(u64)FIX_EFLAGS) |
		    (sc->eflags & FIX_EFLAGS);
	r->cs = USER_CS;
	r->ss = USER_DS;
	/* not a system call any more: nothing to restart */
	r->orig_rax = (u64)-1;
	if (restore_fpu(t, uc.uc_flags, sc->fpstate))
		goto bad;
	ss = uc.uc_stack;
	/*
	 * A bad saved stack is ignored, as Linux does; like Linux, "on the
	 * stack" is judged by where the frame is, not where we return to.
	 */
	do_sigaltstack(t, &ss, NULL, sp);
	return (long)r->rax;
bad:
	force_sig(SIGSEGV);
	return 0;
}
