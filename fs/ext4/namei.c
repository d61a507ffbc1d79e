// SPDX-License-Identifier: GPL-2.0
/*
 * ext4 directories, symlinks and extended attributes: the VFS's inode
 * operations over the host half. The disk changes first; the in-memory
 * inodes follow (link counts are read back from the disk, so they are
 * whatever libext2fs made them, dir_nlink rules included).
 */
#include "ext4.h"

#define RENAME_EXCHANGE		2

static struct e4h_fs *FS(struct inode *inode)
{
	return EXT4_SB(inode->i_sb)->fs;
}

/* After a change on disk: the link count as it is now. */
static void refresh_nlink(struct inode *inode)
{
	struct e4h_attr a;

	if (FS(inode) && !e4h_read_attr(FS(inode), (u32)inode->i_ino, &a)) {
		inode->i_nlink = a.nlink;
		EXT4_I(inode)->disk_blocks = a.blocks;
	}
	else if (FS(inode) && inode->i_nlink && !S_ISDIR(inode->i_mode))
		inode->i_nlink--;	/* freed on disk: the last link went */
	else if (FS(inode))
		inode->i_nlink = 0;
}

static void touch(struct inode *inode, bool mtime)
{
	if (mtime)
		inode_touch_mtime(inode);
	else
		inode->i_ctime = current_time();
	ext4_write_inode(inode);
}

static int ext4_lookup(struct inode *dir, struct dentry *d)
{
	struct inode *inode;
	u32 ino;
	int r;

	if (!FS(dir))
		return -EIO;
	r = e4h_lookup(FS(dir), (u32)dir->i_ino, d->d_name.name,
		       (int)d->d_name.len, &ino);
	if (r == -ENOENT)
		return 0;
	if (r)
		return r;
	inode = ext4_iget(dir->i_sb, ino);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	d_instantiate(d, inode);
	ext4_pin(d);
	return 0;
}

/* The attributes of a new inode made by current in dir. */
static void new_attr(struct inode *dir, mode_t mode, dev_t dev,
		     struct e4h_attr *a)
{
	struct inode tmp;
	struct kts now = current_time();

	memset(&tmp, 0, sizeof(tmp));
	inode_init_owner(&tmp, dir, mode);
	memset(a, 0, sizeof(*a));
	a->mode = tmp.i_mode;
	a->uid = tmp.i_uid;
	a->gid = tmp.i_gid;
	a->atime = a->mtime = a->ctime = now.sec;
	a->atime_ns = a->mtime_ns = a->ctime_ns = (u32)now.nsec;
	a->rdev_major = MAJOR(dev);
	a->rdev_minor = MINOR(dev);
}

static int instantiate(struct inode *dir, struct dentry *d, u32 ino)
{
	struct inode *inode = ext4_iget(dir->i_sb, ino);

	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	d_instantiate(d, inode);
	ext4_pin(d);
	refresh_nlink(dir);
	touch(dir, true);
	return 0;
}

static int ext4_mknod(struct inode *dir, struct dentry *d, mode_t mode,
		      dev_t dev)
{
	struct e4h_attr a;
	u32 ino;
	int r;

	if (!FS(dir))
		return -EIO;
	new_attr(dir, mode, dev, &a);
	r = e4h_mknod(FS(dir), (u32)dir->i_ino, d->d_name.name,
		      (int)d->d_name.len, &a, &ino);
	return r ? r : instantiate(dir, d, ino);
}

static int ext4_create(struct inode *dir, struct dentry *d, mode_t mode)
{
	return ext4_mknod(dir, d, (mode & ~S_IFMT) | S_IFREG, 0);
}

static int ext4_mkdir(struct inode *dir, struct dentry *d, mode_t mode)
{
	struct e4h_attr a;
	u32 ino;
	int r;

	if (!FS(dir))
		return -EIO;
	new_attr(dir, (mode & ~S_IFMT) | S_IFDIR, 0, &a);
	r = e4h_mkdir(FS(dir), (u32)dir->i_ino, d->d_name.name,
		      (int)d->d_name.len, &a, &ino);
	return r ? r : instantiate(dir, d, ino);
}

static int ext4_symlink(struct inode *dir, struct dentry *d,
			const char *target)
{
	struct e4h_attr a;
	u32 ino;
	int r;

	if (!FS(dir))
		return -EIO;
	new_attr(dir, S_IFLNK | 0777, 0, &a);
	r = e4h_symlink(FS(dir), (u32)dir->i_ino, d->d_name.name,
			(int)d->d_name.len, target, &a, &ino);
	return r ? r : instantiate(dir, d, ino);
}

static int ext4_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->d_inode;
	int r;

	if (!FS(dir))
		return -EIO;
	r = e4h_link(FS(dir), (u32)dir->i_ino, d->d_name.name,
		     (int)d->d_name.len, (u32)inode->i_ino);
	if (r)
		return r;
	refresh_nlink(inode);
	touch(inode, false);
	d_instantiate(d, igrab(inode));
	ext4_pin(d);
	touch(dir, true);
	return 0;
}

static int remove(struct inode *dir, struct dentry *d, bool isdir)
{
	struct inode *inode = d->d_inode;
	int r;

	if (!FS(dir))
		return -EIO;
	if (isdir) {
		r = e4h_dir_empty(FS(dir), (u32)inode->i_ino);
		if (r)
			return r;
	}
	r = e4h_unlink(FS(dir), (u32)dir->i_ino, d->d_name.name,
		       (int)d->d_name.len, (u32)inode->i_ino, isdir);
	if (r)
		return r;
	refresh_nlink(inode);
	if (inode->i_nlink)
		touch(inode, false);
	else
		inode->i_ctime = current_time();
	refresh_nlink(dir);
	touch(dir, true);
	d_delete(d);
	ext4_unpin(d);
	return 0;
}

static int ext4_unlink(struct inode *dir, struct dentry *d)
{
	return remove(dir, d, false);
}

static int ext4_rmdir(struct inode *dir, struct dentry *d)
{
	return remove(dir, d, true);
}

static int ext4_rename(struct inode *odir, struct dentry *od,
		       struct inode *ndir, struct dentry *nd,
		       unsigned int flags)
{
	struct inode *oi = od->d_inode, *ni = nd->d_inode;
	int r;

	if (!FS(odir))
		return -EIO;
	if (ni && !(flags & RENAME_EXCHANGE) && S_ISDIR(ni->i_mode)) {
		r = e4h_dir_empty(FS(odir), (u32)ni->i_ino);
		if (r)
			return r;
	}
	r = e4h_rename(FS(odir), (u32)odir->i_ino, od->d_name.name,
		       (int)od->d_name.len, (u32)oi->i_ino, (u32)ndir->i_ino,
		       nd->d_name.name, (int)nd->d_name.len,
		       ni ? (u32)ni->i_ino : 0,
		       (flags & RENAME_EXCHANGE) ? E4H_RENAME_EXCHANGE : 0);
	if (r)
		return r;
	refresh_nlink(odir);
	touch(odir, true);
	if (ndir != odir) {
		refresh_nlink(ndir);
		touch(ndir, true);
	}
	touch(oi, false);
	if (ni) {
		refresh_nlink(ni);
		if (ni->i_nlink)
			touch(ni, false);
		if (!(flags & RENAME_EXCHANGE))
			ext4_unpin(nd);
	}
	return 0;
}

static char *ext4_get_link(struct dentry *d)
{
	struct inode *inode = d->d_inode;
	u32 size = EXT4_SB(inode->i_sb)->block_size + 1;
	char *buf;
	int r;

	if (!FS(inode))
		return ERR_PTR(-EIO);
	buf = kmalloc(size);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	r = e4h_readlink(FS(inode), (u32)inode->i_ino, buf, size);
	if (r < 0) {
		kfree(buf);
		return ERR_PTR(r);
	}
	return buf;
}

/* ------------------------------------------------------------------ */
/* readdir */

struct iter_ctx {
	struct file *f;
	void *ctx;
	int (*emit)(void *ctx, const char *name, int len, u64 ino,
		    unsigned int type, loff_t next_pos);
};

static int iter_emit(void *vc, const char *name, int len, uint32_t ino,
		     unsigned int dtype, uint64_t next)
{
	struct iter_ctx *c = vc;

	if (c->emit(c->ctx, name, len, ino, dtype, (loff_t)next))
		return 1;
	c->f->c.f_pos = (loff_t)next;
	return 0;
}

static int ext4_iterate(struct file *f, void *ctx,
			int (*emit)(void *ctx, const char *name, int len,
				    u64 ino, unsigned int type,
				    loff_t next_pos))
{
	struct inode *inode = f->c.f_inode;
	struct iter_ctx c = { f, ctx, emit };

	if (!FS(inode))
		return -EIO;
	if (f->c.f_pos < 0)
		return -EINVAL;
	return e4h_readdir(FS(inode), (u32)inode->i_ino, (u64)f->c.f_pos,
			   iter_emit, &c);
}

static loff_t dir_llseek(struct file *f, loff_t off, int whence)
{
	if (whence == 1)
		off += f->c.f_pos;
	else if (whence != 0)
		return -EINVAL;
	if (off < 0)
		return -EINVAL;
	f->c.f_pos = off;
	return off;
}

static ssize_t dir_read(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	return -EISDIR;
}

static int dir_fsync(struct file *f, int datasync)
{
	struct super_block *sb = f->c.f_inode->i_sb;

	return sb->s_op->sync_fs(sb);
}

/* ------------------------------------------------------------------ */
/* extended attributes */

ssize_t ext4_getxattr(struct dentry *d, const char *name, void *buf,
		      size_t size)
{
	struct inode *inode = d->d_inode;

	if (!FS(inode))
		return -EIO;
	return e4h_getxattr(FS(inode), (u32)inode->i_ino, name, buf, size);
}

int ext4_setxattr(struct dentry *d, const char *name, const void *value,
		  size_t size, int flags)
{
	struct inode *inode = d->d_inode;
	int r;

	if (!FS(inode))
		return -EIO;
	r = e4h_setxattr(FS(inode), (u32)inode->i_ino, name, value, size,
			 ((flags & XATTR_CREATE) ? E4H_XATTR_CREATE : 0) |
			 ((flags & XATTR_REPLACE) ? E4H_XATTR_REPLACE : 0));
	if (!r) {
		EXT4_SB(inode->i_sb)->meta_dirty = true;
		inode->i_ctime = current_time();
		ext4_mark_attr_dirty(inode);
	}
	return r;
}

ssize_t ext4_listxattr(struct dentry *d, char *buf, size_t size)
{
	struct inode *inode = d->d_inode;

	if (!FS(inode))
		return -EIO;
	return e4h_listxattr(FS(inode), (u32)inode->i_ino, buf, size);
}

int ext4_removexattr(struct dentry *d, const char *name)
{
	struct inode *inode = d->d_inode;
	int r;

	if (!FS(inode))
		return -EIO;
	r = e4h_removexattr(FS(inode), (u32)inode->i_ino, name);
	if (!r) {
		EXT4_SB(inode->i_sb)->meta_dirty = true;
		inode->i_ctime = current_time();
		ext4_mark_attr_dirty(inode);
	}
	return r;
}

const struct inode_operations ext4_dir_iops = {
	.lookup = ext4_lookup,
	.create = ext4_create,
	.mknod = ext4_mknod,
	.mkdir = ext4_mkdir,
	.rmdir = ext4_rmdir,
	.unlink = ext4_unlink,
	.link = ext4_link,
	.symlink = ext4_symlink,
	.rename = ext4_rename,
	.setattr = ext4_setattr,
	EXT4_XATTR_OPS,
};

const struct inode_operations ext4_symlink_iops = {
	.get_link = ext4_get_link,
	.setattr = ext4_setattr,
	EXT4_XATTR_OPS,
};

const struct file_operations ext4_dir_fops = {
	.read = dir_read,
	.llseek = dir_llseek,
	.iterate = ext4_iterate,
	.fsync = dir_fsync,
};
