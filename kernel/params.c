// SPDX-License-Identifier: GPL-2.0
/*
 * The command line, in UML's syntax (shared/spec/cmdline.md): host-level
 * options are matched first by prefix; the rest are kernel parameters.
 * Every argument is checked before anything is started: an unknown or
 * malformed one is named in one line on stderr and the kernel exits with
 * status 2. Options that later work will implement are recognised and
 * refused as "not supported yet", never silently ignored.
 */
#include "kern/kernel.h"
#include "kern/boot.h"
#include "kern/init.h"

struct boot_params boot_params = {
	.mem_bytes = 64ULL << 20,
	.loglevel = -1,
};

static const char help_text[] =
	"User Mode Linux v" UTS_RELEASE "\n"
	"\tavailable at http://user-mode-linux.sourceforge.net/\n"
	"\n"
	"mem=<Amount of desired ram>\n"
	"    This controls how much \"physical\" memory the kernel allocates\n"
	"    for the system. The size is specified as a number followed by\n"
	"    one of 'k', 'K', 'm', 'M', 'g', 'G' to signify kilobytes,\n"
	"    megabytes or gigabytes. Example: mem=64M\n"
	"\n"
	"--help\n"
	"    Prints this message.\n"
	"\n"
	"root=<file containing the root fs>\n"
	"    This is actually used by the generic kernel in exactly the same\n"
	"    way as in any other kernel.\n"
	"\n"
	"--version\n"
	"    Prints the version number of the kernel.\n"
	"\n"
	"umid=<name>\n"
	"    This is used to assign a unique identity to this UML machine and\n"
	"    is used for naming the pid file and management console socket.\n"
	"\n"
	"initrd=<initrd image>\n"
	"    This is used to boot UML from an initrd image. The argument is\n"
	"    the name of the file containing the image: a gzip'd (or plain)\n"
	"    cpio archive in the newc format.\n"
	"\n"
	"init=<program>, rdinit=<program>\n"
	"    The first program to run; by default /init, then /sbin/init,\n"
	"    /etc/init, /bin/init and /bin/sh.\n"
	"\n"
	"con[0-9]*=<channel description>\n"
	"    Attach a console or serial line to a host channel. Channels\n"
	"    supported: fd:<n> and null, or an <input>,<output> pair of them.\n"
	"    Example: con0=fd:0,fd:1 con1=null\n"
	"\n"
	"uml_dir=<directory>\n"
	"    The location to place the pid and umid files.\n"
	"\n"
	"quiet\n"
	"    Turns off information messages during boot.\n"
	"\n"
	"loglevel=<n>\n"
	"    Console log level: messages below it are printed.\n"
	"\n"
	"noreboot\n"
	"    Rather than rebooting, exit always, akin to QEMU's -no-reboot.\n"
	"\n";

void param_fail(const char *arg, const char *why)
{
	os_write(2, "linux: ", 7);
	os_write(2, why, strlen(why));
	os_write(2, ": '", 3);
	os_write(2, arg, strlen(arg));
	os_write(2, "'\n", 2);
}

/* mem=: a number (base prefixes honoured) with an optional K/M/G/T suffix. */
static int parse_size(const char *s, u64 *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!*s || *s == '-')
		return -EINVAL;
	v = strtoull(s, &end, 0);
	if (end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	case 0: break;
	default: return -EINVAL;
	}
	if (*end || (shift && v > (~0ULL >> shift)))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static int parse_con(const char *arg)
{
	const char *eq = strchr(arg, '=');
	const char *spec = eq + 1;
	char *end;
	unsigned long n;

	if (eq == arg + 3) {		/* con= */
		boot_params.con_default = spec;
		return 0;
	}
	n = strtoul(arg + 3, &end, 0);
	if (end != eq || end == arg + 3) {
		param_fail(arg, "Couldn't parse device number");
		return -EINVAL;
	}
	if (n >= MAX_CONSOLES) {
		param_fail(arg, "Device number out of range");
		return -EINVAL;
	}
	boot_params.con[n] = spec;
	return 0;
}

/* Checks one channel spec: none, or <chan> or <in>,<out>. */
int chan_spec_valid(const char *spec);

static const char *const unsupported[] = {
	"ssl", "vec", "eth", "hostfs=", "iomem=",
	"dsp=", "mixer=", "virtio_uml.device=", "time-travel", "fake_ide",
	"xterm=", "dtb=",
};

static int append_cmdline(const char *arg)
{
	size_t len = strlen(boot_params.cmdline), n = strlen(arg);

	if (len + n + 2 > sizeof(boot_params.cmdline)) {
		os_write(2, "add_arg: Too many command line arguments!\n", 42);
		return -E2BIG;
	}
	if (len)
		boot_params.cmdline[len++] = ' ';
	memcpy(boot_params.cmdline + len, arg, n + 1);
	return 0;
}

static bool is_env_assignment(const char *arg)
{
	const char *p;

	for (p = arg; *p && *p != '='; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_'))
			return false;
	return *p == '=' && p != arg;
}

static bool is_runlevel(const char *arg)
{
	static const char *const words[] = { "single", "emergency", "s", "S",
		"1", "2", "3", "4", "5" };

	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(arg, words[i]))
			return true;
	return false;
}

/* Weak: with no option registered the linker defines neither. */
extern const struct uml_param __start_uml_params[] __attribute__((weak));
extern const struct uml_param __stop_uml_params[] __attribute__((weak));

const struct uml_param *uml_param_find(const char *arg)
{
	for (const struct uml_param *p = __start_uml_params;
	     p < __stop_uml_params; p++)
		if (has_prefix(arg, p->prefix))
			return p;
	return NULL;
}

static void print_help(void)
{
	os_write(1, help_text, sizeof(help_text) - 1);
	for (const struct uml_param *p = __start_uml_params;
	     p < __stop_uml_params; p++)
		if (p->help) {
			os_write(1, p->help, strlen(p->help));
			os_write(1, "\n", 1);
		}
}

static int parse_one(const char *arg)
{
	struct boot_params *bp = &boot_params;
	const struct uml_param *p;
	int v;

	if (has_prefix(arg, "mem=")) {
		if (parse_size(arg + 4, &bp->mem_bytes) < 0 ||
		    bp->mem_bytes < (8ULL << 20)) {
			param_fail(arg, bp->mem_bytes < (8ULL << 20) ?
			     "mem= must be at least 8M" : "malformed memory size");
			return -EINVAL;
		}
	} else if (has_prefix(arg, "initrd=")) {
		if (!arg[7]) {
			param_fail(arg, "initrd= needs a file name");
			return -EINVAL;
		}
		bp->initrd = arg + 7;
	} else if (has_prefix(arg, "init=")) {
		bp->init = arg + 5;
	} else if (has_prefix(arg, "rdinit=")) {
		bp->rdinit = arg + 7;
	} else if (has_prefix(arg, "umid=")) {
		if (!arg[5] || strlen(arg + 5) > 63 || strchr(arg + 5, '/') ||
		    !strcmp(arg + 5, ".") || !strcmp(arg + 5, "..")) {
			param_fail(arg, "umid must be 1 to 63 characters, no '/'");
			return -EINVAL;
		}
		bp->umid = arg + 5;
		return 1;	/* consumed: not part of the guest command line */
	} else if (has_prefix(arg, "uml_dir=")) {
		if (!arg[8] || strlen(arg + 8) > 3000) {
			param_fail(arg, "uml_dir must be a directory name");
			return -EINVAL;
		}
		bp->uml_dir = arg + 8;
	} else if (has_prefix(arg, "root=")) {
		bp->root = arg + 5;
	} else if (has_prefix(arg, "rootfstype=")) {
		bp->rootfstype = arg + 11;
	} else if (has_prefix(arg, "rootflags=")) {
		bp->rootflags = arg + 10;
	} else if (!strcmp(arg, "ro")) {
		bp->root_ro = true;
		bp->root_rw = false;
	} else if (!strcmp(arg, "rw")) {
		bp->root_ro = false;
		bp->root_rw = true;
	} else if (!strcmp(arg, "quiet")) {
		bp->quiet = true;
	} else if (has_prefix(arg, "loglevel=")) {
		if (kstrtoint(arg + 9, 10, &v) < 0 || v < 0 || v > 15) {
			param_fail(arg, "loglevel must be a number from 0 to 15");
			return -EINVAL;
		}
		bp->loglevel = v;
	} else if (has_prefix(arg, "panic=")) {
		if (kstrtoint(arg + 6, 10, &bp->panic_timeout) < 0) {
			param_fail(arg, "panic= must be a number");
			return -EINVAL;
		}
	} else if (has_prefix(arg, "console=")) {
		/* the guest console is tty0/con0 either way */
	} else if (!strcmp(arg, "noreboot")) {
		bp->noreboot = true;
	} else if (!strcmp(arg, "nosysemu") || !strcmp(arg, "debug")) {
		/* ptrace-era options: accepted, nothing to do */
	} else if (has_prefix(arg, "con") && strchr(arg, '=') &&
		   (arg[3] == '=' || (arg[3] >= '0' && arg[3] <= '9'))) {
		if (parse_con(arg) < 0)
			return -EINVAL;
		if (!chan_spec_valid(strchr(arg, '=') + 1)) {
			param_fail(arg, "failed to parse channel pair (fd:N, null, none)");
			return -EINVAL;
		}
	} else if ((p = uml_param_find(arg))) {
		return p->setup(arg, arg + strlen(p->prefix));
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(unsupported); i++)
			if (has_prefix(arg, unsupported[i])) {
				param_fail(arg, "option not supported yet");
				return -EINVAL;
			}
		if (is_env_assignment(arg)) {
			if (bp->init_envc < MAX_INIT_ARGS - 1)
				bp->init_envp[bp->init_envc++] = arg;
		} else if (is_runlevel(arg)) {
			if (bp->init_argc < MAX_INIT_ARGS - 1)
				bp->init_argv[bp->init_argc++] = arg;
		} else {
			param_fail(arg, "unknown option (see linux --help)");
			return -EINVAL;
		}
	}
	return 0;
}

int parse_command_line(int argc, char **argv)
{
	bool after_dashes = false;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int r;

		if (i == 1 && arg[0] == ' ')
			continue;
		if (after_dashes) {
			if (boot_params.init_argc < MAX_INIT_ARGS - 1)
				boot_params.init_argv[boot_params.init_argc++] = arg;
			if (append_cmdline(arg) < 0)
				return -EINVAL;
			continue;
		}
		if (!strcmp(arg, "--help")) {
			print_help();
			os_exit(0);
		}
		if (!strcmp(arg, "--version")) {
			os_write(1, UTS_RELEASE "\n", sizeof(UTS_RELEASE));
			os_exit(0);
		}
		if (!strcmp(arg, "--")) {
			after_dashes = true;
			if (append_cmdline(arg) < 0)
				return -EINVAL;
			continue;
		}
		if (!*arg) {
			param_fail(arg, "empty argument");
			return -EINVAL;
		}
		r = parse_one(arg);
		if (r < 0)
			return r;
		if (r == 0 && append_cmdline(arg) < 0)
			return -EINVAL;
	}
	if (!boot_params.root && append_cmdline("root=98:0") < 0)
		return -EINVAL;
	return 0;
}
