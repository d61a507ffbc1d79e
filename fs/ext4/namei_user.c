// SPDX-License-Identifier: GPL-2.0
/*
 * ext4's host half, part two: directories through libext2fs. Names,
 * links, renames, readdir with stable positions, symlink targets, and the
 * freeing of unlinked inodes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ext2fs_user.h"
#include <ext2fs/ext3_extents.h>

/* Linux's dir_nlink: a directory with this many links counts as 1. */
#define DIR_LINK_MAX	65000

/* A NUL-terminated copy of a name, which the VFS gave with a length. */
static int cname(char *buf, const char *name, int len)
{
	if (len <= 0 || len > EXT2_NAME_LEN)
		return len <= 0 ? -ENOENT : -ENAMETOOLONG;
	memcpy(buf, name, (size_t)len);
	buf[len] = 0;
	return 0;
}

static int ftype(uint32_t mode)
{
	switch (mode & LINUX_S_IFMT) {
	case LINUX_S_IFREG: return EXT2_FT_REG_FILE;
	case LINUX_S_IFDIR: return EXT2_FT_DIR;
	case LINUX_S_IFCHR: return EXT2_FT_CHRDEV;
	case LINUX_S_IFBLK: return EXT2_FT_BLKDEV;
	case LINUX_S_IFIFO: return EXT2_FT_FIFO;
	case LINUX_S_IFSOCK: return EXT2_FT_SOCK;
	case LINUX_S_IFLNK: return EXT2_FT_SYMLINK;
	}
	return EXT2_FT_UNKNOWN;
}

static unsigned int dtype(int ft)
{
	static const unsigned char map[EXT2_FT_MAX] = {
		[EXT2_FT_REG_FILE] = 8, [EXT2_FT_DIR] = 4,
		[EXT2_FT_CHRDEV] = 2, [EXT2_FT_BLKDEV] = 6,
		[EXT2_FT_FIFO] = 1, [EXT2_FT_SOCK] = 12,
		[EXT2_FT_SYMLINK] = 10,
	};

	return ft >= 0 && ft < EXT2_FT_MAX ? map[ft] : 0;
}

static bool valid_ino(struct e4h_fs *h, ext2_ino_t ino)
{
	return ino >= EXT2_ROOT_INO && ino <= h->fs->super->s_inodes_count;
}

int e4h_lookup(struct e4h_fs *h, uint32_t dir, const char *name, int len,
	       uint32_t *ino)
{
	ext2_ino_t i = 0;
	errcode_t e;

	if (len <= 0 || len > EXT2_NAME_LEN)
		return len > EXT2_NAME_LEN ? -ENAMETOOLONG : -ENOENT;
	e = ext2fs_lookup(h->fs, dir, name, len, NULL, &i);
	if (e)
		return e4h_err(e);
	if (!valid_ino(h, i))
		return -EUCLEAN;
	*ino = i;
	return 0;
}

/* A new entry, growing the directory by a block when it is full. */
static errcode_t add_entry(struct e4h_fs *h, ext2_ino_t dir, const char *name,
			   ext2_ino_t ino, int ft)
{
	errcode_t e = ext2fs_link(h->fs, dir, name, ino, ft);

	if (e == EXT2_ET_DIR_NO_SPACE) {
		e = ext2fs_expand_dir(h->fs, dir);
		if (!e)
			e = ext2fs_link(h->fs, dir, name, ino, ft);
	}
	return e;
}

/* Fills in the details of a freshly made inode (owner, mode, times). */
static int finish_new(struct e4h_fs *h, ext2_ino_t ino,
		      const struct e4h_attr *a, bool mode_too)
{
	struct ext2_inode_large in;
	int r = e4h_iget(h, ino, &in);

	if (r)
		return r;
	if (mode_too)
		in.i_mode = (__u16)((in.i_mode & LINUX_S_IFMT) |
				    (a->mode & 07777));
	e4h_set_owner(&in, a->uid, a->gid);
	e4h_set_times(&in, a);
	if (in.i_extra_isize >= 28) {	/* i_crtime and its extra */
		in.i_crtime = in.i_ctime;
		in.i_crtime_extra = in.i_ctime_extra;
	}
	return e4h_iput(h, ino, &in);
}

int e4h_mknod(struct e4h_fs *h, uint32_t dir, const char *name, int len,
	      const struct e4h_attr *a, uint32_t *out)
{
	struct ext2_inode_large in;
	char n[EXT2_NAME_LEN + 1];
	ext2_ino_t ino;
	errcode_t e;
	int r = cname(n, name, len);

	if (r)
		return r;
	if (!h->rw)
		return -EROFS;
	e = ext2fs_new_inode(h->fs, dir, (int)a->mode, NULL, &ino);
	if (e)
		return e4h_err(e);
	memset(&in, 0, sizeof(in));
	in.i_mode = (__u16)a->mode;
	in.i_links_count = 1;
	if (LINUX_S_ISREG(a->mode) && ext2fs_has_feature_extents(h->fs->super)) {
		struct ext3_extent_header *eh = (void *)in.i_block;

		in.i_flags |= EXT4_EXTENTS_FL;
		eh->eh_magic = ext2fs_cpu_to_le16(EXT3_EXT_MAGIC);
		eh->eh_depth = 0;
		eh->eh_entries = 0;
		eh->eh_max = ext2fs_cpu_to_le16((sizeof(in.i_block) -
						 sizeof(*eh)) /
						sizeof(struct ext3_extent));
	} else if (LINUX_S_ISCHR(a->mode) || LINUX_S_ISBLK(a->mode)) {
		if (a->rdev_major < 256 && a->rdev_minor < 256) {
			in.i_block[0] = a->rdev_major << 8 | a->rdev_minor;
		} else {
			in.i_block[1] = (a->rdev_minor & 0xff) |
				(a->rdev_major << 8) |
				((a->rdev_minor & ~0xffU) << 12);
		}
	}
	e = ext2fs_write_new_inode(h->fs, ino, (struct ext2_inode *)&in);
	if (!e)
		e = add_entry(h, dir, n, ino, ftype(a->mode));
	if (e)
		return e4h_err(e);
	ext2fs_inode_alloc_stats2(h->fs, ino, +1, 0);
	*out = ino;
	return finish_new(h, ino, a, false);
}

int e4h_mkdir(struct e4h_fs *h, uint32_t dir, const char *name, int len,
	      const struct e4h_attr *a, uint32_t *out)
{
	char n[EXT2_NAME_LEN + 1];
	ext2_ino_t ino;
	errcode_t e;
	int r = cname(n, name, len);

	if (r)
		return r;
	if (!h->rw)
		return -EROFS;
	e = ext2fs_new_inode(h->fs, dir, LINUX_S_IFDIR | 0755, NULL, &ino);
	if (e)
		return e4h_err(e);
	e = ext2fs_mkdir(h->fs, dir, ino, n);
	if (e == EXT2_ET_DIR_NO_SPACE) {
		e = ext2fs_expand_dir(h->fs, dir);
		if (!e)
			e = ext2fs_mkdir(h->fs, dir, ino, n);
	}
	if (e)
		return e4h_err(e);
	*out = ino;
	return finish_new(h, ino, a, true);
}

int e4h_symlink(struct e4h_fs *h, uint32_t dir, const char *name, int len,
		const char *target, const struct e4h_attr *a, uint32_t *out)
{
	char n[EXT2_NAME_LEN + 1];
	ext2_ino_t ino;
	errcode_t e;
	int r = cname(n, name, len);

	if (r)
		return r;
	if (!h->rw)
		return -EROFS;
	if (strlen(target) >= h->fs->blocksize)
		return -ENAMETOOLONG;
	e = ext2fs_new_inode(h->fs, dir, LINUX_S_IFLNK | 0777, NULL, &ino);
	if (e)
		return e4h_err(e);
	e = ext2fs_symlink(h->fs, dir, ino, n, target);
	if (e == EXT2_ET_DIR_NO_SPACE) {
		e = ext2fs_expand_dir(h->fs, dir);
		if (!e)
			e = ext2fs_symlink(h->fs, dir, ino, n, target);
	}
	if (e)
		return e4h_err(e);
	*out = ino;
	return finish_new(h, ino, a, false);
}

int e4h_link(struct e4h_fs *h, uint32_t dir, const char *name, int len,
	     uint32_t ino)
{
	struct ext2_inode_large in;
	char n[EXT2_NAME_LEN + 1];
	errcode_t e;
	int r = cname(n, name, len);

	if (r)
		return r;
	if (!h->rw)
		return -EROFS;
	r = e4h_iget(h, ino, &in);
	if (r)
		return r;
	if (in.i_links_count >= EXT2_LINK_MAX)
		return -EMLINK;
	e = add_entry(h, dir, n, ino, ftype(in.i_mode));
	if (e)
		return e4h_err(e);
	in.i_links_count++;
	return e4h_iput(h, ino, &in);
}

/* One link fewer (a directory: all of its own, and one of its parent). */
static int drop_link(struct e4h_fs *h, ext2_ino_t parent, ext2_ino_t ino,
		     bool isdir)
{
	struct ext2_inode_large in;
	int r = e4h_iget(h, ino, &in);

	if (r)
		return r;
	if (isdir) {
		in.i_links_count = 0;
	} else if (in.i_links_count) {
		in.i_links_count--;
	}
	r = e4h_iput(h, ino, &in);
	if (r || !isdir)
		return r;
	r = e4h_iget(h, parent, &in);
	if (r)
		return r;
	if (in.i_links_count > 2)
		in.i_links_count--;
	return e4h_iput(h, parent, &in);
}

static int add_dir_link(struct e4h_fs *h, ext2_ino_t dir, int delta)
{
	struct ext2_inode_large in;
	int r = e4h_iget(h, dir, &in);

	if (r)
		return r;
	if (delta > 0 && in.i_links_count != 1) {
		if (in.i_links_count + 1 >= DIR_LINK_MAX &&
		    ext2fs_has_feature_dir_nlink(h->fs->super))
			in.i_links_count = 1;
		else if (in.i_links_count + 1 >= DIR_LINK_MAX)
			return -EMLINK;
		else
			in.i_links_count++;
	} else if (delta < 0 && in.i_links_count > 2) {
		in.i_links_count--;
	}
	return e4h_iput(h, dir, &in);
}

int e4h_unlink(struct e4h_fs *h, uint32_t dir, const char *name, int len,
	       uint32_t ino, bool isdir)
{
	char n[EXT2_NAME_LEN + 1];
	errcode_t e;
	int r = cname(n, name, len);

	if (r)
		return r;
	if (!h->rw)
		return -EROFS;
	e = ext2fs_unlink(h->fs, dir, n, ino, 0);
	if (e)
		return e4h_err(e);
	return drop_link(h, dir, ino, isdir);
}

struct empty_ctx {
	int others;
};

static int empty_cb(ext2_ino_t dir, int entry, struct ext2_dir_entry *d,
		    int offset, int blocksize, char *buf, void *priv)
{
	struct empty_ctx *c = priv;

	int n = ext2fs_dirent_name_len(d);

	/* by name too: inline directories make up their "." and ".." */
	if (entry == DIRENT_DOT_FILE || entry == DIRENT_DOT_DOT_FILE ||
	    !d->inode || (n == 1 && d->name[0] == '.') ||
	    (n == 2 && d->name[0] == '.' && d->name[1] == '.'))
		return 0;
	c->others++;
	return DIRENT_ABORT;
}

int e4h_dir_empty(struct e4h_fs *h, uint32_t dir)
{
	struct empty_ctx c = { 0 };
	errcode_t e = ext2fs_dir_iterate2(h->fs, dir, 0, NULL, empty_cb, &c);

	if (e)
		return e4h_err(e);
	return c.others ? -ENOTEMPTY : 0;
}

/* Points the entry name of dir at ino instead (in place: the name, and
 * so its hash in an indexed directory, stays). */
struct retarget_ctx {
	const char *name;
	int len;
	ext2_ino_t ino;
	int ft;
	bool has_ft;
	bool done;
};

static int retarget_cb(ext2_ino_t dir, int entry, struct ext2_dir_entry *d,
		       int offset, int blocksize, char *buf, void *priv)
{
	struct retarget_ctx *c = priv;

	if (!d->inode || ext2fs_dirent_name_len(d) != c->len ||
	    memcmp(d->name, c->name, (size_t)c->len))
		return 0;
	d->inode = c->ino;
	if (c->has_ft)
		ext2fs_dirent_set_file_type(d, c->ft);
	c->done = true;
	return DIRENT_CHANGED | DIRENT_ABORT;
}

static int retarget(struct e4h_fs *h, ext2_ino_t dir, const char *name,
		    ext2_ino_t ino, uint32_t mode)
{
	struct retarget_ctx c = {
		.name = name, .len = (int)strlen(name), .ino = ino,
		.ft = ftype(mode),
		.has_ft = ext2fs_has_feature_filetype(h->fs->super),
	};
	errcode_t e = ext2fs_dir_iterate2(h->fs, dir, 0, NULL, retarget_cb, &c);

	if (e)
		return e4h_err(e);
	return c.done ? 0 : -EUCLEAN;
}

static int mode_of(struct e4h_fs *h, ext2_ino_t ino, uint32_t *mode)
{
	struct ext2_inode_large in;
	int r = e4h_iget(h, ino, &in);

	if (!r)
		*mode = in.i_mode;
	return r;
}

int e4h_rename(struct e4h_fs *h, uint32_t odir, const char *oname, int olen,
	       uint32_t oino, uint32_t ndir, const char *nname, int nlen,
	       uint32_t nino, unsigned int flags)
{
	char on[EXT2_NAME_LEN + 1], nn[EXT2_NAME_LEN + 1];
	uint32_t omode, nmode = 0;
	bool odirp, ndirp = false;
	int r;

	r = cname(on, oname, olen);
	if (!r)
		r = cname(nn, nname, nlen);
	if (r)
		return r;
	if (!h->rw)
		return -EROFS;
	r = mode_of(h, oino, &omode);
	if (!r && nino)
		r = mode_of(h, nino, &nmode);
	if (r)
		return r;
	odirp = LINUX_S_ISDIR(omode);
	ndirp = nino && LINUX_S_ISDIR(nmode);

	if (flags & E4H_RENAME_EXCHANGE) {
		r = retarget(h, odir, on, nino, nmode);
		if (!r)
			r = retarget(h, ndir, nn, oino, omode);
		if (r || odir == ndir)
			return r;
		if (odirp)
			r = retarget(h, oino, "..", ndir, LINUX_S_IFDIR);
		if (!r && ndirp)
			r = retarget(h, nino, "..", odir, LINUX_S_IFDIR);
		if (!r && odirp != ndirp) {
			r = add_dir_link(h, odirp ? ndir : odir, +1);
			if (!r)
				r = add_dir_link(h, odirp ? odir : ndir, -1);
		}
		return r;
	}
	if (nino) {
		r = retarget(h, ndir, nn, oino, omode);
		if (!r)
			r = e4h_err(ext2fs_unlink(h->fs, odir, on, oino, 0));
		if (!r)
			r = drop_link(h, ndir, nino, ndirp);
	} else {
		r = e4h_err(add_entry(h, ndir, nn, oino, ftype(omode)));
		if (!r)
			r = e4h_err(ext2fs_unlink(h->fs, odir, on, oino, 0));
	}
	if (r || !odirp || odir == ndir)
		return r;
	r = retarget(h, oino, "..", ndir, LINUX_S_IFDIR);
	if (!r)
		r = add_dir_link(h, ndir, +1);
	if (!r)
		r = add_dir_link(h, odir, -1);
	return r;
}

int e4h_free_inode(struct e4h_fs *h, uint32_t ino)
{
	struct ext2_inode_large in;
	bool isdir;
	errcode_t e;
	int r;

	if (!h->rw)
		return -EROFS;
	r = e4h_iget(h, ino, &in);
	if (r)
		return r;
	if (in.i_links_count)
		return 0;
	isdir = LINUX_S_ISDIR(in.i_mode);
	e = ext2fs_free_ext_attr(h->fs, ino, &in);
	if (e)
		return e4h_err(e);
	r = e4h_iput(h, ino, &in);
	if (r)
		return r;
	if (ext2fs_inode_has_valid_blocks2(h->fs, (struct ext2_inode *)&in)) {
		e = ext2fs_punch(h->fs, ino, NULL, NULL, 0, ~0ULL);
		if (e)
			return e4h_err(e);
	}
	r = e4h_iget(h, ino, &in);
	if (r)
		return r;
	in.i_dtime = h->fs->now ? (__u32)h->fs->now : (__u32)time(NULL);
	in.i_size = 0;
	in.i_size_high = 0;
	r = e4h_iput(h, ino, &in);
	if (r)
		return r;
	ext2fs_inode_alloc_stats2(h->fs, ino, -1, isdir);
	e4h_flush_discards(h);
	return 0;
}

/* ------------------------------------------------------------------ */
/* readdir */

/* Inline directories: positions count entries (there are few). */
struct inline_ctx {
	uint64_t pos, n;
	e4h_emit_t emit;
	void *ctx;
	int stop;
	struct e4h_fs *h;
};

static int inline_cb(ext2_ino_t dir, int entry, struct ext2_dir_entry *d,
		     int offset, int blocksize, char *buf, void *priv)
{
	struct inline_ctx *c = priv;
	uint64_t n = c->n++;

	if (!d->inode || n < c->pos || !valid_ino(c->h, d->inode))
		return 0;
	if (c->emit(c->ctx, d->name, ext2fs_dirent_name_len(d), d->inode,
		    dtype(ext2fs_dirent_file_type(d)), n + 1)) {
		c->stop = 1;
		return DIRENT_ABORT;
	}
	return 0;
}

/*
 * Block directories: a position is the entry's byte offset in the
 * directory. Entries never move within a linear directory (a removed one
 * is merged into its predecessor), so positions survive changes.
 */
int e4h_readdir(struct e4h_fs *h, uint32_t dir, uint64_t pos,
		e4h_emit_t emit, void *ctx)
{
	ext2_filsys fs = h->fs;
	struct ext2_inode_large in;
	uint64_t bs = fs->blocksize, size, lblk;
	char *buf;
	int r;

	r = e4h_iget(h, dir, &in);
	if (r)
		return r;
	if (!LINUX_S_ISDIR(in.i_mode))
		return -ENOTDIR;
	if (in.i_flags & EXT4_INLINE_DATA_FL) {
		struct inline_ctx c = { .pos = pos, .emit = emit, .ctx = ctx,
					.h = h };
		errcode_t e = ext2fs_dir_iterate2(fs, dir, 0, NULL, inline_cb,
						  &c);

		return c.stop ? 0 : e4h_err(e);
	}
	size = EXT2_I_SIZE((struct ext2_inode *)&in);
	buf = malloc(bs);
	if (!buf)
		return -ENOMEM;
	for (lblk = pos / bs; lblk < size / bs; lblk++) {
		blk64_t pblk = 0;
		unsigned int off = 0, start = lblk == pos / bs ?
			(unsigned int)(pos % bs) : 0;
		errcode_t e;

		e = ext2fs_bmap2(fs, dir, (struct ext2_inode *)&in, NULL, 0,
				 lblk, NULL, &pblk);
		if (e) {
			r = e4h_err(e);
			break;
		}
		if (!pblk)
			continue;
		e = ext2fs_read_dir_block4(fs, pblk, buf, 0, dir);
		if (e) {
			r = e4h_err(e);
			break;
		}
		while (off + 8 <= bs) {
			struct ext2_dir_entry *d = (void *)(buf + off);
			unsigned int rec = 0, nl;

			if (ext2fs_get_rec_len(fs, d, &rec) || rec < 8 ||
			    (rec & 3) || off + rec > bs) {
				r = -EUCLEAN;
				goto out;
			}
			nl = (unsigned int)ext2fs_dirent_name_len(d);
			if (nl + 8 > rec) {
				r = -EUCLEAN;
				goto out;
			}
			if (d->inode && off >= start && nl &&
			    valid_ino(h, d->inode) &&
			    emit(ctx, d->name, (int)nl, d->inode,
				 dtype(ext2fs_dirent_file_type(d)),
				 lblk * bs + off + rec))
				goto out;
			off += rec;
		}
	}
out:
	free(buf);
	return r;
}

int e4h_readlink(struct e4h_fs *h, uint32_t ino, char *buf, size_t size)
{
	struct ext2_inode_large in;
	uint64_t len;
	errcode_t e;
	int r = e4h_iget(h, ino, &in);

	if (r)
		return r;
	if (!LINUX_S_ISLNK(in.i_mode))
		return -EINVAL;
	len = EXT2_I_SIZE((struct ext2_inode *)&in);
	if (!len || len >= size || len >= h->fs->blocksize)
		return -EUCLEAN;
	if (ext2fs_is_fast_symlink((struct ext2_inode *)&in)) {
		if (len >= sizeof(in.i_block))
			return -EUCLEAN;
		memcpy(buf, in.i_block, len);
	} else if (in.i_flags & EXT4_INLINE_DATA_FL) {
		size_t got = 0;
		char *tmp;

		e = ext2fs_inline_data_size(h->fs, ino, &got);
		if (e)
			return e4h_err(e);
		if (got < len)
			return -EUCLEAN;
		tmp = malloc(got + 1);
		if (!tmp)
			return -ENOMEM;
		e = ext2fs_inline_data_get(h->fs, ino, (struct ext2_inode *)&in,
					   tmp, &got);
		if (!e)
			memcpy(buf, tmp, len);
		free(tmp);
		if (e)
			return e4h_err(e);
	} else {
		ext2_file_t f;
		unsigned int got = 0;

		e = ext2fs_file_open2(h->fs, ino, (struct ext2_inode *)&in, 0,
				      &f);
		if (e)
			return e4h_err(e);
		e = ext2fs_file_read(f, buf, (unsigned int)len, &got);
		ext2fs_file_close(f);
		if (e)
			return e4h_err(e);
		if (got != len)
			return -EUCLEAN;
	}
	buf[len] = 0;
	return (int)len;
}
