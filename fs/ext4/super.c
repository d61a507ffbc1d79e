// SPDX-License-Identifier: GPL-2.0
/*
 * ext2, ext3 and ext4: the filesystem types, mounting, options, sync,
 * statfs, remount, shutdown, the cache of dentries and the periodic
 * writeback. The on-disk work is libext2fs's, behind ext4_host.h; its I/O
 * comes back here and goes to the block layer with the kernel lock held
 * (BLK_HOLD_LOCK), so a libext2fs call is one atomic step for the VFS.
 *
 * There is no journal: metadata is written in place as each operation
 * completes (libext2fs's own caches are flushed on sync), data on
 * writeback. A clean unmount or shutdown leaves the image clean for
 * e2fsck; a crash leaves what fsck repairs, as ext2 would.
 */
#include "ext4.h"
#include "kern/init.h"
#include "kern/mm.h"
#include "kern/printk.h"

/* Dentries kept for later lookups, and memfd bytes of unopened files. */
#define LRU_MAX			4096
#define CACHE_MIN_BYTES		(16ULL << 20)
/* Dirty data older than this is written back (Linux: 30 s). */
#define WRITEBACK_NS		(5ULL * 1000000000ULL)

static LIST_HEAD(ext4_sbs);
static bool wb_thread_started;
static u32 wb_word;

void ext4_msg(struct super_block *sb, const char *level, const char *fmt, ...)
{
	struct ext4_sb_info *sbi = sb ? EXT4_SB(sb) : NULL;
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(buf, sizeof(buf), fmt, ap) < 0)
		buf[0] = 0;
	va_end(ap);
	printk("%sEXT4-fs (%s): %s\n", level,
	       sbi && sbi->bdev ? sbi->bdev->name : "?", buf);
}

/* ------------------------------------------------------------------ */
/* the host half's way to the device */

int ext4_dev_rw(void *dev, int write, uint64_t off, void *buf, size_t len)
{
	return blkdev_rw(dev, write ? BLK_WRITE : BLK_READ, off, buf, len,
			 BLK_HOLD_LOCK);
}

int ext4_dev_flush(void *dev)
{
	return blkdev_flush(dev, BLK_HOLD_LOCK);
}

int ext4_dev_discard(void *dev, uint64_t off, uint64_t len)
{
	return blkdev_discard(dev, off, len, BLK_HOLD_LOCK);
}

void ext4_host_msg(void *dev, int level, const char *msg)
{
	struct block_device *b = dev;

	printk("%sEXT4-fs (%s): %s\n", level ? KERN_WARNING : KERN_INFO,
	       b->name, msg);
}

/* ------------------------------------------------------------------ */
/* cached dentries */

struct ext4_pin {
	struct list_head lru;
	struct dentry *d;
};

static u64 cache_budget(void)
{
	u64 mem = mem_total_pages * PAGE_SIZE / 8;

	return max(mem, CACHE_MIN_BYTES);
}

/*
 * The VFS frees a dentry with its last reference; ext4 keeps the most
 * recent ones (and so their inodes and page caches) by holding one more.
 */
void ext4_pin(struct dentry *d)
{
	struct ext4_sb_info *sbi = EXT4_SB(d->d_sb);
	struct ext4_pin *p;

	if (d->d_fsdata || !d->d_inode)
		return;
	p = kmalloc(sizeof(*p));
	if (!p)
		return;		/* only a cache */
	p->d = dget(d);
	d->d_fsdata = p;
	list_add_tail(&p->lru, &sbi->lru);
	sbi->lru_count++;
	if (sbi->lru_count > LRU_MAX)
		ext4_lru_trim(sbi);
}

void ext4_unpin(struct dentry *d)
{
	struct ext4_sb_info *sbi = EXT4_SB(d->d_sb);
	struct ext4_pin *p = d->d_fsdata;

	if (!p)
		return;
	list_del(&p->lru);
	sbi->lru_count--;
	d->d_fsdata = NULL;
	kfree(p);
	dput(d);
}

/* Oldest first: beyond LRU_MAX entries, or while loaded files take more
 * than the budget (files still open keep theirs). */
void ext4_lru_trim(struct ext4_sb_info *sbi)
{
	u64 budget = cache_budget();
	struct ext4_pin *p;

again:
	list_for_each_entry(p, &sbi->lru, lru) {
		struct inode *inode = p->d->d_inode;
		bool over = sbi->lru_count > LRU_MAX;

		if (!over && sbi->cached_bytes <= budget)
			return;
		if (!over && !(inode && EXT4_I(inode)->loaded))
			continue;
		/* unpinning may free other entries' dentries: start over */
		ext4_unpin(p->d);
		goto again;
	}
}

static void unpin_all(struct ext4_sb_info *sbi)
{
	while (!list_empty(&sbi->lru)) {
		struct ext4_pin *p = list_entry(sbi->lru.prev, struct ext4_pin,
						lru);

		ext4_unpin(p->d);
	}
}

/* ------------------------------------------------------------------ */
/* writeback */

static int write_all(struct ext4_sb_info *sbi, u64 older_than)
{
	struct ext4_inode_info *ei, *n;
	int r = 0;

	list_for_each_entry_safe(ei, n, &sbi->dirty, dirty) {
		int e;

		if (older_than && ei->dirtied_ns > older_than)
			continue;
		e = ext4_writeback_inode(ei->inode);
		if (e && !r)
			r = e;
	}
	return r;
}

int ext4_writeback_all(struct ext4_sb_info *sbi)
{
	return write_all(sbi, 0);
}

static int ext4_sync_fs(struct super_block *sb)
{
	struct ext4_sb_info *sbi = EXT4_SB(sb);
	int r, e;

	if (!sbi->fs)
		return 0;
	r = write_all(sbi, 0);
	e = e4h_sync(sbi->fs);
	if (!r)
		r = e;
	sbi->meta_dirty = false;
	e = blkdev_flush(sbi->bdev, BLK_HOLD_LOCK);
	if (!r)
		r = e;
	return r;
}

/* Every few seconds: data dirty for long enough, then the metadata. */
static void writeback_thread(void *arg)
{
	for (;;) {
		struct ext4_sb_info *sbi;
		u64 now;

		os_futex_wait(&wb_word, 0, os_clock_ns(OS_CLOCK_MONOTONIC) +
			      WRITEBACK_NS);
		os_kernel_lock();
		now = os_clock_ns(OS_CLOCK_MONOTONIC);
		list_for_each_entry(sbi, &ext4_sbs, all) {
			if (!sbi->fs)
				continue;
			if (write_all(sbi, now - WRITEBACK_NS))
				ext4_msg(sbi->sb, KERN_WARNING,
					 "writeback failed");
			if (sbi->meta_dirty) {
				e4h_sync(sbi->fs);
				blkdev_flush(sbi->bdev, BLK_HOLD_LOCK);
				sbi->meta_dirty = false;
			}
		}
		os_kernel_unlock();
	}
}

/* ------------------------------------------------------------------ */
/* mounting */

static int parse_options(const char *data, int *flags, unsigned int *opts)
{
	static const char *const accepted[] = {
		/* what Linux takes that changes nothing here */
		"noatime", "relatime", "strictatime", "nodiratime", "lazytime",
		"nolazytime", "barrier", "nobarrier", "user_xattr", "acl",
		"noacl", "auto_da_alloc", "noauto_da_alloc", "delalloc",
		"nodelalloc", "journal_checksum", "nojournal_checksum",
		"i_version", "data=ordered", "data=writeback", "data=journal",
		"defaults", "dioread_nolock", "dioread_lock", "nogrpid",
		"sysvgroups", "block_validity", "noblock_validity",
		"init_itable", "noinit_itable", "nouid32", "quiet", NULL,
	};
	char *copy, *opt, *next;
	int r = 0;

	if (!data || !*data)
		return 0;
	copy = kstrndup(data, PAGE_SIZE);
	if (!copy)
		return -ENOMEM;
	for (opt = copy; opt && !r; opt = next) {
		bool known = false;

		next = strchr(opt, ',');
		if (next)
			*next++ = 0;
		if (!*opt)
			continue;
		if (!strcmp(opt, "ro")) {
			*flags |= MS_RDONLY;
		} else if (!strcmp(opt, "rw")) {
			*flags &= ~MS_RDONLY;
		} else if (!strcmp(opt, "discard")) {
			*opts |= EXT4_OPT_DISCARD;
		} else if (!strcmp(opt, "nodiscard")) {
			*opts &= ~(unsigned int)EXT4_OPT_DISCARD;
		} else if (!strcmp(opt, "errors=continue")) {
			*opts = (*opts & ~0xeU) | EXT4_OPT_ERRORS_CONT;
		} else if (!strcmp(opt, "errors=remount-ro")) {
			*opts = (*opts & ~0xeU) | EXT4_OPT_ERRORS_RO;
		} else if (!strcmp(opt, "errors=panic")) {
			*opts = (*opts & ~0xeU) | EXT4_OPT_ERRORS_PANIC;
		} else if (!strncmp(opt, "commit=", 7) ||
			   !strncmp(opt, "barrier=", 8)) {
			char *end;

			strtoul(strchr(opt, '=') + 1, &end, 10);
			if (end == strchr(opt, '=') + 1 || *end)
				r = -EINVAL;
		} else if (!strcmp(opt, "noload") || !strcmp(opt, "norecovery")) {
			/* there is no journal replay to skip; Linux wants ro */
			if (!(*flags & MS_RDONLY))
				r = -EINVAL;
		} else {
			for (int i = 0; accepted[i]; i++)
				known |= !strcmp(opt, accepted[i]);
			if (!known) {
				printk(KERN_ERR "EXT4-fs: Unrecognized mount option \"%s\" or missing value\n",
				       opt);
				r = -EINVAL;
			}
		}
	}
	kfree(copy);
	return r;
}

static const struct super_operations ext4_sops;

static struct super_block *ext4_mount(struct file_system_type *type, int flags,
				      const char *dev, const void *data)
{
	struct ext4_sb_info *sbi;
	struct super_block *sb;
	struct e4h_statfs st;
	struct inode *root;
	unsigned int opts = 0;
	char msg[200];
	int r;

	if (!dev)
		return ERR_PTR(-EINVAL);
	r = parse_options(data, &flags, &opts);
	if (r)
		return ERR_PTR(r);
	sb = sget_nodev(type, flags);
	sbi = kzalloc(sizeof(*sbi));
	if (!sb || !sbi) {
		kfree(sb);
		kfree(sbi);
		return ERR_PTR(-ENOMEM);
	}
	sbi->sb = sb;
	sbi->opts = opts;
	INIT_LIST_HEAD(&sbi->lru);
	INIT_LIST_HEAD(&sbi->dirty);
	INIT_LIST_HEAD(&sbi->all);
	for (int i = 0; i < EXT4_IHASH; i++)
		INIT_LIST_HEAD(&sbi->ihash[i]);
	sb->s_fs_info = sbi;
	sb->s_op = &ext4_sops;
	sb->s_magic = EXT4_SUPER_MAGIC;

	sbi->bdev_mode = FMODE_READ | FMODE_WRITE;
	sbi->bdev = blkdev_get_by_path(dev, sbi->bdev_mode, sb);
	if (IS_ERR(sbi->bdev) && PTR_ERR(sbi->bdev) == -EROFS &&
	    (flags & MS_RDONLY)) {
		sbi->bdev_mode = FMODE_READ;
		sbi->bdev = blkdev_get_by_path(dev, sbi->bdev_mode, sb);
	}
	if (IS_ERR(sbi->bdev)) {
		r = (int)PTR_ERR(sbi->bdev);
		goto fail_free;
	}
	r = e4h_open(sbi->bdev, sbi->bdev->size, type->name,
		     ((flags & MS_RDONLY) ? E4H_RDONLY : 0) |
		     ((sbi->bdev_mode & FMODE_WRITE) ? 0 : E4H_DEV_RO),
		     &sbi->fs, msg, sizeof(msg));
	if (r) {
		if (!(flags & MS_SILENT))
			ext4_msg(sb, KERN_ERR, "%s", msg);
		goto fail_put;
	}
	e4h_set_discard(sbi->fs, opts & EXT4_OPT_DISCARD);
	e4h_statfs(sbi->fs, &st);
	sbi->block_size = st.block_size;
	sbi->max_bytes = st.max_bytes;
	sb->s_blocksize = st.block_size;
	sb->s_dev = sbi->bdev->dev;
	root = ext4_iget(sb, 2);
	if (IS_ERR(root)) {
		r = (int)PTR_ERR(root);
		ext4_msg(sb, KERN_ERR, "get root inode failed");
		goto fail_close;
	}
	sb->s_root = d_alloc_root(root);
	if (!sb->s_root) {
		iput(root);
		r = -ENOMEM;
		goto fail_close;
	}
	list_add_tail(&sbi->all, &ext4_sbs);
	if (!wb_thread_started && !os_thread_create(writeback_thread, NULL))
		wb_thread_started = true;
	ext4_msg(sb, KERN_INFO, "mounted filesystem %s (%s, written in place: no journaling)",
		 (flags & MS_RDONLY) ? "read-only" : "read-write",
		 type->name);
	return sb;

fail_close:
	e4h_close(sbi->fs);
fail_put:
	blkdev_put(sbi->bdev, sbi->bdev_mode, sb);
fail_free:
	kfree(sbi);
	kfree(sb);
	return ERR_PTR(r);
}

/* Writes all, leaves the image clean, and lets go of libext2fs. */
static void ext4_finish(struct ext4_sb_info *sbi)
{
	int r;

	if (!sbi->fs)
		return;
	r = write_all(sbi, 0);
	if (r)
		ext4_msg(sbi->sb, KERN_ERR, "writeback failed at unmount (error %d)", r);
	r = e4h_close(sbi->fs);
	if (r)
		ext4_msg(sbi->sb, KERN_ERR, "cannot write the superblock (error %d)", r);
	sbi->fs = NULL;
	blkdev_flush(sbi->bdev, BLK_HOLD_LOCK);
}

static void ext4_put_super(struct super_block *sb)
{
	struct ext4_sb_info *sbi = EXT4_SB(sb);

	unpin_all(sbi);
	/* the root goes while libext2fs is still there to write it */
	dput(sb->s_root);
	sb->s_root = NULL;
	ext4_finish(sbi);
	list_del(&sbi->all);
	blkdev_put(sbi->bdev, sbi->bdev_mode, sb);
	ext4_msg(sb, KERN_INFO, "unmounting filesystem.");
	if (!list_empty(&sb->s_inodes_list)) {
		/* a leaked reference: keep sbi for its eviction (fs is gone) */
		ext4_msg(sb, KERN_ERR, "inodes still in use at unmount");
		return;
	}
	sb->s_fs_info = NULL;
	kfree(sbi);
}

static void ext4_shutdown(struct super_block *sb)
{
	ext4_finish(EXT4_SB(sb));
}

static int ext4_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct ext4_sb_info *sbi = EXT4_SB(sb);
	struct e4h_statfs s;
	int r;

	if (!sbi->fs)
		return -EIO;
	r = e4h_statfs(sbi->fs, &s);
	if (r)
		return r;
	st->f_type = EXT4_SUPER_MAGIC;
	st->f_bsize = s.block_size;
	st->f_frsize = s.block_size;
	st->f_blocks = s.blocks;
	st->f_bfree = s.free_blocks;
	st->f_bavail = s.avail_blocks;
	st->f_files = s.inodes;
	st->f_ffree = s.free_inodes;
	st->f_fsid[0] = (int)s.fsid[0];
	st->f_fsid[1] = (int)s.fsid[1];
	st->f_namelen = s.max_name;
	return 0;
}

static int ext4_remount(struct super_block *sb, unsigned long flags)
{
	struct ext4_sb_info *sbi = EXT4_SB(sb);
	bool ro = flags & MS_RDONLY;
	char msg[200];
	int r;

	if (!sbi->fs)
		return -EIO;
	if (ro == !!(sb->s_flags & MS_RDONLY))
		return 0;
	if (!ro && !(sbi->bdev_mode & FMODE_WRITE))
		return -EROFS;
	if (ro) {
		r = write_all(sbi, 0);
		if (r)
			return r;
	}
	r = e4h_set_readonly(sbi->fs, ro, msg, sizeof(msg));
	if (r) {
		if (msg[0])
			ext4_msg(sb, KERN_ERR, "%s", msg);
		return r;
	}
	return blkdev_flush(sbi->bdev, BLK_HOLD_LOCK);
}

static int ext4_show_options(struct super_block *sb, char *buf, size_t len)
{
	struct ext4_sb_info *sbi = EXT4_SB(sb);
	int n = 0;

	if (sbi->opts & EXT4_OPT_DISCARD)
		n += snprintf(buf, len, ",discard");
	if ((size_t)n < len && (sbi->opts & EXT4_OPT_ERRORS_RO))
		n += snprintf(buf + n, len - (size_t)n, ",errors=remount-ro");
	if ((size_t)n < len && (sbi->opts & EXT4_OPT_ERRORS_PANIC))
		n += snprintf(buf + n, len - (size_t)n, ",errors=panic");
	return n;
}

static const struct super_operations ext4_sops = {
	.evict_inode = ext4_evict_inode,
	.statfs = ext4_statfs,
	.put_super = ext4_put_super,
	.remount = ext4_remount,
	.sync_fs = ext4_sync_fs,
	.shutdown = ext4_shutdown,
	.show_options = ext4_show_options,
};

static struct file_system_type ext2_fs_type = {
	.name = "ext2", .fs_flags = FS_REQUIRES_DEV, .mount = ext4_mount,
};
static struct file_system_type ext3_fs_type = {
	.name = "ext3", .fs_flags = FS_REQUIRES_DEV, .mount = ext4_mount,
};
static struct file_system_type ext4_fs_type = {
	.name = "ext4", .fs_flags = FS_REQUIRES_DEV, .mount = ext4_mount,
};

static int ext4_init(void)
{
	int r = register_filesystem(&ext4_fs_type);

	if (!r)
		r = register_filesystem(&ext3_fs_type);
	if (!r)
		r = register_filesystem(&ext2_fs_type);
	return r;
}
core_initcall(ext4_init);
