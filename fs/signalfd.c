// SPDX-License-Identifier: GPL-2.0
/*
 * signalfd, signalfd4: signals read from a file. The file holds only a
 * mask; reading takes signals of that mask from the reader's own pending
 * sets (kernel/signal.c's dequeue_signal, as sigtimedwait does), so the
 * signals are normally blocked to stay pending rather than be delivered.
 * Readiness is the reader's too: poll asks about the polling task, and the
 * signal code wakes the sighand's signalfd queue whenever it queues a
 * signal, blocked ones included.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/signal.h"

#define SFD_CLOEXEC	O_CLOEXEC
#define SFD_NONBLOCK	O_NONBLOCK

/* struct signalfd_siginfo (<linux/signalfd.h>): 128 bytes */
struct signalfd_siginfo {
	u32 ssi_signo;
	s32 ssi_errno;
	s32 ssi_code;
	u32 ssi_pid;
	u32 ssi_uid;
	s32 ssi_fd;
	u32 ssi_tid;
	u32 ssi_band;
	u32 ssi_overrun;
	u32 ssi_trapno;
	s32 ssi_status;
	s32 ssi_int;
	u64 ssi_ptr;
	u64 ssi_utime;
	u64 ssi_stime;
	u64 ssi_addr;
	u16 ssi_addr_lsb;
	u16 __pad2;
	s32 ssi_syscall;
	u64 ssi_call_addr;
	u32 ssi_arch;
	u8 __pad[28];
};
_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo");

struct signalfd_ctx {
	ksigset_t mask;
};

/* Which union member of siginfo holds the data (Linux's siginfo layouts). */
enum sil { SIL_KILL, SIL_TIMER, SIL_POLL, SIL_FAULT, SIL_CHLD, SIL_RT,
	   SIL_SYS };

static enum sil siginfo_layout(int sig, int code)
{
	static const struct { int sig, limit; enum sil layout; } kinds[] = {
		{ SIGILL, 11, SIL_FAULT }, { SIGFPE, 15, SIL_FAULT },
		{ SIGSEGV, 9, SIL_FAULT }, { SIGBUS, 5, SIL_FAULT },
		{ SIGTRAP, 6, SIL_FAULT }, { SIGCHLD, 6, SIL_CHLD },
		{ SIGIO, 6, SIL_POLL }, { SIGSYS, 2, SIL_SYS },
	};

	if (code > SI_USER && code < SI_KERNEL) {
		for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
			if (kinds[i].sig == sig && code <= kinds[i].limit)
				return kinds[i].layout;
		return code <= 6 ? SIL_POLL : SIL_KILL;
	}
	if (code == SI_TIMER)
		return SIL_TIMER;
	if (code == SI_SIGIO)
		return SIL_POLL;
	return code < 0 ? SIL_RT : SIL_KILL;
}

static void to_ssi(const struct ksiginfo *info, struct signalfd_siginfo *ssi)
{
	memset(ssi, 0, sizeof(*ssi));
	ssi->ssi_signo = (u32)info->si_signo;
	ssi->ssi_errno = info->si_errno;
	ssi->ssi_code = info->si_code;
	switch (siginfo_layout(info->si_signo, info->si_code)) {
	case SIL_KILL:
		ssi->ssi_pid = (u32)info->kill.pid;
		ssi->ssi_uid = info->kill.uid;
		break;
	case SIL_TIMER:
		ssi->ssi_tid = (u32)info->timer.tid;
		ssi->ssi_overrun = (u32)info->timer.overrun;
		ssi->ssi_ptr = info->timer.sigval;
		ssi->ssi_int = (s32)info->timer.sigval;
		break;
	case SIL_POLL:
		ssi->ssi_band = (u32)info->poll.band;
		ssi->ssi_fd = info->poll.fd;
		break;
	case SIL_FAULT:
		ssi->ssi_addr = info->fault.addr;
		if (info->si_signo == SIGBUS && (info->si_code == 4 ||
						 info->si_code == 5))
			ssi->ssi_addr_lsb = (u16)info->fault.addr_lsb;
		break;
	case SIL_CHLD:
		ssi->ssi_pid = (u32)info->chld.pid;
		ssi->ssi_uid = info->chld.uid;
		ssi->ssi_status = info->chld.status;
		ssi->ssi_utime = (u64)info->chld.utime;
		ssi->ssi_stime = (u64)info->chld.stime;
		break;
	case SIL_RT:
		ssi->ssi_pid = (u32)info->rt.pid;
		ssi->ssi_uid = info->rt.uid;
		ssi->ssi_ptr = info->rt.sigval;
		ssi->ssi_int = (s32)info->rt.sigval;
		break;
	case SIL_SYS:
		ssi->ssi_call_addr = info->sys.call_addr;
		ssi->ssi_syscall = info->sys.syscall;
		ssi->ssi_arch = info->sys.arch;
		break;
	}
}

/* One signal of the mask, waiting for it unless nonblock: sig or -errno. */
static int signalfd_dequeue(struct signalfd_ctx *ctx, struct ksiginfo *info,
			    bool nonblock)
{
	struct wait_queue_head *wqh = signalfd_wqh(current);
	DEFINE_WAIT(w);
	int sig;

	sig = dequeue_signal(current, ctx->mask, info);
	if (sig || nonblock)
		return sig ? sig : -EAGAIN;
	if (!wqh)
		return -EAGAIN;
	for (;;) {
		prepare_to_wait(wqh, &w);
		sig = dequeue_signal(current, ctx->mask, info);
		if (sig)
			break;
		if (signal_pending(current)) {
			sig = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(wqh, &w);
	return sig;
}

static ssize_t signalfd_read(struct file *f, uaddr_t buf, size_t len,
			     loff_t *pos)
{
	struct signalfd_ctx *ctx = f->c.private_data;
	struct signalfd_siginfo ssi;
	struct ksiginfo info;
	size_t n = len / sizeof(ssi), done = 0;
	bool nonblock = f->c.f_flags & O_NONBLOCK;
	int r = 0;

	(void)pos;
	if (!n)
		return -EINVAL;
	while (done < n) {
		r = signalfd_dequeue(ctx, &info, nonblock);
		if (r <= 0)
			break;
		to_ssi(&info, &ssi);
		if (copy_to_user(buf + done * sizeof(ssi), &ssi, sizeof(ssi))) {
			r = -EFAULT;
			break;
		}
		done++;
		nonblock = true;	/* only the first one waits */
	}
	return done ? (ssize_t)(done * sizeof(ssi)) : r;
}

static unsigned int signalfd_poll(struct file *f, struct poll_table *pt)
{
	struct signalfd_ctx *ctx = f->c.private_data;
	struct wait_queue_head *wqh;

	if (!current)
		return 0;
	wqh = signalfd_wqh(current);
	if (wqh)
		poll_wait(f, wqh, pt);
	return signals_pending_in(current, ctx->mask) ? POLLIN | POLLRDNORM
						      : 0;
}

static void signalfd_release(struct inode *inode, struct file *f)
{
	(void)inode;
	kfree(f->c.private_data);
}

static int signalfd_show_fdinfo(struct file *f, struct seq *s)
{
	struct signalfd_ctx *ctx = f->c.private_data;

	return seq_printf(s, "sigmask:\t%016llx\n",
			  (unsigned long long)ctx->mask);
}

static const struct file_operations signalfd_fops = {
	.read = signalfd_read,
	.poll = signalfd_poll,
	.release = signalfd_release,
	.llseek = no_llseek,
	.show_fdinfo = signalfd_show_fdinfo,
};

static long do_signalfd4(int ufd, uaddr_t umask, size_t sizemask, int flags)
{
	struct signalfd_ctx *ctx;
	ksigset_t mask;
	struct file *f;
	int fd;

	if (sizemask != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	mask &= ~KERNEL_ONLY_MASK;
	if (ufd != -1) {
		f = fdget(ufd);
		if (!f)
			return -EBADF;
		if (f->c.f_op != &signalfd_fops) {
			fput(f);
			return -EINVAL;
		}
		ctx = f->c.private_data;
		ctx->mask = mask;
		fput(f);
		if (signalfd_wqh(current))
			wake_up(signalfd_wqh(current));
		return ufd;
	}
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->mask = mask;
	fd = anon_inode_getfd("[signalfd]", &signalfd_fops, ctx,
			      O_RDWR | (flags & (O_NONBLOCK | O_CLOEXEC)));
	if (fd < 0)
		kfree(ctx);
	return fd;
}

SYSCALL_DEFINE4(signalfd4, int, ufd, uaddr_t, umask, size_t, sizemask,
		int, flags)
{
	return do_signalfd4(ufd, umask, sizemask, flags);
}

SYSCALL_DEFINE3(signalfd, int, ufd, uaddr_t, umask, size_t, sizemask)
{
	return do_signalfd4(ufd, umask, sizemask, 0);
}
