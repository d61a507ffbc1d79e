// SPDX-License-Identifier: GPL-2.0
/*
 * printk: the kernel log. Every message goes into a ring buffer (read by
 * syslog(2), /dev/kmsg and dmesg) and, if its level is below the console
 * log level, to the console with Linux's "[    1.234567] " prefix.
 */
#include "kern/kernel.h"
#include "kern/printk.h"
#include "kern/sched.h"

#define LOG_BUF_SIZE	(128 * 1024)

static char log_buf[LOG_BUF_SIZE];
static u64 log_head;		/* total bytes ever written */
int console_loglevel = 7;
int default_message_loglevel = 4;
static void (*console_write)(const char *s, size_t n);
static bool line_start = true;
u64 printk_seq;

static void default_console(const char *s, size_t n)
{
	os_write(2, s, n);
}

void printk_set_console(void (*write)(const char *s, size_t n))
{
	console_write = write;
}

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) % LOG_BUF_SIZE] = s[i];
	log_head += n;
}

size_t printk_log_read(u64 *pos, char *buf, size_t len)
{
	u64 start = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;
	size_t n = 0;

	if (*pos < start)
		*pos = start;
	while (*pos < log_head && n < len)
		buf[n++] = log_buf[(*pos)++ % LOG_BUF_SIZE];
	return n;
}

u64 printk_log_head(void)
{
	return log_head;
}

int vprintk(const char *fmt, va_list ap)
{
	char msg[1024], line[1100];
	int level = default_message_loglevel;
	const char *p = msg;
	int n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return n;
	if (msg[0] == KERN_SOH[0] && msg[1] >= '0' && msg[1] <= '7') {
		level = msg[1] - '0';
		p += 2;
	}
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		size_t m = 0;

		if (line_start) {
			u64 t = ktime_get_ns() - boot_time_ns;

			m = (size_t)snprintf(line, sizeof(line),
					     "[%5llu.%06llu] ",
					     (unsigned long long)(t / 1000000000ULL),
					     (unsigned long long)(t % 1000000000ULL / 1000));
		}
		if (len > sizeof(line) - m)
			len = sizeof(line) - m;
		memcpy(line + m, p, len);
		m += len;
		log_store(line, m);
		printk_seq++;
		if (level < console_loglevel)
			(console_write ? console_write : default_console)(line, m);
		line_start = line[m - 1] == '\n';
		p += len;
	}
	return n;
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
