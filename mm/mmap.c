// SPDX-License-Identifier: GPL-2.0
/*
 * mmap, munmap and brk.
 *
 * Every mapping is made by the host inside the guest process, always
 * MAP_FIXED at the address chosen here, so the host never picks an
 * address (it could pick one above TASK_SIZE, where the stub lives).
 * Anonymous private memory is host anonymous memory; shared anonymous
 * memory is a host memfd per mapping, so that it stays shared across host
 * forks; files are mapped through the host memfd holding their pages.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/fs.h"
#include "kern/syscall.h"
#include "internal.h"

#define READ_IMPLIES_EXEC	0x0400000
#define MAP_UNINITIALIZED	0x4000000
/* The flags MAP_SHARED_VALIDATE knows (Linux's LEGACY_MAP_MASK + MAP_SYNC). */
#define MAP_KNOWN_FLAGS	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | \
			 MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | \
			 MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | \
			 MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | \
			 MAP_STACK | MAP_HUGETLB | MAP_32BIT | \
			 (21U << 26) /* MAP_HUGE_2MB */ | (30U << 26) /* 1GB */)

static inline u64 rlimit_pages(struct task *t, int r)
{
	u64 v = task_rlimit(t, r);

	return v == RLIM_INFINITY ? ~0ULL : v >> PAGE_SHIFT;
}

/*
 * RLIMIT_AS and RLIMIT_DATA for add_pages more pages of a mapping with
 * flags (replacements already subtracted by the caller).
 */
int mm_check_rlimits(struct task *t, struct mm *mm, u64 add_pages,
		     unsigned long flags)
{
	u64 lim = rlimit_pages(t, RLIMIT_AS);
	struct mm_stats st;

	if (mm->total_vm + add_pages > lim)
		return -ENOMEM;
	if ((flags & (VM_WRITE | VM_SHARED | VM_MAYSHARE | VM_GROWSDOWN |
		      VM_STACK)) != VM_WRITE)
		return 0;
	lim = rlimit_pages(t, RLIMIT_DATA);
	if (lim == ~0ULL)
		return 0;
	mm_stats(mm, &st);
	return st.data_vm + add_pages > lim ? -ENOMEM : 0;
}

int host_unmap(struct task *t, uaddr_t start, uaddr_t end)
{
	long r = plat_munmap(t->pth, start, end - start);

	return r < 0 ? (int)r : 0;
}

static unsigned long prot_to_vm(int prot)
{
	return (prot & PROT_READ ? VM_READ : 0) |
	       (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

static u64 pages_in_range(struct mm *mm, uaddr_t start, uaddr_t end)
{
	struct vma *v = find_vma(mm, start);
	u64 n = 0;

	for (; v && v->start < end; v = vma_next(mm, v))
		n += (min(v->end, end) - max(v->start, start)) >> PAGE_SHIFT;
	return n;
}

/*
 * Carries out a validated mapping: [addr, addr + len) replaces whatever
 * is there. hflags are the host's MAP_ flags beyond MAP_FIXED and the
 * type. Returns addr or -errno; on failure the range may have been
 * unmapped, as Linux allows for MAP_FIXED.
 */
static long mmap_region(struct task *t, struct mm *mm, uaddr_t addr,
			size_t len, unsigned long vm_flags, int hflags,
			struct file *file, u64 off)
{
	u64 pages = len >> PAGE_SHIFT, charged = 0;
	uaddr_t end = addr + len;
	struct anon_shm *shm = NULL;
	int host_fd = -1, prot = 0;
	struct vma *v;
	LIST_HEAD(old);
	long r;

	r = mm_check_rlimits(t, mm, pages - pages_in_range(mm, addr, end),
			     vm_flags);
	if (r < 0)
		return r;
	if (vm_flags & VM_LOCKED) {
		r = mlock_check(t, mm, pages);
		if (r < 0)
			return r;
	}
	v = vma_alloc();
	if (!v)
		return -ENOMEM;
	if (vma_accountable(vm_flags)) {
		r = vm_commit(pages);
		if (r < 0)
			goto out_free;
		charged = pages;
		vm_flags |= VM_ACCOUNT;
	}

	if (file) {
		/*
		 * Only a shared mapping that may become writable gets the
		 * writable fd: the host mapping must never give a guest more
		 * than its file permissions.
		 */
		if (vm_flags & VM_SHARED)
			r = file_host_fd(file, &host_fd);
		else
			r = file_host_fd_ro(file, &host_fd);
		if (r < 0) {
			if (r == -EMFILE || r == -ENFILE)
				r = -ENOMEM;
			goto out_uncommit;
		}
	} else if (vm_flags & VM_MAYSHARE) {
		shm = shm_create(len);
		if (IS_ERR(shm)) {
			r = PTR_ERR(shm);
			shm = NULL;
			goto out_uncommit;
		}
		host_fd = shm->fd;
		off = 0;
	}

	r = vma_carve(mm, addr, end, &old);
	if (r < 0)
		goto out_fd;

	if (vm_flags & VM_READ)
		prot |= PROT_READ;
	if (vm_flags & VM_WRITE)
		prot |= PROT_WRITE;
	if (vm_flags & VM_EXEC)
		prot |= PROT_EXEC;
	hflags |= MAP_FIXED | (vm_flags & VM_MAYSHARE ? MAP_SHARED :
			       MAP_PRIVATE);
	if (host_fd < 0)
		hflags |= MAP_ANONYMOUS;
	r = plat_mmap(t->pth, addr, len, prot, hflags, host_fd,
		      host_fd < 0 ? 0 : off);
	if (r < 0) {
		/* The old mappings may be gone already: drop them all. */
		host_unmap(t, addr, end);
		vma_free_list(mm, &old);
		goto out_fd;
	}
	vma_free_list(mm, &old);

	v->start = addr;
	v->end = end;
	v->flags = vm_flags;
	v->pgoff = off;
	v->file = file ? get_file(file) : NULL;
	v->shm = shm;
	vma_link(mm, v);
	if (charged)
		mm->committed += charged;
	vma_merge_around(mm, v);
	return (long)addr;

out_fd:
	if (shm)
		shm_put(shm);
out_uncommit:
	if (charged)
		vm_uncommit(charged);
out_free:
	kfree(v);
	return r;
}

long do_mmap(struct task *t, struct mm *mm, uaddr_t addr, size_t len,
	     int prot, int flags, struct file *file, u64 off)
{
	int type = flags & MAP_TYPE;
	unsigned long vm_flags;
	int hflags = 0;
	long r;

	if (!len)
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE &&
	    type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && !file)
		return -EINVAL;		/* validates file mappings only */
	if (type == MAP_SHARED_VALIDATE &&
	    (flags & ~MAP_KNOWN_FLAGS || flags & MAP_SYNC))
		return -EOPNOTSUPP;	/* MAP_SYNC needs DAX: none here */
	if (off & ~PAGE_MASK)
		return -EINVAL;
	if ((prot & PROT_READ) && (t->personality & READ_IMPLIES_EXEC))
		prot |= PROT_EXEC;
	if (flags & MAP_HUGETLB)
		/* No hugetlbfs, no huge pages reserved (nr_hugepages 0). */
		return file ? -EINVAL : -ENOMEM;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED)) {
		addr &= PAGE_MASK;
		if (addr && addr < MMAP_MIN_ADDR)
			addr = MMAP_MIN_ADDR;
	}
	if (len > TASK_SIZE)
		return -ENOMEM;
	len = PAGE_ALIGN(len);
	if (off + len < off)
		return -EOVERFLOW;
	if (mm->map_count > MAX_MAP_COUNT)
		return -ENOMEM;

	vm_flags = prot_to_vm(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
		   (mm->def_flags & (VM_LOCKED | VM_LOCKONFAULT));
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	/*
	 * Thread stacks (glibc maps them MAP_STACK, 8 MiB each, and caches
	 * them after the thread ends) are mostly never touched: charging them
	 * would make a few threads exhaust mem=, which no Linux in its
	 * default overcommit mode does. They are treated as MAP_NORESERVE.
	 */
	if (flags & (MAP_NORESERVE | MAP_STACK))
		vm_flags |= VM_NORESERVE;

	if (file) {
		unsigned int fl = file_c(file)->f_flags;
		unsigned int acc = fl & O_ACCMODE;

		if (fl & O_PATH)
			return -EBADF;
		if (acc != O_RDONLY && acc != O_RDWR)
			return -EACCES;		/* not open for reading */
		if (type != MAP_PRIVATE) {
			unsigned int seals = file_seals(file);

			if ((prot & PROT_WRITE) && acc != O_RDWR)
				return -EACCES;
			if ((prot & PROT_WRITE) &&
			    (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
				return -EPERM;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			/* a write-sealed memfd's mapping can never turn writable */
			if (acc != O_RDWR ||
			    (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
				vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		}
		if (vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		/* /dev/zero maps as anonymous memory, private or shared. */
		if (file_c(file)->f_inode &&
		    inode_rdev(file_c(file)->f_inode) == MKDEV(1, 5)) {
			file = NULL;
			off = 0;
		}
	} else {
		if (type != MAP_PRIVATE) {
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
		}
		off = 0;
	}

	if (flags & MAP_FIXED) {
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		if (addr > TASK_SIZE || len > TASK_SIZE - addr)
			return -ENOMEM;
		if (addr < MMAP_MIN_ADDR || mm_hole_overlaps(addr, addr + len))
			return -EPERM;
		if ((flags & MAP_FIXED_NOREPLACE) &&
		    !range_is_free(mm, addr, addr + len))
			return -EEXIST;
	} else {
		r = get_unmapped_area(mm, addr, len, flags);
		if (r < 0)
			return r;
		addr = (uaddr_t)r;
	}

	if (flags & MAP_GROWSDOWN)
		hflags |= MAP_GROWSDOWN;
	if (flags & MAP_NORESERVE)
		hflags |= MAP_NORESERVE;
	if (flags & (MAP_POPULATE | MAP_LOCKED) && !(flags & MAP_NONBLOCK))
		hflags |= MAP_POPULATE;
	return mmap_region(t, mm, addr, len, vm_flags, hflags, file, off);
}

SYSCALL_DEFINE6(mmap, uaddr_t, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, unsigned long, fd, unsigned long, off)
{
	struct file *file = NULL;
	long r;

	if (off & ~PAGE_MASK)
		return -EINVAL;
	if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE && (flags >> 32) &&
	    !(flags & MAP_ANONYMOUS))
		return -EOPNOTSUPP;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget((int)fd);
		if (!file)
			return -EBADF;
	}
	r = do_mmap(current, current->mm, addr, len, (int)prot, (int)flags,
		    file, off);
	if (file)
		fput(file);
	return r;
}

long do_munmap(struct task *t, struct mm *mm, uaddr_t addr, size_t len)
{
	struct vma *v, *n;
	LIST_HEAD(old);
	int r, err = 0;

	if ((addr & ~PAGE_MASK) || addr > TASK_SIZE || len > TASK_SIZE - addr)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return -EINVAL;
	r = vma_carve(mm, addr, addr + len, &old);
	if (r < 0)
		return r;
	list_for_each_entry_safe(v, n, &old, list) {
		r = host_unmap(t, v->start, v->end);
		list_del(&v->list);
		if (r < 0) {
			/* Still mapped on the host: keep it. */
			vma_link(mm, v);
			err = r;
			continue;
		}
		vma_free(mm, v);
	}
	return err;
}

SYSCALL_DEFINE2(munmap, uaddr_t, addr, unsigned long, len)
{
	return do_munmap(current, current->mm, addr, len);
}

void mm_set_brk(struct mm *mm, uaddr_t addr)
{
	mm->start_brk = mm->brk = PAGE_ALIGN(addr);
}

/* Linux's brk: the new break, or the unchanged one on any failure. */
SYSCALL_DEFINE1(brk, uaddr_t, brk)
{
	struct mm *mm = current->mm;
	uaddr_t newbrk, oldbrk;
	u64 lim;
	struct vma *next;
	long r;

	if (!mm->start_brk || brk < mm->start_brk || brk > TASK_SIZE)
		return (long)mm->brk;
	lim = task_rlimit(current, RLIMIT_DATA);
	if (lim != RLIM_INFINITY &&
	    (brk - mm->start_brk) + (mm->end_data - mm->start_data) > lim)
		return (long)mm->brk;
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (newbrk == oldbrk) {
		mm->brk = brk;
		return (long)brk;
	}
	if (brk <= mm->brk) {
		r = do_munmap(current, mm, newbrk, oldbrk - newbrk);
		if (r < 0)
			return (long)mm->brk;
		mm->brk = brk;
		return (long)brk;
	}
	/* A page of guard between the heap and the next mapping. */
	next = find_vma(mm, oldbrk);
	if (next && (newbrk + PAGE_SIZE > TASK_SIZE ||
		     next->start < newbrk + PAGE_SIZE))
		return (long)mm->brk;
	if (mm_hole_overlaps(oldbrk, newbrk + PAGE_SIZE))
		return (long)mm->brk;
	if (mm->map_count >= MAX_MAP_COUNT)
		return (long)mm->brk;
	r = mmap_region(current, mm, oldbrk, newbrk - oldbrk,
			VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
			VM_MAYEXEC | (mm->def_flags & VM_LOCKED), 0, NULL, 0);
	if (r < 0)
		return (long)mm->brk;
	mm->brk = brk;
	return (long)brk;
}
