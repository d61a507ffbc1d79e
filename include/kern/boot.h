/* SPDX-License-Identifier: GPL-2.0 */
/* Boot parameters and shutdown. */
#ifndef KERN_BOOT_H
#define KERN_BOOT_H

#include "kern/kernel.h"

#define UTS_SYSNAME	"Linux"
#define UTS_RELEASE	"6.1.0-uml"
#define UTS_VERSION	"#1 SMP PREEMPT_DYNAMIC"
#define UTS_MACHINE	"x86_64"

#define MAX_CONSOLES	16
#define MAX_INIT_ARGS	32

struct boot_params {
	u64 mem_bytes;
	const char *initrd;
	const char *init;
	const char *rdinit;
	const char *umid;
	const char *uml_dir;
	const char *root;
	const char *rootfstype;
	const char *rootflags;
	bool root_ro;
	bool root_rw;			/* "rw": root is mounted read-write */
	bool quiet;
	bool noreboot;
	int loglevel;
	int panic_timeout;
	const char *con_default;		/* con= */
	const char *con[MAX_CONSOLES];		/* conN= */
	char cmdline[4096];			/* what /proc/cmdline shows */
	const char *init_argv[MAX_INIT_ARGS];	/* after argv[0] */
	int init_argc;
	const char *init_envp[MAX_INIT_ARGS];
	int init_envc;
};

extern struct boot_params boot_params;

/* Parses argv; on bad input prints one line and returns -EINVAL. May exit
 * (--help, --version). */
int parse_command_line(int argc, char **argv);

/* Shutdown. how: the LINUX_REBOOT_CMD_* value (halt, power off, restart). */
#define SHUTDOWN_HALT		1
#define SHUTDOWN_POWER_OFF	2
#define SHUTDOWN_RESTART	3
#define SHUTDOWN_PANIC		4
void kernel_shutdown(int how, int status);
extern int kernel_exit_code;	/* /proc/exitcode */
/* Called by panic() with the message before the kernel aborts (the
 * mconsole notify socket), or NULL. */
extern void (*panic_notifier)(const char *msg);
/* Ctrl-Alt-Del (mconsole "cad"): a restart if reboot(2) left it "hard",
 * else SIGINT to init (kernel/sys.c). */
void ctrl_alt_del(void);
/* Creates pid 1 and runs the init program (kernel/fork.c). */
int start_init(void);

#endif
