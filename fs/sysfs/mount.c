// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs, the filesystem: shows the tree of dir.c. Like procfs nothing is
 * cached: each lookup makes an inode for the node it finds (its inode
 * number is the node's, so it is stable), and each open renders the
 * attribute's text once, so a reader sees one consistent value.
 *
 * One superblock serves every mount, as there is one device model.
 */
#include "sysfs.h"
#include "kern/uaccess.h"

struct sysfs_open {
	char *buf;
	size_t len;
};

static struct super_block *sysfs_sb;

static const struct inode_operations sysfs_file_iops = {
	.setattr = generated_setattr,
};
static const struct inode_operations sysfs_dir_iops, sysfs_link_iops;
static const struct file_operations sysfs_dir_fops, sysfs_file_fops;

static struct sysfs_node *NODE(struct inode *inode)
{
	return inode->i_private;
}

static void sysfs_evict(struct inode *inode)
{
	sysfs_put(inode->i_private);
	inode->i_private = NULL;
}

static const struct super_operations sysfs_sops = {
	.evict_inode = sysfs_evict,
};

static struct inode *sysfs_make_inode(struct super_block *sb,
				      struct sysfs_node *n)
{
	struct inode *inode = new_inode(sb);
	struct sysfs_node *c;

	if (!inode)
		return NULL;
	sysfs_get(n);
	inode->i_private = n;
	inode->i_ino = n->ino;
	inode->i_mode = n->mode;
	switch (n->mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &sysfs_dir_iops;
		inode->i_fop = &sysfs_dir_fops;
		inode->i_nlink = 2;
		list_for_each_entry(c, &n->children, sibling)
			if (S_ISDIR(c->mode))
				inode->i_nlink++;
		break;
	case S_IFLNK:
		inode->i_op = &sysfs_link_iops;
		inode->i_size = (loff_t)strlen(n->text);
		break;
	default:
		inode->i_op = &sysfs_file_iops;
		inode->i_fop = &sysfs_file_fops;
		/* the size of the page a show may fill, as Linux reports */
		inode->i_size = (loff_t)PAGE_SIZE;
	}
	return inode;
}

static int sysfs_lookup(struct inode *dir, struct dentry *d)
{
	struct sysfs_node *n = sysfs_child(NODE(dir), d->d_name.name,
					   d->d_name.len);
	struct inode *inode;

	if (!n)
		return 0;
	inode = sysfs_make_inode(dir->i_sb, n);
	if (!inode)
		return -ENOMEM;
	d_instantiate(d, inode);
	return 0;
}

static const struct inode_operations sysfs_dir_iops = {
	.lookup = sysfs_lookup,
};

static char *sysfs_get_link(struct dentry *d)
{
	struct sysfs_node *n = NODE(d->d_inode);
	char *s;

	if (n->removed)
		return ERR_PTR(-ENOENT);
	s = kstrdup(n->text);
	return s ? s : ERR_PTR(-ENOMEM);
}

static const struct inode_operations sysfs_link_iops = {
	.get_link = sysfs_get_link,
};

/* Entries in creation order; f_pos is 2 + the last inode number given. */
static int sysfs_iterate(struct file *f, void *ctx, sysfs_emit_fn emit)
{
	struct dentry *dir = f->f_path.dentry;
	struct sysfs_node *n = NODE(f->c.f_inode), *c;

	if (f->c.f_pos == 0) {
		if (emit(ctx, ".", 1, n->ino, DT_DIR, 1))
			return 0;
		f->c.f_pos = 1;
	}
	if (f->c.f_pos == 1) {
		struct inode *pi = dir->d_parent->d_inode;

		if (emit(ctx, "..", 2, pi ? pi->i_ino : n->ino, DT_DIR, 2))
			return 0;
		f->c.f_pos = 2;
	}
	if (n->removed)
		return 0;
	list_for_each_entry(c, &n->children, sibling) {
		loff_t pos = (loff_t)c->ino + 2;

		if (pos <= f->c.f_pos)
			continue;
		if (emit(ctx, c->name, (int)strlen(c->name), c->ino,
			 mode_to_dtype(c->mode), pos))
			return 0;
		f->c.f_pos = pos;
	}
	return 0;
}

static ssize_t sysfs_dir_read(struct file *f, uaddr_t buf, size_t len,
			      loff_t *pos)
{
	return -EISDIR;
}

static loff_t sysfs_dir_llseek(struct file *f, loff_t off, int whence)
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

static const struct file_operations sysfs_dir_fops = {
	.read = sysfs_dir_read,
	.iterate = sysfs_iterate,
	.llseek = sysfs_dir_llseek,
};

static int sysfs_open(struct inode *inode, struct file *f)
{
	struct sysfs_node *n = NODE(inode);
	struct sysfs_open *o;
	int r;

	if (n->removed)
		return -ENOENT;
	if ((f->f_mode & FMODE_WRITE) && !n->ops->store)
		return -EACCES;
	o = kzalloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	if (f->f_mode & FMODE_READ) {
		o->buf = kmalloc(PAGE_SIZE);
		if (!o->buf) {
			kfree(o);
			return -ENOMEM;
		}
		r = n->ops->show(n->priv, o->buf, PAGE_SIZE);
		if (r < 0) {
			kfree(o->buf);
			kfree(o);
			return r;
		}
		o->len = min((size_t)r, (size_t)PAGE_SIZE - 1);
	}
	f->c.private_data = o;
	return 0;
}

static void sysfs_release(struct inode *inode, struct file *f)
{
	struct sysfs_open *o = f->c.private_data;

	if (o) {
		kfree(o->buf);
		kfree(o);
	}
}

static ssize_t sysfs_do_read(struct file *f, uaddr_t ubuf, void *kbuf,
			     size_t len, loff_t *pos)
{
	struct sysfs_open *o = f->c.private_data;
	size_t n;

	if (NODE(f->c.f_inode)->removed)
		return -ENODEV;
	if (*pos < 0)
		return -EINVAL;
	if ((u64)*pos >= o->len)
		return 0;
	n = min(len, o->len - (size_t)*pos);
	if (kbuf)
		memcpy(kbuf, o->buf + *pos, n);
	else if (copy_to_user(ubuf, o->buf + *pos, n))
		return -EFAULT;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static ssize_t sysfs_read(struct file *f, uaddr_t buf, size_t len,
			  loff_t *pos)
{
	return sysfs_do_read(f, buf, NULL, len, pos);
}

static ssize_t sysfs_read_kernel(struct file *f, void *buf, size_t len,
				 loff_t *pos)
{
	return sysfs_do_read(f, 0, buf, len, pos);
}

/* Each write is one store of at most a page, as in Linux. */
static ssize_t sysfs_write(struct file *f, uaddr_t buf, size_t len,
			   loff_t *pos)
{
	struct sysfs_node *n = NODE(f->c.f_inode);
	char *tmp;
	ssize_t r;

	if (n->removed)
		return -ENODEV;
	if (!n->ops->store)
		return -EIO;
	if (!len)
		return 0;
	len = min(len, (size_t)PAGE_SIZE - 1);
	tmp = kmalloc(len + 1);
	if (!tmp)
		return -ENOMEM;
	if (copy_from_user(tmp, buf, len)) {
		kfree(tmp);
		return -EFAULT;
	}
	tmp[len] = 0;
	r = n->ops->store(n->priv, tmp, len);
	kfree(tmp);
	if (r > 0)
		*pos += r;
	return r;
}

static loff_t sysfs_llseek(struct file *f, loff_t off, int whence)
{
	struct sysfs_open *o = f->c.private_data;

	if (whence == 1)
		off += f->c.f_pos;
	else if (whence == 2)
		off += (loff_t)o->len;
	else if (whence != 0)
		return -EINVAL;
	if (off < 0)
		return -EINVAL;
	f->c.f_pos = off;
	return off;
}

static const struct file_operations sysfs_file_fops = {
	.open = sysfs_open,
	.read = sysfs_read,
	.read_kernel = sysfs_read_kernel,
	.write = sysfs_write,
	.llseek = sysfs_llseek,
	.release = sysfs_release,
};

static struct super_block *sysfs_mount(struct file_system_type *type,
				       int flags, const char *dev,
				       const void *data)
{
	struct sysfs_node *rn = sysfs_root();
	struct inode *root;

	if (sysfs_sb) {
		sysfs_sb->s_active++;
		return sysfs_sb;
	}
	if (!rn)
		return ERR_PTR(-ENOMEM);
	sysfs_sb = sget_nodev(type, flags);
	if (!sysfs_sb)
		return ERR_PTR(-ENOMEM);
	sysfs_sb->s_magic = SYSFS_MAGIC;
	sysfs_sb->s_op = &sysfs_sops;
	root = sysfs_make_inode(sysfs_sb, rn);
	if (root)
		sysfs_sb->s_root = d_alloc_root(root);
	if (!root || !sysfs_sb->s_root) {
		if (root)
			iput(root);
		kfree(sysfs_sb);
		sysfs_sb = NULL;
		return ERR_PTR(-ENOMEM);
	}
	/* stays alive for the next mount */
	sysfs_sb->s_active++;
	return sysfs_sb;
}

static struct file_system_type sysfs_fs_type = {
	.name = "sysfs",
	.mount = sysfs_mount,
};

int sysfs_init(void)
{
	int r = sysfs_populate();

	if (r)
		return r;
	return register_filesystem(&sysfs_fs_type);
}
