// SPDX-License-Identifier: GPL-2.0
/*
 * The umid and its directory (shared/spec/umid.md). An explicit umid= that
 * cannot be had (another live instance holds it, or the directory cannot
 * be made) stops the boot with status 2, as bad input does: the user asked
 * for that name, and scripts drive the instance by it. Without umid= a
 * random one is drawn; if even that fails (no $HOME, a read-only home) the
 * machine runs without a umid directory and so without an mconsole.
 */
#include "kern/kernel.h"
#include "kern/boot.h"
#include "kern/init.h"
#include "kern/umid.h"

static char umid[UMID_LEN];
static char umid_dir[UMID_PATH_MAX];

const char *get_umid(void)
{
	return umid;
}

int umid_file_name(const char *name, char *buf, size_t len)
{
	int n;

	if (!umid_dir[0])
		return -ENOENT;
	n = snprintf(buf, len, "%s/%s", umid_dir, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int umid_init(void)
{
	const char *dir = boot_params.uml_dir ? boot_params.uml_dir : "~/.uml/";
	char arg[UMID_PATH_MAX + 16], why[160];
	int owner, r;

	if (boot_params.umid)
		strlcpy(umid, boot_params.umid, sizeof(umid));
	r = umid_user_setup(dir, umid, sizeof(umid), umid_dir,
			    sizeof(umid_dir), &owner);
	if (!r)
		return 0;
	umid_dir[0] = '\0';
	if (boot_params.umid) {
		snprintf(arg, sizeof(arg), "umid=%s", boot_params.umid);
		if (r == -EBUSY)
			snprintf(why, sizeof(why),
				 "umid \"%s\" is already in use by pid %d",
				 boot_params.umid, owner);
		else
			snprintf(why, sizeof(why),
				 "cannot make the umid directory under %s (error %d)",
				 dir, r);
		param_fail(arg, why);
		return r;
	}
	umid[0] = '\0';
	if (boot_params.uml_dir) {
		snprintf(arg, sizeof(arg), "uml_dir=%s", boot_params.uml_dir);
		snprintf(why, sizeof(why),
			 "cannot make a umid directory there (error %d)", r);
		param_fail(arg, why);
		return r;
	}
	pr_warn("umid: no umid directory under %s (error %d): no mconsole\n",
		dir, r);
	return 0;
}

void umid_cleanup(void)
{
	if (umid_dir[0])
		umid_user_remove(umid_dir);
	umid_dir[0] = '\0';
}
