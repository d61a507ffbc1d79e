// SPDX-License-Identifier: GPL-2.0
/*
 * Path walking and open(2).
 *
 * A walk keeps a counted path (mount, dentry) to where it is. Every
 * directory it passes through needs search (exec) permission; "..": never
 * above the task's root, and across mount points; symlinks are followed
 * recursively, at most 40 of them per walk (ELOOP), as Linux does. The
 * targets of the symlinks met are kept until the walk ends because the
 * names being walked point into them.
 */
#include "kern/vfs.h"
#include "kern/fsnotify.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define MAXSYMLINKS	40


struct nameidata {
	struct path path;
	struct path root;
	int depth;
	char *links[MAXSYMLINKS + 1];
	const char *last;
	unsigned int last_len;
	int last_type;
	bool trailing_slash;
	bool no_mount_last;	/* stay on a mount point (removals) */
};

static int nd_init(struct nameidata *nd, int dfd, const char *name,
		   bool empty_ok)
{
	memset(nd, 0, sizeof(*nd));
	get_fs_root(&nd->root);
	if (name[0] == '/') {
		nd->path = nd->root;
		path_get(&nd->path);
		return 0;
	}
	if (dfd == AT_FDCWD) {
		get_fs_pwd(&nd->path);
		return 0;
	}
	{
		struct file *f = fdget(dfd);

		if (!f)
			return -EBADF;
		if (!S_ISDIR(f->c.f_inode->i_mode) && !(empty_ok && !*name)) {
			fput(f);
			return -ENOTDIR;
		}
		nd->path = f->f_path;
		path_get(&nd->path);
		fput(f);
	}
	return 0;
}

static void nd_done(struct nameidata *nd)
{
	path_put(&nd->path);
	path_put(&nd->root);
	for (int i = 0; i < nd->depth && i <= MAXSYMLINKS; i++)
		kfree(nd->links[i]);
}

void follow_mount(struct path *p)
{
	while (p->dentry->d_mounted) {
		struct vfsmount *m = lookup_mnt(p->mnt, p->dentry);

		if (!m)
			break;
		mntget(m);
		dget(m->mnt_root);
		path_put(p);
		p->mnt = m;
		p->dentry = m->mnt_root;
	}
}

static void follow_dotdot(struct path *p, const struct path *root)
{
	for (;;) {
		struct dentry *old = p->dentry;

		if (path_equal(p, root))
			break;
		if (old != p->mnt->mnt_root) {
			p->dentry = dget(old->d_parent);
			dput(old);
			break;
		}
		if (p->mnt->mnt_parent == p->mnt)
			break;
		{
			struct vfsmount *pm = mntget(p->mnt->mnt_parent);
			struct dentry *mp = dget(p->mnt->mnt_mountpoint);

			path_put(p);
			p->mnt = pm;
			p->dentry = mp;
		}
	}
	follow_mount(p);
}

/* The child of dir called name (maybe negative), counted. */
static struct dentry *lookup_one(struct dentry *dir, const char *name,
				 unsigned int len)
{
	struct inode *inode = dir->d_inode;
	struct dentry *d;
	int r;

	if (len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	d = d_lookup(dir, name, len);
	if (d)
		return d;
	if (d_unhashed(dir) && dir->d_parent != dir)
		return ERR_PTR(-ENOENT);	/* a removed directory */
	d = d_alloc(dir, name, len);
	if (!d)
		return ERR_PTR(-ENOMEM);
	if (inode->i_op && inode->i_op->lookup) {
		r = inode->i_op->lookup(inode, d);
		if (r) {
			d_delete(d);
			dput(d);
			return ERR_PTR(r);
		}
	}
	return d;
}

static int may_lookup(struct nameidata *nd)
{
	struct inode *dir = nd->path.dentry->d_inode;

	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	return inode_permission(dir, MAY_EXEC);
}

/*
 * Splits off and walks every component of s but the last, which is left
 * in nd->last. nd->path ends on the directory that should hold it.
 */
static int walk_last(struct nameidata *nd, bool follow, struct path *res,
		     bool want_negative);

static int link_path_walk(struct nameidata *nd, const char *s)
{
	nd->trailing_slash = false;
	if (*s == '/') {
		path_put(&nd->path);
		nd->path = nd->root;
		path_get(&nd->path);
		while (*s == '/')
			s++;
	}
	if (!*s) {
		nd->last = s;
		nd->last_len = 0;
		nd->last_type = LAST_ROOT;
		return 0;
	}
	for (;;) {
		const char *c = s;
		unsigned int len = 0;
		struct path next;
		int r;

		while (c[len] && c[len] != '/')
			len++;
		s = c + len;
		while (*s == '/')
			s++;
		nd->last = c;
		nd->last_len = len;
		if (len == 1 && c[0] == '.')
			nd->last_type = LAST_DOT;
		else if (len == 2 && c[0] == '.' && c[1] == '.')
			nd->last_type = LAST_DOTDOT;
		else
			nd->last_type = LAST_NORM;
		if (!*s) {
			nd->trailing_slash = c[len] == '/';
			return 0;
		}
		r = walk_last(nd, true, &next, false);
		if (r)
			return r;
		path_put(&nd->path);
		nd->path = next;
		if (!S_ISDIR(next.dentry->d_inode->i_mode))
			return -ENOTDIR;
	}
}

static int nd_get_link(struct nameidata *nd, struct path *link, char **target)
{
	struct inode *inode = link->dentry->d_inode;
	char *t;

	if (nd->depth >= MAXSYMLINKS)
		return -ELOOP;
	if (link->mnt->mnt_flags & MNT_NOSYMFOLLOW)
		return -ELOOP;
	if (!inode->i_op || !inode->i_op->get_link)
		return -EINVAL;
	t = inode->i_op->get_link(link->dentry);
	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	if (!*t) {
		kfree(t);
		return -ENOENT;
	}
	nd->links[nd->depth++] = t;
	*target = t;
	return 0;
}

/* Replaces the magic link *link by where it leads; releases it on error. */
static int nd_jump_link(struct nameidata *nd, struct path *link)
{
	struct inode *inode = link->dentry->d_inode;
	struct path target;
	int r;

	if (nd->depth >= MAXSYMLINKS ||
	    (link->mnt->mnt_flags & MNT_NOSYMFOLLOW)) {
		path_put(link);
		return -ELOOP;
	}
	r = inode->i_op->jump_link(link->dentry, &target);
	path_put(link);
	if (r)
		return r;
	*link = target;
	return 0;
}

/*
 * Resolves nd->last inside nd->path into *res. A negative result is only
 * returned when want_negative; following symlinks moves nd->path to the
 * directory of the final name.
 */
static int walk_last(struct nameidata *nd, bool follow, struct path *res,
		     bool want_negative)
{
	for (;;) {
		struct dentry *d;
		char *target;
		int r;

		switch (nd->last_type) {
		case LAST_ROOT:
		case LAST_DOT:
			r = may_lookup(nd);
			if (r && nd->last_type == LAST_DOT)
				return r;
			*res = nd->path;
			path_get(res);
			return 0;
		case LAST_DOTDOT:
			r = may_lookup(nd);
			if (r)
				return r;
			*res = nd->path;
			path_get(res);
			follow_dotdot(res, &nd->root);
			return 0;
		}
		r = may_lookup(nd);
		if (r)
			return r;
		d = lookup_one(nd->path.dentry, nd->last, nd->last_len);
		if (IS_ERR(d))
			return (int)PTR_ERR(d);
		if (!d->d_inode) {
			if (want_negative) {
				res->mnt = mntget(nd->path.mnt);
				res->dentry = d;
				return 0;
			}
			dput(d);
			return -ENOENT;
		}
		res->mnt = mntget(nd->path.mnt);
		res->dentry = d;
		if (!nd->no_mount_last)
			follow_mount(res);
		if (!follow || !S_ISLNK(res->dentry->d_inode->i_mode))
			return 0;
		if (res->dentry->d_inode->i_op &&
		    res->dentry->d_inode->i_op->jump_link)
			return nd_jump_link(nd, res);
		r = nd_get_link(nd, res, &target);
		path_put(res);
		if (r)
			return r;
		r = link_path_walk(nd, target);
		if (r)
			return r;
	}
}

static int path_lookup(struct nameidata *nd, int dfd, const char *name,
		       unsigned int flags, struct path *out)
{
	int r;

	r = nd_init(nd, dfd, name, flags & LOOKUP_EMPTY);
	if (r)
		return r;
	if (!*name) {
		if (!(flags & LOOKUP_EMPTY))
			return -ENOENT;
		*out = nd->path;
		path_get(out);
		return 0;
	}
	r = link_path_walk(nd, name);
	if (r)
		return r;
	r = walk_last(nd, (flags & LOOKUP_FOLLOW) || nd->trailing_slash, out,
		      false);
	if (r)
		return r;
	if (((flags & LOOKUP_DIRECTORY) || nd->trailing_slash) &&
	    !S_ISDIR(out->dentry->d_inode->i_mode)) {
		path_put(out);
		return -ENOTDIR;
	}
	return 0;
}

int kern_path_at(int dfd, const char *name, unsigned int flags, struct path *p)
{
	struct nameidata nd;
	int r = path_lookup(&nd, dfd, name, flags, p);

	nd_done(&nd);
	return r;
}

int kern_path_root(const struct path *root, const char *name,
		   unsigned int flags, struct path *p)
{
	struct nameidata nd;
	int r;

	memset(&nd, 0, sizeof(nd));
	nd.root = *root;
	path_get(&nd.root);
	nd.path = *root;
	path_get(&nd.path);
	r = link_path_walk(&nd, name);
	if (!r)
		r = walk_last(&nd, flags & LOOKUP_FOLLOW, p, false);
	nd_done(&nd);
	return r;
}

int kern_path(const char *name, unsigned int flags, struct path *p)
{
	return kern_path_at(AT_FDCWD, name, flags, p);
}

int user_path_at(int dfd, uaddr_t uname, unsigned int flags, struct path *p)
{
	char *name;
	int r;

	if (flags & LOOKUP_EMPTY) {
		long n;

		name = kmalloc(PATH_MAX);
		if (!name)
			return -ENOMEM;
		n = strncpy_from_user(name, uname, PATH_MAX);
		if (n < 0) {
			kfree(name);
			return (int)n;
		}
	} else {
		name = getname(uname);
		if (IS_ERR(name))
			return (int)PTR_ERR(name);
	}
	r = kern_path_at(dfd, name, flags, p);
	kfree(name);
	return r;
}

/*
 * For calls that create or remove a name: walks to the parent and looks
 * the last component up (maybe negative). *d is counted; nd->path is the
 * parent directory.
 */
static int lookup_parent_child(struct nameidata *nd, int dfd, const char *name,
			       struct path *child, int *last_type)
{
	int r;

	r = nd_init(nd, dfd, name, false);
	if (r)
		return r;
	if (!*name)
		return -ENOENT;
	r = link_path_walk(nd, name);
	if (r)
		return r;
	*last_type = nd->last_type;
	if (nd->last_type != LAST_NORM) {
		child->mnt = NULL;
		child->dentry = NULL;
		return 0;
	}
	nd->no_mount_last = true;
	return walk_last(nd, false, child, true);
}

int mnt_want_write(struct vfsmount *m)
{
	return mnt_is_readonly(m) ? -EROFS : 0;
}

static int may_create(struct nameidata *nd)
{
	struct inode *dir = nd->path.dentry->d_inode;
	int r;

	if (d_unhashed(nd->path.dentry) && nd->path.dentry->d_parent !=
	    nd->path.dentry)
		return -ENOENT;
	r = mnt_want_write(nd->path.mnt);
	if (r)
		return r;
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

/*
 * Lookup flags for the *at() calls that follow a final symlink unless
 * AT_SYMLINK_NOFOLLOW, and accept an empty path with AT_EMPTY_PATH.
 */
unsigned int at_lookup_flags(int at_flags)
{
	unsigned int lf = (at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;

	if (at_flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	return lf;
}

int may_open(const struct path *p, int acc_mode, int flag)
{
	struct inode *inode = p->dentry->d_inode;
	int r;

	switch (inode->i_mode & S_IFMT) {
	case S_IFLNK:
		return -ELOOP;
	case S_IFDIR:
		if (acc_mode & MAY_WRITE)
			return -EISDIR;
		break;
	case S_IFBLK:
	case S_IFCHR:
		if (p->mnt->mnt_flags & MNT_NODEV)
			return -EACCES;
		break;
	case S_IFIFO:
	case S_IFSOCK:
		break;
	default:
		if ((acc_mode & MAY_WRITE) && mnt_is_readonly(p->mnt))
			return -EROFS;
	}
	r = inode_permission(inode, acc_mode);
	if (r)
		return r;
	if ((flag & O_NOATIME) && !inode_owner_or_capable(inode))
		return -EPERM;
	return 0;
}

static int open_acc_mode(int flags)
{
	static const int acc[4] = { MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE,
				    MAY_READ | MAY_WRITE };
	int m = acc[flags & O_ACCMODE];

	if (flags & O_TRUNC)
		m |= MAY_WRITE;
	return m;
}

static int vfs_create(struct nameidata *nd, struct dentry *d, mode_t mode)
{
	struct inode *dir = nd->path.dentry->d_inode;
	int r = may_create(nd);

	if (r)
		return r;
	if (!dir->i_op || !dir->i_op->create)
		return -EACCES;
	mode = (mode & 07777 & ~(mode_t)current_umask()) | S_IFREG;
	r = dir->i_op->create(dir, d, mode);
	if (!r)
		fsnotify_create(dir, d);
	return r;
}

static struct file *path_openat(struct nameidata *nd, int dfd,
				const char *name, int flags, mode_t mode)
{
	struct path p = { NULL, NULL };
	bool created = false;
	struct file *f;
	int r;

	r = nd_init(nd, dfd, name, false);
	if (r)
		return ERR_PTR(r);
	if (!*name)
		return ERR_PTR(-ENOENT);
	r = link_path_walk(nd, name);
	if (r)
		return ERR_PTR(r);
	if (!(flags & O_CREAT)) {
		bool follow = !(flags & O_NOFOLLOW) || nd->trailing_slash;

		r = walk_last(nd, follow, &p, false);
		if (r)
			return ERR_PTR(r);
		if (S_ISLNK(p.dentry->d_inode->i_mode) && !(flags & O_PATH)) {
			r = -ELOOP;
			goto out;
		}
	} else {
		for (;;) {
			char *target;

			if (nd->last_type != LAST_NORM || nd->trailing_slash)
				return ERR_PTR(-EISDIR);
			r = walk_last(nd, false, &p, true);
			if (r)
				return ERR_PTR(r);
			if (!p.dentry->d_inode) {
				if (nd->trailing_slash) {
					r = -EISDIR;
					goto out;
				}
				r = vfs_create(nd, p.dentry, mode);
				if (r)
					goto out;
				created = true;
				break;
			}
			if (flags & O_EXCL) {
				r = -EEXIST;
				goto out;
			}
			if (!S_ISLNK(p.dentry->d_inode->i_mode))
				break;
			if (flags & O_NOFOLLOW) {
				r = -ELOOP;
				goto out;
			}
			if (p.dentry->d_inode->i_op &&
			    p.dentry->d_inode->i_op->jump_link) {
				r = nd_jump_link(nd, &p);
				if (r) {
					p.dentry = NULL;
					goto out;
				}
				break;
			}
			r = nd_get_link(nd, &p, &target);
			path_put(&p);
			p.dentry = NULL;
			if (r)
				return ERR_PTR(r);
			r = link_path_walk(nd, target);
			if (r)
				return ERR_PTR(r);
		}
		follow_mount(&p);
		if (S_ISDIR(p.dentry->d_inode->i_mode)) {
			r = -EISDIR;
			goto out;
		}
	}
	if (((flags & O_DIRECTORY) || nd->trailing_slash) &&
	    !S_ISDIR(p.dentry->d_inode->i_mode)) {
		r = -ENOTDIR;
		goto out;
	}
	if (!(flags & O_PATH) && !created) {
		int f2 = flags;

		if (!S_ISREG(p.dentry->d_inode->i_mode))
			f2 &= ~O_TRUNC;
		r = may_open(&p, (flags & __O_EXEC_OPEN) ? MAY_EXEC :
			     open_acc_mode(f2), f2);
		if (r)
			goto out;
	}
	f = dentry_open(&p, flags);
	if (IS_ERR(f)) {
		r = (int)PTR_ERR(f);
		goto out;
	}
	if ((flags & O_TRUNC) && !(flags & O_PATH) && !created &&
	    S_ISREG(p.dentry->d_inode->i_mode)) {
		r = do_truncate(p.dentry, 0, f);
		if (r) {
			fput(f);
			goto out;
		}
	}
	path_put(&p);
	return f;
out:
	if (p.dentry)
		path_put(&p);
	return ERR_PTR(r);
}

/*
 * A file with no name in dir, open with flags (which must allow writing)
 * and mode as given (the caller applies the umask).
 * name is what /proc/PID/fd shows, with " (deleted)", until linkat gives
 * it a real one. O_EXCL makes it unlinkable.
 */
struct file *vfs_tmpfile_open(const struct path *dir, const char *name,
			      int flags, mode_t mode)
{
	struct inode *di = dir->dentry->d_inode;
	struct path p;
	struct file *f;
	int r;

	if (!S_ISDIR(di->i_mode))
		return ERR_PTR(-ENOTDIR);
	if (!di->i_op || !di->i_op->tmpfile)
		return ERR_PTR(-EOPNOTSUPP);
	r = inode_permission(di, MAY_WRITE | MAY_EXEC);
	if (r)
		return ERR_PTR(r);
	r = mnt_want_write(dir->mnt);
	if (r)
		return ERR_PTR(r);
	p.mnt = dir->mnt;
	p.dentry = d_alloc(dir->dentry, name, (unsigned int)strlen(name));
	if (!p.dentry)
		return ERR_PTR(-ENOMEM);
	d_delete(p.dentry);
	r = di->i_op->tmpfile(di, p.dentry, (mode & 07777) | S_IFREG);
	if (r) {
		dput(p.dentry);
		return ERR_PTR(r);
	}
	if (!(flags & O_EXCL))
		p.dentry->d_inode->i_state |= I_LINKABLE;
	f = dentry_open(&p, flags & ~(O_CREAT | O_EXCL | O_TRUNC | __O_TMPFILE |
				    O_DIRECTORY));
	dput(p.dentry);
	return f;
}

static struct file *do_tmpfile(int dfd, const char *name, int flags,
			       mode_t mode)
{
	struct path dir;
	struct file *f;
	int r;

	if ((flags & O_ACCMODE) == O_RDONLY)
		return ERR_PTR(-EINVAL);
	r = kern_path_at(dfd, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	if (r)
		return ERR_PTR(r);
	f = vfs_tmpfile_open(&dir, "#tmpfile", flags,
			     mode & ~(mode_t)current_umask());
	path_put(&dir);
	return f;
}

struct file *do_filp_open(int dfd, const char *name, int flags, mode_t mode)
{
	struct nameidata nd;
	struct file *f;

	if ((flags & __O_TMPFILE))
		return do_tmpfile(dfd, name, flags, mode);
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	f = path_openat(&nd, dfd, name, flags, mode);
	nd_done(&nd);
	return f;
}

struct file *filp_open(const char *path, int flags, mode_t mode)
{
	return do_filp_open(AT_FDCWD, path, flags, mode);
}

/*
 * The remaining directory operations live in fs/link.c on this: the
 * parent and the (maybe negative) child of name. For a last component
 * that is not a plain name ("/", ".", ".."), child is empty and
 * li->last_type says which.
 */
int nd_parent_child(int dfd, const char *name, struct path *parent,
		    struct path *child, struct last_info *li)
{
	struct nameidata nd;
	int r = lookup_parent_child(&nd, dfd, name, child, &li->last_type);

	if (!r) {
		*parent = nd.path;
		path_get(parent);
		li->trailing_slash = nd.trailing_slash;
	}
	nd_done(&nd);
	return r;
}

int nd_may_create(struct path *parent)
{
	struct nameidata nd;
	int r;

	memset(&nd, 0, sizeof(nd));
	nd.path = *parent;
	r = may_create(&nd);
	return r;
}
