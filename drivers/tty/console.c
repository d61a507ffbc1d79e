// SPDX-License-Identifier: GPL-2.0
/*
 * Console lines: con0..con15 on host channels. console_setup() parses the
 * channels at boot and sends kernel messages to con0's output;
 * console_start() creates the guest's ttys (tty_io.c) once the VFS is up
 * and starts a host thread per input fd that feeds the line discipline.
 */
#include "kern/kernel.h"
#include "kern/boot.h"
#include "kern/chan.h"
#include "kern/console.h"
#include "kern/init.h"
#include "kern/mconsole.h"
#include "kern/printk.h"
#include "tty.h"

struct line_chans console_lines[MAX_CONSOLES];

/*
 * The host terminal is raw: turn "\n" into "\r\n" as a tty would, and
 * write each message with one host write so that it does not interleave
 * with guest output mid-line.
 */
static void console_write_kmsg(const char *s, size_t n)
{
	struct line_chans *l = &console_lines[0];
	char buf[512];
	size_t m = 0;

	if (!l->present || l->out.type != CHAN_FD)
		return;
	for (size_t i = 0; i < n; i++) {
		if (m + 2 > sizeof(buf)) {
			os_write(l->out.fd, buf, m);
			m = 0;
		}
		if (s[i] == '\n')
			buf[m++] = '\r';
		buf[m++] = s[i];
	}
	if (m)
		os_write(l->out.fd, buf, m);
}

static void make_raw(const struct chan *c)
{
	if (c->type == CHAN_FD && os_isatty(c->fd) > 0)
		os_tty_raw(c->fd);
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
	/* Our line discipline does all the processing: the host's must not. */
	for (int i = 0; i < MAX_CONSOLES; i++) {
		if (!console_lines[i].present)
			continue;
		make_raw(&console_lines[i].in);
		make_raw(&console_lines[i].out);
	}
	printk_set_console(console_write_kmsg);
	return 0;
}

/* Output is written to the host synchronously: nothing is ever queued. */
void console_flush(void)
{
}

/* How often the host terminal's size is looked at (ns). */
#define RESIZE_POLL_NS	500000000ULL

/*
 * Reads one host input fd for ever. The bytes go through the line
 * discipline under the kernel lock; when its buffer is full the thread
 * waits for a reader to make room (tty->room_seq). EOF or an error on the
 * host side ends the input: readers get 0 from then on. While input is
 * idle the thread also follows the host terminal's size: polling it keeps
 * host signals (SIGWINCH) away from the kernel's threads.
 */
static void input_thread(void *arg)
{
	struct tty *tty = arg;
	unsigned char buf[256];

	for (;;) {
		long n;
		size_t done = 0;

		if (tty->size_fd >= 0) {
			int r = os_poll_in(tty->in_fd,
					   os_clock_ns(OS_CLOCK_MONOTONIC) +
					   RESIZE_POLL_NS);

			if (r == -ETIMEDOUT || r == -EINTR) {
				os_kernel_lock();
				tty_host_resized(tty);
				os_kernel_unlock();
				continue;
			}
		}
		n = os_read(tty->in_fd, buf, sizeof(buf));
		if (n == -EINTR)
			continue;
		if (n == -EAGAIN) {
			if (os_poll_in(tty->in_fd, 0) < 0)
				n = -EIO;
			else
				continue;
		}
		os_kernel_lock();
		if (n <= 0) {
			n_tty_input_eof(tty);
			os_kernel_unlock();
			return;
		}
		for (;;) {
			u32 seq;

			done += n_tty_receive(tty, buf + done, (size_t)n - done);
			if (done == (size_t)n)
				break;
			seq = __atomic_load_n(&tty->room_seq, __ATOMIC_SEQ_CST);
			os_kernel_unlock();
			os_futex_wait(&tty->room_seq, seq, 0);
			os_kernel_lock();
		}
		os_kernel_unlock();
	}
}

void console_start(void)
{
	int r;

	for (int i = 0; i < MAX_CONSOLES; i++) {
		struct tty *tty;

		if (!console_lines[i].present)
			continue;
		tty = kmalloc(sizeof(*tty));
		if (!tty) {
			pr_err("tty%d: out of memory\n", i);
			continue;
		}
		tty_init_line(tty, i, &console_lines[i]);
		tty_lines[i] = tty;
	}
	r = tty_register_devices();
	if (r < 0)
		pr_err("tty: cannot register devices: error %d\n", r);

	/*
	 * One reader per host fd: lines sharing an input fd (con=fd:0,...)
	 * get its input on the first of them, as only one can own it.
	 */
	for (int i = 0; i < MAX_CONSOLES; i++) {
		struct tty *tty = tty_lines[i];
		bool shared = false;

		if (!tty || tty->in_fd < 0)
			continue;
		for (int j = 0; j < i; j++)
			if (tty_lines[j] && tty_lines[j]->in_fd == tty->in_fd)
				shared = true;
		if (shared)
			continue;
		r = os_thread_create(input_thread, tty);
		if (r < 0)
			pr_err("%s: cannot start input thread: error %d\n",
			       tty->name, r);
	}
}

/* ---- the management console's "con" device (config conN, remove conN) ---- */

static int con_number(char **str)
{
	char *end;
	unsigned long n = strtoul(*str, &end, 0);

	if (end == *str)
		return -1;
	*str = end;
	return n > INT_MAX ? INT_MAX : (int)n;
}

static int con_get_config(char *dev, char *buf, int size, char **error_out)
{
	int n = con_number(&dev);

	if (n < 0) {
		*error_out = "line_get_config failed to parse device number";
		return -EINVAL;
	}
	if (n >= MAX_CONSOLES) {
		*error_out = "device number out of range";
		return -EINVAL;
	}
	chan_describe(&console_lines[n], buf, (size_t)size);
	return 0;
}

/* Lines are fixed at boot for now: hot-plugging answers an error. */
static int con_config(char *str, char **error_out)
{
	if (*str == '=')
		*error_out = "Can't configure all devices from mconsole";
	else
		*error_out = "Changing a console at run time is not supported yet";
	return -EINVAL;
}

static int con_id(char **str, int *start, int *end)
{
	*start = 0;
	*end = MAX_CONSOLES - 1;
	return con_number(str);
}

static int con_remove(int n, char **error_out)
{
	*error_out = "Removing a console at run time is not supported yet";
	return -EBUSY;
}

static struct mc_device con_mc = {
	.name = "con",
	.config = con_config,
	.get_config = con_get_config,
	.id = con_id,
	.remove = con_remove,
};

static int con_mc_init(void)
{
	mconsole_register_dev(&con_mc);
	return 0;
}
device_initcall(con_mc_init);
