// SPDX-License-Identifier: GPL-2.0
/*
 * Open files: allocation, reference counting, and the services the rest
 * of the kernel uses on them (exec, mmap, /proc).
 */
#include "kern/vfs.h"
#include "kern/fsnotify.h"

/* O_PATH files: a location, no I/O. */
static const struct file_operations path_fops;

struct file *alloc_file(const struct path *p, int flags,
			const struct file_operations *fop)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->f_count = 1;
	INIT_LIST_HEAD(&f->f_ep_links);
	f->c.f_flags = (unsigned int)flags &
		~(unsigned int)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	f->c.f_op = fop;
	if (p) {
		f->f_path = *p;
		path_get(p);
		f->c.f_inode = p->dentry->d_inode;
	}
	if (flags & O_PATH) {
		f->f_mode = FMODE_PATH;
	} else {
		switch (flags & O_ACCMODE) {
		case O_RDONLY:
			f->f_mode = FMODE_READ;
			break;
		case O_WRONLY:
			f->f_mode = FMODE_WRITE;
			break;
		case O_RDWR:
			f->f_mode = FMODE_READ | FMODE_WRITE;
			break;
		}
		f->f_mode |= FMODE_LSEEK;
		/* f_flags loses O_EXCL; a disk's open needs to see it */
		if (flags & O_EXCL)
			f->f_mode |= FMODE_EXCL;
	}
	return f;
}

struct file *dentry_open(const struct path *p, int flags)
{
	struct inode *inode = p->dentry->d_inode;
	struct file *f;
	int r;

	f = alloc_file(p, flags, (flags & O_PATH) ? &path_fops : inode->i_fop);
	if (!f)
		return ERR_PTR(-ENOMEM);
	if (!f->c.f_op)
		f->c.f_op = &path_fops;
	if (!(flags & O_PATH) && f->c.f_op->open) {
		r = f->c.f_op->open(inode, f);
		if (r) {
			/* release is not called for a failed open */
			f->c.f_op = &path_fops;
			fput(f);
			return ERR_PTR(r);
		}
	}
	return f;
}

bool file_readable(const struct file *f)
{
	return f->f_mode & FMODE_READ;
}

bool file_writable(const struct file *f)
{
	return f->f_mode & FMODE_WRITE;
}

struct file *get_file(struct file *f)
{
	if (f)
		f->f_count++;
	return f;
}

void fput(struct file *f)
{
	if (!f)
		return;
	BUG_ON(f->f_count <= 0);
	if (--f->f_count)
		return;
	if (f->c.f_inode && !(f->f_mode & FMODE_PATH))
		locks_remove_flock(f);
	if (!list_empty(&f->f_ep_links))
		eventpoll_release_file(f);
	if (f->c.f_inode && f->c.f_op)
		fsnotify_close(f);
	if (f->c.f_op && f->c.f_op->release)
		f->c.f_op->release(f->c.f_inode, f);
	if (f->f_path.dentry)
		path_put(&f->f_path);
	kfree(f);
}

ssize_t kernel_read(struct file *f, void *buf, size_t len, loff_t *pos)
{
	if (!(f->f_mode & FMODE_READ))
		return -EBADF;
	if (!f->c.f_op->read_kernel)
		return -EINVAL;
	if (len > 0x7ffff000)
		len = 0x7ffff000;
	return f->c.f_op->read_kernel(f, buf, len, pos);
}

ssize_t kernel_write(struct file *f, const void *buf, size_t len, loff_t *pos)
{
	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!f->c.f_op->write_kernel)
		return -EINVAL;
	if (len > 0x7ffff000)
		len = 0x7ffff000;
	return f->c.f_op->write_kernel(f, buf, len, pos);
}

int file_exec_check(struct file *f)
{
	struct inode *inode = f->c.f_inode;

	if (!inode || !S_ISREG(inode->i_mode))
		return -EACCES;
	if (f->f_path.mnt->mnt_flags & MNT_NOEXEC)
		return -EACCES;
	return inode_permission(inode, MAY_EXEC);
}

void file_exec_ids(struct file *f, mode_t *mode, uid_t *uid, gid_t *gid)
{
	struct inode *inode = f->c.f_inode;

	*mode = inode->i_mode;
	if (f->f_path.mnt->mnt_flags & MNT_NOSUID)
		*mode &= ~(mode_t)(S_ISUID | S_ISGID);
	*uid = inode->i_uid;
	*gid = inode->i_gid;
}

int file_host_fd(struct file *f, int *fd)
{
	if (f->f_mode & FMODE_PATH)
		return -EBADF;
	if (!f->c.f_op->host_fd)
		return -ENODEV;
	return f->c.f_op->host_fd(f, fd);
}

/*
 * Private mappings get a read-only fd on the same pages, so that nothing a
 * guest does with its host mapping can write to the file. One per inode,
 * opened on first use and kept until the inode goes.
 */
int file_host_fd_ro(struct file *f, int *fd)
{
	struct inode *inode = f->c.f_inode;
	int rw, r;

	r = file_host_fd(f, &rw);
	if (r < 0)
		return r;
	if (inode->i_host_fd_ro < 0) {
		r = os_reopen_readonly(rw);
		if (r < 0)
			return r;
		inode->i_host_fd_ro = r;
	}
	*fd = inode->i_host_fd_ro;
	return 0;
}

char *file_path(struct file *f)
{
	struct path root;
	char *buf, *s, *r;

	if (!f->f_path.dentry)
		return NULL;
	buf = kmalloc(PATH_MAX);
	if (!buf)
		return NULL;
	get_fs_root(&root);
	s = d_path(&f->f_path, &root, buf, PATH_MAX);
	path_put(&root);
	r = IS_ERR(s) ? NULL : kstrdup(s);
	kfree(buf);
	return r;
}

struct file *fget(int fd)
{
	return fdget(fd);
}

/* The guest's st_dev encoding, as /proc/PID/maps shows it. */
void file_dev_ino(struct file *f, dev_t *dev, u64 *ino)
{
	struct inode *inode = f->c.f_inode;

	*dev = inode ? inode->i_sb->s_dev : 0;
	*ino = inode ? inode->i_ino : 0;
}
