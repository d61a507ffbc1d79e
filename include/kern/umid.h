/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The umid directory (shared/spec/umid.md): every instance has a unique id
 * and a directory <uml_dir><umid>/ (mode 0700) holding its pid file and
 * its mconsole socket. Made at boot, removed at a clean exit.
 *
 * Neutral types only: shared by kernel/umid.c and its host half
 * kernel/umid_user.c.
 */
#ifndef KERN_UMID_H
#define KERN_UMID_H

#include <stddef.h>
#include <stdbool.h>

#define UMID_LEN	64		/* 63 characters and a NUL */
#define UMID_PATH_MAX	4096

/* kernel/umid.c */
/*
 * Makes the directory (boot_params.umid or a random umid, under
 * boot_params.uml_dir or ~/.uml/). On failure prints one line on stderr
 * naming the option and returns < 0: the caller exits with status 2.
 */
int umid_init(void);
const char *get_umid(void);		/* "" before umid_init() */
/*
 * <umid dir>/<name> into buf; -ENAMETOOLONG if it does not fit,
 * -ENOENT if there is no umid directory.
 */
int umid_file_name(const char *name, char *buf, size_t len);
/* Removes the directory and everything in it (clean exit, reboot). */
void umid_cleanup(void);

/* kernel/umid_user.c: the host calls */
/*
 * Creates uml_dir ("~" is $HOME) and in it the directory for umid (or,
 * when umid is "", a random one, written back into umid), reclaiming a
 * stale one. The directory's path goes to dir. -EBUSY when a live process
 * (*owner) holds it.
 */
int umid_user_setup(const char *uml_dir, char *umid, size_t umid_len,
		    char *dir, size_t dir_len, int *owner);
void umid_user_remove(const char *dir);

#endif
