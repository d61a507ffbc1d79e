// SPDX-License-Identifier: GPL-2.0
/*
 * ubd through the management console: "config ubdN=..." plugs a disk in
 * (the same syntax as the command line), "config ubdN" shows what it is,
 * "remove ubdN" unplugs it unless it is open or mounted.
 */
#include "kern/mconsole.h"
#include "ubd_int.h"

static int parse_n(const char *s, char **end)
{
	unsigned long n;

	if (*s >= 'a' && *s <= 'z') {
		*end = (char *)s + 1;
		return *s - 'a';
	}
	n = strtoul(s, end, 0);
	if (*end == s || *s < '0' || *s > '9')
		return -1;
	return n > INT_MAX ? INT_MAX : (int)n;
}

static int ubd_mc_config(char *str, char **error_out)
{
	const char *why = NULL;
	struct ubd *d;
	int n, r;

	n = ubd_parse(str, &why);
	if (n < 0) {
		*error_out = (char *)why;
		return -EINVAL;
	}
	d = &ubd_devs[n];
	r = ubd_add(d);
	if (r) {
		*error_out = d->err;
		ubd_config_free(d);
		return r;
	}
	return 0;
}

static int ubd_mc_get_config(char *dev, char *buf, int size,
			     char **error_out)
{
	char *end;
	struct ubd *d;
	int n = parse_n(dev, &end);

	if (n < 0 || *end) {
		*error_out = "ubd_get_config : didn't parse device number";
		return -EINVAL;
	}
	if (n >= UBD_MAX_DEV) {
		*error_out = "ubd_get_config : device number out of range";
		return -EINVAL;
	}
	d = &ubd_devs[n];
	if (!d->added || size <= 0) {
		if (size > 0)
			buf[0] = '\0';
		return 0;
	}
	if (d->cow)
		snprintf(buf, (size_t)size, "%s,%s", d->file,
			 d->backing ? d->backing : d->cow->backing);
	else
		snprintf(buf, (size_t)size, "%s", d->file);
	return 0;
}

static int ubd_mc_id(char **str, int *start, int *end)
{
	char *e;
	int n = parse_n(*str, &e);

	*start = 0;
	*end = UBD_MAX_DEV - 1;
	if (n < 0)
		return -1;
	*str = e;
	return n;
}

static int ubd_mc_remove(int n, char **error_out)
{
	struct ubd *d;
	int r;

	if (n < 0 || n >= UBD_MAX_DEV)
		return -ENODEV;
	d = &ubd_devs[n];
	if (!d->added) {
		*error_out = "Device doesn't exist";
		return -ENODEV;
	}
	r = ubd_remove(d);
	if (r == -EBUSY)
		*error_out = "Device is currently open";
	return r;
}

static struct mc_device ubd_mc = {
	.name = "ubd",
	.config = ubd_mc_config,
	.get_config = ubd_mc_get_config,
	.id = ubd_mc_id,
	.remove = ubd_mc_remove,
};

void ubd_mc_init(void)
{
	mconsole_register_dev(&ubd_mc);
}
