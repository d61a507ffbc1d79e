// SPDX-License-Identifier: GPL-2.0
/*
 * ext4 inodes: one struct inode per on-disk inode while referenced (a
 * hash by number), attributes, and regular file data through the page
 * cache: the file's memfd is filled from the disk on first use, and what
 * is written to it is written back on fsync, sync, close of the last
 * writer, unmount, eviction and by the periodic writeback.
 */
#include "ext4.h"
#include "kern/uaccess.h"

/* Data waiting in memfds for writeback, per filesystem, at most. */
#define DIRTY_MAX		(64ULL << 20)

#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02

static struct list_head *ihash(struct ext4_sb_info *sbi, u32 ino)
{
	return &sbi->ihash[ino % EXT4_IHASH];
}

static void set_ops(struct inode *inode)
{
	switch (inode->i_mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &ext4_file_iops;
		inode->i_fop = &ext4_file_fops;
		break;
	case S_IFDIR:
		inode->i_op = &ext4_dir_iops;
		inode->i_fop = &ext4_dir_fops;
		break;
	case S_IFLNK:
		inode->i_op = &ext4_symlink_iops;
		break;
	default:
		init_special_inode(inode, &ext4_special_iops);
		break;
	}
}

static struct kts kts_of(s64 sec, u32 ns)
{
	struct kts t = { sec, (long)ns };

	return t;
}

/* The kernel's view of an inode from its on-disk attributes. */
static int fill_inode(struct inode *inode, const struct e4h_attr *a)
{
	switch (a->mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR:
	case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	default:
		return -EUCLEAN;
	}
	if (a->size > (u64)0x7fffffffffffffffLL)
		return -EUCLEAN;
	inode->i_mode = a->mode;
	inode->i_uid = a->uid;
	inode->i_gid = a->gid;
	inode->i_nlink = a->nlink;
	inode->i_size = (loff_t)a->size;
	inode->i_rdev = MKDEV(a->rdev_major & 0xfff, a->rdev_minor & 0xfffff);
	inode->i_atime = kts_of(a->atime, a->atime_ns);
	inode->i_mtime = kts_of(a->mtime, a->mtime_ns);
	inode->i_ctime = kts_of(a->ctime, a->ctime_ns);
	inode->i_btime = kts_of(a->btime, a->btime_ns);
	return 0;
}

void ext4_kattr(struct inode *inode, struct e4h_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->mode = inode->i_mode;
	a->uid = inode->i_uid;
	a->gid = inode->i_gid;
	a->atime = inode->i_atime.sec;
	a->atime_ns = (u32)inode->i_atime.nsec;
	a->mtime = inode->i_mtime.sec;
	a->mtime_ns = (u32)inode->i_mtime.nsec;
	a->ctime = inode->i_ctime.sec;
	a->ctime_ns = (u32)inode->i_ctime.nsec;
	a->rdev_major = MAJOR(inode->i_rdev);
	a->rdev_minor = MINOR(inode->i_rdev);
}

struct inode *ext4_iget(struct super_block *sb, u32 ino)
{
	struct ext4_sb_info *sbi = EXT4_SB(sb);
	struct ext4_inode_info *ei;
	struct inode *inode;
	struct e4h_attr a;
	int r;

	list_for_each_entry(ei, ihash(sbi, ino), hash)
		if (ei->inode->i_ino == ino)
			return igrab(ei->inode);
	if (!sbi->fs)
		return ERR_PTR(-EIO);
	r = e4h_read_attr(sbi->fs, ino, &a);
	if (r)
		return ERR_PTR(r);
	ei = kzalloc(sizeof(*ei));
	inode = ei ? new_inode(sb) : NULL;
	if (!inode) {
		kfree(ei);
		return ERR_PTR(-ENOMEM);
	}
	inode->i_ino = ino;
	inode->i_private = ei;
	ei->inode = inode;
	INIT_LIST_HEAD(&ei->dirty);
	list_add(&ei->hash, ihash(sbi, ino));
	r = fill_inode(inode, &a);
	if (r) {
		iput(inode);
		return ERR_PTR(r);
	}
	ei->disk_blocks = a.blocks;
	set_ops(inode);
	return inode;
}

static void mark_dirty(struct inode *inode)
{
	struct ext4_inode_info *ei = EXT4_I(inode);

	if (list_empty(&ei->dirty)) {
		ei->dirtied_ns = os_clock_ns(OS_CLOCK_MONOTONIC);
		list_add_tail(&ei->dirty, &EXT4_SB(inode->i_sb)->dirty);
	}
}

void ext4_mark_attr_dirty(struct inode *inode)
{
	EXT4_I(inode)->attr_dirty = true;
	mark_dirty(inode);
}

/* Keeps sbi->dirty_bytes, which bounds what waits in memfds, right. */
static void count_dirty(struct inode *inode)
{
	struct ext4_sb_info *sbi = EXT4_SB(inode->i_sb);
	struct ext4_inode_info *ei = EXT4_I(inode);
	u64 now = ei->data_dirty && ei->dirty_end > ei->dirty_start ?
		ei->dirty_end - ei->dirty_start : 0;

	sbi->dirty_bytes = sbi->dirty_bytes - ei->dirty_counted + now;
	ei->dirty_counted = now;
}

static void mark_data_dirty(struct inode *inode, u64 start, u64 end)
{
	struct ext4_inode_info *ei = EXT4_I(inode);

	if (!ei->data_dirty) {
		ei->dirty_start = start;
		ei->dirty_end = end;
	} else {
		ei->dirty_start = min(ei->dirty_start, start);
		ei->dirty_end = max(ei->dirty_end, end);
	}
	ei->data_dirty = true;
	count_dirty(inode);
	mark_dirty(inode);
}

/* Mode, owner and times to the disk now. */
int ext4_write_inode(struct inode *inode)
{
	struct ext4_sb_info *sbi = EXT4_SB(inode->i_sb);
	struct e4h_attr a;
	int r;

	if (!sbi->fs)
		return -EIO;
	ext4_kattr(inode, &a);
	r = e4h_write_attr(sbi->fs, (u32)inode->i_ino, &a,
			   E4H_ATTR_MODE | E4H_ATTR_OWNER | E4H_ATTR_TIMES);
	if (!r) {
		EXT4_I(inode)->attr_dirty = false;
		sbi->meta_dirty = true;
	}
	return r;
}

int ext4_writeback_inode(struct inode *inode)
{
	struct ext4_sb_info *sbi = EXT4_SB(inode->i_sb);
	struct ext4_inode_info *ei = EXT4_I(inode);
	int r = 0;

	if (!sbi->fs)
		return -EIO;
	if (S_ISREG(inode->i_mode) && ei->loaded &&
	    (ei->data_dirty || ei->mapped_shared)) {
		u64 start = ei->dirty_start, end = ei->dirty_end;

		/* writes through a shared mapping are not seen: all of it */
		if (ei->mapped_shared) {
			start = 0;
			end = (u64)inode->i_size;
		}
		r = e4h_writeback(sbi->fs, (u32)inode->i_ino,
				  inode->i_host_fd, start, end,
				  (u64)inode->i_size);
		if (r) {
			ext4_msg(inode->i_sb, KERN_ERR,
				 "writeback of inode %lu failed (error %d)",
				 inode->i_ino, r);
			return r;
		}
		ei->data_dirty = false;
		count_dirty(inode);
		ei->attr_dirty = true;	/* the size and times go with it */
		{
			struct e4h_attr a;

			if (!e4h_read_attr(sbi->fs, (u32)inode->i_ino, &a))
				ei->disk_blocks = a.blocks;
		}
		sbi->meta_dirty = true;
	}
	if (ei->attr_dirty)
		r = ext4_write_inode(inode);
	if (!r && !ei->data_dirty && !ei->attr_dirty && !ei->mapped_shared)
		list_del_init(&ei->dirty);
	else if (!r)
		ei->dirtied_ns = os_clock_ns(OS_CLOCK_MONOTONIC);
	return r;
}

void ext4_evict_inode(struct inode *inode)
{
	struct ext4_inode_info *ei = EXT4_I(inode);
	struct ext4_sb_info *sbi = EXT4_SB(inode->i_sb);

	if (!ei)
		return;
	if (sbi->fs && inode->i_mode) {
		if (!inode->i_nlink) {
			int r = e4h_free_inode(sbi->fs, (u32)inode->i_ino);

			if (r)
				ext4_msg(inode->i_sb, KERN_ERR,
					 "cannot free inode %lu (error %d)",
					 inode->i_ino, r);
			sbi->meta_dirty = true;
		} else if (!list_empty(&ei->dirty)) {
			ext4_writeback_inode(inode);
		}
	}
	ei->data_dirty = false;
	count_dirty(inode);
	list_del(&ei->hash);
	list_del(&ei->dirty);
	sbi->cached_bytes -= ei->loaded_bytes;
	if (inode->i_host_fd >= 0)
		os_close(inode->i_host_fd);
	inode->i_host_fd = -1;
	inode->i_private = NULL;
	kfree(ei);
}

/* The memfd with the file's data, filled from the disk the first time. */
static int ensure_loaded(struct inode *inode)
{
	struct ext4_sb_info *sbi = EXT4_SB(inode->i_sb);
	struct ext4_inode_info *ei = EXT4_I(inode);
	int fd, r;

	if (ei->loaded)
		return inode->i_host_fd;
	if (!sbi->fs)
		return -EIO;
	fd = os_memfd("ext4");
	if (fd < 0)
		return fd;
	r = os_ftruncate(fd, (u64)inode->i_size);
	if (!r)
		r = e4h_fill(sbi->fs, (u32)inode->i_ino, fd, (u64)inode->i_size);
	if (r) {
		os_close(fd);
		return r;
	}
	inode->i_host_fd = fd;
	ei->loaded = true;
	ei->loaded_bytes = (u64)inode->i_size;
	sbi->cached_bytes += ei->loaded_bytes;
	ext4_lru_trim(sbi);
	return fd;
}

static void account_size(struct inode *inode)
{
	struct ext4_sb_info *sbi = EXT4_SB(inode->i_sb);
	struct ext4_inode_info *ei = EXT4_I(inode);

	if (!ei->loaded)
		return;
	sbi->cached_bytes -= ei->loaded_bytes;
	ei->loaded_bytes = (u64)inode->i_size;
	sbi->cached_bytes += ei->loaded_bytes;
}

static int resize(struct inode *inode, loff_t size)
{
	struct ext4_sb_info *sbi = EXT4_SB(inode->i_sb);
	struct ext4_inode_info *ei = EXT4_I(inode);
	int r;

	if (size < 0)
		return -EINVAL;
	if ((u64)size > sbi->max_bytes)
		return -EFBIG;
	if (!sbi->fs)
		return -EIO;
	if (ei->loaded) {
		r = os_ftruncate(inode->i_host_fd, (u64)size);
		if (r)
			return r;
	}
	r = e4h_truncate(sbi->fs, (u32)inode->i_ino, (u64)size);
	if (r) {
		if (ei->loaded)
			os_ftruncate(inode->i_host_fd, (u64)inode->i_size);
		return r;
	}
	sbi->meta_dirty = true;
	{
		struct e4h_attr a;

		if (!e4h_read_attr(sbi->fs, (u32)inode->i_ino, &a))
			ei->disk_blocks = a.blocks;
	}
	if (ei->data_dirty && ei->dirty_end > (u64)size)
		ei->dirty_end = max((u64)size, ei->dirty_start);
	count_dirty(inode);
	inode->i_size = size;
	account_size(inode);
	return 0;
}

int ext4_setattr(struct dentry *d, struct iattr *ia)
{
	struct inode *inode = d->d_inode;
	int r;

	if (ia->ia_valid & ATTR_SIZE) {
		if (!S_ISREG(inode->i_mode))
			return -EINVAL;
		if (ia->ia_size != inode->i_size) {
			r = resize(inode, ia->ia_size);
			if (r)
				return r;
			inode_touch_mtime(inode);
		}
	}
	setattr_copy(inode, ia);
	return ext4_write_inode(inode);
}

static int ext4_fallocate(struct inode *inode, int mode, loff_t off,
			  loff_t len)
{
	int fd, r;

	/* Preallocation is not done (and must not be claimed): callers
	 * such as posix_fallocate then write zeros themselves. */
	if (mode != (FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (off >= inode->i_size)
		return 0;
	fd = ensure_loaded(inode);
	if (fd < 0)
		return fd;
	len = min(len, inode->i_size - off);
	r = os_fallocate(fd, mode, (u64)off, (u64)len);
	if (r)
		return r;
	mark_data_dirty(inode, (u64)off, (u64)(off + len));
	inode_touch_mtime(inode);
	ext4_mark_attr_dirty(inode);
	return 0;
}

/* ------------------------------------------------------------------ */
/* regular files */

static int ext4_file_open(struct inode *inode, struct file *f)
{
	if (f->f_mode & FMODE_WRITE)
		EXT4_I(inode)->writers++;
	return 0;
}

static void ext4_file_release(struct inode *inode, struct file *f)
{
	struct ext4_inode_info *ei = EXT4_I(inode);

	if (!(f->f_mode & FMODE_WRITE))
		return;
	/* the last writer's close writes the data back */
	if (--ei->writers == 0 && inode->i_nlink &&
	    (ei->data_dirty || ei->attr_dirty))
		ext4_writeback_inode(inode);
}

static ssize_t ext4_do_read(struct file *f, uaddr_t ubuf, void *kbuf,
			    size_t len, loff_t *pos)
{
	struct inode *inode = f->c.f_inode;
	int fd;
	ssize_t r;

	if (*pos < 0)
		return -EINVAL;
	if (!len || *pos >= inode->i_size)
		return 0;
	fd = ensure_loaded(inode);
	if (fd < 0)
		return fd;
	r = memfd_read(inode, fd, ubuf, kbuf, len, pos);
	if (r >= 0 && file_touch_atime(f))
		ext4_mark_attr_dirty(inode);
	return r;
}

static ssize_t ext4_read(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	return ext4_do_read(f, buf, NULL, len, pos);
}

static ssize_t ext4_read_kernel(struct file *f, void *buf, size_t len,
				loff_t *pos)
{
	return ext4_do_read(f, 0, buf, len, pos);
}

static int ext4_fsync(struct file *f, int datasync)
{
	struct inode *inode = f->c.f_inode;
	struct ext4_sb_info *sbi = EXT4_SB(inode->i_sb);
	int r = 0, e;

	if (!sbi->fs)
		return -EIO;
	if (!list_empty(&EXT4_I(inode)->dirty))
		r = ext4_writeback_inode(inode);
	e = e4h_sync(sbi->fs);
	if (!r)
		r = e;
	sbi->meta_dirty = false;
	e = blkdev_flush(sbi->bdev, BLK_HOLD_LOCK);
	return r ? r : e;
}

/* Free space current may fill, less a margin for the extent blocks
 * writeback may need (as the host half's check_space counts them). */
static int free_bytes(struct ext4_sb_info *sbi, struct e4h_statfs *st,
		      u64 *avail)
{
	u64 blocks;
	int r = e4h_statfs(sbi->fs, st);

	if (r)
		return r;
	blocks = fs_capable(CAP_SYS_RESOURCE) ? st->free_blocks :
		st->avail_blocks;
	blocks = blocks > blocks / 256 + 16 ? blocks - blocks / 256 - 16 : 0;
	*avail = blocks * st->block_size;
	return 0;
}

static ssize_t ext4_do_write(struct file *f, uaddr_t ubuf, const void *kbuf,
			     size_t len, loff_t *pos)
{
	struct inode *inode = f->c.f_inode;
	struct ext4_sb_info *sbi = EXT4_SB(inode->i_sb);
	loff_t p = *pos;
	struct e4h_statfs st;
	ssize_t done;
	u64 avail;
	int fd, r;

	if (p < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (!sbi->fs)
		return -EIO;
	if ((u64)p >= sbi->max_bytes)
		return -EFBIG;
	if ((u64)len > sbi->max_bytes - (u64)p)
		len = (size_t)(sbi->max_bytes - (u64)p);
	/*
	 * Blocks are allocated at writeback. So that a full disk is seen by
	 * write() rather than lost later, what waits in memfds stays below
	 * half the free space (and DIRTY_MAX): beyond, it is written back
	 * first, and a write that cannot fit then is cut short or refused.
	 */
	r = free_bytes(sbi, &st, &avail);
	if (r)
		return r;
	if (sbi->dirty_bytes + len > min(avail / 2, (u64)DIRTY_MAX)) {
		ext4_writeback_all(sbi);
		r = free_bytes(sbi, &st, &avail);
		if (r)
			return r;
		avail = avail > sbi->dirty_bytes ? avail - sbi->dirty_bytes : 0;
		if (avail < st.block_size)
			return -ENOSPC;
		if ((u64)len > avail)
			len = (size_t)avail;
	}
	fd = ensure_loaded(inode);
	if (fd < 0)
		return fd;
	done = memfd_write(fd, ubuf, kbuf, len, p);
	if (done <= 0)
		return done;
	if (p + done > inode->i_size) {
		inode->i_size = p + done;
		account_size(inode);
	}
	*pos = p + done;
	mark_data_dirty(inode, (u64)p, (u64)(p + done));
	inode_touch_mtime(inode);
	file_remove_privs(inode);
	ext4_mark_attr_dirty(inode);
	if (f->c.f_flags & O_DSYNC) {
		r = ext4_fsync(f, 1);
		if (r)
			return r;
	}
	return done;
}

static ssize_t ext4_write(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	return ext4_do_write(f, buf, NULL, len, pos);
}

static ssize_t ext4_write_kernel(struct file *f, const void *buf, size_t len,
				 loff_t *pos)
{
	return ext4_do_write(f, 0, buf, len, pos);
}

static loff_t ext4_llseek(struct file *f, loff_t off, int whence)
{
	int fd = -1;

	if (whence == 3 || whence == 4) {
		fd = ensure_loaded(f->c.f_inode);
		if (fd < 0)
			return fd;
	}
	return memfd_llseek(f, fd, off, whence);
}

static int ext4_file_host_fd(struct file *f, int *out)
{
	struct inode *inode = f->c.f_inode;
	int fd = ensure_loaded(inode);

	if (fd < 0)
		return fd;
	/* Only a file open for writing can get a writable shared mapping,
	 * whose changes writeback cannot see: from now on it writes all. */
	if (f->f_mode & FMODE_WRITE) {
		EXT4_I(inode)->mapped_shared = true;
		mark_dirty(inode);
	}
	*out = fd;
	return 0;
}

/*
 * st_blocks: what the disk holds, or for a file in the page cache, what
 * its memfd holds (the disk catches up at writeback; holes are holes).
 */
void ext4_getattr(struct inode *inode, struct kstat *st)
{
	struct ext4_inode_info *ei = EXT4_I(inode);
	s64 held;

	if (!ei)
		return;
	st->blocks = ei->disk_blocks;
	if (S_ISREG(inode->i_mode) && ei->loaded && ei->data_dirty) {
		held = os_file_alloc(inode->i_host_fd);
		if (held >= 0)
			st->blocks = max(st->blocks, (u64)held / 512);
	}
}

const struct file_operations ext4_file_fops = {
	.read = ext4_read,
	.write = ext4_write,
	.read_kernel = ext4_read_kernel,
	.write_kernel = ext4_write_kernel,
	.llseek = ext4_llseek,
	.open = ext4_file_open,
	.release = ext4_file_release,
	.fsync = ext4_fsync,
	.host_fd = ext4_file_host_fd,
};

const struct inode_operations ext4_file_iops = {
	.setattr = ext4_setattr,
	.fallocate = ext4_fallocate,
	EXT4_XATTR_OPS,
};

const struct inode_operations ext4_special_iops = {
	.setattr = ext4_setattr,
	EXT4_XATTR_OPS,
};
