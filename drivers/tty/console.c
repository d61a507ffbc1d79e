// SPDX-License-Identifier: GPL-2.0
/*
 * Console lines: con0..con15 on host channels. This is the boot-time part
 * (channel set-up and kernel messages); the guest-facing tty lives in
 * drivers/tty/tty_io.c.
 */
#include "kern/kernel.h"
#include "kern/boot.h"
#include "kern/chan.h"
#include "kern/console.h"
#include "kern/printk.h"

struct line_chans console_lines[MAX_CONSOLES];

static void console_write_kmsg(const char *s, size_t n)
{
	struct line_chans *l = &console_lines[0];

	if (!l->present || l->out.type != CHAN_FD)
		return;
	/* The host terminal is raw: turn "\n" into "\r\n" as a tty would. */
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) : n;

		if (len)
			os_write(l->out.fd, s, len);
		if (!nl)
			break;
		os_write(l->out.fd, "\r\n", 2);
		s += len + 1;
		n -= len + 1;
	}
}

int console_setup(void)
{
	for (int i = 0; i < MAX_CONSOLES; i++) {
		const char *spec = boot_params.con[i];

		if (!spec)
			spec = boot_params.con_default;
		if (!spec)
			spec = i == 0 ? "fd:0,fd:1" : "none";
		if (chan_parse_line(spec, &console_lines[i]) < 0) {
			char buf[160];
			int n = snprintf(buf, sizeof(buf),
					 "linux: con%d: bad channel '%s'\n", i, spec);
			os_write(2, buf, (size_t)n);
			return -EINVAL;
		}
	}
	printk_set_console(console_write_kmsg);
	return 0;
}

void console_flush(void)
{
}

/* The tty layer replaces this when it registers the console devices. */
void __attribute__((weak)) console_start(void)
{
}
