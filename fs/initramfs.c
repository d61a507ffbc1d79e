// SPDX-License-Identifier: GPL-2.0
/*
 * The initramfs: a cpio archive in the "newc" format ("070701", or
 * "070702" with checksums) unpacked into the root tmpfs at boot.
 *
 * The archive comes from the user, so it is parsed twice with the same
 * code: cpio_check() validates every header field, name and size before
 * anything is created, so a bad archive is reported before boot; unpacking
 * trusts nothing either and stops at the first inconsistency.
 */
#include "kern/vfs.h"

#define HDR_LEN		110
#define TRAILER		"TRAILER!!!"
#define OFFSET_MAX	0x7fffffffffffffffLL

struct cpio_hdr {
	u32 ino, mode, uid, gid, nlink, mtime, filesize;
	u32 devmajor, devminor, rdevmajor, rdevminor, namesize, check;
	bool crc;
};

struct cpio_entry {
	struct cpio_hdr h;
	const char *name;
	const u8 *data;
};

static int hexval(const u8 *s, u32 *out)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		int c = s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | (u32)d;
	}
	*out = v;
	return 0;
}

static bool valid_type(u32 mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR:
	case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		return true;
	}
	return false;
}

/*
 * Parses the entry at *off. Returns 1 for an entry, 0 at the end of the
 * archive (trailer followed only by zero padding, or a clean end), or
 * -EINVAL.
 */
static int next_entry(const u8 *buf, size_t len, size_t *off,
		      struct cpio_entry *e)
{
	size_t o = *off, name_end, data_end;
	u32 *fields[13];
	u8 magic[6];

	/* zero padding between (and after) archives */
	while (o < len && buf[o] == 0) {
		size_t n = min(len - o, (size_t)4);

		if ((o & 3) || memcmp(buf + o, "\0\0\0\0", n))
			return -EINVAL;
		o += n;
	}
	if (o >= len) {
		*off = o;
		return 0;
	}
	if (len - o < HDR_LEN)
		return -EINVAL;
	memcpy(magic, buf + o, 6);
	if (!memcmp(magic, "070701", 6))
		e->h.crc = false;
	else if (!memcmp(magic, "070702", 6))
		e->h.crc = true;
	else
		return -EINVAL;
	fields[0] = &e->h.ino;
	fields[1] = &e->h.mode;
	fields[2] = &e->h.uid;
	fields[3] = &e->h.gid;
	fields[4] = &e->h.nlink;
	fields[5] = &e->h.mtime;
	fields[6] = &e->h.filesize;
	fields[7] = &e->h.devmajor;
	fields[8] = &e->h.devminor;
	fields[9] = &e->h.rdevmajor;
	fields[10] = &e->h.rdevminor;
	fields[11] = &e->h.namesize;
	fields[12] = &e->h.check;
	for (int i = 0; i < 13; i++)
		if (hexval(buf + o + 6 + 8 * i, fields[i]))
			return -EINVAL;
	if (e->h.namesize < 2 || e->h.namesize > PATH_MAX)
		return -EINVAL;
	name_end = o + HDR_LEN + e->h.namesize;
	if (name_end > len)
		return -EINVAL;
	e->name = (const char *)buf + o + HDR_LEN;
	/* exactly one NUL, at the end */
	if (e->name[e->h.namesize - 1] ||
	    memchr(e->name, 0, e->h.namesize - 1))
		return -EINVAL;
	o = ALIGN(name_end, (size_t)4);
	if (o > len)
		return -EINVAL;
	if (!strcmp(e->name, TRAILER)) {
		if (e->h.filesize)
			return -EINVAL;
		*off = o;
		e->data = NULL;
		return 2;
	}
	if (!valid_type(e->h.mode) || (e->h.mode & ~(u32)(S_IFMT | 07777)))
		return -EINVAL;
	if (e->h.filesize > len - o)
		return -EINVAL;
	if (S_ISLNK(e->h.mode) &&
	    (!e->h.filesize || e->h.filesize >= PATH_MAX))
		return -EINVAL;
	if (!S_ISREG(e->h.mode) && !S_ISLNK(e->h.mode) && e->h.filesize)
		return -EINVAL;
	if ((S_ISCHR(e->h.mode) || S_ISBLK(e->h.mode)) &&
	    (e->h.rdevmajor > 0xfff || e->h.rdevminor > 0xfffff))
		return -EINVAL;
	e->data = buf + o;
	data_end = o + e->h.filesize;
	if (e->h.crc) {
		u32 sum = 0;

		for (size_t i = o; i < data_end; i++)
			sum += buf[i];
		if (S_ISREG(e->h.mode) && sum != e->h.check)
			return -EINVAL;
	}
	o = ALIGN(data_end, (size_t)4);
	*off = o > len ? len : o;
	return 1;
}

static int walk_archive(const void *cpio, size_t len,
			int (*fn)(struct cpio_entry *e, void *ctx), void *ctx)
{
	const u8 *buf = cpio;
	size_t off = 0;
	struct cpio_entry e;
	int r;

	if (!cpio || !len)
		return -EINVAL;
	for (;;) {
		r = next_entry(buf, len, &off, &e);
		if (r < 0)
			return r;
		if (r == 0)
			return 0;
		if (r == 2)
			continue;	/* another archive may follow */
		if (fn) {
			r = fn(&e, ctx);
			if (r)
				return r;
		}
	}
}

int cpio_check(const void *cpio, size_t len)
{
	const u8 *b = cpio;

	/* the first thing must be a header, not padding */
	if (!cpio || len < 6 || (memcmp(b, "070701", 6) &&
				 memcmp(b, "070702", 6)))
		return -EINVAL;
	return walk_archive(cpio, len, NULL, NULL);
}

/* Hard links: (ino, dev) of entries with nlink > 1 seen so far. */
struct link_ent {
	struct link_ent *next;
	u32 ino, major, minor, mode;
	char *name;
};

struct dir_time {
	struct dir_time *next;
	char *name;
	u32 mtime;
};

struct unpack_ctx {
	struct link_ent *links;
	struct dir_time *dirs;
	char *name;
};

static void set_attrs(const char *name, const struct cpio_hdr *h,
		      bool set_time)
{
	struct path p;
	struct iattr ia = { 0 };

	if (kern_path(name, 0, &p))
		return;
	ia.ia_valid = ATTR_UID | ATTR_GID | ATTR_FORCE;
	ia.ia_uid = h->uid;
	ia.ia_gid = h->gid;
	if (!S_ISLNK(h->mode)) {
		ia.ia_valid |= ATTR_MODE;
		ia.ia_mode = h->mode & 07777;
	}
	if (set_time) {
		ia.ia_valid |= ATTR_MTIME | ATTR_ATIME;
		ia.ia_mtime.sec = h->mtime;
		ia.ia_atime.sec = h->mtime;
	}
	notify_change(p.dentry, &ia);
	path_put(&p);
}

/* Something of another kind in the way is removed, as Linux does. */
static void clean_path(const char *name, mode_t mode)
{
	struct path p;
	mode_t old;

	if (kern_path(name, 0, &p))
		return;
	old = p.dentry->d_inode->i_mode;
	path_put(&p);
	if ((old & S_IFMT) == (mode & S_IFMT) && S_ISDIR(mode))
		return;
	vfs_unlink_at(AT_FDCWD, name, S_ISDIR(old));
}

static int write_data(const char *name, const struct cpio_entry *e,
		      bool linked)
{
	struct file *f;
	loff_t pos = 0;
	size_t done = 0;
	int flags = O_WRONLY | O_CREAT | O_LARGEFILE | (linked ? 0 : O_TRUNC);

	f = filp_open(name, flags, e->h.mode & 07777);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	while (done < e->h.filesize) {
		ssize_t n = kernel_write(f, e->data + done,
					 e->h.filesize - done, &pos);

		if (n <= 0) {
			fput(f);
			return n < 0 ? (int)n : -EIO;
		}
		done += (size_t)n;
	}
	fput(f);
	return 0;
}

static int unpack_one(struct cpio_entry *e, void *vctx)
{
	struct unpack_ctx *ctx = vctx;
	const struct cpio_hdr *h = &e->h;
	const char *name = e->name;
	mode_t mode = h->mode;
	int r = 0;

	if (S_ISREG(mode)) {
		struct link_ent *l;
		bool linked = false;

		if (h->nlink > 1) {
			for (l = ctx->links; l; l = l->next) {
				if (l->ino == h->ino && l->major == h->devmajor &&
				    l->minor == h->devminor && l->mode == mode)
					break;
			}
			if (l) {
				clean_path(name, mode);
				r = vfs_link_at(AT_FDCWD, l->name, AT_FDCWD,
						name, 0);
				linked = !r;
			} else {
				l = kzalloc(sizeof(*l));
				if (!l)
					return -ENOMEM;
				l->name = kstrdup(name);
				if (!l->name) {
					kfree(l);
					return -ENOMEM;
				}
				l->ino = h->ino;
				l->major = h->devmajor;
				l->minor = h->devminor;
				l->mode = mode;
				l->next = ctx->links;
				ctx->links = l;
			}
		}
		if (!linked)
			clean_path(name, mode);
		r = write_data(name, e, linked);
		if (r)
			pr_warn("initramfs: %s: error %d\n", name, r);
		else
			set_attrs(name, h, true);
		return 0;
	}
	if (S_ISDIR(mode)) {
		struct dir_time *d;

		clean_path(name, mode);
		r = vfs_mkdir_at(AT_FDCWD, name, mode & 07777);
		if (r && r != -EEXIST) {
			pr_warn("initramfs: %s: error %d\n", name, r);
			return 0;
		}
		set_attrs(name, h, false);
		/* directory times are set last: filling them changes them */
		d = kzalloc(sizeof(*d));
		if (d) {
			d->name = kstrdup(name);
			d->mtime = h->mtime;
			d->next = ctx->dirs;
			ctx->dirs = d;
			if (!d->name) {
				ctx->dirs = d->next;
				kfree(d);
			}
		}
		return 0;
	}
	if (S_ISLNK(mode)) {
		char *target = kstrndup((const char *)e->data, h->filesize);

		if (!target)
			return -ENOMEM;
		if (memchr(e->data, 0, h->filesize)) {
			kfree(target);
			pr_warn("initramfs: %s: bad symlink\n", name);
			return 0;
		}
		clean_path(name, mode);
		r = vfs_symlink_at(target, AT_FDCWD, name);
		kfree(target);
		if (!r)
			set_attrs(name, h, true);
		else
			pr_warn("initramfs: %s: error %d\n", name, r);
		return 0;
	}
	/* devices, fifos, sockets */
	clean_path(name, mode);
	r = vfs_mknod_at(AT_FDCWD, name, mode,
			 (S_ISCHR(mode) || S_ISBLK(mode)) ?
			 MKDEV(h->rdevmajor, h->rdevminor) : 0);
	if (!r)
		set_attrs(name, h, true);
	else
		pr_warn("initramfs: %s: error %d\n", name, r);
	return 0;
}

int populate_rootfs(const void *cpio, size_t len)
{
	struct unpack_ctx ctx = { 0 };
	struct path p;
	int r;

	r = cpio_check(cpio, len);
	if (r)
		return r;
	r = walk_archive(cpio, len, unpack_one, &ctx);
	while (ctx.dirs) {
		struct dir_time *d = ctx.dirs;
		struct iattr ia = { 0 };

		ctx.dirs = d->next;
		if (!kern_path(d->name, 0, &p)) {
			ia.ia_valid = ATTR_MTIME | ATTR_ATIME | ATTR_FORCE;
			ia.ia_mtime.sec = d->mtime;
			ia.ia_atime.sec = d->mtime;
			notify_change(p.dentry, &ia);
			path_put(&p);
		}
		kfree(d->name);
		kfree(d);
	}
	while (ctx.links) {
		struct link_ent *l = ctx.links;

		ctx.links = l->next;
		kfree(l->name);
		kfree(l);
	}
	if (r)
		return r;
	/* what init needs even from an archive without them */
	r = vfs_mkdir_at(AT_FDCWD, "/dev", 0755);
	if (r && r != -EEXIST)
		return r;
	r = vfs_mknod_at(AT_FDCWD, "/dev/console", S_IFCHR | 0600,
			 MKDEV(5, 1));
	if (r && r != -EEXIST)
		return r;
	r = devtmpfs_mount();
	if (r)
		return r;
	r = devtmpfs_create("console", S_IFCHR | 0600, MKDEV(5, 1));
	return r == -EEXIST ? 0 : r;
}
