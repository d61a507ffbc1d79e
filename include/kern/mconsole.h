/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Devices the management console can configure at run time
 * ("config ubd1=IMG", "config ubd1", "remove ubd1"), as UML's mc_device:
 * each driver registers one with the prefix it answers to. The mconsole
 * server (drivers/mconsole) matches a request's device name against the
 * prefixes and calls the driver under the kernel lock.
 */
#ifndef KERN_MCONSOLE_H
#define KERN_MCONSOLE_H

#include "kern/kernel.h"
#include "kern/list.h"

struct mc_device {
	struct list_head list;
	const char *name;		/* "ubd", "con", "ssl" */
	/*
	 * Hot-add: str is what follows the name, as on the command line
	 * ("1=disk.img", "b=cow,backing"). 0 or -errno; *error_out may be
	 * set to a static message for the reply text.
	 */
	int (*config)(char *str, char **error_out);
	/* Query: dev is what follows the name ("1"); writes the current
	 * spec into buf (empty when unconfigured); 0 or -errno. */
	int (*get_config)(char *dev, char *buf, int size, char **error_out);
	/*
	 * Parses the device number in str ("1", "b"); sets *start and *end
	 * to the valid range for the "must be between" message. Returns
	 * the number, or -1 if it cannot be parsed.
	 */
	int (*id)(char **str, int *start, int *end);
	/* Unplug device n: 0, -EBUSY while open or mounted, -ENODEV. */
	int (*remove)(int n, char **error_out);
};

/* Registers dev (static storage); call from an initcall. */
void mconsole_register_dev(struct mc_device *dev);
/* The device whose name prefixes str ("ubd1=..."), or NULL. */
struct mc_device *mconsole_find_dev(const char *str);

/*
 * The notify socket (mconsole=notify:PATH): whether there is one, and a
 * user notification (what a guest wrote to /proc/mconsole).
 */
bool mconsole_notify_enabled(void);
void mconsole_notify_user(const void *data, size_t len);

#endif
