// SPDX-License-Identifier: GPL-2.0
/*
 * System V shared memory: shmget, shmat, shmdt, shmctl.
 *
 * A segment's pages are an unlinked file on a tmpfs of the kernel's own
 * (so, a host memfd, as every tmpfs file). shmat maps it MAP_SHARED
 * through mm/ like any file mapping, with a new open file per attach, as
 * Linux does: shm_nattch is the number of mappings of those files (fork
 * and split mappings count, as on Linux). IPC_RMID of an attached segment
 * marks it SHM_DEST and makes its key private; it goes when the last
 * mapping does. The size is charged to the commit limit (mem=) at shmget
 * unless SHM_NORESERVE.
 */
#include "util.h"
#include "kern/mm.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/vfs.h"
#include "kern/init.h"
#include <asm/shmbuf.h>

/* <linux/shm.h> pulls in libc headers: its values, from the ABI */
#define SHM_DEST	01000
#define SHM_LOCKED	02000
#define SHM_HUGETLB	04000
#define SHM_NORESERVE	010000
#define SHM_RDONLY	010000
#define SHM_RND		020000
#define SHM_REMAP	040000
#define SHM_EXEC	0100000
#define SHM_LOCK	11
#define SHM_UNLOCK	12
#define SHM_STAT	13
#define SHM_INFO	14
#define SHM_STAT_ANY	15

struct shm_info {
	int used_ids;
	unsigned long shm_tot, shm_rss, shm_swp;
	unsigned long swap_attempts, swap_successes;
};

struct shmid_kernel;

struct shm_attach {
	struct list_head node;	/* in shmid_kernel.attaches */
	struct file *file;
	struct shmid_kernel *seg;	/* referenced */
};

struct shmid_kernel {
	struct kern_ipc_perm perm;	/* first */
	size_t size;
	u64 charged;			/* pages against the commit limit */
	struct path path;		/* the unlinked tmpfs file */
	s64 atime, dtime, ctime;
	pid_t cpid, lpid;
	struct list_head attaches;	/* open files of shmat */
};

static struct ipc_ids shm_ids = { .max_idx = -1 };
static struct vfsmount *shm_mnt;
static u64 shm_tot;			/* pages in all segments */
static const struct file_operations shm_file_fops;

static struct shmid_kernel *shp_of(struct kern_ipc_perm *p)
{
	return (struct shmid_kernel *)p;
}

static unsigned long shm_nattch(struct shmid_kernel *s)
{
	struct shm_attach *a;
	unsigned long n = 0;

	list_for_each_entry(a, &s->attaches, node)
		n += (unsigned long)a->file->f_count;
	return n;
}

static void shp_free(struct kern_ipc_perm *p)
{
	struct shmid_kernel *s = shp_of(p);
	u64 pages = PAGE_ALIGN((u64)s->size) >> PAGE_SHIFT;

	path_put(&s->path);
	if (s->charged)
		vm_uncommit(s->charged);
	shm_tot -= pages;
	kfree(s);
}

/* The pages' file: created and unlinked at once, so no name reaches it. */
static int shm_file(struct shmid_kernel *s, int key, size_t size)
{
	struct dentry *root = shm_mnt->mnt_root, *d;
	struct inode *dir = root->d_inode;
	struct iattr ia = { 0 };
	char name[24];
	int r;

	snprintf(name, sizeof(name), "SYSV%08x", (unsigned int)key);
	d = d_alloc(root, name, (unsigned int)strlen(name));
	if (!d)
		return -ENOMEM;
	r = dir->i_op->create(dir, d, S_IFREG | 0600);
	if (r) {
		dput(d);
		return r;
	}
	ia.ia_valid = ATTR_SIZE;
	ia.ia_size = (loff_t)size;
	r = d->d_inode->i_op->setattr(d, &ia);
	dir->i_op->unlink(dir, d);
	if (r) {
		dput(d);
		return r == -ENOSPC ? -ENOMEM : r;
	}
	s->path.mnt = mntget(shm_mnt);
	s->path.dentry = d;
	return 0;
}

static int newseg(int key, int flg, void *arg)
{
	size_t size = *(size_t *)arg;
	u64 pages = PAGE_ALIGN((u64)size) >> PAGE_SHIFT;
	struct shmid_kernel *s;
	int id, r;

	if (size < 1 || size > ipc_limits.shmmax)
		return -EINVAL;
	if (shm_tot + pages < shm_tot || shm_tot + pages > ipc_limits.shmall)
		return -ENOSPC;
	if (flg & SHM_HUGETLB)
		return -ENOMEM;		/* no huge pages are reserved */
	if (!shm_mnt)
		return -ENOMEM;
	s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	INIT_LIST_HEAD(&s->attaches);
	if (!(flg & SHM_NORESERVE)) {
		r = vm_commit(pages);
		if (r) {
			kfree(s);
			return -ENOMEM;
		}
		s->charged = pages;
	}
	r = shm_file(s, key, size);
	if (r) {
		if (s->charged)
			vm_uncommit(s->charged);
		kfree(s);
		return r;
	}
	s->perm.free = shp_free;
	s->size = size;
	s->cpid = current->tgid;
	s->ctime = ipc_now();
	shm_tot += pages;
	id = ipc_addid(&shm_ids, &s->perm, ipc_limits.shmmni, key, flg);
	if (id < 0) {
		s->perm.refs = 1;
		ipc_put(&s->perm);	/* undoes all of the above */
	}
	return id;
}

static int shm_check(struct kern_ipc_perm *p, void *arg)
{
	return shp_of(p)->size < *(size_t *)arg ? -EINVAL : 0;
}

SYSCALL_DEFINE3(shmget, int, key, size_t, size, int, shmflg)
{
	static const struct ipc_ops ops = { .create = newseg,
					    .check = shm_check };

	return ipcget(&shm_ids, key, shmflg, &ops, &size);
}

/* An attach file's last reference went: a detach, maybe the last one. */
static void shm_file_release(struct inode *inode, struct file *f)
{
	struct shm_attach *a = file_c(f)->private_data;
	struct shmid_kernel *s;

	if (!a)
		return;
	s = a->seg;
	list_del(&a->node);
	kfree(a);
	file_c(f)->private_data = NULL;
	s->dtime = ipc_now();
	if (current)
		s->lpid = current->tgid;
	if ((s->perm.mode & SHM_DEST) && !s->perm.deleted && !shm_nattch(s))
		ipc_rmid(&shm_ids, &s->perm);
	ipc_put(&s->perm);
}

static int shm_file_host_fd(struct file *f, int *fd)
{
	struct inode *inode = file_c(f)->f_inode;

	return inode->i_fop->host_fd(f, fd);
}

static const struct file_operations shm_file_fops = {
	.release = shm_file_release,
	.host_fd = shm_file_host_fd,
};

SYSCALL_DEFINE3(shmat, int, shmid, uaddr_t, shmaddr, int, shmflg)
{
	struct kern_ipc_perm *p;
	struct shmid_kernel *s;
	struct shm_attach *a;
	struct file *f;
	int prot = PROT_READ, acc = S_IRUGO, flags = MAP_SHARED;
	uaddr_t addr = shmaddr;
	long r;

	if (shmid < 0)
		return -EINVAL;
	if (addr) {
		if (addr & (PAGE_SIZE - 1)) {
			if (!(shmflg & SHM_RND))
				return -EINVAL;
			addr &= ~(uaddr_t)(PAGE_SIZE - 1);
			if (!addr)
				return -EINVAL;
		}
		flags |= MAP_FIXED;
		if (!(shmflg & SHM_REMAP))
			flags |= MAP_FIXED_NOREPLACE;
	} else if (shmflg & SHM_REMAP) {
		return -EINVAL;
	}
	if (!(shmflg & SHM_RDONLY)) {
		prot |= PROT_WRITE;
		acc |= S_IWUGO;
	}
	if (shmflg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc |= S_IXUGO;
	}
	p = ipc_obtain(&shm_ids, shmid);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (ipcperms(p, acc))
		return -EACCES;
	s = shp_of(p);
	a = kzalloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	f = alloc_file(&s->path, (shmflg & SHM_RDONLY) ? O_RDONLY : O_RDWR,
		       &shm_file_fops);
	if (!f) {
		kfree(a);
		return -ENOMEM;
	}
	a->file = f;
	a->seg = s;
	file_c(f)->private_data = a;
	list_add(&a->node, &s->attaches);
	ipc_get(p);
	r = do_mmap(current, current->mm, addr, s->size, prot, flags, f, 0);
	if (r >= 0) {
		s->atime = ipc_now();
		s->lpid = current->tgid;
	} else if (r == -EEXIST) {
		r = -EINVAL;	/* in use, and no SHM_REMAP */
	}
	fput(f);		/* the mapping holds it now, if it was made */
	return r;
}

SYSCALL_DEFINE1(shmdt, uaddr_t, shmaddr)
{
	struct mm *mm = current->mm;
	struct vma *v;
	struct file *f;
	uaddr_t end;
	long r;

	if (shmaddr & (PAGE_SIZE - 1))
		return -EINVAL;
	v = find_vma(mm, shmaddr);
	if (!v || v->start != shmaddr || !v->file ||
	    file_c(v->file)->f_op != &shm_file_fops || v->pgoff)
		return -EINVAL;
	f = v->file;
	end = shmaddr + PAGE_ALIGN(((struct shm_attach *)
				    file_c(f)->private_data)->seg->size);
	/* every mapping of this attach within the segment's size */
	while ((v = find_vma(mm, shmaddr)) && v->start < end) {
		uaddr_t start = v->start, stop = v->end;

		if (v->file == f) {
			r = do_munmap(current, mm, start, stop - start);
			if (r)
				return r;
		}
		shmaddr = stop;
	}
	return 0;
}

static int shm_info(int cmd, uaddr_t buf)
{
	if (cmd == IPC_INFO) {
		struct shminfo64 si;

		memset(&si, 0, sizeof(si));
		si.shmmax = ipc_limits.shmmax;
		si.shmmin = 1;
		si.shmmni = (unsigned long)ipc_limits.shmmni;
		si.shmseg = (unsigned long)ipc_limits.shmmni;
		si.shmall = ipc_limits.shmall;
		if (copy_to_user(buf, &si, sizeof(si)))
			return -EFAULT;
	} else {
		struct shm_info si;

		memset(&si, 0, sizeof(si));
		si.used_ids = shm_ids.in_use;
		si.shm_tot = shm_tot;
		si.shm_rss = shm_tot;	/* memfd pages: resident */
		if (copy_to_user(buf, &si, sizeof(si)))
			return -EFAULT;
	}
	return shm_ids.max_idx < 0 ? 0 : shm_ids.max_idx;
}

static long shm_stat(int id, int cmd, uaddr_t buf)
{
	struct kern_ipc_perm *p;
	struct shmid_kernel *s;
	struct shmid64_ds ds;

	p = cmd == IPC_STAT ? ipc_obtain(&shm_ids, id) :
		ipc_obtain_idx(&shm_ids, id);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (cmd != SHM_STAT_ANY && ipcperms(p, S_IRUGO))
		return -EACCES;
	s = shp_of(p);
	memset(&ds, 0, sizeof(ds));
	ipc64_perm_fill(p, &ds.shm_perm);
	ds.shm_segsz = s->size;
	ds.shm_atime = s->atime;
	ds.shm_dtime = s->dtime;
	ds.shm_ctime = s->ctime;
	ds.shm_cpid = s->cpid;
	ds.shm_lpid = s->lpid;
	ds.shm_nattch = shm_nattch(s);
	if (copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

SYSCALL_DEFINE3(shmctl, int, shmid, int, cmd, uaddr_t, buf)
{
	struct kern_ipc_perm *p;
	struct shmid_kernel *s;
	struct shmid64_ds ds;
	int r;

	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shm_info(cmd, buf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shm_stat(shmid, cmd, buf);
	case SHM_LOCK:
	case SHM_UNLOCK:
		p = ipc_obtain(&shm_ids, shmid);
		if (IS_ERR(p))
			return PTR_ERR(p);
		if (!capable(CAP_IPC_LOCK)) {
			uid_t euid = current->cred->euid;

			if (euid != p->uid && euid != p->cuid)
				return -EPERM;
			if (cmd == SHM_LOCK &&
			    !task_rlimit(current, RLIMIT_MEMLOCK))
				return -EPERM;
		}
		/* memfd pages are never swapped: the flag is all there is */
		if (cmd == SHM_LOCK)
			p->mode |= SHM_LOCKED;
		else
			p->mode &= ~(unsigned int)SHM_LOCKED;
		return 0;
	case IPC_SET:
		if (copy_from_user(&ds, buf, sizeof(ds)))
			return -EFAULT;
		/* fall through */
	case IPC_RMID:
		p = ipc_obtain(&shm_ids, shmid);
		if (IS_ERR(p))
			return PTR_ERR(p);
		r = ipc_owner_check(p);
		if (r)
			return r;
		s = shp_of(p);
		if (cmd == IPC_SET) {
			ipc_set_perm(p, &ds.shm_perm);
			s->ctime = ipc_now();
			return 0;
		}
		if (!shm_nattch(s)) {
			ipc_rmid(&shm_ids, p);
			return 0;
		}
		/* attached: it goes with the last detach, found by id only */
		p->mode |= SHM_DEST;
		p->key = IPC_PRIVATE;
		return 0;
	default:
		return -EINVAL;
	}
}

char *sysvipc_shm_text(size_t *len)
{
	struct ipc_text t = { 0 };

	ipc_text_printf(&t, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n");
	for (int i = 0; i <= shm_ids.max_idx; i++) {
		struct kern_ipc_perm *p = shm_ids.entries[i];
		struct shmid_kernel *s;

		if (!p)
			continue;
		s = shp_of(p);
		ipc_text_printf(&t, "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10llu %10llu %10llu %21llu %21u\n",
				p->key, p->id, p->mode & 0777,
				(unsigned long)s->size, s->cpid, s->lpid,
				shm_nattch(s), p->uid, p->gid, p->cuid, p->cgid,
				(unsigned long long)s->atime,
				(unsigned long long)s->dtime,
				(unsigned long long)s->ctime,
				(unsigned long long)PAGE_ALIGN((u64)s->size), 0);
	}
	*len = t.len;
	return t.buf;
}

static int shm_init(void)
{
	struct vfsmount *m = vfs_kern_mount(&tmpfs_fs_type, MS_KERNMOUNT,
					    "shm", "mode=0700");

	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	/* segments are limited by shmall and the commit limit instead */
	m->mnt_sb->s_max_bytes = 0;
	m->mnt_sb->s_max_inodes = 0;
	shm_mnt = m;
	return 0;
}
core_initcall(shm_init);
