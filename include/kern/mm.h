/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest address spaces (DESIGN.md decision 3). The kernel keeps the list of
 * each address space's mappings (VMAs) as the truth for /proc/PID/maps,
 * mprotect rules and accounting; the host carries them out: every change is
 * mirrored by a host mapping call made inside the guest process through the
 * platform (plat_mmap etc., on the acting task's plat_thread). Anonymous
 * memory and its page faults are the host's; fork is a host fork, so
 * copy-on-write is the host's too. File mappings map the file's host
 * memfd (page cache), so MAP_SHARED is coherent with read/write.
 */
#ifndef KERN_MM_H
#define KERN_MM_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/platform.h"

struct file;
struct task;

#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_GROWSDOWN	0x01000000
#define PROT_GROWSUP	0x02000000

#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE	0x0f
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_GROWSDOWN	0x0100
#define MAP_DENYWRITE	0x0800
#define MAP_EXECUTABLE	0x1000
#define MAP_LOCKED	0x2000
#define MAP_NORESERVE	0x4000
#define MAP_POPULATE	0x8000
#define MAP_NONBLOCK	0x10000
#define MAP_STACK	0x20000
#define MAP_HUGETLB	0x40000
#define MAP_SYNC	0x80000
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_32BIT	0x40

/* VMA flags (ours; the VM_ names follow Linux) */
#define VM_READ		0x1
#define VM_WRITE	0x2
#define VM_EXEC		0x4
#define VM_SHARED	0x8
#define VM_MAYREAD	0x10
#define VM_MAYWRITE	0x20
#define VM_MAYEXEC	0x40
#define VM_MAYSHARE	0x80
#define VM_GROWSDOWN	0x100
#define VM_ACCOUNT	0x1000		/* counted against the commit limit */
#define VM_STACK	0x2000		/* the main stack: "[stack]" */
#define VM_HEAP		0x4000		/* the brk area: "[heap]" */
#define VM_DONTCOPY	0x8000
#define VM_LOCKED	0x10000		/* mlock */
#define VM_LOCKONFAULT	0x20000
#define VM_NORESERVE	0x40000		/* MAP_NORESERVE: not accounted */
#define VM_DONTDUMP	0x80000

struct anon_shm;

struct vma {
	struct list_head list;		/* in mm->vmas, sorted by start */
	uaddr_t start, end;		/* [start, end), page aligned */
	unsigned long flags;		/* VM_* */
	struct file *file;		/* NULL for anonymous */
	u64 pgoff;			/* file offset in bytes of start */
	char *name;			/* "[vdso]", ... or NULL */
	struct anon_shm *shm;		/* shared anonymous: its host memfd */
};

struct mm {
	int refs;			/* tasks sharing it (threads, vfork) */
	struct list_head vmas;
	int map_count;
	uaddr_t mmap_base;		/* top-down allocation starts below */
	uaddr_t start_code, end_code, start_data, end_data;
	uaddr_t start_brk, brk;
	uaddr_t start_stack;
	uaddr_t arg_start, arg_end, env_start, env_end;
	uaddr_t auxv_start, auxv_end;
	uaddr_t vdso_base;
	u64 total_vm;			/* pages mapped */
	u64 committed;			/* pages counted against the commit limit */
	char *exe_path;			/* for /proc/PID/exe */
	struct file *exe_file;
	u64 locked_vm;			/* pages with VM_LOCKED */
	unsigned long def_flags;	/* VM_LOCKED after mlockall(MCL_FUTURE) */
	unsigned int membarrier_state;	/* registrations (kernel/membarrier.c) */
};

/* Task size seen by the guest: everything above belongs to the stub. */
#define TASK_SIZE	0x7f0000000000UL

/* Lowest address a guest may map (Linux's vm.mmap_min_addr). */
#define MMAP_MIN_ADDR	0x10000UL

/*
 * A range no guest mapping may take: the platform's (kern/platform.h).
 * MAP_FIXED there fails with EPERM, as below MMAP_MIN_ADDR; searches for
 * free space and brk go around it.
 */
#define MM_HOLE_START	PLAT_RESERVED_START
#define MM_HOLE_END	PLAT_RESERVED_END

static inline bool mm_hole_overlaps(uaddr_t start, uaddr_t end)
{
	return start < MM_HOLE_END && end > MM_HOLE_START;
}

/* A new empty address space (refs 1), or NULL if out of memory. */
struct mm *mm_alloc(void);
/*
 * For fork: a copy of the VMA list (the host copies the memory itself),
 * with file references taken and private memory charged again; NULL if
 * out of memory or over the commit limit (fork answers -ENOMEM).
 */
struct mm *mm_dup(struct mm *old);
void mm_get(struct mm *mm);
/*
 * The last put releases the VMAs (files, shared memory, commit charge),
 * exe_file (fput) and exe_path (kfree): the mm owns those two. Nothing is
 * unmapped on the host: the host process dies or is replaced.
 */
void mm_put(struct mm *mm);

/*
 * The core of mmap(2), used by sys_mmap and the ELF loader. t is the task
 * whose host process carries out the host calls (it must be stopped at an
 * event: normally current). Returns the address or -errno.
 * off is in bytes (page aligned).
 */
long do_mmap(struct task *t, struct mm *mm, uaddr_t addr, size_t len,
	     int prot, int flags, struct file *file, u64 off);
long do_munmap(struct task *t, struct mm *mm, uaddr_t addr, size_t len);
long do_mprotect(struct task *t, struct mm *mm, uaddr_t addr, size_t len,
		 int prot);
/*
 * For shared futex keys: the shared anonymous memory object mapped at
 * addr (stable across fork, mremap, splits and merges) and the offset of
 * addr in it; NULL if addr is not in shared anonymous memory.
 */
const void *mm_shared_anon_key(struct mm *mm, uaddr_t addr, u64 *off);
/* Sets up the brk area to start at addr (exec). */
void mm_set_brk(struct mm *mm, uaddr_t addr);
/* Names a VMA containing addr (e.g. "[stack]") and flags it. */
void mm_mark(struct mm *mm, uaddr_t addr, unsigned long vm_flags,
	     const char *name);
struct vma *find_vma(struct mm *mm, uaddr_t addr);	/* first with end > addr */

/* The commit limit (mem=) and its accounting, in pages. */
extern u64 mem_total_pages;
u64 vm_committed_pages(void);
u64 vm_commit_limit(void);
int vm_commit(u64 pages);	/* 0 or -ENOMEM */
void vm_uncommit(u64 pages);

/* For /proc/meminfo: all in kB. */
struct mm_meminfo {
	u64 total, free, available;
	u64 shmem;			/* shared anonymous memory */
	u64 committed_as, commit_limit;
	u64 vmalloc_total;
};
void mm_meminfo(struct mm_meminfo *mi);

/* For /proc/PID/status and statm: all in pages. */
struct mm_stats {
	u64 total_vm, locked_vm, data_vm, stack_vm, exec_vm, shared_vm;
};
void mm_stats(struct mm *mm, struct mm_stats *st);

/*
 * The text of /proc/PID/maps for mm, kmalloc'd (NUL-terminated, *len
 * bytes without the NUL), or NULL if out of memory. Paths come from
 * file_path(), so call it in the reader's context (current's root).
 */
char *mm_maps_text(struct mm *mm, size_t *len);

#endif
