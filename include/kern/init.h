/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot-time registration, so a driver plugs itself in without editing the
 * command-line parser or start_kernel().
 *
 * __uml_setup("ubd", ubd_setup, "help text") claims every command-line
 * argument starting with "ubd". setup() gets the whole argument and the
 * part after the prefix; it returns 0 to keep the argument on the guest's
 * command line (/proc/cmdline, as UML does), 1 to consume it, or a
 * negative errno after calling param_fail() once: the kernel then exits
 * with status 2 before anything has started. Setup functions only record
 * what they were given (they run before the VFS, the console and the
 * platform exist); the work happens in an initcall.
 *
 * Initcalls run under the kernel lock, in level order, each level in link
 * order:
 *   core_initcall    after the platform and the VFS (tmpfs root, devtmpfs,
 *                    proc, sysfs) are up: register filesystems, block
 *                    layer
 *   device_initcall  drivers: open host files, create /dev nodes
 *   late_initcall    after the root filesystem is mounted, before init runs
 *   exitcall         at a clean shutdown (halt, poweroff, reboot), after
 *                    the filesystems are synced: flush and close devices
 *                    (its return value is ignored)
 * A negative return from an initcall is a boot failure: the kernel prints
 * it and exits with status 2 (e.g. a ubd image that cannot be opened).
 */
#ifndef KERN_INIT_H
#define KERN_INIT_H

#include "kern/kernel.h"

struct uml_param {
	const char *prefix;
	int (*setup)(const char *arg, const char *value);
	const char *help;		/* appended to linux --help */
};

#define __uml_setup(str, fn, helptext)					\
	static const struct uml_param __uml_param_##fn			\
	__attribute__((used, section("uml_params"), aligned(8))) =	\
		{ str, fn, helptext }

typedef int (*initcall_t)(void);

#define __define_initcall(fn, level)					\
	static const initcall_t __initcall_##fn##_##level		\
	__attribute__((used, section("uml_initcall" #level), aligned(8))) = fn

#define core_initcall(fn)	__define_initcall(fn, 1)
#define device_initcall(fn)	__define_initcall(fn, 2)
#define late_initcall(fn)	__define_initcall(fn, 3)
#define exitcall(fn)		__define_initcall(fn, 4)

/* One line on stderr: "linux: WHY: 'ARG'" (the command-line error form). */
void param_fail(const char *arg, const char *why);

/* init/main.c: runs one level; the first failure stops the boot. */
int do_initcalls(int level);

/* kernel/params.c: the registered options (for --help and parsing) */
const struct uml_param *uml_param_find(const char *arg);

#endif
