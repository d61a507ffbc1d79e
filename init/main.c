// SPDX-License-Identifier: GPL-2.0
/*
 * Boot: command line, console, platform, root filesystem, init.
 *
 * Everything that can be wrong with the user's input (command line,
 * initrd) is checked before any guest process exists: a mistake costs one
 * line on stderr and exit status 2, and touches nothing.
 */
#include "kern/kernel.h"
#include "kern/boot.h"
#include "kern/init.h"
#include "kern/printk.h"
#include "kern/sched.h"
#include "kern/fs.h"
#include "kern/mm.h"
#include "kern/console.h"
#include "kern/umid.h"

int mount_block_root(void);	/* init/do_mounts.c */

int kernel_exit_code;
void (*panic_notifier)(const char *msg);
static u32 shutdown_word;
static int shutdown_how;
static int shutdown_status;

static void usage_error(const char *what, const char *arg, const char *why)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "linux: %s '%s': %s\n", what, arg,
			 why);

	os_write(2, buf, (size_t)min(n, (int)sizeof(buf) - 1));
}

static const char *errstr(int err)
{
	switch (-err) {
	case ENOENT: return "No such file or directory";
	case EACCES: return "Permission denied";
	case EISDIR: return "Is a directory";
	case ENOMEM: return "Out of memory";
	case EFBIG: return "File too large";
	case EINVAL: return "Invalid or corrupt data";
	default: return "Cannot read";
	}
}

/* Reads the whole initrd, gunzipping it if needed. */
static int load_initrd(const char *path, void **data, size_t *len)
{
	unsigned char *raw;
	long size, n;
	size_t got = 0;
	int fd, r;

	fd = os_open(path, 0 /* O_RDONLY */, 0);
	if (fd < 0)
		return fd;
	size = os_file_size(fd);
	if (size < 0) {
		os_close(fd);
		return (int)size;
	}
	if (size == 0 || size > (1L << 31)) {
		os_close(fd);
		return size ? -EFBIG : -EINVAL;
	}
	raw = kmalloc((size_t)size);
	if (!raw) {
		os_close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)size) {
		n = os_read(fd, raw + got, (size_t)size - got);
		if (n <= 0) {
			kfree(raw);
			os_close(fd);
			return n < 0 ? (int)n : -EIO;
		}
		got += (size_t)n;
	}
	os_close(fd);
	if (got >= 2 && raw[0] == 0x1f && raw[1] == 0x8b) {
		r = os_gunzip(raw, got, data, len, 1UL << 32);
		kfree(raw);
		return r;
	}
	*data = raw;
	*len = got;
	return 0;
}

void kernel_shutdown(int how, int status)
{
	if (__atomic_load_n(&shutdown_word, __ATOMIC_SEQ_CST))
		return;
	shutdown_how = how;
	shutdown_status = status;
	__atomic_store_n(&shutdown_word, 1, __ATOMIC_SEQ_CST);
	os_futex_wake(&shutdown_word, 1);
}

static void host_signal(int signo)
{
	printk(KERN_NOTICE "Received host signal %d: shutting down\n", signo);
	kernel_shutdown(SHUTDOWN_HALT, 1);
}

static void zygote_died(void)
{
	printk(KERN_EMERG "Kernel panic - not syncing: stub zygote died\n");
	kernel_shutdown(SHUTDOWN_PANIC, 134);
}

#define INITCALL_LEVEL(n)						\
	extern const initcall_t __start_uml_initcall##n[] __attribute__((weak)); \
	extern const initcall_t __stop_uml_initcall##n[] __attribute__((weak))
INITCALL_LEVEL(1);
INITCALL_LEVEL(2);
INITCALL_LEVEL(3);
INITCALL_LEVEL(4);

int do_initcalls(int level)
{
	static const initcall_t *const bounds[][2] = {
		{ __start_uml_initcall1, __stop_uml_initcall1 },
		{ __start_uml_initcall2, __stop_uml_initcall2 },
		{ __start_uml_initcall3, __stop_uml_initcall3 },
		{ __start_uml_initcall4, __stop_uml_initcall4 },
	};

	for (const initcall_t *fn = bounds[level - 1][0];
	     fn < bounds[level - 1][1]; fn++) {
		int r = (*fn)();

		if (r < 0)
			return r;
	}
	return 0;
}

static void boot_banner(void)
{
	struct boot_params *bp = &boot_params;

	pr_notice("Linux version " UTS_RELEASE " (uml-c) (gcc) " UTS_VERSION
		  "\n");
	pr_info("Physical RAM: %lluK\n",
		(unsigned long long)(bp->mem_bytes >> 10));
	pr_notice("Kernel command line: %s\n", bp->cmdline);
	pr_info("Memory: %lluK/%lluK available\n",
		(unsigned long long)(bp->mem_bytes >> 10),
		(unsigned long long)(bp->mem_bytes >> 10));
	pr_info("Calibrating delay loop... skipped, host CPUs: %d\n",
		os_nprocs());
}

/* An initcall refused the boot (it said why): nothing of us stays behind. */
static void __noreturn boot_failed(void)
{
	plat_shutdown();
	umid_cleanup();
	os_exit(2);
}

int start_kernel(int argc, char **argv)
{
	struct boot_params *bp = &boot_params;
	void *initrd = NULL;
	size_t initrd_len = 0;
	bool locked;
	int r;

	boot_time_ns = ktime_get_ns();
	if (parse_command_line(argc, argv) < 0)
		os_exit(2);
	if (bp->initrd) {
		r = load_initrd(bp->initrd, &initrd, &initrd_len);
		if (r < 0) {
			usage_error("initrd", bp->initrd, errstr(r));
			os_exit(2);
		}
		r = cpio_check(initrd, initrd_len);
		if (r < 0) {
			usage_error("initrd", bp->initrd,
				    "not a valid cpio (newc) archive, or truncated");
			os_exit(2);
		}
	}
	r = console_setup();
	if (r < 0)
		os_exit(2);
	if (umid_init() < 0)
		os_exit(2);

	if (bp->loglevel >= 0)
		console_loglevel = bp->loglevel;
	else if (bp->quiet)
		console_loglevel = 4;
	mem_total_pages = bp->mem_bytes >> PAGE_SHIFT;
	boot_banner();

	os_catch_signals(host_signal);
	r = plat_init(zygote_died);
	if (r < 0)
		panic("cannot start the systrap platform: error %d", r);
	pr_info("systrap: seccomp platform ready\n");
	r = vfs_init();
	if (r < 0)
		panic("VFS: cannot mount root tmpfs: error %d", r);
	os_kernel_lock();
	r = do_initcalls(1);
	if (!r)
		r = do_initcalls(2);
	os_kernel_unlock();
	if (r < 0)
		boot_failed();
	if (bp->initrd) {
		r = populate_rootfs(initrd, initrd_len);
		kfree(initrd);
		if (r < 0)
			panic("initramfs: unpacking failed: error %d", r);
		pr_info("Unpacking initramfs... done\n");
	} else {
		/* no initramfs: the root is a disk (root=, default 98:0) */
		os_kernel_lock();
		r = mount_block_root();
		os_kernel_unlock();
		if (r < 0)
			panic("VFS: cannot set up the root filesystem: error %d", r);
	}
	os_kernel_lock();
	r = do_initcalls(3);
	os_kernel_unlock();
	if (r < 0)
		boot_failed();
	console_start();

	r = start_init();
	if (r < 0)
		panic("cannot start init: error %d", r);

	while (!__atomic_load_n(&shutdown_word, __ATOMIC_SEQ_CST))
		os_futex_wait(&shutdown_word, 0, 0);

	/*
	 * A task stuck with the kernel lock (a kernel bug) must not keep the
	 * machine from going down: after a few seconds, go down without it.
	 */
	locked = os_kernel_lock_timeout(5ULL * 1000000000ULL) == 0;
	if (!locked)
		printk(KERN_EMERG "shutdown: the kernel lock is stuck; not syncing\n");
	plat_shutdown();
	if (shutdown_how != SHUTDOWN_PANIC && locked) {
		vfs_shutdown();
		do_initcalls(4);
	}
	switch (shutdown_how) {
	case SHUTDOWN_POWER_OFF:
		printk(KERN_EMERG "reboot: Power down\n");
		break;
	case SHUTDOWN_HALT:
		printk(KERN_EMERG "reboot: System halted\n");
		break;
	case SHUTDOWN_RESTART:
		printk(KERN_EMERG "reboot: Restarting system\n");
		break;
	default:
		break;
	}
	console_flush();
	if (shutdown_how == SHUTDOWN_PANIC)
		os_abort();
	/* A panic leaves the directory stale, as UML's; anything else is
	 * clean (a reboot makes it again). */
	umid_cleanup();
	/* As the real UML: a reboot runs the same command line again. */
	if (shutdown_how == SHUTDOWN_RESTART && !bp->noreboot)
		os_reexec(argv);
	os_exit(shutdown_status);
}

void panic(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", buf);
	console_flush();
	if (panic_notifier)
		panic_notifier(buf);
	plat_shutdown();
	os_abort();
}
