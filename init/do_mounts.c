// SPDX-License-Identifier: GPL-2.0
/*
 * The root filesystem from a block device (root=), when there is no
 * initrd: as Linux, mounted read-only unless "rw" is given (init remounts
 * it), with rootfstype= (default: ext4, ext3, ext2 in turn) and
 * rootflags=, then devtmpfs on its /dev (CONFIG_DEVTMPFS_MOUNT). The new
 * root replaces the boot tmpfs, which stays out of sight as Linux's
 * rootfs does.
 */
#include "kern/vfs.h"
#include "kern/boot.h"
#include "kern/blkdev.h"
#include "kern/printk.h"

int mount_block_root(void);

static const char *const default_types[] = { "ext4", "ext3", "ext2", NULL };

static int show_disk(struct block_device *b, void *arg)
{
	printk(KERN_EMERG "%03x%05x %10llu %s driver: ubd\n", MAJOR(b->dev),
	       MINOR(b->dev), (unsigned long long)(b->size >> 10), b->name);
	return 0;
}

/* The device as Linux's root= names it: /dev/NAME is the disk NAME. */
static const char *root_name(const char *root)
{
	if (!strncmp(root, "/dev/", 5) && root[5])
		return root + 5;
	return root;
}

static struct vfsmount *try_mount(const char *dev, const char *type,
				  int *flags, int *err)
{
	struct file_system_type *fs = get_fs_type(type);
	struct vfsmount *m;

	if (!fs || !(fs->fs_flags & FS_REQUIRES_DEV)) {
		*err = -ENODEV;
		return NULL;
	}
	m = vfs_kern_mount(fs, *flags | MS_SILENT, dev, boot_params.rootflags);
	if (IS_ERR(m) && (PTR_ERR(m) == -EROFS || PTR_ERR(m) == -EACCES) &&
	    !(*flags & MS_RDONLY)) {
		/* a disk that cannot be written: read-only, as Linux does */
		*flags |= MS_RDONLY;
		m = vfs_kern_mount(fs, *flags | MS_SILENT, dev,
				   boot_params.rootflags);
	}
	if (IS_ERR(m)) {
		*err = (int)PTR_ERR(m);
		return NULL;
	}
	return m;
}

int mount_block_root(void)
{
	struct boot_params *bp = &boot_params;
	const char *root = bp->root ? bp->root : "98:0";
	const char *dev = root_name(root);
	struct block_device *b;
	struct vfsmount *m = NULL, *old = root_mnt;
	char tried[128] = "", *types = NULL;
	int flags = bp->root_rw ? 0 : MS_RDONLY, err = -ENODEV, r;
	int tried_n = 0;
	dev_t devt;

	b = blkdev_get_by_path(dev, FMODE_READ, NULL);
	if (IS_ERR(b)) {
		printk(KERN_EMERG "VFS: Cannot open root device \"%s\" or unknown-block(0,0): error %ld\n",
		       root, PTR_ERR(b));
		printk(KERN_EMERG "Please append a correct \"root=\" boot option; here are the available partitions:\n");
		blkdev_for_each(show_disk, NULL);
		panic("VFS: Unable to mount root fs on unknown-block(0,0)");
	}
	devt = b->dev;
	blkdev_put(b, FMODE_READ, NULL);

	if (bp->rootfstype) {
		types = kstrdup(bp->rootfstype);
		if (!types)
			return -ENOMEM;
	}
	for (char *s = types, *next; !m; s = next) {
		const char *t;

		if (types) {
			if (!s)
				break;
			next = strchr(s, ',');
			if (next)
				*next++ = 0;
			t = s;
		} else {
			t = default_types[tried_n];
			next = NULL;
			if (!t)
				break;
		}
		tried_n++;
		if (!*t)
			continue;
		m = try_mount(dev, t, &flags, &err);
		snprintf(tried + strlen(tried), sizeof(tried) - strlen(tried),
			 " %s", t);
	}
	kfree(types);
	if (!m) {
		printk(KERN_EMERG "VFS: Cannot open root device \"%s\" or unknown-block(%u,%u): error %d\n",
		       root, MAJOR(devt), MINOR(devt), err);
		printk(KERN_EMERG "No filesystem could mount root, tried: %s\n",
		       tried);
		panic("VFS: Unable to mount root fs on unknown-block(%u,%u)",
		      MAJOR(devt), MINOR(devt));
	}
	kfree(m->mnt_devname);
	m->mnt_devname = kstrdup("/dev/root");
	/* the disk's root takes the place of the boot tmpfs */
	m->mnt_attached = true;
	list_add(&m->mnt_list, &mount_list);
	list_del(&old->mnt_list);
	old->mnt_attached = false;
	root_mnt = m;
	printk(KERN_INFO "VFS: Mounted root (%s filesystem)%s on device %u:%u.\n",
	       m->mnt_sb->s_type->name,
	       (m->mnt_sb->s_flags & MS_RDONLY) ? " readonly" : "",
	       MAJOR(devt), MINOR(devt));
	r = devtmpfs_mount();
	if (!r)
		printk(KERN_INFO "devtmpfs: mounted\n");
	else if (r != -ENOENT && r != -ENOTDIR)
		return r;
	r = devtmpfs_create("console", S_IFCHR | 0600, MKDEV(5, 1));
	return r == -EEXIST ? 0 : r;
}
