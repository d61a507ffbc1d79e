// SPDX-License-Identifier: GPL-2.0
/*
 * memfd_create(2) and file seals. A memfd is an O_TMPFILE file on an
 * internal tmpfs mount (its data in a host memfd like any tmpfs file), so
 * read, write, mmap and ftruncate are tmpfs's. /proc/PID/fd shows it as
 * "/memfd:NAME (deleted)", as Linux does. Seals are kept in the inode and
 * checked by tmpfs (writes, size changes) and by mmap (shared writable
 * mappings).
 */
#include "kern/vfs.h"
#include "kern/init.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#define MFD_HUGETLB		0x0004U
#define MFD_NAME_MAX		249	/* NAME_MAX - strlen("memfd:") */

#define F_ADD_SEALS	1033
#define F_GET_SEALS	1034

static struct vfsmount *memfd_mnt;

static int memfd_init(void)
{
	struct vfsmount *m = vfs_kern_mount(&tmpfs_fs_type, MS_KERNMOUNT,
					    "memfd", "mode=01777");

	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	memfd_mnt = m;
	return 0;
}
core_initcall(memfd_init);

/* syscall-note(memfd_create): MFD_HUGETLB: EINVAL (no hugetlbfs); F_SEAL_WRITE does not wait for existing writable mappings (no EBUSY) */
SYSCALL_DEFINE2(memfd_create, uaddr_t, uname, unsigned int, flags)
{
	char name[6 + MFD_NAME_MAX + 1] = "memfd:";
	struct path root;
	struct file *f;
	long len;
	int fd;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL;
	len = strncpy_from_user(name + 6, uname, MFD_NAME_MAX + 1);
	if (len == -ENAMETOOLONG)
		return -EINVAL;
	if (len < 0)
		return len;
	if (len > MFD_NAME_MAX)
		return -EINVAL;
	if (!memfd_mnt)
		return -ENOMEM;
	root.mnt = memfd_mnt;
	root.dentry = memfd_mnt->mnt_root;
	f = vfs_tmpfile_open(&root, name, O_RDWR | O_LARGEFILE, 0777);
	if (IS_ERR(f))
		return PTR_ERR(f);
	file_c(f)->f_inode->i_seals = (flags & MFD_ALLOW_SEALING) ? 0 : F_SEAL_SEAL;
	fd = fd_install_cur(f, (flags & MFD_CLOEXEC) ? O_CLOEXEC : 0);
	return fd;
}

static bool is_memfd(struct file *f)
{
	return memfd_mnt && f->f_path.mnt == memfd_mnt;
}

/* F_ADD_SEALS and F_GET_SEALS (fs/fcntl.c). */
long memfd_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct inode *inode = file_c(f)->f_inode;
	unsigned int seals = (unsigned int)arg;

	if (!is_memfd(f))
		return -EINVAL;
	if (cmd == F_GET_SEALS)
		return inode->i_seals;
	if (cmd != F_ADD_SEALS)
		return -EINVAL;
	if (!(f->f_mode & FMODE_WRITE))
		return -EPERM;
	if (arg & ~(unsigned long)F_SEAL_ALL)
		return -EINVAL;
	if (inode->i_seals & F_SEAL_SEAL)
		return -EPERM;
	/*
	 * Linux refuses F_SEAL_WRITE with EBUSY while writable shared
	 * mappings exist; mappings are not counted per inode here, so the
	 * seal applies to new writes and mappings only.
	 */
	inode->i_seals |= seals;
	return 0;
}

unsigned int file_seals(struct file *f)
{
	return is_memfd(f) ? file_c(f)->f_inode->i_seals : 0;
}
