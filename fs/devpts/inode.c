// SPDX-License-Identifier: GPL-2.0
/*
 * devpts: the pty slaves, /dev/pts/N (136:N), and a ptmx node (5:2).
 *
 * One instance, shared by every mount (as Linux's before every mount
 * became its own instance): the options of the latest mount apply. It is
 * a tmpfs underneath, whose directory guests cannot change: the pty
 * driver adds a node when a master is opened and removes it when the
 * master is closed.
 */
#include "kern/devpts.h"
#include "kern/init.h"

#define NR_PTYS_MAX	4096

struct devpts_opts {
	bool setuid, setgid;
	uid_t uid;
	gid_t gid;
	mode_t mode;		/* of the slaves */
	mode_t ptmxmode;
	unsigned int max;
};

static struct devpts_opts opts = {
	.mode = 0600, .ptmxmode = 0, .max = NR_PTYS_MAX,
};
static struct super_block *devpts_sb;
static struct dentry *ptmx_dentry;
static struct inode_operations devpts_root_iops;
static struct super_operations devpts_sops;

static int parse_uint(const char *v, int base, unsigned long max,
		      unsigned long *out)
{
	char *end;
	unsigned long n;

	if (!*v)
		return -EINVAL;
	n = strtoul(v, &end, base);
	if (*end || n > max)
		return -EINVAL;
	*out = n;
	return 0;
}

/* uid=, gid=, mode=, ptmxmode=, max=, newinstance: into *o. */
static int parse_options(const char *data, struct devpts_opts *o)
{
	char *copy, *opt, *next;
	unsigned long n = 0;
	int r = 0;

	if (!data || !*data)
		return 0;
	copy = kstrdup(data);
	if (!copy)
		return -ENOMEM;
	for (opt = copy; opt && !r; opt = next) {
		char *val = strchr(opt, '=');

		next = strchr(opt, ',');
		if (next)
			*next++ = 0;
		if (!*opt)
			continue;
		if (val)
			*val++ = 0;
		if (!strcmp(opt, "newinstance") && !val) {
			continue;	/* one instance serves all */
		} else if (!val) {
			r = -EINVAL;
		} else if (!strcmp(opt, "uid")) {
			r = parse_uint(val, 10, 0xfffffffe, &n);
			o->uid = (uid_t)n;
			o->setuid = true;
		} else if (!strcmp(opt, "gid")) {
			r = parse_uint(val, 10, 0xfffffffe, &n);
			o->gid = (gid_t)n;
			o->setgid = true;
		} else if (!strcmp(opt, "mode")) {
			r = parse_uint(val, 8, 07777, &n);
			o->mode = (mode_t)n & 0777;
		} else if (!strcmp(opt, "ptmxmode")) {
			r = parse_uint(val, 8, 07777, &n);
			o->ptmxmode = (mode_t)n & 0777;
		} else if (!strcmp(opt, "max")) {
			r = parse_uint(val, 10, 0x7fffffff, &n);
			o->max = n < NR_PTYS_MAX ? (unsigned int)n :
				NR_PTYS_MAX;
		} else {
			r = -EINVAL;
		}
	}
	kfree(copy);
	return r;
}

/* Options take effect as a whole, defaults for what is not given. */
static int apply_options(const char *data)
{
	struct devpts_opts o = {
		.mode = 0600, .ptmxmode = 0, .max = NR_PTYS_MAX,
	};
	int r = parse_options(data, &o);

	if (r)
		return r;
	opts = o;
	if (ptmx_dentry)
		ptmx_dentry->d_inode->i_mode = S_IFCHR | opts.ptmxmode;
	return 0;
}

int devpts_remount(const char *data)
{
	return apply_options(data);
}

static struct super_block *devpts_mount(struct file_system_type *type,
					int flags, const char *dev,
					const void *data)
{
	int r;

	if (!devpts_sb)
		return ERR_PTR(-ENODEV);
	r = apply_options(data);
	if (r)
		return ERR_PTR(r);
	devpts_sb->s_active++;
	return devpts_sb;
}

struct file_system_type devpts_fs_type = {
	.name = "devpts",
	.mount = devpts_mount,
};

static int devpts_show_options(struct super_block *sb, char *buf, size_t len)
{
	int n = 0;

	if (opts.setuid)
		n += snprintf(buf + n, len - (size_t)n, ",uid=%u", opts.uid);
	if (opts.setgid && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ",gid=%u", opts.gid);
	if ((size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ",mode=%03o",
			      opts.mode);
	if ((size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ",ptmxmode=%03o",
			      opts.ptmxmode);
	if (opts.max < NR_PTYS_MAX && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ",max=%u", opts.max);
	return n;
}

unsigned int devpts_max(void)
{
	return opts.max;
}

/* A node in the root, made by the kernel (no permission checks). */
static struct dentry *add_node(const char *name, mode_t mode, dev_t dev,
			       uid_t uid, gid_t gid)
{
	struct dentry *root = devpts_sb->s_root, *d;
	int r;

	d = d_lookup(root, name, (unsigned int)strlen(name));
	if (d && d->d_inode) {
		dput(d);
		return ERR_PTR(-EEXIST);
	}
	if (!d)
		d = d_alloc(root, name, (unsigned int)strlen(name));
	if (!d)
		return ERR_PTR(-ENOMEM);
	r = tmpfs_dir_iops.mknod(root->d_inode, d, mode, dev);
	if (r) {
		dput(d);
		return ERR_PTR(r);
	}
	d->d_inode->i_mode = mode;
	d->d_inode->i_uid = uid;
	d->d_inode->i_gid = gid;
	return d;
}

struct dentry *devpts_pty_new(unsigned int index)
{
	char name[16];

	if (!devpts_sb)
		return ERR_PTR(-ENODEV);
	snprintf(name, sizeof(name), "%u", index);
	return add_node(name, S_IFCHR | opts.mode, MKDEV(136, index),
			opts.setuid ? opts.uid : current_fsuid(),
			opts.setgid ? opts.gid : current_fsgid());
}

void devpts_pty_kill(struct dentry *d)
{
	if (!d)
		return;
	if (d->d_inode && !d_unhashed(d))
		tmpfs_dir_iops.unlink(devpts_sb->s_root->d_inode, d);
	dput(d);
}

int devpts_mount_for(struct file *ptmx, struct path *p)
{
	char *s, *slash, *dir;
	size_t n;
	int r;

	if (!devpts_sb)
		return -ENODEV;
	if (ptmx->f_path.mnt && ptmx->f_path.mnt->mnt_sb == devpts_sb) {
		p->mnt = ptmx->f_path.mnt;
		p->dentry = devpts_sb->s_root;
		path_get(p);
		return 0;
	}
	/* else devpts must be mounted on "pts" next to the ptmx node */
	s = file_path(ptmx);
	if (!s)
		return -ENODEV;
	slash = strrchr(s, '/');
	n = slash ? (size_t)(slash - s) : 0;
	dir = kmalloc(n + 5);
	if (!dir) {
		kfree(s);
		return -ENOMEM;
	}
	memcpy(dir, s, n);
	memcpy(dir + n, "/pts", 5);
	kfree(s);
	r = kern_path(dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, p);
	kfree(dir);
	if (r)
		return r == -ENOTDIR ? -ENODEV : r;
	if (p->mnt->mnt_sb != devpts_sb || p->dentry != devpts_sb->s_root) {
		path_put(p);
		return -ENODEV;
	}
	return 0;
}

static int devpts_init(void)
{
	struct super_block *sb;
	struct dentry *d;
	int r;

	r = register_filesystem(&devpts_fs_type);
	if (r)
		return r;
	sb = tmpfs_fill_new(&devpts_fs_type, 0, "mode=0755");
	if (IS_ERR(sb))
		return (int)PTR_ERR(sb);
	sb->s_magic = DEVPTS_SUPER_MAGIC;
	/* tmpfs's, but /proc/mounts shows our options */
	devpts_sops = *sb->s_op;
	devpts_sops.show_options = devpts_show_options;
	sb->s_op = &devpts_sops;
	sb->s_max_bytes = 0;
	/* guests may look and chmod, not add, remove or rename */
	devpts_root_iops = tmpfs_dir_iops;
	devpts_root_iops.create = NULL;
	devpts_root_iops.mknod = NULL;
	devpts_root_iops.mkdir = NULL;
	devpts_root_iops.rmdir = NULL;
	devpts_root_iops.unlink = NULL;
	devpts_root_iops.link = NULL;
	devpts_root_iops.symlink = NULL;
	devpts_root_iops.rename = NULL;
	sb->s_root->d_inode->i_op = &devpts_root_iops;
	devpts_sb = sb;		/* our reference keeps it alive */
	d = add_node("ptmx", S_IFCHR | opts.ptmxmode, MKDEV(5, 2), 0, 0);
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	ptmx_dentry = d;
	return 0;
}
core_initcall(devpts_init);
