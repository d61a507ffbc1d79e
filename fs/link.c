// SPDX-License-Identifier: GPL-2.0
/*
 * Directory operations: mknod, mkdir, rmdir, unlink, symlink, link and
 * rename, with Linux's permission rules (write and search permission on
 * the directory, the sticky bit) and errno rules.
 */
#include "kern/vfs.h"
#include "kern/fsnotify.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2
#define RENAME_WHITEOUT		4

struct dirop {
	struct path parent, child;
	struct last_info li;
};

static int dirop_get(struct dirop *op, int dfd, const char *name)
{
	int r;

	memset(op, 0, sizeof(*op));
	r = nd_parent_child(dfd, name, &op->parent, &op->child, &op->li);
	return r;
}

static void dirop_put(struct dirop *op)
{
	if (op->child.dentry)
		path_put(&op->child);
	if (op->parent.dentry)
		path_put(&op->parent);
}

static struct inode *dir_of(struct dirop *op)
{
	return op->parent.dentry->d_inode;
}

/* The sticky bit: only the owner of the file or the directory removes. */
static bool sticky_denied(struct inode *dir, struct inode *inode)
{
	uid_t u = current_fsuid();

	if (!(dir->i_mode & S_ISVTX))
		return false;
	if (u == inode->i_uid || u == dir->i_uid)
		return false;
	return !fs_capable(CAP_FOWNER);
}

static int may_delete(struct dirop *op, bool isdir)
{
	struct inode *inode = op->child.dentry->d_inode;
	int r;

	if (!inode)
		return -ENOENT;
	r = nd_may_create(&op->parent);
	if (r)
		return r;
	if (sticky_denied(dir_of(op), inode))
		return -EPERM;
	if (isdir && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (op->child.dentry->d_mounted ||
	    op->child.dentry == op->child.mnt->mnt_root)
		return -EBUSY;
	return 0;
}

/* A new name may go here: it must not exist. */
static int prep_create(struct dirop *op, int dfd, const char *name,
		       bool is_dir)
{
	int r = dirop_get(op, dfd, name);

	if (r)
		return r;
	if (op->li.last_type != LAST_NORM)
		return -EEXIST;
	if (op->child.dentry->d_inode)
		return -EEXIST;
	if (op->li.trailing_slash && !is_dir)
		return -ENOENT;
	return nd_may_create(&op->parent);
}

int vfs_mknod_path(int dfd, const char *name, mode_t mode, dev_t dev,
		   struct path *res)
{
	struct dirop op;
	struct inode *dir;
	int r = prep_create(&op, dfd, name, false);

	if (!r) {
		dir = dir_of(&op);
		if (!dir->i_op || !dir->i_op->mknod)
			r = -EPERM;
		else
			r = dir->i_op->mknod(dir, op.child.dentry, mode, dev);
		if (!r)
			fsnotify_create(dir, op.child.dentry);
	}
	if (!r && res) {
		*res = op.child;
		op.child.dentry = NULL;
	}
	dirop_put(&op);
	return r;
}

int vfs_mknod_at(int dfd, const char *name, mode_t mode, dev_t dev)
{
	return vfs_mknod_path(dfd, name, mode, dev, NULL);
}

int vfs_mkdir_at(int dfd, const char *name, mode_t mode)
{
	struct dirop op;
	struct inode *dir;
	int r = prep_create(&op, dfd, name, true);

	if (!r) {
		dir = dir_of(&op);
		if (!dir->i_op || !dir->i_op->mkdir)
			r = -EPERM;
		else if (dir->i_nlink >= 0xfffffff0)
			r = -EMLINK;
		else
			r = dir->i_op->mkdir(dir, op.child.dentry,
					     (mode & 07777) | S_IFDIR);
		if (!r)
			fsnotify_create(dir, op.child.dentry);
	}
	dirop_put(&op);
	return r;
}

int vfs_symlink_at(const char *target, int dfd, const char *name)
{
	struct dirop op;
	struct inode *dir;
	int r = prep_create(&op, dfd, name, false);

	if (!r) {
		dir = dir_of(&op);
		if (!dir->i_op || !dir->i_op->symlink)
			r = -EPERM;
		else
			r = dir->i_op->symlink(dir, op.child.dentry, target);
		if (!r)
			fsnotify_create(dir, op.child.dentry);
	}
	dirop_put(&op);
	return r;
}

int vfs_link_at(int odfd, const char *oldname, int ndfd, const char *newname,
		int flags)
{
	struct path old;
	struct dirop op;
	struct inode *dir, *inode;
	unsigned int lf = 0;
	int r;

	if (flags & AT_SYMLINK_FOLLOW)
		lf |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	r = kern_path_at(odfd, oldname, lf, &old);
	if (r)
		return r;
	r = prep_create(&op, ndfd, newname, false);
	if (r)
		goto out;
	inode = old.dentry->d_inode;
	dir = dir_of(&op);
	r = -EXDEV;
	if (old.mnt != op.parent.mnt)
		goto out;
	r = -EPERM;
	if (S_ISDIR(inode->i_mode) || !dir->i_op || !dir->i_op->link)
		goto out;
	r = -ENOENT;
	if (!inode->i_nlink && !(inode->i_state & I_LINKABLE))
		goto out;
	r = -EMLINK;
	if (inode->i_nlink >= 0xfffffff0)
		goto out;
	r = dir->i_op->link(old.dentry, dir, op.child.dentry);
	if (!r) {
		inode->i_state &= ~I_LINKABLE;
		fsnotify_link(dir, inode, op.child.dentry);
	}
out:
	dirop_put(&op);
	path_put(&old);
	return r;
}

static int do_unlinkat(int dfd, const char *name)
{
	struct dirop op;
	struct inode *dir, *inode;
	int r = dirop_get(&op, dfd, name);

	if (r)
		goto out;
	r = -EISDIR;
	if (op.li.last_type != LAST_NORM)
		goto out;
	r = -ENOENT;
	if (!op.child.dentry->d_inode)
		goto out;
	if (op.li.trailing_slash) {
		r = S_ISDIR(op.child.dentry->d_inode->i_mode) ? -EISDIR :
			-ENOTDIR;
		goto out;
	}
	r = may_delete(&op, false);
	if (r)
		goto out;
	dir = dir_of(&op);
	r = -EPERM;
	inode = igrab(op.child.dentry->d_inode);
	if (dir->i_op && dir->i_op->unlink)
		r = dir->i_op->unlink(dir, op.child.dentry);
	if (!r)
		fsnotify_remove(dir, op.child.dentry, inode, false);
	iput(inode);
out:
	dirop_put(&op);
	return r;
}

static bool dir_empty(struct dentry *d)
{
	struct dentry *c;

	list_for_each_entry(c, &d->d_subdirs, d_child)
		if (c->d_inode && c->d_hashed)
			return false;
	return true;
}

static int do_rmdir(int dfd, const char *name)
{
	struct dirop op;
	struct inode *dir, *inode;
	int r = dirop_get(&op, dfd, name);

	if (r)
		goto out;
	switch (op.li.last_type) {
	case LAST_DOT:
		r = -EINVAL;
		goto out;
	case LAST_DOTDOT:
		r = -ENOTEMPTY;
		goto out;
	case LAST_ROOT:
		r = -EBUSY;
		goto out;
	}
	r = may_delete(&op, true);
	if (r)
		goto out;
	r = -ENOTEMPTY;
	if (!dir_empty(op.child.dentry))
		goto out;
	dir = dir_of(&op);
	r = -EPERM;
	inode = igrab(op.child.dentry->d_inode);
	if (dir->i_op && dir->i_op->rmdir)
		r = dir->i_op->rmdir(dir, op.child.dentry);
	if (!r)
		fsnotify_remove(dir, op.child.dentry, inode, true);
	iput(inode);
out:
	dirop_put(&op);
	return r;
}

/* Is d at or below anc (in one filesystem)? */
static bool is_subdir(struct dentry *d, struct dentry *anc)
{
	for (;;) {
		if (d == anc)
			return true;
		if (d->d_parent == d)
			return false;
		d = d->d_parent;
	}
}

static int do_renameat2(int odfd, const char *oldname, int ndfd,
			const char *newname, unsigned int flags)
{
	struct dirop o, n;
	struct inode *odir, *ndir, *oi, *ni;
	char oname[NAME_MAX + 1], nname[NAME_MAX + 1];
	unsigned int olen, nlen;
	bool odirp;
	int r;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	if ((flags & RENAME_WHITEOUT) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	memset(&n, 0, sizeof(n));
	r = dirop_get(&o, odfd, oldname);
	if (r)
		goto out;
	r = dirop_get(&n, ndfd, newname);
	if (r)
		goto out;
	r = -EBUSY;
	if (o.li.last_type != LAST_NORM || n.li.last_type != LAST_NORM)
		goto out;
	r = -EXDEV;
	if (o.parent.mnt != n.parent.mnt)
		goto out;
	r = -ENOENT;
	oi = o.child.dentry->d_inode;
	ni = n.child.dentry->d_inode;
	if (!oi)
		goto out;
	if ((flags & RENAME_EXCHANGE) && !ni)
		goto out;
	r = -EEXIST;
	if ((flags & RENAME_NOREPLACE) && ni)
		goto out;
	r = -EINVAL;
	if (flags & RENAME_WHITEOUT)
		goto out;
	odirp = S_ISDIR(oi->i_mode);
	r = -ENOTDIR;
	if (!odirp && (o.li.trailing_slash || n.li.trailing_slash))
		goto out;
	if ((flags & RENAME_EXCHANGE) && ni && !S_ISDIR(ni->i_mode) &&
	    (o.li.trailing_slash || n.li.trailing_slash))
		goto out;
	/* hard links to one inode: nothing to do */
	r = 0;
	if (oi == ni)
		goto out;
	odir = dir_of(&o);
	ndir = dir_of(&n);
	r = may_delete(&o, odirp);
	if (r)
		goto out;
	if (ni) {
		r = may_delete(&n, (flags & RENAME_EXCHANGE) ?
			       S_ISDIR(ni->i_mode) : odirp);
		if (r)
			goto out;
	} else {
		r = nd_may_create(&n.parent);
		if (r)
			goto out;
	}
	r = -EINVAL;
	if (odirp && is_subdir(n.parent.dentry, o.child.dentry))
		goto out;
	if ((flags & RENAME_EXCHANGE) && S_ISDIR(ni->i_mode) &&
	    is_subdir(o.parent.dentry, n.child.dentry))
		goto out;
	r = -ENOTEMPTY;
	if (ni && !(flags & RENAME_EXCHANGE) && S_ISDIR(ni->i_mode) &&
	    !dir_empty(n.child.dentry))
		goto out;
	/* moving a directory rewrites its "..": needs write access to it */
	if (odir != ndir) {
		if (odirp) {
			r = inode_permission(oi, MAY_WRITE);
			if (r)
				goto out;
		}
		if ((flags & RENAME_EXCHANGE) && S_ISDIR(ni->i_mode)) {
			r = inode_permission(ni, MAY_WRITE);
			if (r)
				goto out;
		}
	}
	r = -EPERM;
	if (!odir->i_op || !odir->i_op->rename)
		goto out;
	memcpy(oname, o.child.dentry->d_name.name, o.child.dentry->d_name.len);
	olen = o.child.dentry->d_name.len;
	memcpy(nname, n.child.dentry->d_name.name, n.child.dentry->d_name.len);
	nlen = n.child.dentry->d_name.len;
	igrab(oi);
	igrab(ni);
	r = odir->i_op->rename(odir, o.child.dentry, ndir, n.child.dentry,
			       flags);
	if (!r) {
		if (flags & RENAME_EXCHANGE)
			d_exchange(o.child.dentry, n.child.dentry);
		else
			d_move(o.child.dentry, n.child.dentry);
		fsnotify_move(odir, oname, olen, ndir, nname, nlen, oi,
			      (flags & RENAME_EXCHANGE) ? NULL : ni);
		if (flags & RENAME_EXCHANGE)
			fsnotify_move(ndir, nname, nlen, odir, oname, olen, ni,
				      NULL);
	}
	iput(ni);
	iput(oi);
out:
	dirop_put(&n);
	dirop_put(&o);
	return r;
}

static long with_name(uaddr_t uname, char **name)
{
	*name = getname(uname);
	return IS_ERR(*name) ? PTR_ERR(*name) : 0;
}

static long do_mknodat(int dfd, uaddr_t filename, unsigned int mode,
		       unsigned int dev)
{
	char *name;
	long r;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (!capable(CAP_MKNOD))
			return -EPERM;
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	r = with_name(filename, &name);
	if (r)
		return r;
	mode = (mode & S_IFMT) | (mode & 07777 & ~(mode_t)current_umask());
	r = vfs_mknod_at(dfd, name, mode,
			 (S_ISCHR(mode) || S_ISBLK(mode)) ?
			 decode_dev_user(dev) : 0);
	putname(name);
	return r;
}

SYSCALL_DEFINE4(mknodat, int, dfd, uaddr_t, filename, unsigned int, mode,
		unsigned int, dev)
{
	return do_mknodat(dfd, filename, mode, dev);
}

SYSCALL_DEFINE3(mknod, uaddr_t, filename, unsigned int, mode, unsigned int, dev)
{
	return do_mknodat(AT_FDCWD, filename, mode, dev);
}

static long do_mkdirat(int dfd, uaddr_t pathname, unsigned int mode)
{
	char *name;
	long r = with_name(pathname, &name);

	if (r)
		return r;
	r = vfs_mkdir_at(dfd, name, mode & 07777 & ~(mode_t)current_umask());
	putname(name);
	return r;
}

SYSCALL_DEFINE3(mkdirat, int, dfd, uaddr_t, pathname, unsigned int, mode)
{
	return do_mkdirat(dfd, pathname, mode);
}

SYSCALL_DEFINE2(mkdir, uaddr_t, pathname, unsigned int, mode)
{
	return do_mkdirat(AT_FDCWD, pathname, mode);
}

SYSCALL_DEFINE1(rmdir, uaddr_t, pathname)
{
	char *name;
	long r = with_name(pathname, &name);

	if (r)
		return r;
	r = do_rmdir(AT_FDCWD, name);
	putname(name);
	return r;
}

SYSCALL_DEFINE3(unlinkat, int, dfd, uaddr_t, pathname, int, flag)
{
	char *name;
	long r;

	if (flag & ~AT_REMOVEDIR)
		return -EINVAL;
	r = with_name(pathname, &name);
	if (r)
		return r;
	r = (flag & AT_REMOVEDIR) ? do_rmdir(dfd, name) : do_unlinkat(dfd, name);
	putname(name);
	return r;
}

SYSCALL_DEFINE1(unlink, uaddr_t, pathname)
{
	char *name;
	long r = with_name(pathname, &name);

	if (r)
		return r;
	r = do_unlinkat(AT_FDCWD, name);
	putname(name);
	return r;
}

static long do_symlinkat(uaddr_t oldname, int newdfd, uaddr_t newname)
{
	char *target, *name;
	long r = with_name(oldname, &target);

	if (r)
		return r;
	r = with_name(newname, &name);
	if (!r) {
		r = vfs_symlink_at(target, newdfd, name);
		putname(name);
	}
	putname(target);
	return r;
}

SYSCALL_DEFINE3(symlinkat, uaddr_t, oldname, int, newdfd, uaddr_t, newname)
{
	return do_symlinkat(oldname, newdfd, newname);
}

SYSCALL_DEFINE2(symlink, uaddr_t, oldname, uaddr_t, newname)
{
	return do_symlinkat(oldname, AT_FDCWD, newname);
}

static long do_linkat(int odfd, uaddr_t oldname, int ndfd, uaddr_t newname,
		      int flags)
{
	char *old, *new;
	long r;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && !capable(CAP_DAC_READ_SEARCH))
		return -ENOENT;
	if (flags & AT_EMPTY_PATH) {
		long n;

		old = kmalloc(PATH_MAX);
		if (!old)
			return -ENOMEM;
		n = strncpy_from_user(old, oldname, PATH_MAX);
		if (n < 0) {
			kfree(old);
			return n;
		}
	} else {
		r = with_name(oldname, &old);
		if (r)
			return r;
	}
	r = with_name(newname, &new);
	if (!r) {
		r = vfs_link_at(odfd, old, ndfd, new, flags);
		putname(new);
	}
	kfree(old);
	return r;
}

SYSCALL_DEFINE5(linkat, int, odfd, uaddr_t, oldname, int, ndfd,
		uaddr_t, newname, int, flags)
{
	return do_linkat(odfd, oldname, ndfd, newname, flags);
}

SYSCALL_DEFINE2(link, uaddr_t, oldname, uaddr_t, newname)
{
	return do_linkat(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

static long rename_common(int odfd, uaddr_t oldname, int ndfd,
			  uaddr_t newname, unsigned int flags)
{
	char *old, *new;
	long r = with_name(oldname, &old);

	if (r)
		return r;
	r = with_name(newname, &new);
	if (!r) {
		r = do_renameat2(odfd, old, ndfd, new, flags);
		putname(new);
	}
	putname(old);
	return r;
}

SYSCALL_DEFINE5(renameat2, int, odfd, uaddr_t, oldname, int, ndfd,
		uaddr_t, newname, unsigned int, flags)
{
	return rename_common(odfd, oldname, ndfd, newname, flags);
}

SYSCALL_DEFINE4(renameat, int, odfd, uaddr_t, oldname, int, ndfd,
		uaddr_t, newname)
{
	return rename_common(odfd, oldname, ndfd, newname, 0);
}

SYSCALL_DEFINE2(rename, uaddr_t, oldname, uaddr_t, newname)
{
	return rename_common(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

/* Kernel users (initramfs) */
int vfs_unlink_at(int dfd, const char *name, bool dir)
{
	return dir ? do_rmdir(dfd, name) : do_unlinkat(dfd, name);
}
