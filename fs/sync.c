// SPDX-License-Identifier: GPL-2.0
/*
 * sync, syncfs, fsync, fdatasync, sync_file_range; statfs and fstatfs.
 */
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

static int sync_sb(struct super_block *sb)
{
	if (sb->s_op && sb->s_op->sync_fs)
		return sb->s_op->sync_fs(sb);
	return 0;
}

void sync_filesystems(void)
{
	struct vfsmount *m;

	list_for_each_entry(m, &mount_list, mnt_list)
		sync_sb(m->mnt_sb);
}

SYSCALL_DEFINE0(sync)
{
	sync_filesystems();
	return 0;
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *f = fdget(fd);
	int r;

	if (!f)
		return -EBADF;
	r = sync_sb(f->f_path.mnt->mnt_sb);
	fput(f);
	return r;
}

static long do_fsync(unsigned int fd, int datasync)
{
	struct file *f = fdget((int)fd);
	long r;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	if (f->f_mode & FMODE_PATH)
		r = -EBADF;
	else if (!f->c.f_op->fsync)
		r = -EINVAL;
	else
		r = f->c.f_op->fsync(f, datasync);
	fput(f);
	return r;
}

SYSCALL_DEFINE1(fsync, unsigned int, fd)
{
	return do_fsync(fd, 0);
}

SYSCALL_DEFINE1(fdatasync, unsigned int, fd)
{
	return do_fsync(fd, 1);
}

#define SYNC_FILE_RANGE_WAIT_BEFORE	1
#define SYNC_FILE_RANGE_WRITE		2
#define SYNC_FILE_RANGE_WAIT_AFTER	4

SYSCALL_DEFINE4(sync_file_range, int, fd, long, offset, long, nbytes,
		unsigned int, flags)
{
	struct file *f;
	mode_t m;
	long r = 0;

	if (flags & ~(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
		      SYNC_FILE_RANGE_WAIT_AFTER))
		return -EINVAL;
	if (offset < 0 || nbytes < 0 ||
	    (nbytes && offset > 0x7fffffffffffffffL - nbytes))
		return -EINVAL;
	f = fdget(fd);
	if (!f)
		return -EBADF;
	m = f->c.f_inode->i_mode;
	if (!S_ISREG(m) && !S_ISDIR(m) && !S_ISBLK(m) && !S_ISLNK(m))
		r = -ESPIPE;
	else if (f->f_mode & FMODE_PATH)
		r = -EBADF;
	else if (f->c.f_op->fsync && flags)
		r = f->c.f_op->fsync(f, 1);
	fput(f);
	return r;
}

/* struct statfs of x86-64 */
struct kernel_statfs {
	long f_type;
	long f_bsize;
	u64 f_blocks;
	u64 f_bfree;
	u64 f_bavail;
	u64 f_files;
	u64 f_ffree;
	int f_fsid[2];
	long f_namelen;
	long f_frsize;
	long f_flags;
	long f_spare[4];
};
_Static_assert(sizeof(struct kernel_statfs) == 120, "x86-64 struct statfs");

#define ST_RDONLY	0x0001
#define ST_NOSUID	0x0002
#define ST_NODEV	0x0004
#define ST_NOEXEC	0x0008
#define ST_SYNCHRONOUS	0x0010
#define ST_VALID	0x0020
#define ST_NOATIME	0x0400
#define ST_NODIRATIME	0x0800
#define ST_RELATIME	0x1000

static int vfs_statfs(const struct path *p, uaddr_t buf)
{
	struct super_block *sb = p->dentry->d_sb;
	struct vfsmount *m = p->mnt;
	struct kstatfs st = { 0 };
	struct kernel_statfs u = { 0 };
	int r = 0;

	st.f_type = (long)sb->s_magic;
	st.f_bsize = sb->s_blocksize;
	st.f_frsize = sb->s_blocksize;
	st.f_namelen = NAME_MAX;
	if (sb->s_op && sb->s_op->statfs)
		r = sb->s_op->statfs(sb, &st);
	if (r)
		return r;
	u.f_type = st.f_type;
	u.f_bsize = st.f_bsize;
	u.f_blocks = st.f_blocks;
	u.f_bfree = st.f_bfree;
	u.f_bavail = st.f_bavail;
	u.f_files = st.f_files;
	u.f_ffree = st.f_ffree;
	u.f_fsid[0] = (int)sb->s_dev;
	u.f_namelen = st.f_namelen;
	u.f_frsize = st.f_frsize ? st.f_frsize : st.f_bsize;
	u.f_flags = ST_VALID;
	if (mnt_is_readonly(m))
		u.f_flags |= ST_RDONLY;
	if (m->mnt_flags & MNT_NOSUID)
		u.f_flags |= ST_NOSUID;
	if (m->mnt_flags & MNT_NODEV)
		u.f_flags |= ST_NODEV;
	if (m->mnt_flags & MNT_NOEXEC)
		u.f_flags |= ST_NOEXEC;
	if (m->mnt_flags & MNT_NOATIME)
		u.f_flags |= ST_NOATIME;
	if (m->mnt_flags & MNT_NODIRATIME)
		u.f_flags |= ST_NODIRATIME;
	if (m->mnt_flags & MNT_RELATIME)
		u.f_flags |= ST_RELATIME;
	return copy_to_user(buf, &u, sizeof(u)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(statfs, uaddr_t, pathname, uaddr_t, buf)
{
	struct path p;
	int r = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &p);

	if (r)
		return r;
	r = vfs_statfs(&p, buf);
	path_put(&p);
	return r;
}

SYSCALL_DEFINE2(fstatfs, unsigned int, fd, uaddr_t, buf)
{
	struct file *f = fdget((int)fd);
	int r;

	if (!f || fd > INT32_MAX)
		return -EBADF;
	r = vfs_statfs(&f->f_path, buf);
	fput(f);
	return r;
}
