/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Filesystem change notification: the hooks the VFS calls where Linux's
 * fsnotify_*() are called, feeding inotify (fs/notify/inotify.c). Each
 * hook first asks whether the inode or its parent directory is watched at
 * all (an empty list), so they cost next to nothing when nobody watches.
 *
 * Events on a file also reach a watch on its parent directory, with the
 * file's name, as in Linux.
 */
#ifndef KERN_FSNOTIFY_H
#define KERN_FSNOTIFY_H

#include "kern/vfs.h"

/* inotify event bits (<linux/inotify.h>) */
#define IN_ACCESS		0x00000001
#define IN_MODIFY		0x00000002
#define IN_ATTRIB		0x00000004
#define IN_CLOSE_WRITE		0x00000008
#define IN_CLOSE_NOWRITE	0x00000010
#define IN_OPEN			0x00000020
#define IN_MOVED_FROM		0x00000040
#define IN_MOVED_TO		0x00000080
#define IN_CREATE		0x00000100
#define IN_DELETE		0x00000200
#define IN_DELETE_SELF		0x00000400
#define IN_MOVE_SELF		0x00000800
#define IN_UNMOUNT		0x00002000
#define IN_Q_OVERFLOW		0x00004000
#define IN_IGNORED		0x00008000
#define IN_ONLYDIR		0x01000000
#define IN_DONT_FOLLOW		0x02000000
#define IN_EXCL_UNLINK		0x04000000
#define IN_MASK_CREATE		0x10000000
#define IN_MASK_ADD		0x20000000
#define IN_ISDIR		0x40000000
#define IN_ONESHOT		0x80000000
#define IN_ALL_EVENTS		0x00000fff

/* inotify's limits (/proc/sys/fs/inotify, read-only here) */
#define INOTIFY_MAX_QUEUED_EVENTS	16384
#define INOTIFY_MAX_USER_INSTANCES	128
#define INOTIFY_MAX_USER_WATCHES	65536

static inline bool fsnotify_watched(const struct inode *inode)
{
	return inode && !list_empty(&inode->i_fsnotify_marks);
}

/*
 * The core: mask happened to the object of d (name NULL: to inode itself,
 * which a dentry-less caller passes) and is told to its parent directory.
 */
void __fsnotify_dentry(struct dentry *d, u32 mask);
/* mask happened to inode itself (no parent involved). */
void __fsnotify_inode(struct inode *inode, u32 mask);
/* mask happened to the entry name in dir (create, delete, moves). */
void __fsnotify_name(struct inode *dir, u32 mask, u32 cookie,
		     const char *name, unsigned int len);
/* inode lost its last link: IN_DELETE_SELF, then its watches go. */
void __fsnotify_inode_delete(struct inode *inode);
u32 fsnotify_get_cookie(void);
/* sb is going away: its watches get IN_UNMOUNT and IN_IGNORED, and go. */
void fsnotify_sb_delete(struct super_block *sb);

static inline bool fsnotify_dentry_watched(const struct dentry *d)
{
	return d && (fsnotify_watched(d->d_inode) ||
		     (d->d_parent != d &&
		      fsnotify_watched(d->d_parent->d_inode)));
}

static inline void fsnotify_file(struct file *f, u32 mask)
{
	struct dentry *d = f->f_path.dentry;

	if ((f->f_mode & FMODE_PATH) || !fsnotify_dentry_watched(d))
		return;
	__fsnotify_dentry(d, mask);
}

static inline void fsnotify_access(struct file *f)
{
	fsnotify_file(f, IN_ACCESS);
}

static inline void fsnotify_modify(struct file *f)
{
	fsnotify_file(f, IN_MODIFY);
}

static inline void fsnotify_open(struct file *f)
{
	fsnotify_file(f, IN_OPEN);
}

static inline void fsnotify_close(struct file *f)
{
	fsnotify_file(f, (f->f_mode & FMODE_WRITE) ? IN_CLOSE_WRITE
						   : IN_CLOSE_NOWRITE);
}

/* After a successful notify_change(): which attributes changed. */
static inline void fsnotify_change(struct dentry *d, unsigned int ia_valid)
{
	u32 mask = 0;

	if (!fsnotify_dentry_watched(d))
		return;
	if (ia_valid & (ATTR_UID | ATTR_GID | ATTR_MODE))
		mask |= IN_ATTRIB;
	if (ia_valid & ATTR_SIZE)
		mask |= IN_MODIFY;
	/* both times: utimes; one of them: what it stands for */
	if ((ia_valid & (ATTR_ATIME | ATTR_MTIME)) == (ATTR_ATIME | ATTR_MTIME))
		mask |= IN_ATTRIB;
	else if (ia_valid & ATTR_ATIME)
		mask |= IN_ACCESS;
	else if (ia_valid & ATTR_MTIME)
		mask |= IN_MODIFY;
	if (mask)
		__fsnotify_dentry(d, mask);
}

/* d was just created in dir (file, directory, node, symlink). */
static inline void fsnotify_create(struct inode *dir, struct dentry *d)
{
	if (fsnotify_watched(dir) && d->d_inode)
		__fsnotify_name(dir, IN_CREATE |
				(S_ISDIR(d->d_inode->i_mode) ? IN_ISDIR : 0),
				0, d->d_name.name, d->d_name.len);
}

/* inode got a new link d in dir. */
static inline void fsnotify_link(struct inode *dir, struct inode *inode,
				 struct dentry *d)
{
	if (fsnotify_watched(inode))
		__fsnotify_inode(inode, IN_ATTRIB);
	if (fsnotify_watched(dir))
		__fsnotify_name(dir, IN_CREATE, 0, d->d_name.name,
				d->d_name.len);
}

/*
 * d (whose inode was inode) was removed from dir: the link count changed
 * (files), the object goes once its last link does, and dir lost a name.
 */
static inline void fsnotify_remove(struct inode *dir, struct dentry *d,
				   struct inode *inode, bool isdir)
{
	if (fsnotify_watched(inode)) {
		if (!isdir)
			__fsnotify_inode(inode, IN_ATTRIB);
		if (!inode->i_nlink || isdir)
			__fsnotify_inode_delete(inode);
	}
	if (fsnotify_watched(dir))
		__fsnotify_name(dir, IN_DELETE | (isdir ? IN_ISDIR : 0), 0,
				d->d_name.name, d->d_name.len);
}

/*
 * A rename of moved from oldname in odir to newname in ndir, replacing
 * target (NULL if none).
 */
void fsnotify_move(struct inode *odir, const char *oldname, unsigned int olen,
		   struct inode *ndir, const char *newname, unsigned int nlen,
		   struct inode *moved, struct inode *target);

#endif
