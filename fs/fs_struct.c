// SPDX-License-Identifier: GPL-2.0
/*
 * A process's filesystem context: root, working directory and umask;
 * chdir, fchdir, chroot, getcwd, umask.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

static void root_path(struct path *p)
{
	p->mnt = root_mnt;
	p->dentry = root_mnt->mnt_root;
	follow_mount(p);
}

struct fs_struct *fs_alloc_root(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));
	struct path p;

	if (!fs)
		return NULL;
	fs->refs = 1;
	fs->umask = 022;
	p.mnt = root_mnt;
	p.dentry = root_mnt->mnt_root;
	path_get(&p);
	fs->root = p;
	path_get(&p);
	fs->pwd = p;
	return fs;
}

struct fs_struct *fs_copy(struct fs_struct *old)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->refs = 1;
	fs->umask = old->umask;
	fs->root = old->root;
	path_get(&fs->root);
	fs->pwd = old->pwd;
	path_get(&fs->pwd);
	return fs;
}

void fs_get(struct fs_struct *fs)
{
	fs->refs++;
}

void fs_put(struct fs_struct *fs)
{
	if (!fs || --fs->refs)
		return;
	path_put(&fs->root);
	path_put(&fs->pwd);
	kfree(fs);
}

void get_fs_root(struct path *p)
{
	if (current && current->fs) {
		*p = current->fs->root;
		path_get(p);
		return;
	}
	p->mnt = root_mnt;
	p->dentry = root_mnt->mnt_root;
	path_get(p);
}

void get_fs_pwd(struct path *p)
{
	if (current && current->fs) {
		*p = current->fs->pwd;
		path_get(p);
		return;
	}
	root_path(p);
	path_get(p);
}

void set_fs_root(struct fs_struct *fs, const struct path *p)
{
	struct path old = fs->root;

	path_get(p);
	fs->root = *p;
	path_put(&old);
}

void set_fs_pwd(struct fs_struct *fs, const struct path *p)
{
	struct path old = fs->pwd;

	path_get(p);
	fs->pwd = *p;
	path_put(&old);
}

int current_umask(void)
{
	return current && current->fs ? current->fs->umask : 022;
}

SYSCALL_DEFINE1(umask, int, mask)
{
	int old = current->fs->umask;

	current->fs->umask = mask & 0777;
	return old;
}

SYSCALL_DEFINE1(chdir, uaddr_t, filename)
{
	struct path p;
	int r;

	r = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			 &p);
	if (r)
		return r;
	r = inode_permission(p.dentry->d_inode, MAY_EXEC);
	if (!r)
		set_fs_pwd(current->fs, &p);
	path_put(&p);
	return r;
}

SYSCALL_DEFINE1(fchdir, unsigned int, fd)
{
	struct file *f = fdget((int)fd);
	int r;

	if (fd > INT32_MAX || !f) {
		fput(f);
		return -EBADF;
	}
	r = -ENOTDIR;
	if (S_ISDIR(f->c.f_inode->i_mode)) {
		r = inode_permission(f->c.f_inode, MAY_EXEC);
		if (!r)
			set_fs_pwd(current->fs, &f->f_path);
	}
	fput(f);
	return r;
}

SYSCALL_DEFINE1(chroot, uaddr_t, filename)
{
	struct path p;
	int r;

	r = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			 &p);
	if (r)
		return r;
	r = inode_permission(p.dentry->d_inode, MAY_EXEC);
	if (!r && !capable(CAP_SYS_CHROOT))
		r = -EPERM;
	if (!r)
		set_fs_root(current->fs, &p);
	path_put(&p);
	return r;
}

/* Is p at or below root (crossing mounts upwards)? */
static bool path_under(const struct path *p, const struct path *root)
{
	struct vfsmount *m = p->mnt;
	struct dentry *d = p->dentry;

	for (;;) {
		if (m == root->mnt) {
			for (;;) {
				if (d == root->dentry)
					return true;
				if (d->d_parent == d)
					return false;
				d = d->d_parent;
			}
		}
		if (m->mnt_parent == m)
			return false;
		d = m->mnt_mountpoint;
		m = m->mnt_parent;
	}
}

SYSCALL_DEFINE2(getcwd, uaddr_t, buf, unsigned long, size)
{
	struct fs_struct *fs = current->fs;
	char *page, *s, *out;
	size_t len;
	long r;

	if (d_unhashed(fs->pwd.dentry) &&
	    fs->pwd.dentry != fs->pwd.mnt->mnt_root)
		return -ENOENT;
	page = kmalloc(PATH_MAX + 16);
	if (!page)
		return -ENOMEM;
	s = d_path(&fs->pwd, &fs->root, page + 16, PATH_MAX);
	if (IS_ERR(s)) {
		kfree(page);
		return PTR_ERR(s);
	}
	out = s;
	if (!path_under(&fs->pwd, &fs->root)) {
		static const char pre[] = "(unreachable)";

		out = s - (sizeof(pre) - 1);
		memcpy(out, pre, sizeof(pre) - 1);
	}
	len = strlen(out) + 1;
	if (len > size)
		r = -ERANGE;
	else
		r = copy_to_user(buf, out, len) ? -EFAULT : (long)len;
	kfree(page);
	return r;
}
