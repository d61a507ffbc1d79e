// SPDX-License-Identifier: GPL-2.0
/*
 * The page cache: a regular file's data lives in one host memfd per inode
 * (DESIGN.md decision 3), so mmap maps the very pages read() and write()
 * see. tmpfs keeps its files there for good; disk filesystems (ext4) fill
 * it from the disk and write it back. This is the copying between a memfd
 * and kernel or guest memory that both share, and the attribute rules
 * that go with reads and writes.
 */
#include "kern/vfs.h"
#include "kern/uaccess.h"

#define BOUNCE		65536

ssize_t memfd_read(struct inode *inode, int fd, uaddr_t ubuf, void *kbuf,
		   size_t len, loff_t *pos)
{
	loff_t p = *pos;
	size_t done = 0;
	char *bounce = NULL;

	if (p < 0)
		return -EINVAL;
	if (p >= inode->i_size || !len)
		goto out;
	len = (size_t)min((loff_t)len, inode->i_size - p);
	if (fd < 0) {
		/* never written: all zeros */
		if (kbuf)
			memset(kbuf, 0, len);
		else if (clear_user(ubuf, len))
			return -EFAULT;
		done = len;
		goto out;
	}
	if (!kbuf) {
		bounce = kmalloc(min(len, (size_t)BOUNCE));
		if (!bounce)
			return -ENOMEM;
	}
	while (done < len) {
		size_t chunk = kbuf ? len - done : min(len - done, (size_t)BOUNCE);
		char *dst = kbuf ? (char *)kbuf + done : bounce;
		long n = os_pread(fd, dst, chunk, (u64)(p + (loff_t)done));

		if (n < 0) {
			if (!done) {
				kfree(bounce);
				return n;
			}
			break;
		}
		if (n == 0)
			break;
		if (!kbuf && copy_to_user(ubuf + done, bounce, (size_t)n)) {
			if (!done) {
				kfree(bounce);
				return -EFAULT;
			}
			break;
		}
		done += (size_t)n;
	}
	kfree(bounce);
out:
	*pos = p + (loff_t)done;
	return (ssize_t)done;
}

ssize_t memfd_write(int fd, uaddr_t ubuf, const void *kbuf, size_t len,
		    loff_t p)
{
	size_t done = 0;
	char *bounce = NULL;
	int r = 0;

	if (!kbuf) {
		bounce = kmalloc(min(len, (size_t)BOUNCE));
		if (!bounce)
			return -ENOMEM;
	}
	while (done < len) {
		size_t chunk = kbuf ? len - done : min(len - done, (size_t)BOUNCE);
		const char *src = kbuf ? (const char *)kbuf + done : bounce;
		long n;

		if (!kbuf && copy_from_user(bounce, ubuf + done, chunk)) {
			r = -EFAULT;
			break;
		}
		n = os_pwrite(fd, src, chunk, (u64)(p + (loff_t)done));
		if (n <= 0) {
			r = n < 0 ? (int)n : -EIO;
			break;
		}
		done += (size_t)n;
	}
	kfree(bounce);
	return done ? (ssize_t)done : r;
}

/*
 * llseek with real SEEK_DATA/SEEK_HOLE: the memfd's holes are the file's
 * (fd < 0: never written, one hole). Other whences as generic_file_llseek.
 */
loff_t memfd_llseek(struct file *f, int fd, loff_t off, int whence)
{
	loff_t size = f->c.f_inode->i_size;
	s64 r;

	if (whence != 3 && whence != 4)
		return generic_file_llseek(f, off, whence);
	if (off < 0 || off >= size)
		return -ENXIO;
	if (fd < 0) {
		if (whence == 3)
			return -ENXIO;
		r = size;
	} else {
		r = os_lseek(fd, off, whence);
		if (r < 0)
			return r;
		if (r > size)
			r = size;
		if (whence == 3 && r >= size)
			return -ENXIO;
	}
	f->c.f_pos = r;
	return r;
}

/* relatime: atime moves only when it is older than mtime/ctime or a day.
 * Returns whether it moved. */
bool file_touch_atime(struct file *f)
{
	struct inode *inode = f->c.f_inode;
	struct kts now;

	if ((f->c.f_flags & O_NOATIME) ||
	    (f->f_path.mnt->mnt_flags & MNT_NOATIME) ||
	    (inode->i_sb->s_flags & (MS_RDONLY | MS_NOATIME)) ||
	    mnt_is_readonly(f->f_path.mnt))
		return false;
	now = current_time();
	if ((f->f_path.mnt->mnt_flags & MNT_RELATIME) &&
	    inode->i_atime.sec > inode->i_mtime.sec &&
	    inode->i_atime.sec > inode->i_ctime.sec &&
	    now.sec - inode->i_atime.sec < 24 * 3600)
		return false;
	inode->i_atime = now;
	return true;
}

/* Linux's file_remove_privs: a write by the unprivileged drops set-id.
 * Returns whether the mode changed. */
bool file_remove_privs(struct inode *inode)
{
	mode_t m = inode->i_mode;

	if (!(m & S_ISUID) && (m & (S_ISGID | 00010)) != (S_ISGID | 00010))
		return false;
	if (fs_capable(CAP_FSETID))
		return false;
	m &= ~(mode_t)S_ISUID;
	if ((m & (S_ISGID | 00010)) == (S_ISGID | 00010))
		m &= ~(mode_t)S_ISGID;
	inode->i_mode = m;
	return true;
}
