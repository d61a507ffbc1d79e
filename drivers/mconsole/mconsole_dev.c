// SPDX-License-Identifier: GPL-2.0
/* The registry of devices the management console can configure. */
#include "kern/mconsole.h"

static LIST_HEAD(mc_devices);

void mconsole_register_dev(struct mc_device *dev)
{
	list_add_tail(&dev->list, &mc_devices);
}

/* The device whose name prefixes str ("ubd1=..." -> ubd), or NULL. */
struct mc_device *mconsole_find_dev(const char *str)
{
	struct mc_device *dev;

	list_for_each_entry(dev, &mc_devices, list)
		if (!strncmp(str, dev->name, strlen(dev->name)))
			return dev;
	return NULL;
}
