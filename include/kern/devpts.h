/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devpts (fs/devpts/): the filesystem of pty slaves, /dev/pts/N. The pty
 * driver (drivers/tty/pty.c) makes and removes the nodes; mounts show
 * them with the owner and mode the mount options ask for.
 */
#ifndef KERN_DEVPTS_H
#define KERN_DEVPTS_H

#include "kern/vfs.h"

#define DEVPTS_SUPER_MAGIC	0x1cd1

/*
 * The node of slave index (136:index), owned by the caller (or uid=/gid=
 * of the mount options) with mode=. Returns the dentry, referenced, or
 * ERR_PTR.
 */
struct dentry *devpts_pty_new(unsigned int index);
/* The slave's master is gone: its node disappears (drops the reference). */
void devpts_pty_kill(struct dentry *d);
/* The largest number of ptys (max=, at most NR_PTYS). */
unsigned int devpts_max(void);
/*
 * The devpts a master opened through ptmx belongs to, as Linux finds it:
 * the one the ptmx node lives on, else the one mounted on "pts" next to
 * it (-ENOENT without such a directory, -ENODEV if it is not devpts).
 * *p is its root, referenced (path_put); TIOCGPTPEER opens slaves there.
 */
int devpts_mount_for(struct file *ptmx, struct path *p);

#endif
