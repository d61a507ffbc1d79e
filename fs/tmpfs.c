// SPDX-License-Identifier: GPL-2.0
/*
 * tmpfs: a filesystem in memory. The dentry tree is the directory
 * structure (each positive dentry is pinned once by the filesystem); the
 * data of a regular file lives in one host memfd per inode (DESIGN.md
 * decision 3), so that mmap maps the very pages read() and write() see.
 * The memfd is created on first use: empty files cost no host fd.
 */
#include "kern/vfs.h"
#include "kern/mm.h"
#include "kern/uaccess.h"

#define MAX_LFS_FILESIZE	0x7fffffffffffffffLL

struct tmpfs_info {
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

static const struct super_operations tmpfs_sops;
static const struct inode_operations tmpfs_file_iops;
static const struct inode_operations tmpfs_symlink_iops;
static const struct inode_operations tmpfs_special_iops;
static const struct file_operations tmpfs_file_fops;
static const struct file_operations tmpfs_dir_fops;

static int tmpfs_host_fd(struct inode *inode)
{
	int fd;

	if (inode->i_host_fd >= 0)
		return inode->i_host_fd;
	fd = os_memfd("tmpfs");
	if (fd < 0)
		return fd;
	if (inode->i_size) {
		int r = os_ftruncate(fd, (u64)inode->i_size);

		if (r < 0) {
			os_close(fd);
			return r;
		}
	}
	inode->i_host_fd = fd;
	return fd;
}

/*
 * Space accounting against size=: what the memfd really holds (holes are
 * free, as in Linux's tmpfs), in i_bytes. Before a write, room for all of
 * it must be there; afterwards the charge is what the host allocated.
 */
static int tmpfs_reserve(struct inode *inode, u64 len)
{
	struct super_block *sb = inode->i_sb;

	if (sb->s_max_bytes && sb->s_bytes + PAGE_ALIGN(len) > sb->s_max_bytes)
		return -ENOSPC;
	return 0;
}

static void tmpfs_recharge(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	s64 now = inode->i_host_fd >= 0 ? os_file_alloc(inode->i_host_fd) : 0;

	if (now < 0)
		return;		/* keep the old figure */
	sb->s_bytes = sb->s_bytes - inode->i_bytes + (u64)now;
	inode->i_bytes = (u64)now;
}

static void tmpfs_evict(struct inode *inode)
{
	inode->i_sb->s_bytes -= inode->i_bytes;
	inode->i_bytes = 0;
	if (inode->i_host_fd >= 0)
		os_close(inode->i_host_fd);
	inode->i_host_fd = -1;
}

static void tmpfs_set_ops(struct inode *inode)
{
	switch (inode->i_mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &tmpfs_file_iops;
		inode->i_fop = &tmpfs_file_fops;
		break;
	case S_IFDIR:
		inode->i_op = &tmpfs_dir_iops;
		inode->i_fop = &tmpfs_dir_fops;
		inode->i_nlink = 2;
		break;
	case S_IFLNK:
		inode->i_op = &tmpfs_symlink_iops;
		break;
	default:
		init_special_inode(inode, &tmpfs_special_iops);
		break;
	}
}

static struct inode *tmpfs_new_inode(struct super_block *sb, struct inode *dir,
				     mode_t mode, dev_t dev)
{
	struct inode *inode;

	if (sb->s_max_inodes && sb->s_inodes >= sb->s_max_inodes)
		return ERR_PTR(-ENOSPC);
	inode = new_inode(sb);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode_init_owner(inode, dir, mode);
	inode->i_rdev = dev;
	tmpfs_set_ops(inode);
	return inode;
}

/* The filesystem's own reference keeps a positive dentry alive. */
static void tmpfs_pin(struct dentry *d, struct inode *inode)
{
	d_instantiate(d, inode);
	dget(d);
}

static ssize_t tmpfs_getxattr(struct dentry *d, const char *name, void *buf,
			      size_t size)
{
	return simple_xattr_get(d->d_inode, name, buf, size);
}

static int tmpfs_setxattr(struct dentry *d, const char *name,
			  const void *value, size_t size, int flags)
{
	return simple_xattr_set(d->d_inode, name, value, size, flags);
}

static ssize_t tmpfs_listxattr(struct dentry *d, char *buf, size_t size)
{
	return simple_xattr_list(d->d_inode, buf, size);
}

static int tmpfs_removexattr(struct dentry *d, const char *name)
{
	return simple_xattr_remove(d->d_inode, name);
}

/* st_blocks: the memory the data holds (holes are free). */
static void tmpfs_getattr(struct inode *inode, struct kstat *st)
{
	if (S_ISREG(inode->i_mode)) {
		tmpfs_recharge(inode);
		st->blocks = inode->i_bytes / 512;
	}
}

#define TMPFS_XATTR_OPS				\
	.getattr = tmpfs_getattr,		\
	.getxattr = tmpfs_getxattr,		\
	.setxattr = tmpfs_setxattr,		\
	.listxattr = tmpfs_listxattr,		\
	.removexattr = tmpfs_removexattr

static void tmpfs_unpin(struct dentry *d)
{
	d_delete(d);
	dput(d);
}

static void dir_changed(struct inode *dir)
{
	inode_touch_mtime(dir);
}

static int tmpfs_lookup(struct inode *dir, struct dentry *d)
{
	/* Every existing name is in the dentry cache: a miss is negative. */
	return 0;
}

static int tmpfs_mknod(struct inode *dir, struct dentry *d, mode_t mode,
		       dev_t dev)
{
	struct inode *inode = tmpfs_new_inode(dir->i_sb, dir, mode, dev);

	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	tmpfs_pin(d, inode);
	dir_changed(dir);
	return 0;
}

static int tmpfs_create(struct inode *dir, struct dentry *d, mode_t mode)
{
	return tmpfs_mknod(dir, d, (mode & ~S_IFMT) | S_IFREG, 0);
}

static int tmpfs_mkdir(struct inode *dir, struct dentry *d, mode_t mode)
{
	int r = tmpfs_mknod(dir, d, (mode & ~S_IFMT) | S_IFDIR, 0);

	if (!r)
		dir->i_nlink++;
	return r;
}

static int tmpfs_symlink(struct inode *dir, struct dentry *d,
			 const char *target)
{
	struct inode *inode = tmpfs_new_inode(dir->i_sb, dir, S_IFLNK | 0777, 0);

	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	inode->i_link = kstrdup(target);
	if (!inode->i_link) {
		iput(inode);
		return -ENOMEM;
	}
	inode->i_size = (loff_t)strlen(target);
	tmpfs_pin(d, inode);
	dir_changed(dir);
	return 0;
}

static int tmpfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->d_inode;

	inode->i_nlink++;
	inode->i_ctime = current_time();
	tmpfs_pin(d, igrab(inode));
	dir_changed(dir);
	return 0;
}

static int tmpfs_tmpfile(struct inode *dir, struct dentry *d, mode_t mode)
{
	struct inode *inode = tmpfs_new_inode(dir->i_sb, dir, mode, 0);

	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	inode->i_nlink = 0;
	d_instantiate(d, inode);
	return 0;
}

static int tmpfs_unlink(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->d_inode;

	inode->i_nlink--;
	inode->i_ctime = current_time();
	dir_changed(dir);
	tmpfs_unpin(d);
	return 0;
}

static int tmpfs_rmdir(struct inode *dir, struct dentry *d)
{
	d->d_inode->i_nlink = 0;
	d->d_inode->i_ctime = current_time();
	dir->i_nlink--;
	dir_changed(dir);
	tmpfs_unpin(d);
	return 0;
}

static int tmpfs_rename(struct inode *odir, struct dentry *od,
			struct inode *ndir, struct dentry *nd, unsigned int flags)
{
	struct inode *oi = od->d_inode, *ni = nd->d_inode;
	bool odirp = S_ISDIR(oi->i_mode);

	if (flags & 2 /* RENAME_EXCHANGE */) {
		bool ndirp = S_ISDIR(ni->i_mode);

		if (odir != ndir && odirp != ndirp) {
			if (odirp) {
				odir->i_nlink--;
				ndir->i_nlink++;
			} else {
				ndir->i_nlink--;
				odir->i_nlink++;
			}
		}
		ni->i_ctime = current_time();
	} else if (ni) {
		if (S_ISDIR(ni->i_mode)) {
			ni->i_nlink = 0;
			ndir->i_nlink--;
		} else {
			ni->i_nlink--;
		}
		ni->i_ctime = current_time();
		tmpfs_unpin(nd);
	}
	if (!(flags & 2) && odirp && odir != ndir) {
		odir->i_nlink--;
		ndir->i_nlink++;
	}
	oi->i_ctime = current_time();
	dir_changed(odir);
	if (ndir != odir)
		dir_changed(ndir);
	return 0;
}

static char *tmpfs_get_link(struct dentry *d)
{
	char *t = kstrdup(d->d_inode->i_link ? d->d_inode->i_link : "");

	return t ? t : ERR_PTR(-ENOMEM);
}

static int tmpfs_resize(struct inode *inode, loff_t size)
{
	int fd, r;

	if (size == inode->i_size)
		return 0;
	if (size < 0)
		return -EINVAL;
	if (((inode->i_seals & F_SEAL_SHRINK) && size < inode->i_size) ||
	    ((inode->i_seals & F_SEAL_GROW) && size > inode->i_size))
		return -EPERM;
	if (inode->i_host_fd >= 0 || size > 0) {
		fd = tmpfs_host_fd(inode);
		if (fd < 0)
			return fd;
		r = os_ftruncate(fd, (u64)size);
		if (r < 0)
			return r;
	}
	inode->i_size = size;
	tmpfs_recharge(inode);
	return 0;
}

static int tmpfs_setattr(struct dentry *d, struct iattr *ia)
{
	struct inode *inode = d->d_inode;
	int r;

	if (ia->ia_valid & ATTR_SIZE) {
		if (!S_ISREG(inode->i_mode))
			return -EINVAL;
		if (ia->ia_size != inode->i_size) {
			r = tmpfs_resize(inode, ia->ia_size);
			if (r)
				return r;
			inode_touch_mtime(inode);
		}
	}
	setattr_copy(inode, ia);
	return 0;
}

#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02

static int tmpfs_fallocate(struct inode *inode, int mode, loff_t off,
			   loff_t len)
{
	loff_t end = off + len;
	int fd, r;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) &&
	    (inode->i_seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
		return -EPERM;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && (inode->i_seals & F_SEAL_GROW) &&
	    end > inode->i_size)
		return -EPERM;
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		if (inode->i_host_fd < 0 || off >= inode->i_size)
			return 0;
		r = os_fallocate(inode->i_host_fd, mode, (u64)off, (u64)len);
		if (!r)
			inode_touch_mtime(inode);
		tmpfs_recharge(inode);
		return r;
	}
	r = tmpfs_reserve(inode, (u64)len);
	if (r)
		return r;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && end > inode->i_size) {
		r = tmpfs_resize(inode, end);
		if (r)
			return r;
	}
	fd = tmpfs_host_fd(inode);
	if (fd < 0)
		return fd;
	if (mode & FALLOC_FL_KEEP_SIZE) {
		/* blocks past EOF are not accounted by size: stay within it */
		end = min(end, inode->i_size);
		if (end <= off)
			return 0;
		len = end - off;
	}
	r = os_fallocate(fd, 0x01 /* keep size: i_size is ours */, (u64)off,
			 (u64)len);
	if (!r && !(mode & FALLOC_FL_KEEP_SIZE))
		inode->i_ctime = current_time();
	tmpfs_recharge(inode);
	return r;
}

static ssize_t tmpfs_do_read(struct file *f, uaddr_t ubuf, void *kbuf,
			     size_t len, loff_t *pos)
{
	ssize_t r = memfd_read(f->c.f_inode, f->c.f_inode->i_host_fd, ubuf,
			       kbuf, len, pos);

	if (r >= 0)
		file_touch_atime(f);
	return r;
}

static ssize_t tmpfs_read(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	return tmpfs_do_read(f, buf, NULL, len, pos);
}

static ssize_t tmpfs_read_kernel(struct file *f, void *buf, size_t len,
				 loff_t *pos)
{
	return tmpfs_do_read(f, 0, buf, len, pos);
}

static ssize_t tmpfs_do_write(struct file *f, uaddr_t ubuf, const void *kbuf,
			      size_t len, loff_t *pos)
{
	struct inode *inode = f->c.f_inode;
	loff_t p = *pos, old = inode->i_size, size;
	ssize_t done;
	int fd, r;

	if (p < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (p >= MAX_LFS_FILESIZE - (loff_t)len)
		return -EFBIG;
	if ((inode->i_seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) ||
	    ((inode->i_seals & F_SEAL_GROW) && p + (loff_t)len > old))
		return -EPERM;
	fd = tmpfs_host_fd(inode);
	if (fd < 0)
		return fd;
	r = tmpfs_reserve(inode, len);
	if (r)
		return r;
	done = memfd_write(fd, ubuf, kbuf, len, p);
	if (done <= 0)
		return done;
	size = max(old, p + (loff_t)done);
	inode->i_size = size;
	tmpfs_recharge(inode);
	*pos = p + (loff_t)done;
	inode_touch_mtime(inode);
	file_remove_privs(inode);
	return done;
}

static ssize_t tmpfs_write(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	return tmpfs_do_write(f, buf, NULL, len, pos);
}

static ssize_t tmpfs_write_kernel(struct file *f, const void *buf, size_t len,
				  loff_t *pos)
{
	return tmpfs_do_write(f, 0, buf, len, pos);
}

static loff_t tmpfs_llseek(struct file *f, loff_t off, int whence)
{
	return memfd_llseek(f, f->c.f_inode->i_host_fd, off, whence);
}

static int tmpfs_file_host_fd(struct file *f, int *fd)
{
	int r = tmpfs_host_fd(f->c.f_inode);

	if (r < 0)
		return r;
	*fd = r;
	return 0;
}

static int tmpfs_fsync(struct file *f, int datasync)
{
	return 0;	/* memory is as durable as it gets */
}

/*
 * Directory listing: ".", "..", then the positive children in creation
 * order. f_pos is the readdir position (d_seq) of the next entry, so
 * removals while listing never make an entry be skipped.
 */
static int tmpfs_iterate(struct file *f, void *ctx,
			 int (*emit)(void *ctx, const char *name, int len,
				     u64 ino, unsigned int type,
				     loff_t next_pos))
{
	struct dentry *dir = f->f_path.dentry, *c;
	loff_t pos = f->c.f_pos;

	if (pos == 0) {
		if (emit(ctx, ".", 1, dir->d_inode->i_ino, DT_DIR, 1))
			return 0;
		f->c.f_pos = pos = 1;
	}
	if (pos == 1) {
		struct dentry *p = dir->d_parent;

		if (emit(ctx, "..", 2, p->d_inode ? p->d_inode->i_ino :
			 dir->d_inode->i_ino, DT_DIR, 2))
			return 0;
		f->c.f_pos = pos = 2;
	}
	list_for_each_entry(c, &dir->d_subdirs, d_child) {
		if (!c->d_inode || !c->d_hashed || (loff_t)c->d_seq < pos)
			continue;
		if (emit(ctx, c->d_name.name, (int)c->d_name.len,
			 c->d_inode->i_ino, mode_to_dtype(c->d_inode->i_mode),
			 (loff_t)c->d_seq + 1))
			return 0;
		f->c.f_pos = (loff_t)c->d_seq + 1;
	}
	/* past the end: later entries get higher d_seq and are seen */
	return 0;
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

static int tmpfs_statfs(struct super_block *sb, struct kstatfs *st)
{
	st->f_type = TMPFS_MAGIC;
	st->f_bsize = PAGE_SIZE;
	st->f_frsize = PAGE_SIZE;
	st->f_namelen = NAME_MAX;
	if (sb->s_max_bytes) {
		st->f_blocks = sb->s_max_bytes / PAGE_SIZE;
		st->f_bfree = st->f_bavail =
			(sb->s_max_bytes - min(sb->s_bytes, sb->s_max_bytes)) /
			PAGE_SIZE;
	}
	if (sb->s_max_inodes) {
		st->f_files = sb->s_max_inodes;
		st->f_ffree = sb->s_max_inodes - min(sb->s_inodes,
						     sb->s_max_inodes);
	}
	return 0;
}

static void unpin_tree(struct dentry *dir)
{
	struct dentry *c;

again:
	list_for_each_entry(c, &dir->d_subdirs, d_child) {
		if (c->d_inode && c->d_hashed) {
			dget(c);
			if (S_ISDIR(c->d_inode->i_mode))
				unpin_tree(c);
			tmpfs_unpin(c);
			dput(c);
			goto again;
		}
	}
}

static void tmpfs_put_super(struct super_block *sb)
{
	unpin_tree(sb->s_root);
	kfree(sb->s_fs_info);
}

static const struct super_operations tmpfs_sops = {
	.evict_inode = tmpfs_evict,
	.statfs = tmpfs_statfs,
	.put_super = tmpfs_put_super,
	.show_options = tmpfs_show_options,
};

const struct inode_operations tmpfs_dir_iops = {
	.lookup = tmpfs_lookup,
	.create = tmpfs_create,
	.mknod = tmpfs_mknod,
	.mkdir = tmpfs_mkdir,
	.rmdir = tmpfs_rmdir,
	.unlink = tmpfs_unlink,
	.link = tmpfs_link,
	.symlink = tmpfs_symlink,
	.rename = tmpfs_rename,
	.setattr = tmpfs_setattr,
	.tmpfile = tmpfs_tmpfile,
	TMPFS_XATTR_OPS,
};

static const struct inode_operations tmpfs_file_iops = {
	.setattr = tmpfs_setattr,
	.fallocate = tmpfs_fallocate,
	TMPFS_XATTR_OPS,
};

static const struct inode_operations tmpfs_symlink_iops = {
	.get_link = tmpfs_get_link,
	.setattr = tmpfs_setattr,
	TMPFS_XATTR_OPS,
};

static const struct inode_operations tmpfs_special_iops = {
	.setattr = tmpfs_setattr,
	TMPFS_XATTR_OPS,
};

static const struct file_operations tmpfs_file_fops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.read_kernel = tmpfs_read_kernel,
	.write_kernel = tmpfs_write_kernel,
	.llseek = tmpfs_llseek,
	.fsync = tmpfs_fsync,
	.host_fd = tmpfs_file_host_fd,
};

static const struct file_operations tmpfs_dir_fops = {
	.read = dir_read,
	.llseek = dir_llseek,
	.iterate = tmpfs_iterate,
	.fsync = tmpfs_fsync,
};

static int parse_size(const char *v, struct super_block *sb, u64 *out)
{
	char *end;
	unsigned long long n = strtoull(v, &end, 0);
	u64 ram = mem_total_pages ? mem_total_pages * PAGE_SIZE :
		os_total_ram();

	if (end == v)
		return -EINVAL;
	switch (*end) {
	case '%':
		if (n > 100)
			return -EINVAL;
		n = ram / 100 * n;
		end++;
		break;
	case 'k': case 'K':
		n <<= 10;
		end++;
		break;
	case 'm': case 'M':
		n <<= 20;
		end++;
		break;
	case 'g': case 'G':
		n <<= 30;
		end++;
		break;
	}
	if (*end)
		return -EINVAL;
	*out = PAGE_ALIGN(n);
	return 0;
}

int tmpfs_parse_options(struct super_block *sb, const char *data, bool remount)
{
	struct tmpfs_info *ti = sb->s_fs_info;
	char *copy, *opt, *next;
	int r = 0;

	if (!data || !*data)
		return 0;
	copy = kstrndup(data, PAGE_SIZE);
	if (!copy)
		return -ENOMEM;
	for (opt = copy; opt && !r; opt = next) {
		char *val = strchr(opt, '=');
		char *end;
		unsigned long long n;

		next = strchr(opt, ',');
		if (next)
			*next++ = 0;
		if (!*opt)
			continue;
		if (val)
			*val++ = 0;
		if (!strcmp(opt, "size") && val) {
			u64 sz;

			r = parse_size(val, sb, &sz);
			if (!r)
				sb->s_max_bytes = sz;
		} else if (!strcmp(opt, "nr_inodes") && val) {
			n = strtoull(val, &end, 0);
			if (end == val || (*end && *end != 'k' && *end != 'm'))
				r = -EINVAL;
			else
				sb->s_max_inodes = *end == 'k' ? n << 10 :
					*end == 'm' ? n << 20 : n;
		} else if (!strcmp(opt, "mode") && val) {
			n = strtoull(val, &end, 8);
			if (end == val || *end || n > 07777)
				r = -EINVAL;
			else if (!remount)
				ti->mode = (mode_t)n;
		} else if ((!strcmp(opt, "uid") || !strcmp(opt, "gid")) && val) {
			n = strtoull(val, &end, 10);
			if (end == val || *end || n > 0xfffffffe)
				r = -EINVAL;
			else if (!remount && opt[0] == 'u')
				ti->uid = (uid_t)n;
			else if (!remount)
				ti->gid = (gid_t)n;
		} else {
			r = -EINVAL;
		}
	}
	kfree(copy);
	return r;
}

int tmpfs_show_options(struct super_block *sb, char *buf, size_t len)
{
	struct tmpfs_info *ti = sb->s_fs_info;
	struct inode *root = sb->s_root->d_inode;
	int n = 0;

	if (sb->s_max_bytes)
		n += snprintf(buf + n, len - (size_t)n, ",size=%lluk",
			      (unsigned long long)(sb->s_max_bytes >> 10));
	if (sb->s_max_inodes && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ",nr_inodes=%llu",
			      (unsigned long long)sb->s_max_inodes);
	if ((size_t)n < len && (root->i_mode & 07777) != 01777)
		n += snprintf(buf + n, len - (size_t)n, ",mode=%o",
			      root->i_mode & 07777);
	if ((size_t)n < len && ti && ti->uid)
		n += snprintf(buf + n, len - (size_t)n, ",uid=%u", ti->uid);
	if ((size_t)n < len && ti && ti->gid)
		n += snprintf(buf + n, len - (size_t)n, ",gid=%u", ti->gid);
	return n;
}

struct super_block *tmpfs_fill_new(struct file_system_type *type, int flags,
				   const void *data)
{
	struct super_block *sb = sget_nodev(type, flags);
	struct tmpfs_info *ti;
	struct inode *root;
	u64 ram = mem_total_pages ? mem_total_pages * PAGE_SIZE :
		os_total_ram();
	int r;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	ti = kzalloc(sizeof(*ti));
	if (!ti) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	ti->mode = 01777;
	sb->s_fs_info = ti;
	sb->s_op = &tmpfs_sops;
	sb->s_magic = TMPFS_MAGIC;
	sb->s_max_bytes = PAGE_ALIGN(ram / 2);
	sb->s_max_inodes = ram / PAGE_SIZE / 2;
	r = tmpfs_parse_options(sb, data, false);
	if (r) {
		kfree(ti);
		kfree(sb);
		return ERR_PTR(r);
	}
	root = new_inode(sb);
	if (!root) {
		kfree(ti);
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	root->i_mode = S_IFDIR | ti->mode;
	root->i_uid = ti->uid;
	root->i_gid = ti->gid;
	tmpfs_set_ops(root);
	sb->s_root = d_alloc_root(root);
	if (!sb->s_root) {
		iput(root);
		kfree(ti);
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	return sb;
}

static struct super_block *tmpfs_mount(struct file_system_type *type,
				       int flags, const char *dev,
				       const void *data)
{
	return tmpfs_fill_new(type, flags, data);
}

struct file_system_type tmpfs_fs_type = {
	.name = "tmpfs",
	.mount = tmpfs_mount,
};
