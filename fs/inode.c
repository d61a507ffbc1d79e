// SPDX-License-Identifier: GPL-2.0
/*
 * Inodes: allocation, reference counting, permission checks and attribute
 * changes.
 */
#include "kern/vfs.h"
#include "kern/fsnotify.h"

struct kts current_time(void)
{
	u64 ns = os_clock_ns(OS_CLOCK_REALTIME);
	struct kts t = { (s64)(ns / 1000000000ULL), (long)(ns % 1000000000ULL) };

	return t;
}

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_ino = ++sb->s_next_ino;
	inode->i_count = 1;
	inode->i_nlink = 1;
	inode->i_host_fd = -1;
	inode->i_host_fd_ro = -1;
	INIT_LIST_HEAD(&inode->i_posix_locks);
	INIT_LIST_HEAD(&inode->i_flocks);
	INIT_LIST_HEAD(&inode->i_fsnotify_marks);
	init_waitqueue_head(&inode->i_lock_wait);
	inode->i_atime = inode->i_mtime = inode->i_ctime = inode->i_btime =
		current_time();
	list_add_tail(&inode->i_sb_list, &sb->s_inodes_list);
	sb->s_inodes++;
	return inode;
}

struct inode *igrab(struct inode *inode)
{
	if (inode)
		inode->i_count++;
	return inode;
}

void iput(struct inode *inode)
{
	struct super_block *sb;

	if (!inode)
		return;
	BUG_ON(inode->i_count <= 0);
	if (--inode->i_count)
		return;
	sb = inode->i_sb;
	if (sb->s_op && sb->s_op->evict_inode)
		sb->s_op->evict_inode(inode);
	if (inode->i_pipe)
		free_pipe_info(inode->i_pipe);
	if (inode->i_host_fd_ro >= 0)
		os_close(inode->i_host_fd_ro);
	list_del(&inode->i_sb_list);
	sb->s_inodes--;
	simple_xattrs_free(inode);
	kfree(inode->i_link);
	kfree(inode);
}

dev_t inode_rdev(struct inode *inode)
{
	return inode->i_rdev;
}

void inode_init_owner(struct inode *inode, struct inode *dir, mode_t mode)
{
	inode->i_uid = current_fsuid();
	if (dir && (dir->i_mode & S_ISGID)) {
		inode->i_gid = dir->i_gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
		else if ((mode & (S_ISGID | 00010)) == (S_ISGID | 00010) &&
			 !fs_in_group(inode->i_gid) && !fs_capable(CAP_FSETID))
			mode &= ~S_ISGID;
	} else {
		inode->i_gid = current_fsgid();
	}
	inode->i_mode = mode;
}

/* The owner/group/other bits that apply to current, as a MAY_* mask. */
static int acl_bits(struct inode *inode)
{
	mode_t m = inode->i_mode;

	if (current_fsuid() == inode->i_uid)
		return (m >> 6) & 7;
	if (fs_in_group(inode->i_gid))
		return (m >> 3) & 7;
	return m & 7;
}

int generic_permission(struct inode *inode, int mask)
{
	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if ((acl_bits(inode) & mask) == mask)
		return 0;
	if (S_ISDIR(inode->i_mode)) {
		if (fs_capable(CAP_DAC_OVERRIDE))
			return 0;
		if (!(mask & MAY_WRITE) && fs_capable(CAP_DAC_READ_SEARCH))
			return 0;
		return -EACCES;
	}
	/* Even root may execute only what someone may execute. */
	if (fs_capable(CAP_DAC_OVERRIDE) &&
	    (!(mask & MAY_EXEC) || (inode->i_mode & 00111)))
		return 0;
	if (mask == MAY_READ && fs_capable(CAP_DAC_READ_SEARCH))
		return 0;
	return -EACCES;
}

int inode_permission(struct inode *inode, int mask)
{
	if ((mask & MAY_WRITE) && (inode->i_sb->s_flags & MS_RDONLY) &&
	    (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) ||
	     S_ISLNK(inode->i_mode)))
		return -EROFS;
	return generic_permission(inode, mask);
}

bool inode_owner_or_capable(struct inode *inode)
{
	return current_fsuid() == inode->i_uid || fs_capable(CAP_FOWNER);
}

void generic_fillattr(struct inode *inode, struct kstat *st)
{
	u32 bs = inode->i_sb->s_blocksize ? inode->i_sb->s_blocksize : 4096;

	st->ino = inode->i_ino;
	st->dev = inode->i_sb->s_dev;
	st->mode = inode->i_mode;
	st->nlink = inode->i_nlink;
	st->uid = inode->i_uid;
	st->gid = inode->i_gid;
	st->rdev = inode->i_rdev;
	st->size = inode->i_size;
	st->atime = inode->i_atime;
	st->mtime = inode->i_mtime;
	st->ctime = inode->i_ctime;
	st->btime = inode->i_btime;
	st->blksize = bs;
	if (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) ||
	    S_ISLNK(inode->i_mode))
		st->blocks = (u64)ALIGN((u64)inode->i_size, (u64)bs) / 512;
	else
		st->blocks = 0;
}

void inode_touch_mtime(struct inode *inode)
{
	inode->i_mtime = inode->i_ctime = current_time();
}

void setattr_copy(struct inode *inode, const struct iattr *ia)
{
	unsigned int v = ia->ia_valid;

	if (v & ATTR_UID)
		inode->i_uid = ia->ia_uid;
	if (v & ATTR_GID)
		inode->i_gid = ia->ia_gid;
	if (v & ATTR_MODE)
		inode->i_mode = (inode->i_mode & S_IFMT) | (ia->ia_mode & 07777);
	if (v & ATTR_ATIME)
		inode->i_atime = ia->ia_atime;
	if (v & ATTR_MTIME)
		inode->i_mtime = ia->ia_mtime;
	if (v & ATTR_CTIME)
		inode->i_ctime = ia->ia_ctime;
}

/* Linux's setattr_prepare: may current make this change? */
static int setattr_check(struct inode *inode, struct iattr *ia)
{
	unsigned int v = ia->ia_valid;

	if (v & ATTR_FORCE)
		return 0;
	if ((v & ATTR_UID) && ia->ia_uid != inode->i_uid &&
	    !fs_capable(CAP_CHOWN))
		return -EPERM;
	if ((v & ATTR_UID) && current_fsuid() != inode->i_uid &&
	    !fs_capable(CAP_CHOWN))
		return -EPERM;
	if (v & ATTR_GID) {
		if ((current_fsuid() != inode->i_uid ||
		     (ia->ia_gid != inode->i_gid && !fs_in_group(ia->ia_gid))) &&
		    !fs_capable(CAP_CHOWN))
			return -EPERM;
	}
	if (v & ATTR_MODE) {
		gid_t g = (v & ATTR_GID) ? ia->ia_gid : inode->i_gid;

		if (!inode_owner_or_capable(inode))
			return -EPERM;
		if (!fs_in_group(g) && !fs_capable(CAP_FSETID))
			ia->ia_mode &= ~S_ISGID;
	}
	if (v & (ATTR_ATIME_SET | ATTR_MTIME_SET)) {
		if (!inode_owner_or_capable(inode))
			return -EPERM;
	} else if (v & ATTR_TOUCH) {
		if (!inode_owner_or_capable(inode)) {
			int r = inode_permission(inode, MAY_WRITE);

			if (r)
				return r == -EROFS ? r : -EACCES;
		}
	}
	return 0;
}

int notify_change(struct dentry *d, struct iattr *ia)
{
	struct inode *inode = d->d_inode;
	mode_t mode = inode->i_mode;
	int r;

	if ((ia->ia_valid & (ATTR_MODE | ATTR_UID | ATTR_GID |
			     ATTR_ATIME | ATTR_MTIME)) &&
	    (inode->i_sb->s_flags & MS_RDONLY))
		return -EROFS;
	r = setattr_check(inode, ia);
	if (r)
		return r;
	if ((ia->ia_valid & ATTR_KILL_SUID) && (mode & S_ISUID)) {
		ia->ia_valid |= ATTR_MODE;
		ia->ia_mode = mode & ~S_ISUID;
		mode = ia->ia_mode;
	}
	if ((ia->ia_valid & ATTR_KILL_SGID) &&
	    (mode & (S_ISGID | 00010)) == (S_ISGID | 00010)) {
		if (!(ia->ia_valid & ATTR_MODE)) {
			ia->ia_valid |= ATTR_MODE;
			ia->ia_mode = mode;
		}
		ia->ia_mode &= ~S_ISGID;
	}
	ia->ia_ctime = current_time();
	ia->ia_valid |= ATTR_CTIME;
	if (inode->i_op && inode->i_op->setattr)
		r = inode->i_op->setattr(d, ia);
	else if (ia->ia_valid & ATTR_SIZE)
		r = -EPERM;
	else
		setattr_copy(inode, ia);
	if (!r)
		fsnotify_change(d, ia->ia_valid);
	return r;
}

/*
 * setattr for filesystems whose files are generated (procfs, sysfs): the
 * text has no size to truncate, so O_TRUNC (as in "echo x > attr")
 * succeeds and changes nothing; modes and owners are fixed.
 */
int generated_setattr(struct dentry *d, struct iattr *ia)
{
	if (ia->ia_valid & (ATTR_MODE | ATTR_UID | ATTR_GID))
		return -EPERM;
	ia->ia_valid &= ~(unsigned int)ATTR_SIZE;
	setattr_copy(d->d_inode, ia);
	return 0;
}
