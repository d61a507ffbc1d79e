// SPDX-License-Identifier: GPL-2.0
/*
 * ext4's host half, part one: libext2fs over the kernel's block layer (an
 * io_manager whose I/O calls back into the kernel half), mounting and
 * unmounting, the superblock's state, statfs and inode attributes.
 *
 * libext2fs trusts no more than it must: images are hostile, so every
 * error it reports (bad checksums included) becomes an errno and nothing
 * here assumes a structure is sane beyond what libext2fs verified.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ext2fs_user.h"

/* ------------------------------------------------------------------ */
/* the io_manager */

struct kio {
	void *dev;
	uint64_t size;
	struct struct_io_stats stats;
};

static void *opening_dev;	/* the device e4h_open is opening */
static uint64_t opening_size;

static struct struct_io_manager kio_manager;

static errcode_t kio_open(const char *name, int flags, io_channel *channel)
{
	io_channel io;
	struct kio *k;

	if (!opening_dev)
		return EXT2_ET_BAD_DEVICE_NAME;
	io = calloc(1, sizeof(*io));
	k = calloc(1, sizeof(*k));
	if (!io || !k) {
		free(io);
		free(k);
		return EXT2_ET_NO_MEMORY;
	}
	io->name = strdup(name);
	if (!io->name) {
		free(io);
		free(k);
		return EXT2_ET_NO_MEMORY;
	}
	k->dev = opening_dev;
	k->size = opening_size;
	k->stats.num_fields = 2;
	io->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	io->manager = &kio_manager;
	io->block_size = 1024;
	io->refcount = 1;
	io->private_data = k;
	*channel = io;
	return 0;
}

static errcode_t kio_close(io_channel io)
{
	if (--io->refcount > 0)
		return 0;
	free(io->private_data);
	free(io->name);
	free(io);
	return 0;
}

static errcode_t kio_set_blksize(io_channel io, int blksize)
{
	if (blksize <= 0 || blksize > 65536)
		return EXT2_ET_INVALID_ARGUMENT;
	io->block_size = blksize;
	return 0;
}

/* Any byte range: the block layer wants whole sectors, so the edges of an
 * unaligned range go through a bounce buffer (read-modify-write). */
static errcode_t kio_bytes(struct kio *k, int write, uint64_t off, void *buf,
			   size_t len)
{
	uint64_t a, e;
	char *b;
	int r;

	if (off > k->size || len > k->size - off)
		return write ? EXT2_ET_SHORT_WRITE : EXT2_ET_SHORT_READ;
	if (!len)
		return 0;
	if (!(off & 511) && !(len & 511)) {
		r = ext4_dev_rw(k->dev, write, off, buf, len);
		if (r)
			return (errcode_t)-r;
	} else {
		a = off & ~511ULL;
		e = (off + len + 511) & ~511ULL;
		if (e > k->size)
			return write ? EXT2_ET_SHORT_WRITE : EXT2_ET_SHORT_READ;
		b = malloc(e - a);
		if (!b)
			return EXT2_ET_NO_MEMORY;
		r = ext4_dev_rw(k->dev, 0, a, b, e - a);
		if (!r && write) {
			memcpy(b + (off - a), buf, len);
			r = ext4_dev_rw(k->dev, 1, a, b, e - a);
		} else if (!r) {
			memcpy(buf, b + (off - a), len);
		}
		free(b);
		if (r)
			return (errcode_t)-r;
	}
	if (write)
		k->stats.bytes_written += len;
	else
		k->stats.bytes_read += len;
	return 0;
}

static errcode_t kio_blk64(io_channel io, unsigned long long block, int count,
			   const void *data, int write)
{
	uint64_t len = count < 0 ? (uint64_t)-(int64_t)count :
		(uint64_t)count * (uint64_t)io->block_size;

	if (block > UINT64_MAX / (uint64_t)io->block_size)
		return EXT2_ET_LLSEEK_FAILED;
	return kio_bytes(io->private_data, write,
			 block * (uint64_t)io->block_size, (void *)data, len);
}

static errcode_t kio_read_blk64(io_channel io, unsigned long long block,
				int count, void *data)
{
	return kio_blk64(io, block, count, data, 0);
}

static errcode_t kio_write_blk64(io_channel io, unsigned long long block,
				 int count, const void *data)
{
	return kio_blk64(io, block, count, data, 1);
}

static errcode_t kio_read_blk(io_channel io, unsigned long block, int count,
			      void *data)
{
	return kio_blk64(io, block, count, data, 0);
}

static errcode_t kio_write_blk(io_channel io, unsigned long block, int count,
			       const void *data)
{
	return kio_blk64(io, block, count, data, 1);
}

static errcode_t kio_write_byte(io_channel io, unsigned long offset, int count,
				const void *data)
{
	if (count < 0)
		return EXT2_ET_INVALID_ARGUMENT;
	return kio_bytes(io->private_data, 1, offset, (void *)data,
			 (size_t)count);
}

static errcode_t kio_flush(io_channel io)
{
	struct kio *k = io->private_data;
	int r = ext4_dev_flush(k->dev);

	return r ? (errcode_t)-r : 0;
}

static errcode_t kio_set_option(io_channel io, const char *opt,
				const char *arg)
{
	return EXT2_ET_INVALID_ARGUMENT;
}

static errcode_t kio_get_stats(io_channel io, io_stats *stats)
{
	struct kio *k = io->private_data;

	if (stats)
		*stats = &k->stats;
	return 0;
}

static struct struct_io_manager kio_manager = {
	.magic = EXT2_ET_MAGIC_IO_MANAGER,
	.name = "uml block device",
	.open = kio_open,
	.close = kio_close,
	.set_blksize = kio_set_blksize,
	.read_blk = kio_read_blk,
	.write_blk = kio_write_blk,
	.flush = kio_flush,
	.write_byte = kio_write_byte,
	.set_option = kio_set_option,
	.get_stats = kio_get_stats,
	.read_blk64 = kio_read_blk64,
	.write_blk64 = kio_write_blk64,
};

/* ------------------------------------------------------------------ */
/* discard: blocks freed by an operation are discarded when it ends, and at
 * once before any allocation, so a discard never hits reused blocks */

static struct e4h_fs *discard_owner(ext2_filsys fs)
{
	return fs->priv_data;
}

void e4h_flush_discards(struct e4h_fs *h)
{
	ext2_filsys fs = h->fs;

	if (!h->disc_count)
		return;
	ext4_dev_discard(h->dev, h->disc_start * fs->blocksize,
			 h->disc_count * fs->blocksize);
	h->disc_count = 0;
}

static void note_blocks(ext2_filsys fs, blk64_t blk, blk64_t num, int inuse)
{
	struct e4h_fs *h = discard_owner(fs);

	if (!h || !h->discard)
		return;
	if (inuse > 0 || (h->disc_count && blk != h->disc_start + h->disc_count))
		e4h_flush_discards(h);
	if (inuse > 0)
		return;
	if (!h->disc_count)
		h->disc_start = blk;
	h->disc_count += num;
}

static void stats_cb(ext2_filsys fs, blk64_t blk, int inuse)
{
	note_blocks(fs, blk, 1, inuse);
}

static void stats_range_cb(ext2_filsys fs, blk64_t blk, blk_t num, int inuse)
{
	note_blocks(fs, blk, num, inuse);
}

void e4h_set_discard(struct e4h_fs *h, bool on)
{
	e4h_flush_discards(h);
	h->discard = on;
}

/* ------------------------------------------------------------------ */
/* errors */

int e4h_err(errcode_t e)
{
	if (!e)
		return 0;
	if (e > 0 && e < 4096)		/* an errno from the block layer */
		return -(int)e;
	switch (e) {
	case EXT2_ET_NO_MEMORY:
		return -ENOMEM;
	case EXT2_ET_BLOCK_ALLOC_FAIL:
	case EXT2_ET_INODE_ALLOC_FAIL:
	case EXT2_ET_DIR_NO_SPACE:
	case EXT2_ET_EA_NO_SPACE:
	case EXT2_ET_INLINE_DATA_NO_SPACE:
	case EXT2_ET_TOOSMALL:
	case EXT2_ET_RES_GDT_BLOCKS:
		return -ENOSPC;
	case EXT2_ET_FILE_NOT_FOUND:
		return -ENOENT;
	case EXT2_ET_DIR_EXISTS:
	case EXT2_ET_FILE_EXISTS:
		return -EEXIST;
	case EXT2_ET_RO_FILSYS:
	case EXT2_ET_FILE_RO:
		return -EROFS;
	case EXT2_ET_FILE_TOO_BIG:
		return -EFBIG;
	case EXT2_ET_EA_KEY_NOT_FOUND:
		return -ENODATA;
	case EXT2_ET_EA_BAD_NAME_LEN:
		return -ERANGE;
	case EXT2_ET_NO_DIRECTORY:
		return -ENOTDIR;
	case EXT2_ET_TOO_MANY_REFS:
		return -EMLINK;
	case EXT2_ET_UNIMPLEMENTED:
	case EXT2_ET_OP_NOT_SUPPORTED:
	case EXT2_ET_EXTENT_NOT_SUPPORTED:
	case EXT2_ET_MISSING_EA_FEATURE:
		return -EOPNOTSUPP;
	case EXT2_ET_SHORT_READ:
	case EXT2_ET_SHORT_WRITE:
	case EXT2_ET_LLSEEK_FAILED:
		return -EIO;
	case EXT2_ET_SB_CSUM_INVALID:
	case EXT2_ET_INODE_CSUM_INVALID:
	case EXT2_ET_DIR_CSUM_INVALID:
	case EXT2_ET_EXTENT_CSUM_INVALID:
	case EXT2_ET_EXT_ATTR_CSUM_INVALID:
	case EXT2_ET_BLOCK_BITMAP_CSUM_INVALID:
	case EXT2_ET_INODE_BITMAP_CSUM_INVALID:
	case EXT2_ET_BAD_CRC:
		return -EBADMSG;	/* Linux's EFSBADCRC */
	default:
		return -EUCLEAN;	/* Linux's EFSCORRUPTED */
	}
}

/* ------------------------------------------------------------------ */
/* mounting */

static int refuse(char *msg, size_t len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int refuse(char *msg, size_t len, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return err;
}

/* What the ext2 and ext3 drivers of Linux accept (ext4 takes anything
 * libext2fs knows). */
#define EXT2_OK_INCOMPAT	(EXT2_FEATURE_INCOMPAT_FILETYPE | \
				 EXT2_FEATURE_INCOMPAT_META_BG)
#define EXT2_OK_RO_COMPAT	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
				 EXT2_FEATURE_RO_COMPAT_LARGE_FILE)
#define EXT3_OK_INCOMPAT	(EXT2_OK_INCOMPAT | \
				 EXT3_FEATURE_INCOMPAT_RECOVER)

/* Features whose on-disk upkeep we do not do: read-only mounts only. */
#define RO_ONLY_RO_COMPAT	(EXT4_FEATURE_RO_COMPAT_QUOTA | \
				 EXT4_FEATURE_RO_COMPAT_BIGALLOC | \
				 EXT4_FEATURE_RO_COMPAT_HAS_SNAPSHOT | \
				 EXT4_FEATURE_RO_COMPAT_REPLICA | \
				 EXT4_FEATURE_RO_COMPAT_READONLY | \
				 EXT4_FEATURE_RO_COMPAT_SHARED_BLOCKS | \
				 EXT4_FEATURE_RO_COMPAT_VERITY | \
				 EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT)
#define RO_ONLY_INCOMPAT	(EXT4_FEATURE_INCOMPAT_MMP | \
				 EXT4_FEATURE_INCOMPAT_ENCRYPT)

static int check_features(ext2_filsys fs, const char *type, bool rw,
			  char *msg, size_t len)
{
	struct ext2_super_block *s = fs->super;

	if (!strcmp(type, "ext2")) {
		if ((s->s_feature_incompat & ~EXT2_OK_INCOMPAT) ||
		    (rw && (s->s_feature_ro_compat & ~EXT2_OK_RO_COMPAT)))
			return refuse(msg, len, -EINVAL,
				      "couldn't mount as ext2 due to feature incompatibilities");
	} else if (!strcmp(type, "ext3")) {
		if (!(s->s_feature_compat & EXT3_FEATURE_COMPAT_HAS_JOURNAL))
			return refuse(msg, len, -EINVAL,
				      "couldn't mount as ext3 due to feature incompatibilities");
		if ((s->s_feature_incompat & ~EXT3_OK_INCOMPAT) ||
		    (rw && (s->s_feature_ro_compat & ~EXT2_OK_RO_COMPAT)))
			return refuse(msg, len, -EINVAL,
				      "couldn't mount as ext3 due to feature incompatibilities");
	}
	if (s->s_feature_incompat & EXT3_FEATURE_INCOMPAT_JOURNAL_DEV)
		return refuse(msg, len, -EINVAL,
			      "this is an external journal device, not a filesystem");
	if (s->s_log_block_size > 2)
		return refuse(msg, len, -EINVAL,
			      "unsupported filesystem blocksize %u",
			      1024U << (s->s_log_block_size & 15));
	if (s->s_journal_dev || (ext2fs_has_feature_journal(s) &&
				 !s->s_journal_inum))
		return refuse(msg, len, -EINVAL,
			      "external journals are not supported");
	if (!rw)
		return 0;
	if (s->s_feature_ro_compat & RO_ONLY_RO_COMPAT ||
	    s->s_feature_incompat & RO_ONLY_INCOMPAT)
		return refuse(msg, len, -EROFS,
			      "couldn't mount RDWR because of unsupported optional features (incompat %x, ro_compat %x)",
			      s->s_feature_incompat & RO_ONLY_INCOMPAT,
			      s->s_feature_ro_compat & RO_ONLY_RO_COMPAT);
	if (ext2fs_has_feature_journal_needs_recovery(s))
		return refuse(msg, len, -EROFS,
			      "the journal needs recovery, which is not supported: run e2fsck on the image first, or mount read-only");
	return 0;
}

/* Marks the filesystem in use (not clean) and counts the mount. */
static int start_rw(struct e4h_fs *h)
{
	struct ext2_super_block *s = h->fs->super;
	errcode_t e;

	e = ext2fs_read_bitmaps(h->fs);
	if (e)
		return e4h_err(e);
	h->was_clean = (s->s_state & EXT2_VALID_FS) != 0;
	/* Linux's warnings, same words */
	if (!h->was_clean)
		ext4_host_msg(h->dev, 1, "warning: mounting unchecked fs, running e2fsck is recommended");
	else if (s->s_state & EXT2_ERROR_FS)
		ext4_host_msg(h->dev, 1, "warning: mounting fs with errors, running e2fsck is recommended");
	else if ((__s16)s->s_max_mnt_count > 0 &&
		 s->s_mnt_count >= (__u16)s->s_max_mnt_count)
		ext4_host_msg(h->dev, 1, "warning: maximal mount count reached, running e2fsck is recommended");
	s->s_state &= (__u16)~EXT2_VALID_FS;
	s->s_mnt_count++;
	s->s_mtime = (__u32)time(NULL);
	ext2fs_mark_super_dirty(h->fs);
	e = ext2fs_flush2(h->fs, 0);
	if (e)
		return e4h_err(e);
	h->rw = true;
	return 0;
}

int e4h_open(void *dev, uint64_t dev_size, const char *fstype, int flags,
	     struct e4h_fs **out, char *msg, size_t msglen)
{
	bool rw = !(flags & E4H_RDONLY);
	bool dev_rw = !(flags & E4H_DEV_RO);
	struct e4h_fs *h;
	ext2_filsys fs;
	errcode_t e;
	int r;

	msg[0] = 0;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	opening_dev = dev;
	opening_size = dev_size;
	/* MMP is never started (SKIP_MMP): such filesystems stay read-only. */
	/*
	 * A read-only mount of a writable disk is opened writable all the
	 * same, so that it can be remounted rw (as init does with the root);
	 * nothing is written until then.
	 */
	e = ext2fs_open2("ubd", NULL, EXT2_FLAG_64BITS | EXT2_FLAG_SKIP_MMP |
			 (dev_rw ? EXT2_FLAG_RW : 0), 0, 0, &kio_manager, &fs);
	if (e == EXT2_ET_RO_UNSUPP_FEATURE && dev_rw && !rw)
		e = ext2fs_open2("ubd", NULL, EXT2_FLAG_64BITS |
				 EXT2_FLAG_SKIP_MMP, 0, 0, &kio_manager, &fs);
	opening_dev = NULL;
	if (e) {
		free(h);
		switch (e) {
		case EXT2_ET_BAD_MAGIC:
		case EXT2_ET_SHORT_READ:
			return refuse(msg, msglen, -EINVAL,
				      "VFS: Can't find ext4 filesystem");
		case EXT2_ET_UNSUPP_FEATURE:
			return refuse(msg, msglen, -EINVAL,
				      "couldn't mount: unsupported filesystem features");
		case EXT2_ET_RO_UNSUPP_FEATURE:
			return refuse(msg, msglen, -EROFS,
				      "couldn't mount RDWR because of unsupported optional features");
		default:
			return refuse(msg, msglen, -EINVAL,
				      "couldn't mount: %s", error_message(e));
		}
	}
	fs->flags |= EXT2_FLAG_MASTER_SB_ONLY;
	h->fs = fs;
	h->dev = dev;
	fs->priv_data = h;
	ext2fs_set_block_alloc_stats_callback(fs, stats_cb, NULL);
	ext2fs_set_block_alloc_stats_range_callback(fs, stats_range_cb, NULL);
	if (EXT2_INODE_SIZE(fs->super) < EXT2_GOOD_OLD_INODE_SIZE ||
	    fs->super->s_first_ino < EXT2_GOOD_OLD_FIRST_INO - 1 ||
	    fs->super->s_inodes_count < EXT2_ROOT_INO) {
		r = refuse(msg, msglen, -EINVAL, "corrupt superblock");
		goto fail;
	}
	r = check_features(fs, fstype, rw, msg, msglen);
	if (r)
		goto fail;
	{
		struct ext2_inode_large root;

		r = e4h_iget(h, EXT2_ROOT_INO, &root);
		if (!r && !LINUX_S_ISDIR(root.i_mode))
			r = -EUCLEAN;
		if (r) {
			r = refuse(msg, msglen, -EINVAL,
				   "get root inode failed (error %d)", -r);
			goto fail;
		}
	}
	if (rw) {
		r = start_rw(h);
		if (r) {
			snprintf(msg, msglen, "cannot write the superblock (error %d)",
				 -r);
			goto fail;
		}
	}
	*out = h;
	return 0;
fail:
	fs->flags &= ~EXT2_FLAG_DIRTY;
	ext2fs_close_free(&fs);
	free(h);
	return r;
}

int e4h_sync(struct e4h_fs *h)
{
	errcode_t e;

	if (!h->rw)
		return 0;
	e4h_flush_discards(h);
	e = ext2fs_flush2(h->fs, 0);
	return e4h_err(e);
}

/* Back to clean, as at unmount: fsck has nothing to do after this. */
static int stop_rw(struct e4h_fs *h)
{
	struct ext2_super_block *s = h->fs->super;
	errcode_t e;

	if (h->was_clean && !(s->s_state & EXT2_ERROR_FS))
		s->s_state |= EXT2_VALID_FS;
	s->s_wtime = (__u32)time(NULL);
	ext2fs_mark_super_dirty(h->fs);
	e = ext2fs_flush2(h->fs, 0);
	h->rw = false;
	return e4h_err(e);
}

int e4h_set_readonly(struct e4h_fs *h, bool ro, char *msg, size_t msglen)
{
	int r;

	msg[0] = 0;
	if (ro == !h->rw)
		return 0;
	if (ro)
		return stop_rw(h);
	if (!(h->fs->flags & EXT2_FLAG_RW))
		return refuse(msg, msglen, -EROFS,
			      "mounted read-only at first: remount rw needs a new mount");
	r = check_features(h->fs, "ext4", true, msg, msglen);
	if (r)
		return r;
	return start_rw(h);
}

int e4h_close(struct e4h_fs *h)
{
	int r = 0;
	errcode_t e;

	e4h_flush_discards(h);
	if (h->rw)
		r = stop_rw(h);
	else
		h->fs->flags &= ~EXT2_FLAG_DIRTY;
	e = ext2fs_close_free(&h->fs);
	if (!r)
		r = e4h_err(e);
	free(h);
	return r;
}

uint32_t e4h_block_size(struct e4h_fs *h)
{
	return h->fs->blocksize;
}

int e4h_statfs(struct e4h_fs *h, struct e4h_statfs *st)
{
	struct ext2_super_block *s = h->fs->super;
	uint64_t free = ext2fs_free_blocks_count(s);
	uint64_t resv = ext2fs_r_blocks_count(s);
	uint64_t overhead = s->s_first_data_block;

	st->block_size = h->fs->blocksize;
	/* Linux's default "bsddf": metadata overhead is not counted. */
	for (dgrp_t g = 0; g < h->fs->group_desc_count; g++)
		overhead += ext2fs_bg_has_super(h->fs, g) ?
			1 + h->fs->desc_blocks + s->s_reserved_gdt_blocks : 0;
	overhead += (uint64_t)h->fs->group_desc_count *
		(2 + h->fs->inode_blocks_per_group);
	st->blocks = ext2fs_blocks_count(s);
	st->blocks = st->blocks > overhead ? st->blocks - overhead : 0;
	st->free_blocks = free;
	st->avail_blocks = free > resv ? free - resv : 0;
	st->inodes = s->s_inodes_count;
	st->free_inodes = s->s_free_inodes_count;
	memcpy(&st->fsid[0], s->s_uuid, 4);
	memcpy(&st->fsid[1], s->s_uuid + 4, 4);
	st->max_name = EXT2_NAME_LEN;
	if (ext2fs_has_feature_extents(s)) {
		st->max_bytes = ((1ULL << 32) - 1) * st->block_size;
	} else {
		/* 12 direct blocks and three levels of indirection */
		uint64_t a = st->block_size / 4;

		st->max_bytes = (12 + a + a * a + a * a * a) * st->block_size;
		if (!ext2fs_has_feature_huge_file(s) &&
		    st->max_bytes > (1ULL << 41) - 1)
			st->max_bytes = (1ULL << 41) - 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* inodes */

int e4h_iget(struct e4h_fs *h, uint32_t ino, struct ext2_inode_large *in)
{
	errcode_t e;

	if (ino < EXT2_ROOT_INO || ino > h->fs->super->s_inodes_count)
		return -EUCLEAN;
	memset(in, 0, sizeof(*in));
	e = ext2fs_read_inode_full(h->fs, ino, (struct ext2_inode *)in,
				   sizeof(*in));
	if (e)
		return e4h_err(e);
	if (EXT2_INODE_SIZE(h->fs->super) <= EXT2_GOOD_OLD_INODE_SIZE)
		in->i_extra_isize = 0;
	else if (in->i_extra_isize > EXT2_INODE_SIZE(h->fs->super) -
		 EXT2_GOOD_OLD_INODE_SIZE || (in->i_extra_isize & 3))
		return -EUCLEAN;
	return 0;
}

int e4h_iput(struct e4h_fs *h, uint32_t ino, struct ext2_inode_large *in)
{
	size_t n = EXT2_INODE_SIZE(h->fs->super) < sizeof(*in) ?
		EXT2_INODE_SIZE(h->fs->super) : sizeof(*in);

	if (!h->rw)
		return -EROFS;
	return e4h_err(ext2fs_write_inode_full(h->fs, ino,
					       (struct ext2_inode *)in, (int)n));
}

#define FITS(in, field) \
	(offsetof(struct ext2_inode_large, field) + sizeof((in)->field) <= \
	 EXT2_GOOD_OLD_INODE_SIZE + (size_t)(in)->i_extra_isize)

static void get_time(int64_t *sec, uint32_t *ns, __u32 lo, __u32 *extra,
		     bool has_extra)
{
	*sec = (int32_t)lo;
	*ns = 0;
	if (has_extra) {
		*sec += (int64_t)(*extra & 3) << 32;
		*ns = *extra >> 2;
		if (*ns >= 1000000000U)
			*ns = 0;
	}
}

static void put_time(int64_t sec, uint32_t ns, __u32 *lo, __u32 *extra,
		     bool has_extra)
{
	*lo = (__u32)sec;
	if (has_extra)
		*extra = (((uint64_t)(sec - (int32_t)sec) >> 32) & 3) |
			 (ns << 2);
}

void e4h_get_attr(ext2_filsys fs, struct ext2_inode_large *in,
		  struct e4h_attr *a)
{
	struct ext2_inode *i = (struct ext2_inode *)in;
	__u32 zero = 0;

	memset(a, 0, sizeof(*a));
	a->mode = in->i_mode;
	a->uid = inode_uid(*i);
	a->gid = inode_gid(*i);
	a->nlink = in->i_links_count;
	a->size = EXT2_I_SIZE(i);
	a->blocks = ext2fs_get_stat_i_blocks(fs, i);
	get_time(&a->atime, &a->atime_ns, in->i_atime,
		 FITS(in, i_atime_extra) ? &in->i_atime_extra : &zero,
		 FITS(in, i_atime_extra));
	get_time(&a->mtime, &a->mtime_ns, in->i_mtime,
		 FITS(in, i_mtime_extra) ? &in->i_mtime_extra : &zero,
		 FITS(in, i_mtime_extra));
	get_time(&a->ctime, &a->ctime_ns, in->i_ctime,
		 FITS(in, i_ctime_extra) ? &in->i_ctime_extra : &zero,
		 FITS(in, i_ctime_extra));
	if (FITS(in, i_crtime_extra))
		get_time(&a->btime, &a->btime_ns, in->i_crtime,
			 &in->i_crtime_extra, true);
	if (LINUX_S_ISCHR(in->i_mode) || LINUX_S_ISBLK(in->i_mode)) {
		/* old (16-bit) encoding in block[0], new in block[1] */
		if (in->i_block[0]) {
			a->rdev_major = (in->i_block[0] >> 8) & 0xff;
			a->rdev_minor = in->i_block[0] & 0xff;
		} else {
			__u32 n = in->i_block[1];

			a->rdev_major = (n & 0xfff00) >> 8;
			a->rdev_minor = (n & 0xff) | ((n >> 12) & 0xfff00);
		}
	}
}

void e4h_set_times(struct ext2_inode_large *in, const struct e4h_attr *a)
{
	put_time(a->atime, a->atime_ns, &in->i_atime, &in->i_atime_extra,
		 FITS(in, i_atime_extra));
	put_time(a->mtime, a->mtime_ns, &in->i_mtime, &in->i_mtime_extra,
		 FITS(in, i_mtime_extra));
	put_time(a->ctime, a->ctime_ns, &in->i_ctime, &in->i_ctime_extra,
		 FITS(in, i_ctime_extra));
}

void e4h_set_owner(struct ext2_inode_large *in, uint32_t uid, uint32_t gid)
{
	in->i_uid = (__u16)uid;
	in->osd2.linux2.l_i_uid_high = (__u16)(uid >> 16);
	in->i_gid = (__u16)gid;
	in->osd2.linux2.l_i_gid_high = (__u16)(gid >> 16);
}

int e4h_read_attr(struct e4h_fs *h, uint32_t ino, struct e4h_attr *a)
{
	struct ext2_inode_large in;
	int r = e4h_iget(h, ino, &in);

	if (r)
		return r;
	if (!in.i_links_count || in.i_dtime)
		return -EUCLEAN;	/* a name pointing at a free inode */
	e4h_get_attr(h->fs, &in, a);
	return 0;
}

int e4h_write_attr(struct e4h_fs *h, uint32_t ino, const struct e4h_attr *a,
		   unsigned int which)
{
	struct ext2_inode_large in;
	int r = e4h_iget(h, ino, &in);

	if (r)
		return r;
	if (which & E4H_ATTR_MODE)
		in.i_mode = (__u16)((in.i_mode & LINUX_S_IFMT) |
				    (a->mode & 07777));
	if (which & E4H_ATTR_OWNER) {
		e4h_set_owner(&in, a->uid, a->gid);
	}
	if (which & E4H_ATTR_TIMES)
		e4h_set_times(&in, a);
	return e4h_iput(h, ino, &in);
}
