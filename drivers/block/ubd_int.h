/* SPDX-License-Identifier: GPL-2.0 */
/* ubd's kernel half: the disk state shared by ubd_kern.c and ubd_cow.c. */
#ifndef DRIVERS_BLOCK_UBD_INT_H
#define DRIVERS_BLOCK_UBD_INT_H

#include "kern/blkdev.h"
#include "kern/fs.h"
#include "ubd.h"
#include "../../tools/lib/cow.h"

#define UBD_MAJOR	98
#define UBD_MINORS	16	/* per disk: the disk and 15 partitions */
#define UBD_MAX_DEV	16

struct ubd {
	struct block_device bd;
	int n;
	bool configured;	/* given on the command line or by mconsole */
	bool added;		/* open and registered */

	/* the configuration */
	char *config;		/* the text after '=', for mconsole */
	char *spec;		/* a copy cut into the fields below */
	char *file;		/* the image, or the COW file */
	char *backing;		/* the backing file given, or NULL */
	char *serial;
	bool flag_ro, flag_sync, flag_no_cow, shared, flag_no_trim;

	/* the open disk */
	bool ro, sync;
	bool no_punch;		/* the host filesystem cannot punch holes */
	int fd;			/* the image or the COW file */
	int bfd;		/* the backing file (COW), or -1 */
	u64 size;		/* of the disk, a multiple of 512 */
	struct cow_header *cow;	/* NULL: a plain image */
	u8 *bitmap;		/* one bit per sector: in the COW file */
	char err[768];		/* why the last open failed */
};

extern struct ubd ubd_devs[UBD_MAX_DEV];

int ubd_err(struct ubd *d, const char *fmt, ...) __printf(2, 3);
const char *ubd_strerror(int err, char *buf, size_t size);
int ubd_open_file(struct ubd *d, const char *path, int *fd);
int ubd_lock(struct ubd *d, int fd, const char *path, bool write);
int ubd_pread(int fd, void *buf, size_t len, u64 off, unsigned int flags);
int ubd_pwrite(struct ubd *d, int fd, const void *buf, size_t len, u64 off,
	       unsigned int flags);
int ubd_punch(struct ubd *d, int fd, u64 off, u64 len, unsigned int flags);
int ubd_sync(int fd, unsigned int flags);

int ubd_parse(const char *str, const char **why);
void ubd_config_free(struct ubd *d);
int ubd_add(struct ubd *d);
int ubd_remove(struct ubd *d);
void ubd_mc_init(void);

/* ubd_cow.c: 1 if the disk is a COW disk and is now open, 0 if it is a
 * plain image (nothing opened), or -errno with d->err set. */
int ubd_cow_probe(struct ubd *d);
int ubd_cow_rw(struct ubd *d, int op, u64 off, void *buf, size_t len,
	       unsigned int flags);
int ubd_cow_discard(struct ubd *d, u64 off, u64 len, unsigned int flags);

#endif
