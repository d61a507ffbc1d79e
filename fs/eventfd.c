// SPDX-License-Identifier: GPL-2.0
/*
 * eventfd, eventfd2: a 64-bit counter behind a file. A write adds to it
 * (blocking while the sum would pass 0xfffffffffffffffe), a read takes
 * it all and leaves zero, or with EFD_SEMAPHORE takes one. Both move 8
 * bytes: reads refuse shorter buffers, writes any other length (EINVAL).
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define EFD_SEMAPHORE	1
#define EFD_CLOEXEC	O_CLOEXEC
#define EFD_NONBLOCK	O_NONBLOCK
#define EFD_FLAGS	(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK)
#define EFD_MAX		0xfffffffffffffffeULL

struct eventfd_ctx {
	u64 count;
	unsigned int flags;
	int id;
	struct wait_queue_head wqh;
};

static int eventfd_ids;

static ssize_t eventfd_read(struct file *f, uaddr_t buf, size_t len,
			    loff_t *pos)
{
	struct eventfd_ctx *ctx = f->c.private_data;
	u64 val;
	long r;

	(void)pos;
	if (len < sizeof(val))
		return -EINVAL;
	if (!ctx->count) {
		if (f->c.f_flags & O_NONBLOCK)
			return -EAGAIN;
		r = wait_event_interruptible(ctx->wqh, ctx->count);
		if (r)
			return r;
	}
	val = (ctx->flags & EFD_SEMAPHORE) ? 1 : ctx->count;
	if (copy_to_user(buf, &val, sizeof(val)))
		return -EFAULT;
	ctx->count -= val;
	wake_up_poll(&ctx->wqh, POLLOUT | POLLWRNORM);
	return sizeof(val);
}

static ssize_t eventfd_write(struct file *f, uaddr_t buf, size_t len,
			     loff_t *pos)
{
	struct eventfd_ctx *ctx = f->c.private_data;
	u64 val;
	long r;

	(void)pos;
	if (len != sizeof(val))
		return -EINVAL;
	if (copy_from_user(&val, buf, sizeof(val)))
		return -EFAULT;
	if (val == ~0ULL)
		return -EINVAL;
	if (EFD_MAX - ctx->count < val) {
		if (f->c.f_flags & O_NONBLOCK)
			return -EAGAIN;
		r = wait_event_interruptible(ctx->wqh,
					     EFD_MAX - ctx->count >= val);
		if (r)
			return r;
	}
	ctx->count += val;
	wake_up_poll(&ctx->wqh, POLLIN | POLLRDNORM);
	return sizeof(val);
}

static unsigned int eventfd_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd_ctx *ctx = f->c.private_data;
	unsigned int mask = 0;

	poll_wait(f, &ctx->wqh, pt);
	if (ctx->count)
		mask |= POLLIN | POLLRDNORM;
	if (ctx->count == ~0ULL)
		mask |= POLLERR;
	if (ctx->count < EFD_MAX)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static void eventfd_release(struct inode *inode, struct file *f)
{
	(void)inode;
	kfree(f->c.private_data);
}

static int eventfd_show_fdinfo(struct file *f, struct seq *s)
{
	struct eventfd_ctx *ctx = f->c.private_data;

	return seq_printf(s, "eventfd-count: %16llx\neventfd-id: %d\neventfd-semaphore: %d\n",
			  (unsigned long long)ctx->count, ctx->id,
			  !!(ctx->flags & EFD_SEMAPHORE));
}

static const struct file_operations eventfd_fops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.release = eventfd_release,
	.llseek = no_llseek,
	.show_fdinfo = eventfd_show_fdinfo,
};

static long do_eventfd(unsigned int count, int flags)
{
	struct eventfd_ctx *ctx;
	int fd;

	if (flags & ~EFD_FLAGS)
		return -EINVAL;
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->count = count;
	ctx->flags = (unsigned int)flags;
	ctx->id = eventfd_ids++;
	init_waitqueue_head(&ctx->wqh);
	fd = anon_inode_getfd("[eventfd]", &eventfd_fops, ctx,
			      O_RDWR | (flags & (O_NONBLOCK | O_CLOEXEC)));
	if (fd < 0)
		kfree(ctx);
	return fd;
}

SYSCALL_DEFINE2(eventfd2, unsigned int, count, int, flags)
{
	return do_eventfd(count, flags);
}

SYSCALL_DEFINE1(eventfd, unsigned int, count)
{
	return do_eventfd(count, 0);
}
