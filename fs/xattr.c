// SPDX-License-Identifier: GPL-2.0
/*
 * Extended attributes: the setxattr, getxattr, listxattr and removexattr
 * families (path, lpath and fd forms), with Linux's namespaces and rules,
 * and the in-memory store tmpfs uses.
 *
 *   user.*     regular files and directories; the file's own read/write
 *              permission (and the sticky-directory rule for writes)
 *   trusted.*  CAP_SYS_ADMIN; hidden from others' listings
 *   security.* anyone reads; writing needs CAP_SYS_ADMIN
 *              (security.capability: CAP_SETFCAP)
 *   system.posix_acl_access, system.posix_acl_default: the owner or
 *              CAP_FOWNER writes; values must be well-formed ACLs
 * Anything else is -EOPNOTSUPP, as on a kernel without that handler.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define POSIX_ACL_XATTR_VERSION	2
#define ACL_USER_OBJ	0x01
#define ACL_USER	0x02
#define ACL_GROUP_OBJ	0x04
#define ACL_GROUP	0x08
#define ACL_MASK	0x10
#define ACL_OTHER	0x20

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static bool is_acl(const char *name)
{
	return !strcmp(name, "system.posix_acl_access") ||
	       !strcmp(name, "system.posix_acl_default");
}

/* The posix_acl_xattr layout: a version word, then 8-byte entries. */
static int acl_valid(const void *value, size_t size)
{
	const u8 *p = value;
	u32 version;

	if (size < 4 || (size - 4) % 8)
		return -EINVAL;
	memcpy(&version, p, 4);
	if (version != POSIX_ACL_XATTR_VERSION)
		return -EOPNOTSUPP;
	for (size_t off = 4; off < size; off += 8) {
		u16 tag, perm;

		memcpy(&tag, p + off, 2);
		memcpy(&perm, p + off + 2, 2);
		if (perm & ~7)
			return -EINVAL;
		switch (tag) {
		case ACL_USER_OBJ: case ACL_USER: case ACL_GROUP_OBJ:
		case ACL_GROUP: case ACL_MASK: case ACL_OTHER:
			break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

/* May current do this (mask MAY_READ or MAY_WRITE) to name on inode? */
static int xattr_permission(struct dentry *d, const char *name, int mask)
{
	struct inode *inode = d->d_inode;

	if (has_prefix(name, "trusted.")) {
		if (!fs_capable(CAP_SYS_ADMIN))
			return (mask & MAY_WRITE) ? -EPERM : -ENODATA;
		return 0;
	}
	if (has_prefix(name, "security.")) {
		if (!(mask & MAY_WRITE))
			return 0;
		if (!strcmp(name, "security.capability"))
			return fs_capable(CAP_SETFCAP) ? 0 : -EPERM;
		return fs_capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
	}
	if (has_prefix(name, "system.")) {
		if (!is_acl(name))
			return -EOPNOTSUPP;
		if ((mask & MAY_WRITE) && !inode_owner_or_capable(inode))
			return -EPERM;
		return 0;
	}
	if (!has_prefix(name, "user."))
		return -EOPNOTSUPP;
	if (!S_ISREG(inode->i_mode) && !S_ISDIR(inode->i_mode))
		return (mask & MAY_WRITE) ? -EPERM : -ENODATA;
	if ((mask & MAY_WRITE) && S_ISDIR(inode->i_mode) &&
	    (inode->i_mode & S_ISVTX) && !inode_owner_or_capable(inode))
		return -EPERM;
	return inode_permission(inode, mask);
}

static int get_name(uaddr_t uname, char *name)
{
	long n = strncpy_from_user(name, uname, XATTR_NAME_MAX + 1);

	if (n == -ENAMETOOLONG || n > XATTR_NAME_MAX)
		return -ERANGE;
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ERANGE;
	return 0;
}

static long do_setxattr(const struct path *p, uaddr_t uname, uaddr_t uvalue,
			size_t size, int flags)
{
	struct dentry *d = p->dentry;
	struct inode *inode = d->d_inode;
	char name[XATTR_NAME_MAX + 1];
	void *value = NULL;
	long r;

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	r = get_name(uname, name);
	if (r)
		return r;
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	if (size) {
		value = kmalloc(size);
		if (!value)
			return -ENOMEM;
		if (copy_from_user(value, uvalue, size)) {
			r = -EFAULT;
			goto out;
		}
	}
	r = mnt_want_write(p->mnt);
	if (r)
		goto out;
	r = xattr_permission(d, name, MAY_WRITE);
	if (r)
		goto out;
	if (is_acl(name)) {
		r = -EACCES;
		if (!strcmp(name, "system.posix_acl_default") &&
		    !S_ISDIR(inode->i_mode))
			goto out;
		r = value ? acl_valid(value, size) : -EINVAL;
		if (r)
			goto out;
	}
	r = -EOPNOTSUPP;
	if (inode->i_op && inode->i_op->setxattr)
		r = inode->i_op->setxattr(d, name, value, size, flags);
	if (!r) {
		inode->i_ctime = current_time();
	}
out:
	kfree(value);
	return r;
}

static long do_getxattr(const struct path *p, uaddr_t uname, uaddr_t uvalue,
			size_t size)
{
	struct dentry *d = p->dentry;
	struct inode *inode = d->d_inode;
	char name[XATTR_NAME_MAX + 1];
	void *value = NULL;
	long r;

	r = get_name(uname, name);
	if (r)
		return r;
	r = xattr_permission(d, name, MAY_READ);
	if (r)
		return r;
	if (!inode->i_op || !inode->i_op->getxattr)
		return -EOPNOTSUPP;
	if (size > XATTR_SIZE_MAX)
		size = XATTR_SIZE_MAX;
	if (size) {
		value = kmalloc(size);
		if (!value)
			return -ENOMEM;
	}
	r = inode->i_op->getxattr(d, name, value, size);
	if (r == -ERANGE && size == XATTR_SIZE_MAX)
		r = -E2BIG;
	if (r > 0 && size && copy_to_user(uvalue, value, (size_t)r))
		r = -EFAULT;
	kfree(value);
	return r;
}

static long do_listxattr(const struct path *p, uaddr_t ulist, size_t size)
{
	struct dentry *d = p->dentry;
	struct inode *inode = d->d_inode;
	bool admin = fs_capable(CAP_SYS_ADMIN);
	char *all;
	size_t out = 0;
	long n;

	if (!inode->i_op || !inode->i_op->listxattr)
		return 0;	/* no attributes at all */
	if (size > XATTR_LIST_MAX)
		size = XATTR_LIST_MAX;
	all = kmalloc(XATTR_LIST_MAX);
	if (!all)
		return -ENOMEM;
	n = inode->i_op->listxattr(d, all, XATTR_LIST_MAX);
	if (n < 0)
		goto done;
	/* compact in place: trusted.* only for those who may read it */
	for (size_t i = 0; i < (size_t)n;) {
		size_t l = strnlen(all + i, (size_t)n - i) + 1;

		if (admin || !has_prefix(all + i, "trusted.")) {
			memmove(all + out, all + i, l);
			out += l;
		}
		i += l;
	}
	n = (long)out;
	if (size && out > size)
		n = size == XATTR_LIST_MAX ? -E2BIG : -ERANGE;
	else if (size && out && copy_to_user(ulist, all, out))
		n = -EFAULT;
done:
	kfree(all);
	return n;
}

static long do_removexattr(const struct path *p, uaddr_t uname)
{
	struct dentry *d = p->dentry;
	struct inode *inode = d->d_inode;
	char name[XATTR_NAME_MAX + 1];
	long r;

	r = get_name(uname, name);
	if (r)
		return r;
	r = mnt_want_write(p->mnt);
	if (r)
		return r;
	r = xattr_permission(d, name, MAY_WRITE);
	if (r)
		return r;
	if (!inode->i_op || !inode->i_op->removexattr)
		return -EOPNOTSUPP;
	r = inode->i_op->removexattr(d, name);
	if (!r)
		inode->i_ctime = current_time();
	return r;
}

/* The three forms: path (following), lpath, and fd. */
enum xop { XSET, XGET, XLIST, XREMOVE };

struct xargs {
	uaddr_t name, value;
	size_t size;
	int flags;
};

static long xattr_dispatch(const struct path *p, enum xop op,
			   const struct xargs *a)
{
	switch (op) {
	case XSET:
		return do_setxattr(p, a->name, a->value, a->size, a->flags);
	case XGET:
		return do_getxattr(p, a->name, a->value, a->size);
	case XLIST:
		return do_listxattr(p, a->value, a->size);
	default:
		return do_removexattr(p, a->name);
	}
}

static long path_xattr(uaddr_t upath, bool follow, enum xop op,
		       const struct xargs *a)
{
	struct path p;
	long r = user_path_at(AT_FDCWD, upath, follow ? LOOKUP_FOLLOW : 0, &p);

	if (r)
		return r;
	r = xattr_dispatch(&p, op, a);
	path_put(&p);
	return r;
}

static long fd_xattr(int fd, enum xop op, const struct xargs *a)
{
	struct file *f = fdget(fd);
	long r;

	if (!f)
		return -EBADF;
	if (f->f_mode & FMODE_PATH)
		r = -EBADF;
	else
		r = xattr_dispatch(&f->f_path, op, a);
	fput(f);
	return r;
}

SYSCALL_DEFINE5(setxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value,
		size_t, size, int, flags)
{
	struct xargs a = { name, value, size, flags };

	return path_xattr(path, true, XSET, &a);
}

SYSCALL_DEFINE5(lsetxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value,
		size_t, size, int, flags)
{
	struct xargs a = { name, value, size, flags };

	return path_xattr(path, false, XSET, &a);
}

SYSCALL_DEFINE5(fsetxattr, int, fd, uaddr_t, name, uaddr_t, value,
		size_t, size, int, flags)
{
	struct xargs a = { name, value, size, flags };

	return fd_xattr(fd, XSET, &a);
}

SYSCALL_DEFINE4(getxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value,
		size_t, size)
{
	struct xargs a = { name, value, size, 0 };

	return path_xattr(path, true, XGET, &a);
}

SYSCALL_DEFINE4(lgetxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value,
		size_t, size)
{
	struct xargs a = { name, value, size, 0 };

	return path_xattr(path, false, XGET, &a);
}

SYSCALL_DEFINE4(fgetxattr, int, fd, uaddr_t, name, uaddr_t, value,
		size_t, size)
{
	struct xargs a = { name, value, size, 0 };

	return fd_xattr(fd, XGET, &a);
}

SYSCALL_DEFINE3(listxattr, uaddr_t, path, uaddr_t, list, size_t, size)
{
	struct xargs a = { 0, list, size, 0 };

	return path_xattr(path, true, XLIST, &a);
}

SYSCALL_DEFINE3(llistxattr, uaddr_t, path, uaddr_t, list, size_t, size)
{
	struct xargs a = { 0, list, size, 0 };

	return path_xattr(path, false, XLIST, &a);
}

SYSCALL_DEFINE3(flistxattr, int, fd, uaddr_t, list, size_t, size)
{
	struct xargs a = { 0, list, size, 0 };

	return fd_xattr(fd, XLIST, &a);
}

SYSCALL_DEFINE2(removexattr, uaddr_t, path, uaddr_t, name)
{
	struct xargs a = { name, 0, 0, 0 };

	return path_xattr(path, true, XREMOVE, &a);
}

SYSCALL_DEFINE2(lremovexattr, uaddr_t, path, uaddr_t, name)
{
	struct xargs a = { name, 0, 0, 0 };

	return path_xattr(path, false, XREMOVE, &a);
}

SYSCALL_DEFINE2(fremovexattr, int, fd, uaddr_t, name)
{
	struct xargs a = { name, 0, 0, 0 };

	return fd_xattr(fd, XREMOVE, &a);
}

/* ------------------------------------------------------------------ */
/* in memory (tmpfs) */

struct simple_xattr {
	struct simple_xattr *next;
	size_t size;
	char *name;
	char value[];
};

struct simple_xattrs {
	struct simple_xattr *head;
	size_t bytes;		/* bounds what one inode may hold */
};

#define SIMPLE_XATTR_MAX_BYTES	(1U << 20)

static struct simple_xattr **find(struct inode *inode, const char *name)
{
	struct simple_xattr **pp;

	if (!inode->i_xattrs)
		return NULL;
	for (pp = &inode->i_xattrs->head; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->name, name))
			return pp;
	return NULL;
}

ssize_t simple_xattr_get(struct inode *inode, const char *name, void *buf,
			 size_t size)
{
	struct simple_xattr **pp = find(inode, name);

	if (!pp)
		return -ENODATA;
	if (size && (*pp)->size > size)
		return -ERANGE;
	if (size)
		memcpy(buf, (*pp)->value, (*pp)->size);
	return (ssize_t)(*pp)->size;
}

int simple_xattr_set(struct inode *inode, const char *name,
		     const void *value, size_t size, int flags)
{
	struct simple_xattr **pp = find(inode, name), *x, *old = NULL;
	size_t nlen = strlen(name) + 1;

	if (pp && (flags & XATTR_CREATE))
		return -EEXIST;
	if (!pp && (flags & XATTR_REPLACE))
		return -ENODATA;
	if (!inode->i_xattrs) {
		inode->i_xattrs = kzalloc(sizeof(*inode->i_xattrs));
		if (!inode->i_xattrs)
			return -ENOMEM;
	}
	if (pp)
		old = *pp;
	if (inode->i_xattrs->bytes - (old ? old->size + strlen(old->name) : 0) +
	    size + nlen > SIMPLE_XATTR_MAX_BYTES)
		return -ENOSPC;
	x = kmalloc(sizeof(*x) + size + nlen);
	if (!x)
		return -ENOMEM;
	x->size = size;
	if (size)	/* an empty value may come as NULL */
		memcpy(x->value, value, size);
	x->name = x->value + size;
	memcpy(x->name, name, nlen);
	if (old) {
		x->next = old->next;
		*pp = x;
		inode->i_xattrs->bytes -= old->size + strlen(old->name) + 1;
		kfree(old);
	} else {
		x->next = inode->i_xattrs->head;
		inode->i_xattrs->head = x;
	}
	inode->i_xattrs->bytes += size + nlen;
	return 0;
}

ssize_t simple_xattr_list(struct inode *inode, char *buf, size_t size)
{
	struct simple_xattr *x;
	size_t n = 0;

	if (!inode->i_xattrs)
		return 0;
	for (x = inode->i_xattrs->head; x; x = x->next) {
		size_t l = strlen(x->name) + 1;

		if (size && n + l > size)
			return -ERANGE;
		if (size)
			memcpy(buf + n, x->name, l);
		n += l;
	}
	return (ssize_t)n;
}

int simple_xattr_remove(struct inode *inode, const char *name)
{
	struct simple_xattr **pp = find(inode, name), *x;

	if (!pp)
		return -ENODATA;
	x = *pp;
	*pp = x->next;
	inode->i_xattrs->bytes -= x->size + strlen(x->name) + 1;
	kfree(x);
	return 0;
}

void simple_xattrs_free(struct inode *inode)
{
	struct simple_xattr *x, *n;

	if (!inode->i_xattrs)
		return;
	for (x = inode->i_xattrs->head; x; x = n) {
		n = x->next;
		kfree(x);
	}
	kfree(inode->i_xattrs);
	inode->i_xattrs = NULL;
}
