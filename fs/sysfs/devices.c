// SPDX-License-Identifier: GPL-2.0
/*
 * What /sys holds: the fixed directories, the CPUs, a few kernel settings,
 * and the devices drivers register, in Linux's layout (kern/sysfs.h).
 */
#include "sysfs.h"

/* ---- CPUs: "0-N", from the host's count, as glibc and nproc read it ---- */

static int show_cpu_range(void *priv, char *buf, size_t size)
{
	int n = os_nprocs();

	if (n <= 1)
		return snprintf(buf, size, "0\n");
	return snprintf(buf, size, "0-%d\n", n - 1);
}

static const struct sysfs_attr_ops cpu_range_ops = {
	.show = show_cpu_range,
};

static int add_cpus(void)
{
	struct sysfs_node *cpu = sysfs_mkdir(sysfs_dir("devices/system"), "cpu");
	char name[16];
	int r, n = os_nprocs();

	if (IS_ERR(cpu))
		return (int)PTR_ERR(cpu);
	r = sysfs_add_file(cpu, "online", 0444, &cpu_range_ops, NULL);
	if (!r)
		r = sysfs_add_file(cpu, "possible", 0444, &cpu_range_ops, NULL);
	if (!r)
		r = sysfs_add_file(cpu, "present", 0444, &cpu_range_ops, NULL);
	if (!r)
		r = sysfs_add_text(cpu, "offline", "\n");
	for (int i = 0; !r && i < max(n, 1); i++) {
		struct sysfs_node *d;

		snprintf(name, sizeof(name), "cpu%d", i);
		d = sysfs_mkdir(cpu, name);
		if (IS_ERR(d))
			return (int)PTR_ERR(d);
		/* the boot CPU cannot be taken offline, so it has no switch */
		if (i)
			r = sysfs_add_text(d, "online", "1\n");
	}
	return r;
}

/* ---- devices ---- */

static int make_dirs(void);

/* "pts/0" is "pts!0" in sysfs, as in Linux. */
static void sysfs_name(char *dst, size_t size, const char *name)
{
	size_t i;

	for (i = 0; i + 1 < size && name[i]; i++)
		dst[i] = name[i] == '/' ? '!' : name[i];
	dst[i] = 0;
}

/*
 * /sys/devices/virtual/CLASS/NAME with dev, uevent and subsystem, and the
 * links to it from /sys/class/CLASS and /sys/dev/KIND.
 */
static struct sysfs_node *add_device(const char *cls, const char *name,
				     u32 dev, const char *kind,
				     const char *devtype)
{
	struct sysfs_node *v, *d, *c;
	char sname[NAME_MAX + 1], buf[NAME_MAX + 128];
	int r;

	if (!cls || !name || !*name || strlen(name) > NAME_MAX ||
	    strchr(cls, '/'))
		return ERR_PTR(-EINVAL);
	r = make_dirs();
	if (r)
		return ERR_PTR(r);
	sysfs_name(sname, sizeof(sname), name);
	v = sysfs_mkdir(sysfs_dir("devices/virtual"), cls);
	if (IS_ERR(v))
		return v;
	if (sysfs_child(v, sname, (unsigned int)strlen(sname)))
		return ERR_PTR(-EEXIST);
	d = sysfs_mkdir(v, sname);
	if (IS_ERR(d))
		return d;
	snprintf(buf, sizeof(buf), "%u:%u\n", MAJOR(dev), MINOR(dev));
	r = sysfs_add_text(d, "dev", buf);
	if (!r) {
		snprintf(buf, sizeof(buf), "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\n%s",
			 MAJOR(dev), MINOR(dev), name, devtype);
		r = sysfs_add_text(d, "uevent", buf);
	}
	if (!r) {
		snprintf(buf, sizeof(buf), "../../../../class/%s", cls);
		r = sysfs_add_link(d, "subsystem", buf);
	}
	if (r)
		goto fail;
	c = sysfs_mkdir(sysfs_dir("class"), cls);
	if (IS_ERR(c)) {
		r = (int)PTR_ERR(c);
		goto fail;
	}
	snprintf(buf, sizeof(buf), "../../devices/virtual/%s/%s", cls, sname);
	r = sysfs_add_link(c, sname, buf);
	if (r)
		goto fail;
	{
		char num[32];

		snprintf(num, sizeof(num), "%u:%u", MAJOR(dev), MINOR(dev));
		/* a number registered twice keeps its first device */
		sysfs_add_link(sysfs_dir(kind), num, buf);
	}
	return d;
fail:
	sysfs_remove(d);
	return ERR_PTR(r);
}

int sysfs_add_chrdev(const char *cls, const char *name, u32 dev)
{
	struct sysfs_node *d = add_device(cls, name, dev, "dev/char", "");

	return IS_ERR(d) ? (int)PTR_ERR(d) : 0;
}

/* ---- block devices ---- */

struct blkdev {
	const struct sysfs_blk_ops *ops;
	void *priv;
	u32 dev;
	struct sysfs_node *dir;
	char name[32];
	struct list_head node;
};

static LIST_HEAD(blkdevs);

static int show_size(void *priv, char *buf, size_t size)
{
	struct blkdev *b = priv;

	return snprintf(buf, size, "%llu\n",
			(unsigned long long)b->ops->nr_sectors(b->priv));
}

static int show_ro(void *priv, char *buf, size_t size)
{
	struct blkdev *b = priv;

	return snprintf(buf, size, "%d\n",
			b->ops->read_only ? b->ops->read_only(b->priv) : 0);
}

static int show_removable(void *priv, char *buf, size_t size)
{
	struct blkdev *b = priv;

	return snprintf(buf, size, "%d\n",
			b->ops->removable ? b->ops->removable(b->priv) : 0);
}

static const struct sysfs_attr_ops size_ops = { .show = show_size };
static const struct sysfs_attr_ops ro_ops = { .show = show_ro };
static const struct sysfs_attr_ops removable_ops = { .show = show_removable };

/* The request queue of a disk of 512-byte sectors, as ubd has. */
static const char *const queue_attrs[][2] = {
	{ "logical_block_size", "512\n" },
	{ "physical_block_size", "512\n" },
	{ "hw_sector_size", "512\n" },
	{ "minimum_io_size", "512\n" },
	{ "optimal_io_size", "0\n" },
	{ "rotational", "1\n" },
	{ "read_ahead_kb", "128\n" },
	{ "max_sectors_kb", "1280\n" },
	{ "nr_requests", "128\n" },
	{ "scheduler", "[none]\n" },
};

static struct blkdev *find_blkdev(const char *name)
{
	struct blkdev *b;

	list_for_each_entry(b, &blkdevs, node)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

static void remove_block_links(struct blkdev *b)
{
	char num[32];
	struct sysfs_node *dir;

	snprintf(num, sizeof(num), "%u:%u", MAJOR(b->dev), MINOR(b->dev));
	dir = sysfs_dir("dev/block");
	sysfs_remove(sysfs_child(dir, num, (unsigned int)strlen(num)));
	dir = sysfs_dir("class/block");
	sysfs_remove(sysfs_child(dir, b->name, (unsigned int)strlen(b->name)));
	dir = sysfs_dir("block");
	sysfs_remove(sysfs_child(dir, b->name, (unsigned int)strlen(b->name)));
	sysfs_remove(b->dir);
}

struct sysfs_node *sysfs_add_blkdev(const char *name, u32 dev,
				    const struct sysfs_blk_ops *ops,
				    void *priv)
{
	struct sysfs_node *d, *q;
	struct blkdev *b;
	char buf[96];
	int r;

	if (!name || strlen(name) >= sizeof(b->name) || strchr(name, '/') ||
	    !ops || !ops->nr_sectors)
		return ERR_PTR(-EINVAL);
	if (find_blkdev(name))
		return ERR_PTR(-EEXIST);
	b = kzalloc(sizeof(*b));
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->ops = ops;
	b->priv = priv;
	b->dev = dev;
	strlcpy(b->name, name, sizeof(b->name));
	d = add_device("block", name, dev, "dev/block", "DEVTYPE=disk\n");
	if (IS_ERR(d)) {
		kfree(b);
		return d;
	}
	b->dir = d;
	list_add_tail(&b->node, &blkdevs);
	r = sysfs_add_file(d, "size", 0444, &size_ops, b);
	if (!r)
		r = sysfs_add_file(d, "ro", 0444, &ro_ops, b);
	if (!r)
		r = sysfs_add_file(d, "removable", 0444, &removable_ops, b);
	q = r ? NULL : sysfs_mkdir(d, "queue");
	if (IS_ERR(q))
		r = (int)PTR_ERR(q);
	for (size_t i = 0; !r && i < ARRAY_SIZE(queue_attrs); i++)
		r = sysfs_add_text(q, queue_attrs[i][0], queue_attrs[i][1]);
	if (!r) {
		snprintf(buf, sizeof(buf), "../devices/virtual/block/%s", name);
		r = sysfs_add_link(sysfs_dir("block"), name, buf);
	}
	if (r) {
		sysfs_remove_blkdev(name);
		return ERR_PTR(r);
	}
	return d;
}

void sysfs_remove_blkdev(const char *name)
{
	struct blkdev *b = find_blkdev(name);

	if (!b)
		return;
	remove_block_links(b);
	list_del(&b->node);
	kfree(b);
}

/* ---- the fixed tree ---- */

/* Made on first use, so drivers may register before the mount. */
static int make_dirs(void)
{
	/* parents first */
	static const char *const dirs[] = {
		"block", "bus", "class", "class/block", "dev", "dev/block",
		"dev/char", "devices", "devices/system", "devices/virtual",
		"firmware", "fs", "kernel", "kernel/mm",
		"kernel/mm/transparent_hugepage",
	};
	static bool done;

	if (done)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		const char *p = dirs[i], *slash = strrchr(p, '/');
		struct sysfs_node *parent, *d;
		char buf[64];

		if (slash) {
			size_t len = (size_t)(slash - p);

			memcpy(buf, p, len);
			buf[len] = 0;
			parent = sysfs_dir(buf);
			p = slash + 1;
		} else {
			parent = sysfs_root();
		}
		d = sysfs_mkdir(parent, p);
		if (IS_ERR(d))
			return (int)PTR_ERR(d);
	}
	done = true;
	return 0;
}

int sysfs_populate(void)
{
	struct sysfs_node *thp;
	int r;

	r = make_dirs();
	if (!r)
		r = add_cpus();
	if (r)
		return r;
	/* guest memory is the host's: huge pages are the host's business */
	thp = sysfs_dir("kernel/mm/transparent_hugepage");
	r = sysfs_add_text(thp, "enabled", "always madvise [never]\n");
	if (!r)
		r = sysfs_add_text(thp, "defrag",
			"always defer defer+madvise madvise [never]\n");
	/* no hotplug events are ever sent */
	if (!r)
		r = sysfs_add_text(sysfs_dir("kernel"), "uevent_seqnum", "0\n");
	return r;
}
