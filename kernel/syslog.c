// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the kernel log: syslog(2) (klogctl, what dmesg uses), /proc/kmsg
 * (its destructive read, what klogd and rsyslog use) and /dev/kmsg (1:11),
 * one record per read in the "prio,seq,usec,flags;text" form, which also
 * takes messages from user space.
 *
 * Permissions are Linux's with kernel.dmesg_restrict = 0: anybody may
 * read the whole log (SYSLOG_ACTION_READ_ALL, SIZE_BUFFER, /dev/kmsg);
 * everything else needs CAP_SYSLOG or CAP_SYS_ADMIN.
 */
#include "kern/kernel.h"
#include "kern/printk.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/vfs.h"

#define SYSLOG_ACTION_CLOSE		0
#define SYSLOG_ACTION_OPEN		1
#define SYSLOG_ACTION_READ		2
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_READ_CLEAR	4
#define SYSLOG_ACTION_CLEAR		5
#define SYSLOG_ACTION_CONSOLE_OFF	6
#define SYSLOG_ACTION_CONSOLE_ON	7
#define SYSLOG_ACTION_CONSOLE_LEVEL	8
#define SYSLOG_ACTION_SIZE_UNREAD	9
#define SYSLOG_ACTION_SIZE_BUFFER	10

#define CAP_SYSLOG			34
#define LOG_BUF_LEN			(128 * 1024)
#define MINIMUM_CONSOLE_LOGLEVEL	1
#define KMSG_MAX			(LOG_LINE_MAX * 4 + 64)

#define SEEK_SET	0
#define SEEK_END	2
#define SEEK_DATA	3

static u64 clear_seq;		/* SYSLOG_ACTION_CLEAR: where dmesg starts */
static u64 syslog_seq;		/* SYSLOG_ACTION_READ: the next record */
static size_t syslog_partial;	/* ... and how much of it was read */
static int saved_console_loglevel = -1;

static int syslog_permitted(int type)
{
	if (type == SYSLOG_ACTION_READ_ALL || type == SYSLOG_ACTION_SIZE_BUFFER)
		return 0;
	if (capable(CAP_SYSLOG) || capable(CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

/* "<prio>[    s.us] text\n", as syslog(2) gives records; its length. */
static size_t syslog_text(const struct log_record *r, char *buf, size_t size)
{
	int n = snprintf(buf, size, "<%d>[%5llu.%06llu] ",
			 r->facility << 3 | r->level,
			 (unsigned long long)(r->ts_nsec / 1000000000ULL),
			 (unsigned long long)(r->ts_nsec % 1000000000ULL / 1000));
	size_t m = (size_t)n, len = r->len;

	if (!buf)
		return m + len + 1;
	if (len > size - m - 1)
		len = size - m - 1;
	memcpy(buf + m, r->text, len);
	buf[m + len] = '\n';
	return m + len + 1;
}

struct sum_ctx {
	size_t total;
	u64 until;
};

static int sum_one(void *ctx, const struct log_record *r)
{
	struct sum_ctx *c = ctx;

	if (r->seq >= c->until)
		return 1;
	c->total += syslog_text(r, NULL, 0);
	return 0;
}

static size_t text_size(u64 from, u64 until)
{
	struct sum_ctx c = { 0, until };

	log_walk(from, sum_one, &c);
	return c.total;
}

struct copy_ctx {
	uaddr_t buf;
	size_t len, done;
	size_t skip;		/* of the first record (SYSLOG_ACTION_READ) */
	char *tmp;
	u64 last;		/* the record after the last one copied */
	int err;
};

/* Whole records while they fit (the first may be a remainder). */
static int copy_one(void *ctx, const struct log_record *r)
{
	struct copy_ctx *c = ctx;
	size_t n = syslog_text(r, c->tmp, LOG_LINE_MAX + 64) - c->skip;

	if (n > c->len - c->done) {
		if (c->done)
			return 1;
		n = c->len;	/* a record larger than the buffer: a part */
	}
	if (copy_to_user(c->buf + c->done, c->tmp + c->skip, n)) {
		c->err = -EFAULT;
		return 1;
	}
	c->done += n;
	c->skip += n;
	if (c->skip == syslog_text(r, NULL, 0)) {
		c->skip = 0;
		c->last = r->seq + 1;
	} else {
		c->last = r->seq;
	}
	return c->done == c->len;
}

static long syslog_read(uaddr_t buf, size_t len, bool nonblock)
{
	struct copy_ctx c = { buf, len, 0, 0, NULL, 0, 0 };
	long r;

	if (nonblock && syslog_seq >= log_next())
		return -EAGAIN;
	r = wait_event_interruptible(log_wait, syslog_seq < log_next());
	if (r)
		return r;
	if (syslog_seq < log_first()) {
		syslog_seq = log_first();
		syslog_partial = 0;
	}
	c.tmp = kmalloc(LOG_LINE_MAX + 64);
	if (!c.tmp)
		return -ENOMEM;
	c.skip = syslog_partial;
	c.last = syslog_seq;
	log_walk(syslog_seq, copy_one, &c);
	kfree(c.tmp);
	if (c.err && !c.done)
		return c.err;
	syslog_seq = c.last;
	syslog_partial = c.skip;
	return (long)c.done;
}

struct skip_ctx {
	size_t total, len;
	u64 from;
};

/* Leaves out the oldest records until the rest fit. */
static int skip_one(void *ctx, const struct log_record *r)
{
	struct skip_ctx *c = ctx;

	if (c->total <= c->len)
		return 1;
	c->total -= syslog_text(r, NULL, 0);
	c->from = r->seq + 1;
	return 0;
}

/* The newest records since the last clear that fit in len bytes. */
static long syslog_read_all(uaddr_t buf, size_t len, bool clear)
{
	struct copy_ctx c = { buf, len, 0, 0, NULL, 0, 0 };
	u64 from = clear_seq < log_first() ? log_first() : clear_seq;
	u64 end = log_next();
	struct skip_ctx sk = { text_size(from, end), len, from };

	log_walk(from, skip_one, &sk);
	from = sk.from;
	c.tmp = kmalloc(LOG_LINE_MAX + 64);
	if (!c.tmp)
		return -ENOMEM;
	log_walk(from, copy_one, &c);
	kfree(c.tmp);
	if (c.err)
		return c.err;
	if (clear)
		clear_seq = end;
	return (long)c.done;
}

SYSCALL_DEFINE3(syslog, int, type, uaddr_t, buf, int, len)
{
	int r = syslog_permitted(type);

	if (r)
		return r;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!buf || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!access_ok(buf, (size_t)len))
			return -EFAULT;
		if (type == SYSLOG_ACTION_READ)
			return syslog_read(buf, (size_t)len, false);
		return syslog_read_all(buf, (size_t)len,
				       type == SYSLOG_ACTION_READ_CLEAR);
	case SYSLOG_ACTION_CLEAR:
		clear_seq = log_next();
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (saved_console_loglevel == -1)
			saved_console_loglevel = console_loglevel;
		console_loglevel = MINIMUM_CONSOLE_LOGLEVEL;
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_console_loglevel != -1) {
			console_loglevel = saved_console_loglevel;
			saved_console_loglevel = -1;
		}
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		console_loglevel = len < MINIMUM_CONSOLE_LOGLEVEL ?
			MINIMUM_CONSOLE_LOGLEVEL : len;
		saved_console_loglevel = -1;
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		if (syslog_seq < log_first()) {
			syslog_seq = log_first();
			syslog_partial = 0;
		}
		return (long)(text_size(syslog_seq, log_next()) -
			      syslog_partial);
	case SYSLOG_ACTION_SIZE_BUFFER:
		return LOG_BUF_LEN;
	default:
		return -EINVAL;
	}
}

/* ---- /proc/kmsg ---- */

static int proc_kmsg_open(struct inode *inode, struct file *f)
{
	return syslog_permitted(SYSLOG_ACTION_OPEN);
}

/* Permission was checked at open: the file may be passed on. */
static ssize_t proc_kmsg_read(struct file *f, uaddr_t buf, size_t len,
			      loff_t *pos)
{
	if (!len)
		return 0;
	return syslog_read(buf, len, file_c(f)->f_flags & O_NONBLOCK);
}

static unsigned int proc_kmsg_poll(struct file *f, struct poll_table *pt)
{
	poll_wait(f, &log_wait, pt);
	return syslog_seq < log_next() ? POLLIN | POLLRDNORM : 0;
}

const struct file_operations proc_kmsg_fops = {
	.open = proc_kmsg_open,
	.read = proc_kmsg_read,
	.poll = proc_kmsg_poll,
};

/* ---- /dev/kmsg ---- */

struct kmsg_user {
	u64 seq;
	char buf[KMSG_MAX];
};

static int kmsg_open(struct inode *inode, struct file *f)
{
	struct kmsg_user *u;

	if ((file_c(f)->f_flags & O_ACCMODE) == O_WRONLY)
		return 0;
	u = kzalloc(sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->seq = log_first();
	file_c(f)->private_data = u;
	return 0;
}

static void kmsg_release(struct inode *inode, struct file *f)
{
	kfree(file_c(f)->private_data);
	file_c(f)->private_data = NULL;
}

/* "prio,seq,usec,-;text\n" with unprintable bytes as \xNN. */
static size_t kmsg_format(const struct log_record *r, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%d,%llu,%llu,-;",
				    r->facility << 3 | r->level,
				    (unsigned long long)r->seq,
				    (unsigned long long)(r->ts_nsec / 1000));

	for (size_t i = 0; i < r->len && n + 5 < size; i++) {
		unsigned char c = (unsigned char)r->text[i];

		if (c < ' ' || c >= 127 || c == '\\')
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
		else
			buf[n++] = (char)c;
	}
	buf[n++] = '\n';
	return n;
}

static ssize_t kmsg_read(struct file *f, uaddr_t ubuf, size_t len,
			 loff_t *pos)
{
	struct kmsg_user *u = file_c(f)->private_data;
	struct log_record r;
	size_t n;
	long ret;

	if (!u)
		return -EBADF;
	if (u->seq >= log_next()) {
		if (file_c(f)->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(log_wait, u->seq < log_next());
		if (ret)
			return ret;
	}
	if (u->seq < log_first()) {
		/* our next record was pushed out: say so, go on after it */
		u->seq = log_first();
		return -EPIPE;
	}
	if (log_get(u->seq, &r))
		return -EAGAIN;
	n = kmsg_format(&r, u->buf, sizeof(u->buf));
	if (n > len)
		return -EINVAL;
	if (copy_to_user(ubuf, u->buf, n))
		return -EFAULT;
	u->seq++;
	return (ssize_t)n;
}

/*
 * One message per write (writev's buffers together, as Linux), "<N>"
 * giving its level and facility.
 */
static ssize_t kmsg_write_vec(struct file *f, const struct uvec *v,
			      unsigned long nr, loff_t *pos)
{
	char *line, *p;
	int level = default_message_loglevel, facility = LOG_USER;
	size_t len = 0, n;

	for (unsigned long i = 0; i < nr; i++) {
		if (v[i].len > LOG_LINE_MAX || len + v[i].len > LOG_LINE_MAX)
			return -EINVAL;
		len += v[i].len;
	}
	line = kmalloc(len + 1);
	if (!line)
		return -ENOMEM;
	n = 0;
	for (unsigned long i = 0; i < nr; i++) {
		if (copy_from_user(line + n, v[i].base, v[i].len)) {
			kfree(line);
			return -EFAULT;
		}
		n += v[i].len;
	}
	line[len] = 0;
	p = line;
	if (p[0] == '<') {
		char *end;
		unsigned long prio = strtoul(p + 1, &end, 10);

		if (end != p + 1 && *end == '>') {
			level = (int)(prio & 7);
			if ((prio >> 3) & 0xff)
				facility = (int)((prio >> 3) & 0xff);
			n -= (size_t)(end + 1 - p);
			p = end + 1;
		}
	}
	if (n && p[n - 1] == '\n')
		n--;
	printk_user(facility, level, p, n);
	kfree(line);
	return (ssize_t)len;
}

static ssize_t kmsg_write(struct file *f, uaddr_t ubuf, size_t len,
			  loff_t *pos)
{
	struct uvec v = { ubuf, len };

	return kmsg_write_vec(f, &v, 1, pos);
}

static loff_t kmsg_llseek(struct file *f, loff_t off, int whence)
{
	struct kmsg_user *u = file_c(f)->private_data;

	if (!u)
		return -EBADF;
	if (off)
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET:
		u->seq = log_first();
		return 0;
	case SEEK_DATA:
		/* after the last SYSLOG_ACTION_CLEAR, as dmesg -c left it */
		u->seq = clear_seq < log_first() ? log_first() : clear_seq;
		return 0;
	case SEEK_END:
		u->seq = log_next();
		return 0;
	default:
		return -EINVAL;
	}
}

static unsigned int kmsg_poll(struct file *f, struct poll_table *pt)
{
	struct kmsg_user *u = file_c(f)->private_data;
	unsigned int mask = 0;

	if (!u)
		return POLLERR | POLLNVAL;
	poll_wait(f, &log_wait, pt);
	if (u->seq < log_next()) {
		mask |= POLLIN | POLLRDNORM;
		if (u->seq < log_first())
			mask |= POLLERR | POLLPRI;
	}
	return mask;
}

const struct file_operations kmsg_fops = {
	.open = kmsg_open,
	.release = kmsg_release,
	.read = kmsg_read,
	.write = kmsg_write,
	.write_vec = kmsg_write_vec,
	.llseek = kmsg_llseek,
	.poll = kmsg_poll,
};
