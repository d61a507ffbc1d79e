// SPDX-License-Identifier: GPL-2.0
/*
 * The dentry cache: every dentry in use hangs in its parent's list of
 * children and in a hash of (parent, name), so a lookup of a name already
 * known never reaches the filesystem. A dentry whose last reference goes is
 * freed at once; tmpfs keeps its tree alive by holding a reference on each
 * positive dentry.
 */
#include "kern/vfs.h"

#define D_HASH_BITS	12
#define D_HASH_SIZE	(1U << D_HASH_BITS)

static struct list_head dentry_hash[D_HASH_SIZE];
static bool hash_ready;

static u32 name_hash(const struct dentry *parent, const char *name,
		     unsigned int len)
{
	u32 h = 2166136261u ^ (u32)((uintptr_t)parent >> 4);

	for (unsigned int i = 0; i < len; i++)
		h = (h ^ (u8)name[i]) * 16777619u;
	return h;
}

static struct list_head *bucket(u32 hash)
{
	if (!hash_ready) {
		for (unsigned int i = 0; i < D_HASH_SIZE; i++)
			INIT_LIST_HEAD(&dentry_hash[i]);
		hash_ready = true;
	}
	return &dentry_hash[hash & (D_HASH_SIZE - 1)];
}

struct dentry *dget(struct dentry *d)
{
	if (d)
		d->d_count++;
	return d;
}

bool d_unhashed(const struct dentry *d)
{
	return !d->d_hashed;
}

static void d_unhash(struct dentry *d)
{
	if (d->d_hashed) {
		list_del(&d->d_hash);
		d->d_hashed = false;
	}
}

static void d_rehash(struct dentry *d)
{
	d->d_name.hash = name_hash(d->d_parent, d->d_name.name, d->d_name.len);
	list_add(&d->d_hash, bucket(d->d_name.hash));
	d->d_hashed = true;
}

static struct dentry *__d_alloc(struct super_block *sb, const char *name,
				unsigned int len)
{
	struct dentry *d = kzalloc(sizeof(*d) + len + 1);
	char *n;

	if (!d)
		return NULL;
	n = (char *)(d + 1);
	memcpy(n, name, len);
	n[len] = 0;
	d->d_name.name = n;
	d->d_name.len = len;
	d->d_count = 1;
	d->d_sb = sb;
	INIT_LIST_HEAD(&d->d_child);
	INIT_LIST_HEAD(&d->d_subdirs);
	INIT_LIST_HEAD(&d->d_hash);
	return d;
}

struct dentry *d_alloc(struct dentry *parent, const char *name,
		       unsigned int len)
{
	struct dentry *d = __d_alloc(parent->d_sb, name, len);

	if (!d)
		return NULL;
	d->d_parent = dget(parent);
	list_add_tail(&d->d_child, &parent->d_subdirs);
	d_rehash(d);
	return d;
}

struct dentry *d_alloc_root(struct inode *root)
{
	struct dentry *d = __d_alloc(root->i_sb, "/", 1);

	if (!d)
		return NULL;
	d->d_parent = d;
	d->d_inode = root;
	return d;
}

/* A parentless dentry with a name (anonymous inodes: "[eventfd]"). */
struct dentry *d_alloc_pseudo(struct inode *inode, const char *name)
{
	struct dentry *d = __d_alloc(inode->i_sb, name,
				     (unsigned int)strlen(name));

	if (!d)
		return NULL;
	d->d_parent = d;
	d->d_inode = inode;
	return d;
}

struct dentry *d_lookup(struct dentry *parent, const char *name,
			unsigned int len)
{
	u32 h = name_hash(parent, name, len);
	struct list_head *b = bucket(h);
	struct dentry *d;

	list_for_each_entry(d, b, d_hash) {
		if (d->d_name.hash == h && d->d_parent == parent &&
		    d->d_name.len == len && !memcmp(d->d_name.name, name, len))
			return dget(d);
	}
	return NULL;
}

/* A new child goes last in readdir order. */
static void d_set_seq(struct dentry *d)
{
	struct dentry *p = d->d_parent;

	if (p == d || !p->d_inode)
		return;
	d->d_seq = ++p->d_inode->i_dir_seq + 2;
	list_del(&d->d_child);
	list_add_tail(&d->d_child, &p->d_subdirs);
}

void d_instantiate(struct dentry *d, struct inode *inode)
{
	d->d_inode = inode;
	d_set_seq(d);
}

void d_delete(struct dentry *d)
{
	d_unhash(d);
}

static void d_free(struct dentry *d)
{
	struct inode *inode = d->d_inode;

	d_unhash(d);
	list_del(&d->d_child);
	d->d_inode = NULL;
	if (inode)
		iput(inode);
	if (d->d_name.name != (char *)(d + 1))
		kfree(d->d_name.name);
	kfree(d);
}

void dput(struct dentry *d)
{
	while (d) {
		struct dentry *parent;

		BUG_ON(d->d_count <= 0);
		if (--d->d_count)
			return;
		parent = d->d_parent;
		d_free(d);
		if (parent == d)
			return;
		d = parent;
	}
}

/* Renames change the dentry's name, which lives after the struct. */
static int d_set_name(struct dentry *d, const struct qstr *name)
{
	if (name->len <= d->d_name.len && d->d_name.name == (char *)(d + 1)) {
		memcpy((char *)(d + 1), name->name, name->len);
		((char *)(d + 1))[name->len] = 0;
		d->d_name.len = name->len;
		return 0;
	}
	{
		char *n = kmalloc(name->len + 1);

		if (!n)
			return -ENOMEM;
		memcpy(n, name->name, name->len);
		n[name->len] = 0;
		if (d->d_name.name != (char *)(d + 1))
			kfree(d->d_name.name);
		d->d_name.name = n;
		d->d_name.len = name->len;
	}
	return 0;
}

static void d_reparent(struct dentry *d, struct dentry *newparent)
{
	struct dentry *old = d->d_parent;

	if (old != newparent) {
		d->d_parent = dget(newparent);
		dput(old);
	}
	list_del(&d->d_child);
	list_add_tail(&d->d_child, &newparent->d_subdirs);
}

/*
 * d takes target's place (name and parent); target, which the caller got
 * rid of (unlinked, or negative), is unhashed.
 */
void d_move(struct dentry *d, struct dentry *target)
{
	struct qstr tname = target->d_name;
	char tmp[NAME_MAX + 1];

	memcpy(tmp, tname.name, tname.len);
	tname.name = tmp;
	d_unhash(d);
	d_unhash(target);
	if (d_set_name(d, &tname))
		pr_warn("d_move: out of memory renaming\n");
	d_reparent(d, target->d_parent);
	d_set_seq(d);
	d_rehash(d);
}

void d_exchange(struct dentry *a, struct dentry *b)
{
	char na[NAME_MAX + 1], nb[NAME_MAX + 1];
	struct qstr qa = a->d_name, qb = b->d_name;
	struct dentry *pa = dget(a->d_parent), *pb = dget(b->d_parent);

	memcpy(na, qa.name, qa.len);
	memcpy(nb, qb.name, qb.len);
	qa.name = na;
	qb.name = nb;
	d_unhash(a);
	d_unhash(b);
	if (d_set_name(a, &qb) || d_set_name(b, &qa))
		pr_warn("d_exchange: out of memory renaming\n");
	d_reparent(a, pb);
	d_reparent(b, pa);
	{
		u64 s = a->d_seq;

		a->d_seq = b->d_seq;
		b->d_seq = s;
	}
	d_rehash(a);
	d_rehash(b);
	dput(pa);
	dput(pb);
}

/*
 * Builds the path from the end of buf backwards, crossing mounts upwards,
 * stopping at root. Unlinked dentries get " (deleted)" as Linux does.
 */
char *d_path(const struct path *p, const struct path *root, char *buf, int len)
{
	struct dentry *d = p->dentry;
	struct vfsmount *m = p->mnt;
	char *end = buf + len, *s = end;
	bool deleted = d_unhashed(d) && d->d_parent != d;

	if (len < 2)
		return ERR_PTR(-ENAMETOOLONG);
	*--s = 0;
	if (deleted) {
		static const char suffix[] = " (deleted)";

		if (s - buf < (long)sizeof(suffix))
			return ERR_PTR(-ENAMETOOLONG);
		s -= sizeof(suffix) - 1;
		memcpy(s, suffix, sizeof(suffix) - 1);
	}
	for (;;) {
		if (root && d == root->dentry && m == root->mnt)
			break;
		if (d == m->mnt_root) {
			if (m->mnt_parent == m)
				break;
			d = m->mnt_mountpoint;
			m = m->mnt_parent;
			continue;
		}
		if (d->d_parent == d)
			break;
		if (s - buf < (long)d->d_name.len + 2)
			return ERR_PTR(-ENAMETOOLONG);
		s -= d->d_name.len;
		memcpy(s, d->d_name.name, d->d_name.len);
		*--s = '/';
		d = d->d_parent;
	}
	if (*s != '/') {
		if (s - buf < 1)
			return ERR_PTR(-ENAMETOOLONG);
		*--s = '/';
	}
	return s;
}
