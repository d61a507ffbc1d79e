/* SPDX-License-Identifier: GPL-2.0 */
/* sysfs internals. */
#ifndef FS_SYSFS_SYSFS_H
#define FS_SYSFS_SYSFS_H

#include "kern/vfs.h"
#include "kern/sysfs.h"

/*
 * One entry of the tree. The tree holds one reference on each node it
 * contains and every inode made for a node holds one more, so a removed
 * node lives on (marked removed, detached) while files still use it.
 */
struct sysfs_node {
	char *name;
	mode_t mode;			/* S_IFDIR, S_IFREG or S_IFLNK | perms */
	struct sysfs_node *parent;	/* NULL for the root and once removed */
	struct list_head children;	/* of sibling, in creation order */
	struct list_head sibling;
	int refs;
	bool removed;
	unsigned long ino;
	const struct sysfs_attr_ops *ops;	/* files */
	void *priv;
	char *text;			/* owned: a link's target, a text file */
};

typedef int (*sysfs_emit_fn)(void *ctx, const char *name, int len, u64 ino,
			     unsigned int type, loff_t next_pos);

struct sysfs_node *sysfs_root(void);
struct sysfs_node *sysfs_child(struct sysfs_node *dir, const char *name,
			       unsigned int len);
void sysfs_get(struct sysfs_node *n);
void sysfs_put(struct sysfs_node *n);

int sysfs_init(void);			/* fs/sysfs/mount.c */
int sysfs_populate(void);		/* fs/sysfs/devices.c */

#endif
