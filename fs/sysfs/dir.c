// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs tree: what drivers register (kern/sysfs.h). The filesystem in
 * mount.c only shows it.
 */
#include "sysfs.h"

static struct sysfs_node *root;
static unsigned long next_ino = 1;

static struct sysfs_node *node_alloc(const char *name, unsigned int len,
				     mode_t mode)
{
	struct sysfs_node *n = kzalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->name = kmalloc(len + 1);
	if (!n->name) {
		kfree(n);
		return NULL;
	}
	memcpy(n->name, name, len);
	n->name[len] = 0;
	n->mode = mode;
	n->refs = 1;
	n->ino = next_ino++;
	INIT_LIST_HEAD(&n->children);
	INIT_LIST_HEAD(&n->sibling);
	return n;
}

struct sysfs_node *sysfs_root(void)
{
	if (!root)
		root = node_alloc("", 0, S_IFDIR | 0555);
	return root;
}

void sysfs_get(struct sysfs_node *n)
{
	n->refs++;
}

void sysfs_put(struct sysfs_node *n)
{
	if (!n || --n->refs)
		return;
	kfree(n->text);
	kfree(n->name);
	kfree(n);
}

struct sysfs_node *sysfs_child(struct sysfs_node *dir, const char *name,
			       unsigned int len)
{
	struct sysfs_node *c;

	if (!dir || dir->removed || !S_ISDIR(dir->mode))
		return NULL;
	list_for_each_entry(c, &dir->children, sibling)
		if (strlen(c->name) == len && !memcmp(c->name, name, len))
			return c;
	return NULL;
}

static bool name_ok(const char *name, size_t len)
{
	if (!len || len > NAME_MAX || memchr(name, '/', len))
		return false;
	return !(len == 1 && name[0] == '.') &&
	       !(len == 2 && name[0] == '.' && name[1] == '.');
}

/* A new entry in dir, or ERR_PTR (EEXIST if the name is taken). */
static struct sysfs_node *add_node(struct sysfs_node *dir, const char *name,
				   mode_t mode)
{
	size_t len = name ? strlen(name) : 0;
	struct sysfs_node *n;

	if (!dir || dir->removed || !S_ISDIR(dir->mode) || !name_ok(name, len))
		return ERR_PTR(-EINVAL);
	if (sysfs_child(dir, name, (unsigned int)len))
		return ERR_PTR(-EEXIST);
	n = node_alloc(name, (unsigned int)len, mode);
	if (!n)
		return ERR_PTR(-ENOMEM);
	n->parent = dir;
	list_add_tail(&n->sibling, &dir->children);
	return n;
}

struct sysfs_node *sysfs_dir(const char *path)
{
	struct sysfs_node *n = sysfs_root();
	const char *s = path ? path : "";

	while (n && *s) {
		const char *c;
		size_t len;

		while (*s == '/')
			s++;
		c = s;
		while (*s && *s != '/')
			s++;
		len = (size_t)(s - c);
		if (len)
			n = sysfs_child(n, c, (unsigned int)len);
	}
	return n && S_ISDIR(n->mode) ? n : NULL;
}

struct sysfs_node *sysfs_mkdir(struct sysfs_node *parent, const char *name)
{
	struct sysfs_node *n;

	if (!parent || !name)
		return ERR_PTR(-ENOENT);
	n = sysfs_child(parent, name, (unsigned int)strlen(name));
	if (n)
		return S_ISDIR(n->mode) ? n : ERR_PTR(-ENOTDIR);
	return add_node(parent, name, S_IFDIR | 0555);
}

int sysfs_add_file(struct sysfs_node *dir, const char *name, mode_t mode,
		   const struct sysfs_attr_ops *ops, void *priv)
{
	struct sysfs_node *n;

	if (!ops || !ops->show)
		return -EINVAL;
	/* writable only if writes do something */
	mode &= ops->store ? 0644 : 0444;
	n = add_node(dir, name, S_IFREG | mode);
	if (IS_ERR(n))
		return (int)PTR_ERR(n);
	n->ops = ops;
	n->priv = priv;
	return 0;
}

static int show_text(void *priv, char *buf, size_t size)
{
	return snprintf(buf, size, "%s", (const char *)priv);
}

static const struct sysfs_attr_ops text_ops = {
	.show = show_text,
};

int sysfs_add_text(struct sysfs_node *dir, const char *name, const char *text)
{
	struct sysfs_node *n;
	char *copy = kstrdup(text);

	if (!copy)
		return -ENOMEM;
	n = add_node(dir, name, S_IFREG | 0444);
	if (IS_ERR(n)) {
		kfree(copy);
		return (int)PTR_ERR(n);
	}
	n->ops = &text_ops;
	n->text = copy;
	n->priv = copy;
	return 0;
}

int sysfs_add_link(struct sysfs_node *dir, const char *name,
		   const char *target)
{
	struct sysfs_node *n;
	char *copy;

	if (!target || !*target)
		return -EINVAL;
	copy = kstrdup(target);
	if (!copy)
		return -ENOMEM;
	n = add_node(dir, name, S_IFLNK | 0777);
	if (IS_ERR(n)) {
		kfree(copy);
		return (int)PTR_ERR(n);
	}
	n->text = copy;
	return 0;
}

void sysfs_remove(struct sysfs_node *n)
{
	struct sysfs_node *c, *tmp;

	if (!n || n == root || n->removed)
		return;
	list_for_each_entry_safe(c, tmp, &n->children, sibling)
		sysfs_remove(c);
	n->removed = true;
	list_del_init(&n->sibling);
	n->parent = NULL;
	sysfs_put(n);
}
