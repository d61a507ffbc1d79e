// SPDX-License-Identifier: GPL-2.0
/*
 * printk: the kernel log. Every message goes into a ring of records (read
 * by syslog(2) and /dev/kmsg, see kernel/syslog.c) and, if its level is
 * below the console log level, to the console with Linux's
 * "[    1.234567] " prefix.
 *
 * The ring holds whole records, oldest first; a new one that does not fit
 * pushes the oldest out. Each record has a sequence number, so a reader
 * that fell behind (its record was pushed out) can tell.
 */
#include "kern/kernel.h"
#include "kern/printk.h"
#include "kern/sched.h"
#include "kern/wait.h"

#define LOG_BUF_SIZE	(128 * 1024)
#define LOG_ALIGN	8

/* A record in the ring; the text follows. size 0 marks a wrap to 0. */
struct log_rec {
	u64 ts_nsec;
	u16 size;		/* header + text, aligned */
	u16 len;		/* text bytes */
	u8 level;
	u8 facility;
	u8 pad[2];
};

static u8 log_buf[LOG_BUF_SIZE] __attribute__((aligned(LOG_ALIGN)));
static u32 log_first_idx, log_next_idx;
static u64 log_first_seq, log_next_seq;
DECLARE_WAIT_QUEUE_HEAD(log_wait);

int console_loglevel = 7;
int default_message_loglevel = 4;
static void (*console_write)(const char *s, size_t n);
static bool line_start = true;
u64 printk_seq;

/* The line being built from messages without a newline (KERN_CONT). */
static char cont_buf[LOG_LINE_MAX];
static size_t cont_len;
static int cont_level;
static u64 cont_ts;

static void default_console(const char *s, size_t n)
{
	os_write(2, s, n);
}

void printk_set_console(void (*write)(const char *s, size_t n))
{
	console_write = write;
}

static struct log_rec *rec_at(u32 idx)
{
	return (struct log_rec *)(log_buf + idx);
}

/* The index of the record after idx, following a wrap marker. */
static u32 rec_next(u32 idx)
{
	u32 n = idx + rec_at(idx)->size;

	if (n + sizeof(struct log_rec) > LOG_BUF_SIZE || !rec_at(n)->size)
		return 0;
	return n;
}

/* Whether a record of size bytes fits at log_next_idx (or at 0). */
static bool log_has_space(u32 size, bool *wrap)
{
	u32 head = log_next_idx, tail = log_first_idx;

	*wrap = false;
	if (log_first_seq == log_next_seq || head > tail) {
		if (LOG_BUF_SIZE - head >= size)
			return true;
		*wrap = true;
		/* at 0, it must not reach the oldest record */
		return log_first_seq == log_next_seq ? true : tail >= size;
	}
	return tail - head >= size;
}

static void log_store(int facility, int level, u64 ts, const char *text,
		      size_t len)
{
	u32 size;
	bool wrap;
	struct log_rec *r;

	if (len > LOG_LINE_MAX)
		len = LOG_LINE_MAX;
	size = (u32)ALIGN(sizeof(*r) + len, LOG_ALIGN);
	while (!log_has_space(size, &wrap)) {
		log_first_idx = rec_next(log_first_idx);
		log_first_seq++;
	}
	if (wrap) {
		if (LOG_BUF_SIZE - log_next_idx >= sizeof(*r))
			rec_at(log_next_idx)->size = 0;
		log_next_idx = 0;
	}
	if (log_first_seq == log_next_seq)	/* empty: it is the oldest */
		log_first_idx = log_next_idx;
	r = rec_at(log_next_idx);
	r->ts_nsec = ts;
	r->size = (u16)size;
	r->len = (u16)len;
	r->level = (u8)(level & 7);
	r->facility = (u8)facility;
	memcpy(r + 1, text, len);
	log_next_idx += size;
	log_next_seq++;
	/* woken only with the kernel lock held (host threads may log) */
	if (os_kernel_lock_held())
		wake_up(&log_wait);
}

u64 log_first(void)
{
	return log_first_seq;
}

u64 log_next(void)
{
	return log_next_seq;
}

/* Record seq, if it is still in the ring. */
int log_get(u64 seq, struct log_record *out)
{
	u32 idx = log_first_idx;
	struct log_rec *r;

	if (seq < log_first_seq || seq >= log_next_seq)
		return -ENOENT;
	for (u64 s = log_first_seq; s < seq; s++)
		idx = rec_next(idx);
	r = rec_at(idx);
	out->seq = seq;
	out->ts_nsec = r->ts_nsec;
	out->level = r->level;
	out->facility = r->facility;
	out->len = r->len;
	out->text = (const char *)(r + 1);
	return 0;
}

/* Calls fn for each record from seq on, until it returns non-zero. */
int log_walk(u64 seq, int (*fn)(void *ctx, const struct log_record *r),
	     void *ctx)
{
	u32 idx = log_first_idx;
	u64 s = log_first_seq;
	int ret;

	for (; s < log_next_seq; s++, idx = rec_next(idx)) {
		struct log_rec *r = rec_at(idx);
		struct log_record lr;

		if (s < seq)
			continue;
		lr.seq = s;
		lr.ts_nsec = r->ts_nsec;
		lr.level = r->level;
		lr.facility = r->facility;
		lr.len = r->len;
		lr.text = (const char *)(r + 1);
		ret = fn(ctx, &lr);
		if (ret)
			return ret;
	}
	return 0;
}

static u64 now_ns(void)
{
	return ktime_get_ns() - boot_time_ns;
}

static void cont_flush(int facility)
{
	if (!cont_len)
		return;
	log_store(facility, cont_level, cont_ts, cont_buf, cont_len);
	cont_len = 0;
}

/* Into the ring: complete lines become records, a partial one waits. */
static void log_text(int facility, int level, const char *p, size_t n,
		     u64 ts)
{
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;

		if (!cont_len) {
			cont_level = level;
			cont_ts = ts;
		}
		if (len > sizeof(cont_buf) - cont_len)
			len = sizeof(cont_buf) - cont_len;
		memcpy(cont_buf + cont_len, p, len);
		cont_len += len;
		if (nl) {
			log_store(facility, cont_level, cont_ts, cont_buf,
				  cont_len);
			cont_len = 0;
			len = (size_t)(nl - p) + 1;
		} else if (cont_len == sizeof(cont_buf)) {
			cont_flush(facility);
			len = n;
		}
		p += len;
		n -= len;
	}
}

int vprintk(const char *fmt, va_list ap)
{
	char msg[1024], line[1100];
	int level = default_message_loglevel;
	const char *p = msg;
	u64 t = now_ns();
	int n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return n;
	if (msg[0] == KERN_SOH[0] && msg[1] >= '0' && msg[1] <= '7') {
		level = msg[1] - '0';
		p += 2;
		if (cont_len)
			cont_flush(0);
	}
	log_text(0, level, p, strlen(p), t);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		size_t m = 0;

		if (line_start)
			m = (size_t)snprintf(line, sizeof(line),
					     "[%5llu.%06llu] ",
					     (unsigned long long)(t / 1000000000ULL),
					     (unsigned long long)(t % 1000000000ULL / 1000));
		if (len > sizeof(line) - m)
			len = sizeof(line) - m;
		memcpy(line + m, p, len);
		m += len;
		printk_seq++;
		if (level < console_loglevel)
			(console_write ? console_write : default_console)(line, m);
		line_start = line[m - 1] == '\n';
		p += len;
	}
	return n;
}

/* A message from /dev/kmsg: a record, and the console as printk would. */
void printk_user(int facility, int level, const char *text, size_t len)
{
	char line[LOG_LINE_MAX + 40];
	u64 t = now_ns();
	size_t m;

	cont_flush(0);
	log_store(facility, level, t, text, len);
	if (level >= console_loglevel)
		return;
	m = (size_t)snprintf(line, sizeof(line), "[%5llu.%06llu] ",
			     (unsigned long long)(t / 1000000000ULL),
			     (unsigned long long)(t % 1000000000ULL / 1000));
	if (len > sizeof(line) - m - 1)
		len = sizeof(line) - m - 1;
	memcpy(line + m, text, len);
	m += len;
	line[m++] = '\n';
	(console_write ? console_write : default_console)(line, m);
	line_start = true;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vprintk(fmt, ap);
	va_end(ap);
	return r;
}
