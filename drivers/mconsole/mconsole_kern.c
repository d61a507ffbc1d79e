// SPDX-License-Identifier: GPL-2.0
/*
 * The management console server (shared/spec/mconsole.md): requests from
 * uml_mconsole arrive as datagrams on <umid dir>/mconsole.
 *
 * A host thread of its own waits for them without the kernel lock, so a
 * quiet console costs the guest nothing. Each request is then handled
 * under the kernel lock, its replies queued; the lock is dropped before
 * they are sent (a client that does not read must not stall the guest),
 * and what a command does after answering (halt, reboot) runs last.
 *
 * Every datagram is hostile: it is decoded by tools/lib/mconsole.c, which
 * checks every field against the datagram's length, and the command text
 * is NUL-terminated at its length before anything looks at it.
 */
#include "kern/kernel.h"
#include "kern/boot.h"
#include "kern/fs.h"
#include "kern/init.h"
#include "kern/mconsole.h"
#include "kern/printk.h"
#include "kern/sched.h"
#include "kern/sysrq.h"
#include "kern/umid.h"
#include "kern/vfs.h"
#include "mconsole.h"
#include "../../tools/lib/mconsole.h"

/* Replies of one request beyond this are dropped (a huge /proc file). */
#define MC_QUEUE_MAX	(8U << 20)

struct mc_packet {
	u32 len;
	unsigned char data[MCONSOLE_REPLY_SIZE];
};

struct mc_req {
	struct mconsole_request req;
	char *cmd;			/* req.data */
	struct mc_packet *out;		/* queued replies */
	size_t nout, cap, bytes;
	void (*after)(int arg);		/* runs once the replies are sent */
	int after_arg;
};

static int mc_fd = -1;
static char mc_path[108];
static const char *notify_path;

/* ---- replies ---- */

static struct mc_packet *mc_packet_new(struct mc_req *r)
{
	if (r->bytes >= MC_QUEUE_MAX)
		return NULL;
	if (r->nout == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct mc_packet *n = krealloc(r->out, cap * sizeof(*n));

		if (!n)
			return NULL;
		r->out = n;
		r->cap = cap;
	}
	return &r->out[r->nout];
}

/*
 * Queues text as replies of at most MCONSOLE_MAX_CHUNK bytes: err rides
 * on the first, "more" is set on all but the last, which gets more.
 */
static void mc_reply_len(struct mc_req *r, const char *text, size_t len,
			 u32 err, bool more)
{
	bool first = true;

	do {
		size_t n = min(len, (size_t)MCONSOLE_MAX_CHUNK);
		struct mc_packet *p = mc_packet_new(r);
		int m;

		if (!p)
			return;
		m = mconsole_encode_reply(p->data, sizeof(p->data),
					  first ? err : 0, n < len || more,
					  text, n);
		if (m < 0)
			return;
		p->len = (u32)m;
		r->nout++;
		r->bytes += (size_t)m;
		text += n;
		len -= n;
		first = false;
	} while (len);
}

static void mc_reply(struct mc_req *r, const char *text, u32 err, bool more)
{
	mc_reply_len(r, text, strlen(text), err, more);
}

/* A version 0 client gets raw text: no header, no NUL. */
static void mc_reply_raw(struct mc_req *r, const char *text)
{
	struct mc_packet *p = mc_packet_new(r);
	size_t n = strlen(text);

	if (!p)
		return;
	memcpy(p->data, text, n);
	p->len = (u32)n;
	r->nout++;
	r->bytes += n;
}

/* The text after the command word and any spaces. */
static char *mc_arg(struct mc_req *r, const char *word)
{
	char *p = r->cmd + strlen(word);

	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

struct mc_log_ctx {
	struct mc_req *r;
	char line[MCONSOLE_MAX_CHUNK];
	size_t m;
};

static void mc_log_put(struct mc_log_ctx *c, char ch)
{
	c->line[c->m++] = ch;
	if (c->m == sizeof(c->line)) {
		mc_reply_len(c->r, c->line, c->m, 0, true);
		c->m = 0;
	}
}

/* One log record: its text and a newline, as UML's console shows it. */
static int mc_log_record(void *ctx, const struct log_record *rec)
{
	struct mc_log_ctx *c = ctx;

	for (size_t i = 0; i < rec->len; i++)
		mc_log_put(c, rec->text[i]);
	mc_log_put(c, '\n');
	return 0;
}

/*
 * Runs fn(arg) and sends back what it logged, as the real console's
 * output during the action: packets with more=1, then an empty last one.
 * The kernel log's records carry the text without our timestamps.
 */
static void mc_with_log(struct mc_req *r, void (*fn)(void *), void *arg)
{
	struct mc_log_ctx c;
	u64 seq = log_next();

	fn(arg);
	c.r = r;
	c.m = 0;
	log_walk(seq, mc_log_record, &c);
	if (c.m)
		mc_reply_len(r, c.line, c.m, 0, true);
	mc_reply(r, "", 0, false);
}

/* ---- commands ---- */

extern char uts_nodename[];

static void mc_version(struct mc_req *r)
{
	char buf[400];

	snprintf(buf, sizeof(buf), "%s %s %s %s %s", UTS_SYSNAME,
		 uts_nodename, UTS_RELEASE, UTS_VERSION, UTS_MACHINE);
	mc_reply(r, buf, 0, false);
}

static void mc_shutdown(int how)
{
	kernel_shutdown(how, kernel_exit_code);
}

static void mc_halt(struct mc_req *r)
{
	mc_reply(r, "", 0, false);
	r->after = mc_shutdown;
	r->after_arg = SHUTDOWN_HALT;
}

static void mc_reboot(struct mc_req *r)
{
	mc_reply(r, "", 0, false);
	r->after = mc_shutdown;
	r->after_arg = SHUTDOWN_RESTART;
}

/* Network devices have no driver yet: say so rather than "bad option". */
static bool mc_no_driver(struct mc_req *r, const char *dev)
{
	if (strncmp(dev, "eth", 3) && strncmp(dev, "vec", 3))
		return false;
	mc_reply(r, "Network devices are not supported yet", 1, false);
	return true;
}

static void mc_config(struct mc_req *r)
{
	char *ptr = mc_arg(r, "config"), *name, *err = NULL;
	struct mc_device *dev = mconsole_find_dev(ptr);
	char buf[256];
	int n;

	if (!dev) {
		if (!mc_no_driver(r, ptr))
			mc_reply(r, "Bad configuration option", 1, false);
		return;
	}
	name = ptr + strlen(dev->name);
	if (strchr(name, '=')) {
		n = dev->config(name, &err);
		mc_reply(r, err ? err : "", (u32)n, false);
		return;
	}
	if (!dev->get_config) {
		mc_reply(r, "No get_config routine defined", 1, false);
		return;
	}
	buf[0] = '\0';
	n = dev->get_config(name, buf, sizeof(buf), &err);
	if (n < 0 || err)
		mc_reply(r, err ? err : "Failed to get the configuration", 1,
			 false);
	else
		mc_reply(r, buf, 0, false);
}

static void mc_remove(struct mc_req *r)
{
	char *ptr = mc_arg(r, "remove"), *err = NULL;
	struct mc_device *dev = mconsole_find_dev(ptr);
	char msg[80];
	int n, start = 0, end = 0, e;

	if (!dev) {
		if (!mc_no_driver(r, ptr))
			mc_reply(r, "Bad remove option", 1, false);
		return;
	}
	ptr += strlen(dev->name);
	n = dev->id(&ptr, &start, &end);
	if (n < 0) {
		mc_reply(r, "Couldn't parse device number", 1, false);
		return;
	}
	if (n < start || n > end) {
		snprintf(msg, sizeof(msg),
			 "Invalid device number - must be between %d and %d",
			 start, end);
		mc_reply(r, msg, 1, false);
		return;
	}
	e = dev->remove(n, &err);
	if (!err) {
		if (e == -ENODEV)
			err = "Device doesn't exist";
		else if (e == -EBUSY)
			err = "Device is currently open";
	}
	mc_reply(r, e && err ? err : "", (u32)e, false);
}

static void mc_sysrq_fn(void *arg)
{
	handle_sysrq(*(const char *)arg);
}

static void mc_sysrq_after(int key)
{
	handle_sysrq(key);
}

static void mc_sysrq(struct mc_req *r)
{
	char *key = mc_arg(r, "sysrq");

	/* The machine goes away: answer first, as UML does. */
	if (*key == 'b' || *key == 'o') {
		mc_reply(r, "", 0, false);
		r->after = mc_sysrq_after;
		r->after_arg = *key;
		return;
	}
	mc_with_log(r, mc_sysrq_fn, key);
}

static const char mc_help_text[] =
	"Commands: \n"
	"    version - Get kernel version \n"
	"    help - Print this message \n"
	"    halt - Halt UML \n"
	"    reboot - Reboot UML \n"
	"    config <dev>=<config> - Add a new device to UML;  \n"
	"\tsame syntax as command line \n"
	"    config <dev> - Query the configuration of a device \n"
	"    remove <dev> - Remove a device from UML \n"
	"    sysrq <letter> - Performs the SysRq action controlled by the letter \n"
	"    cad - invoke the Ctrl-Alt-Del handler \n"
	"    stop - pause the UML; it will do nothing until it receives a 'go' \n"
	"    go - continue the UML after a 'stop' \n"
	"    log <string> - make UML enter <string> into the kernel log\n"
	"    proc <file> - returns the contents of the UML's /proc/<file>\n"
	"    stack <pid> - returns the stack of the specified pid\n";

static void mc_help(struct mc_req *r)
{
	mc_reply(r, mc_help_text, 0, false);
}

static void mc_cad(struct mc_req *r)
{
	mc_reply(r, "", 0, false);
	ctrl_alt_del();
}

static void mc_stop(struct mc_req *r)
{
	int e = freeze_guests();

	if (e == -EALREADY) {
		mc_reply(r, "Already stopped", 1, false);
		return;
	}
	if (e)
		pr_warn("mconsole: some guest threads did not stop in time\n");
	mc_reply(r, "stopped", 0, false);
}

static void mc_go(struct mc_req *r)
{
	if (!guests_frozen()) {
		mc_reply(r, "Not stopped", 1, false);
		return;
	}
	thaw_guests();
	mc_reply(r, "", 0, false);
}

static void mc_log(struct mc_req *r)
{
	/* "log TEXT": the text as sent, spaces included */
	const char *text = r->cmd + min(strlen(r->cmd), sizeof("log ") - 1);

	printk(KERN_WARNING "%s", text);
	mc_reply(r, "", 0, false);
}

/* The kernel's own mount of proc: the guest may have none at /proc. */
static struct vfsmount *proc_mnt;

static void mc_proc(struct mc_req *r)
{
	char *path = mc_arg(r, "proc");
	char *buf = NULL;
	struct file *f;
	struct path p;
	loff_t pos = 0;
	ssize_t n;

	if (!proc_mnt) {
		struct file_system_type *t = get_fs_type("proc");
		struct vfsmount *m = t ? vfs_kern_mount(t, MS_KERNMOUNT,
							"proc", NULL) : NULL;

		if (IS_ERR_OR_NULL(m)) {
			mc_reply(r, "Proc not available", 1, false);
			return;
		}
		proc_mnt = m;
	}
	p.mnt = proc_mnt;
	p.dentry = proc_mnt->mnt_root;
	/*
	 * Only regular files of proc itself: a magic link (/proc/1/cwd/...)
	 * could lead to a fifo or a terminal, whose open or read would wait
	 * for the guest, and we are not a task that can sleep.
	 */
	if (kern_path_root(&p, path, LOOKUP_FOLLOW, &p)) {
		mc_reply(r, "Failed to open file", 1, false);
		return;
	}
	if (p.dentry->d_inode->i_sb != proc_mnt->mnt_sb ||
	    !S_ISREG(p.dentry->d_inode->i_mode)) {
		path_put(&p);
		mc_reply(r, "Failed to open file", 1, false);
		return;
	}
	f = dentry_open(&p, O_RDONLY);
	path_put(&p);
	if (IS_ERR(f)) {
		mc_reply(r, "Failed to open file", 1, false);
		return;
	}
	buf = kmalloc(PAGE_SIZE);
	if (!buf) {
		fput(f);
		mc_reply(r, "Failed to allocate buffer", 1, false);
		return;
	}
	mc_reply(r, "\n", 0, true);
	while ((n = kernel_read(f, buf, PAGE_SIZE - 1, &pos)) > 0)
		mc_reply_len(r, buf, (size_t)n, 0, true);
	if (n < 0)
		mc_reply(r, "Read of file failed", 1, false);
	else
		mc_reply(r, "", 0, false);
	kfree(buf);
	fput(f);
}

static void mc_stack_fn(void *arg)
{
	show_task(arg);
}

static void mc_stack(struct mc_req *r)
{
	char *s = mc_arg(r, "stack"), *end;
	struct task *t;
	long pid;

	pid = strtol(s, &end, 10);
	if (end == s) {
		mc_reply(r, "Please specify a pid", 1, false);
		return;
	}
	t = pid > 0 && pid < PID_MAX ? find_task((pid_t)pid) : NULL;
	if (!t) {
		mc_reply(r, "Couldn't find that pid", 1, false);
		return;
	}
	mc_with_log(r, mc_stack_fn, t);
}

/* In the real driver's order: requests are matched by prefix, first wins. */
static const struct {
	const char *name;
	void (*fn)(struct mc_req *r);
} mc_commands[] = {
	{ "version", mc_version },
	{ "halt", mc_halt },
	{ "reboot", mc_reboot },
	{ "config", mc_config },
	{ "remove", mc_remove },
	{ "sysrq", mc_sysrq },
	{ "help", mc_help },
	{ "cad", mc_cad },
	{ "stop", mc_stop },
	{ "go", mc_go },
	{ "log", mc_log },
	{ "proc", mc_proc },
	{ "stack", mc_stack },
};

/* Under the kernel lock: decodes one datagram and queues its replies. */
static void mc_handle(struct mc_req *r, const void *buf, size_t n)
{
	switch (mconsole_decode_request(buf, n, &r->req)) {
	case MCONSOLE_REQ_BADMAGIC:
		mc_reply_raw(r, MCONSOLE_V0_ANSWER);
		return;
	case MCONSOLE_REQ_TOOBIG:
		mc_reply(r, "Request too large", 1, false);
		return;
	case MCONSOLE_REQ_BADVERSION:
		/* and it runs all the same: the real driver's quirk */
		mc_reply(r, "This driver only supports version 2 clients", 1,
			 false);
		break;
	case MCONSOLE_REQ_OK:
		break;
	default:		/* shorter than its header or its length */
		return;
	}
	r->cmd = r->req.data;
	for (size_t i = 0; i < ARRAY_SIZE(mc_commands); i++)
		if (!strncmp(r->cmd, mc_commands[i].name,
			     strlen(mc_commands[i].name))) {
			mc_commands[i].fn(r);
			return;
		}
	mc_reply(r, "Unknown command", 1, false);
}

static void mc_thread(void *arg)
{
	static unsigned char buf[MCONSOLE_REQ_SIZE];
	static struct mc_req r;
	struct mc_peer peer;
	long n;

	(void)arg;
	for (;;) {
		n = mconsole_user_recv(mc_fd, buf, sizeof(buf), &peer);
		if (n < 0) {
			/* nothing to do but wait for the next one */
			if (n != -EINTR)
				os_futex_wait(&(u32){ 0 }, 0,
					      ktime_get_ns() + 10000000ULL);
			continue;
		}
		r.nout = r.bytes = 0;
		r.after = NULL;
		os_kernel_lock();
		mc_handle(&r, buf, (size_t)n);
		os_kernel_unlock();
		for (size_t i = 0; i < r.nout; i++)
			if (mconsole_user_send(mc_fd, r.out[i].data,
					       r.out[i].len, &peer) < 0)
				break;	/* gone or not reading: drop the rest */
		if (r.after) {
			os_kernel_lock();
			r.after(r.after_arg);
			os_kernel_unlock();
		}
		if (r.cap > 64) {	/* do not keep a huge reply's queue */
			kfree(r.out);
			r.out = NULL;
			r.cap = 0;
		}
	}
}

/* ---- notifications ---- */

static void mc_notify(u32 type, const void *data, size_t len)
{
	unsigned char buf[MCONSOLE_NOTIFY_SIZE];
	int n;

	if (!notify_path)
		return;
	n = mconsole_encode_notify(buf, sizeof(buf), type, data, len);
	if (n > 0)
		mconsole_user_notify(notify_path, buf, (size_t)n);
}

static void mc_notify_panic(const char *msg)
{
	mc_notify(MCONSOLE_PANIC, msg, strlen(msg) + 1);
}

void mconsole_notify_user(const void *data, size_t len)
{
	mc_notify(MCONSOLE_USER_NOTIFY, data, len);
}

bool mconsole_notify_enabled(void)
{
	return notify_path != NULL;
}

/* ---- set-up ---- */

static int mconsole_setup(const char *arg, const char *value)
{
	if (strncmp(value, "notify:", 7) || !value[7]) {
		param_fail(arg, "mconsole= takes notify:<socket>");
		return -EINVAL;
	}
	if (strlen(value + 7) >= sizeof(mc_path)) {
		param_fail(arg, "the notify socket's path is too long");
		return -EINVAL;
	}
	notify_path = value + 7;
	return 0;
}
__uml_setup("mconsole=", mconsole_setup,
"mconsole=notify:<socket>\n"
"    Sends the management console's notifications to that host datagram\n"
"    socket: the mconsole socket's path once it is up (so a watcher\n"
"    learns that the machine booted, and its umid), kernel panics, and\n"
"    what guest programs write to /proc/mconsole.\n");

static int mconsole_init(void)
{
	char path[UMID_PATH_MAX];
	int r;

	if (notify_path)
		panic_notifier = mc_notify_panic;
	r = umid_file_name("mconsole", path, sizeof(path));
	if (r == -ENOENT)
		return 0;		/* no umid directory: said at boot */
	if (r || strlen(path) >= sizeof(mc_path)) {
		pr_err("mconsole: the socket path %s is too long: no mconsole\n",
		       path);
		return 0;
	}
	strlcpy(mc_path, path, sizeof(mc_path));
	mc_fd = mconsole_user_socket(mc_path);
	if (mc_fd < 0) {
		pr_err("mconsole: cannot bind %s (error %d)\n", mc_path, mc_fd);
		return 0;
	}
	r = os_thread_create(mc_thread, NULL);
	if (r < 0) {
		pr_err("mconsole: cannot start its thread (error %d)\n", r);
		return 0;
	}
	pr_info("mconsole (version 2) initialized on %s\n", mc_path);
	mc_notify(MCONSOLE_SOCKET, mc_path, strlen(mc_path) + 1);
	return 0;
}
device_initcall(mconsole_init);
