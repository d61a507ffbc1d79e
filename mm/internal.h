/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the files of mm/ only. */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/mm.h"

struct task;

/* Linux's vm.max_map_count default. */
#define MAX_MAP_COUNT		65530
/* Gap kept free below a VM_GROWSDOWN mapping (Linux's stack_guard_gap). */
#define STACK_GUARD_GAP		(256UL << PAGE_SHIFT)

#define MREMAP_MAYMOVE		1
#define MREMAP_FIXED		2
#define MREMAP_DONTUNMAP	4

/*
 * Shared anonymous memory: a host memfd, so that a host fork keeps it
 * shared. Referenced by every VMA mapping it, in every mm. Its commit
 * charge is the object's, not the VMAs', so forks do not charge it twice.
 */
struct anon_shm {
	int refs;
	int fd;
	u64 size;		/* bytes, fixed; also the pages charged */
	u64 ino;		/* for /proc/PID/maps */
};

static inline u64 vma_pages(const struct vma *v)
{
	return (v->end - v->start) >> PAGE_SHIFT;
}

static inline struct vma *vma_next(struct mm *mm, struct vma *v)
{
	return v->list.next == &mm->vmas ? NULL :
		container_of(v->list.next, struct vma, list);
}

static inline struct vma *vma_prev(struct mm *mm, struct vma *v)
{
	return v->list.prev == &mm->vmas ? NULL :
		container_of(v->list.prev, struct vma, list);
}

static inline struct vma *vma_first(struct mm *mm)
{
	return list_empty(&mm->vmas) ? NULL :
		container_of(mm->vmas.next, struct vma, list);
}

/* A private mapping whose pages are charged to the commit limit. */
static inline bool vma_accountable(unsigned long flags)
{
	return (flags & (VM_SHARED | VM_MAYSHARE | VM_WRITE | VM_NORESERVE))
		== VM_WRITE;
}

/* mm/vma.c */
struct vma *vma_alloc(void);
void vma_free(struct mm *mm, struct vma *v);	/* unlinked; uncharges */
void vma_link(struct mm *mm, struct vma *v);	/* sorted insert */
void vma_unlink(struct mm *mm, struct vma *v);
int vma_split_at(struct mm *mm, uaddr_t addr);
struct vma *vma_merge_around(struct mm *mm, struct vma *v);
void vma_merge_range(struct mm *mm, uaddr_t start, uaddr_t end);
bool range_is_free(struct mm *mm, uaddr_t start, uaddr_t end);
int vma_carve(struct mm *mm, uaddr_t start, uaddr_t end,
	      struct list_head *out);
void vma_free_list(struct mm *mm, struct list_head *list);
long get_unmapped_area(struct mm *mm, uaddr_t hint, size_t len, int flags);

/* mm/shm.c-like helpers in mm/vma.c */
struct anon_shm *shm_create(u64 size);
void shm_get(struct anon_shm *s);
void shm_put(struct anon_shm *s);

/* mm/commit.c */
void vm_shmem_add(s64 pages);
u64 vm_shmem_pages(void);

/* mm/mmap.c */
int mm_check_rlimits(struct task *t, struct mm *mm, u64 add_pages,
		     unsigned long flags);
int host_unmap(struct task *t, uaddr_t start, uaddr_t end);

/* mm/mlock.c */
int mlock_check(struct task *t, struct mm *mm, u64 add_pages);

#endif
