// SPDX-License-Identifier: GPL-2.0
/*
 * timerfd_create, timerfd_settime, timerfd_gettime: a timer whose
 * expirations are read as an 8-byte count instead of arriving as signals.
 *
 * The expiry is kept on the timer's own clock and a kernel timer
 * (kernel/ktimer.c, CLOCK_MONOTONIC) is armed for the matching moment;
 * when it runs, every period that has passed counts, so a late timer
 * thread loses no expirations. Readers and pollers also bring the count
 * up to date themselves, so nothing depends on the timer thread's
 * punctuality.
 *
 * Our clocks are the host's and cannot be set from a guest (see
 * kernel/time.c), so TFD_TIMER_CANCEL_ON_SET is accepted and never fires;
 * the *_ALARM clocks need CAP_WAKE_ALARM and then behave as their base
 * clocks, there being no suspend to wake from.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/time.h"

#define TFD_TIMER_ABSTIME	1
#define TFD_TIMER_CANCEL_ON_SET	2
#define TFD_CLOEXEC		O_CLOEXEC
#define TFD_NONBLOCK		O_NONBLOCK
#define TFD_CREATE_FLAGS	(TFD_CLOEXEC | TFD_NONBLOCK)
#define TFD_SETTIME_FLAGS	(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)
#define CAP_WAKE_ALARM		35

struct kitimerspec {
	struct ktimespec it_interval;
	struct ktimespec it_value;
};

struct timerfd_ctx {
	int clockid;
	int base;		/* the host clock read */
	u64 expires;		/* on base; 0: disarmed */
	u64 interval;
	u64 ticks;		/* expirations not yet read */
	int settime_flags;
	struct ktimer kt;
	struct wait_queue_head wqh;
};

static u64 tfd_now(struct timerfd_ctx *ctx)
{
	return os_clock_ns(ctx->base);
}

static void tfd_arm(struct timerfd_ctx *ctx, u64 now)
{
	u64 mono, deadline;

	if (!ctx->expires) {
		ktimer_cancel(&ctx->kt);
		return;
	}
	if (ctx->base == CLOCK_MONOTONIC) {
		deadline = ctx->expires;
	} else {
		mono = ktime_get_ns();
		if (ctx->expires <= now)
			deadline = mono;
		else if (ctx->expires - now > (u64)INT64_MAX - mono)
			deadline = INT64_MAX;
		else
			deadline = mono + (ctx->expires - now);
	}
	ktimer_arm(&ctx->kt, deadline);
}

/* Counts the expirations up to now; true if there were new ones. */
static bool tfd_update(struct timerfd_ctx *ctx, u64 now)
{
	u64 n = 1;

	if (!ctx->expires || now < ctx->expires)
		return false;
	if (ctx->interval) {
		n += (now - ctx->expires) / ctx->interval;
		if (n > (u64)INT64_MAX / ctx->interval ||
		    ctx->expires > (u64)INT64_MAX - n * ctx->interval)
			ctx->expires = 0;	/* beyond the end of time */
		else
			ctx->expires += n * ctx->interval;
	} else {
		ctx->expires = 0;
	}
	ctx->ticks += n;
	tfd_arm(ctx, now);
	wake_up_poll(&ctx->wqh, POLLIN | POLLRDNORM);
	return true;
}

static void tfd_timeout(struct ktimer *kt)
{
	struct timerfd_ctx *ctx = container_of(kt, struct timerfd_ctx, kt);
	u64 now = tfd_now(ctx);

	if (!tfd_update(ctx, now))
		tfd_arm(ctx, now);	/* early (clock stepped back): again */
}

static ssize_t timerfd_read(struct file *f, uaddr_t buf, size_t len,
			    loff_t *pos)
{
	struct timerfd_ctx *ctx = f->c.private_data;
	u64 ticks;
	long r;

	(void)pos;
	if (len < sizeof(ticks))
		return -EINVAL;
	tfd_update(ctx, tfd_now(ctx));
	if (!ctx->ticks) {
		if (f->c.f_flags & O_NONBLOCK)
			return -EAGAIN;
		r = wait_event_interruptible(ctx->wqh, ctx->ticks);
		if (r)
			return r;
	}
	ticks = ctx->ticks;
	if (copy_to_user(buf, &ticks, sizeof(ticks)))
		return -EFAULT;
	ctx->ticks = 0;
	return sizeof(ticks);
}

static unsigned int timerfd_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd_ctx *ctx = f->c.private_data;

	poll_wait(f, &ctx->wqh, pt);
	tfd_update(ctx, tfd_now(ctx));
	return ctx->ticks ? POLLIN | POLLRDNORM : 0;
}

static void timerfd_release(struct inode *inode, struct file *f)
{
	struct timerfd_ctx *ctx = f->c.private_data;

	(void)inode;
	ktimer_cancel(&ctx->kt);
	kfree(ctx);
}

static void tfd_get(struct timerfd_ctx *ctx, struct kitimerspec *its)
{
	u64 now = tfd_now(ctx);

	tfd_update(ctx, now);
	its->it_interval = ns_to_ts(ctx->interval);
	its->it_value = ns_to_ts(ctx->expires > now ? ctx->expires - now : 0);
}

static int timerfd_show_fdinfo(struct file *f, struct seq *s)
{
	struct timerfd_ctx *ctx = f->c.private_data;
	struct kitimerspec its;

	tfd_get(ctx, &its);
	return seq_printf(s, "clockid: %d\nticks: %llu\nsettime flags: 0%o\n"
			  "it_value: (%llu, %llu)\nit_interval: (%llu, %llu)\n",
			  ctx->clockid, (unsigned long long)ctx->ticks,
			  ctx->settime_flags,
			  (unsigned long long)its.it_value.tv_sec,
			  (unsigned long long)its.it_value.tv_nsec,
			  (unsigned long long)its.it_interval.tv_sec,
			  (unsigned long long)its.it_interval.tv_nsec);
}

static const struct file_operations timerfd_fops = {
	.read = timerfd_read,
	.poll = timerfd_poll,
	.release = timerfd_release,
	.llseek = no_llseek,
	.show_fdinfo = timerfd_show_fdinfo,
};

SYSCALL_DEFINE2(timerfd_create, int, clockid, int, flags)
{
	struct timerfd_ctx *ctx;
	int base, fd;

	if (flags & ~TFD_CREATE_FLAGS)
		return -EINVAL;
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		base = clockid;
		break;
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		if (!capable(CAP_WAKE_ALARM))
			return -EPERM;
		base = clockid == CLOCK_REALTIME_ALARM ? CLOCK_REALTIME
						       : CLOCK_BOOTTIME;
		break;
	default:
		return -EINVAL;
	}
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->clockid = clockid;
	ctx->base = base;
	ktimer_init(&ctx->kt, tfd_timeout);
	init_waitqueue_head(&ctx->wqh);
	fd = anon_inode_getfd("[timerfd]", &timerfd_fops, ctx,
			      O_RDWR | (flags & TFD_CREATE_FLAGS));
	if (fd < 0)
		kfree(ctx);
	return fd;
}

static struct timerfd_ctx *timerfd_ctx_of(struct file *f)
{
	return f->c.f_op == &timerfd_fops ? f->c.private_data : NULL;
}

SYSCALL_DEFINE4(timerfd_settime, int, fd, int, flags, uaddr_t, utmr,
		uaddr_t, otmr)
{
	struct kitimerspec nv, ov;
	struct timerfd_ctx *ctx;
	struct file *f;
	u64 now, value;
	long r;

	if (copy_from_user(&nv, utmr, sizeof(nv)))
		return -EFAULT;
	if ((flags & ~TFD_SETTIME_FLAGS) || !ts_valid(&nv.it_value) ||
	    !ts_valid(&nv.it_interval))
		return -EINVAL;
	f = fdget(fd);
	if (!f)
		return -EBADF;
	r = -EINVAL;
	ctx = timerfd_ctx_of(f);
	if (!ctx)
		goto out;
	tfd_get(ctx, &ov);
	now = tfd_now(ctx);
	value = ts_to_ns(&nv.it_value);
	ctx->ticks = 0;
	ctx->settime_flags = flags;
	/* kept even when disarmed: gettime reports it, as Linux does */
	ctx->interval = ts_to_ns(&nv.it_interval);
	if (!value) {
		ctx->expires = 0;
	} else if (flags & TFD_TIMER_ABSTIME) {
		ctx->expires = value;
	} else {
		ctx->expires = now + value;
		if (ctx->expires < now)
			ctx->expires = INT64_MAX;
	}
	tfd_arm(ctx, now);
	tfd_update(ctx, now);	/* an absolute time already past */
	r = 0;
	if (otmr && copy_to_user(otmr, &ov, sizeof(ov)))
		r = -EFAULT;
out:
	fput(f);
	return r;
}

SYSCALL_DEFINE2(timerfd_gettime, int, fd, uaddr_t, otmr)
{
	struct kitimerspec its;
	struct timerfd_ctx *ctx;
	struct file *f;
	long r = -EINVAL;

	f = fdget(fd);
	if (!f)
		return -EBADF;
	ctx = timerfd_ctx_of(f);
	if (ctx) {
		tfd_get(ctx, &its);
		r = copy_to_user(otmr, &its, sizeof(its)) ? -EFAULT : 0;
	}
	fput(f);
	return r;
}
