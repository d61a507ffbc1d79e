// SPDX-License-Identifier: GPL-2.0
/*
 * mem= as a commit limit, and the numbers /proc/meminfo shows.
 *
 * Guest memory is host memory, faulted in by the host, so the kernel
 * cannot count pages as they are touched. What it can count is what
 * guests ask for: the policy is Linux's strict accounting ("overcommit
 * never") applied to the same mappings Linux would charge - private
 * writable mappings (anonymous or file, charged when they become
 * writable) and shared anonymous memory - against mem= itself: a guest
 * with mem=32M never holds more than 32 MB of memory it could write, as a
 * machine with that much RAM and no swap could not. A guest's runaway
 * allocation becomes ENOMEM instead of host memory pressure.
 * MAP_NORESERVE mappings and read-only file mappings are not charged, as
 * in Linux's default mode, and neither are MAP_STACK mappings (thread
 * stacks: see do_mmap). mem_total_pages of 0 (before boot sets it) means
 * no limit.
 */
#include "kern/kernel.h"
#include "internal.h"

u64 mem_total_pages;
static u64 committed_pages;
static u64 shmem_pages;

u64 vm_commit_limit(void)
{
	return mem_total_pages;
}

u64 vm_committed_pages(void)
{
	return committed_pages;
}

int vm_commit(u64 pages)
{
	if (mem_total_pages && (pages > vm_commit_limit() ||
				committed_pages > vm_commit_limit() - pages))
		return -ENOMEM;
	committed_pages += pages;
	return 0;
}

void vm_uncommit(u64 pages)
{
	if (unlikely(pages > committed_pages)) {
		pr_warn_once("mm: commit count underflow\n");
		pages = committed_pages;
	}
	committed_pages -= pages;
}

void vm_shmem_add(s64 pages)
{
	shmem_pages += (u64)pages;
}

u64 vm_shmem_pages(void)
{
	return shmem_pages;
}

/*
 * Free memory is estimated from what is committed: the host does not tell
 * us which guest pages are resident, and committed memory is an upper
 * bound of what the guest can have touched (file pages aside).
 */
void mm_meminfo(struct mm_meminfo *mi)
{
	u64 kb = PAGE_SIZE >> 10;
	u64 used = min(committed_pages, mem_total_pages);

	memset(mi, 0, sizeof(*mi));
	mi->total = mem_total_pages * kb;
	mi->free = (mem_total_pages - used) * kb;
	mi->available = mi->free;
	mi->shmem = shmem_pages * kb;
	mi->committed_as = committed_pages * kb;
	mi->commit_limit = vm_commit_limit() * kb;
	mi->vmalloc_total = 34359738367ULL;	/* x86-64's, as Linux shows */
}

void mm_stats(struct mm *mm, struct mm_stats *st)
{
	struct vma *v;

	memset(st, 0, sizeof(*st));
	st->total_vm = mm->total_vm;
	st->locked_vm = mm->locked_vm;
	/* Linux's classes: stack, code (exec, not writable), data, shared. */
	list_for_each_entry(v, &mm->vmas, list) {
		u64 n = vma_pages(v);

		if (v->flags & (VM_STACK | VM_GROWSDOWN))
			st->stack_vm += n;
		else if ((v->flags & (VM_EXEC | VM_WRITE)) == VM_EXEC)
			st->exec_vm += n;
		else if ((v->flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			st->data_vm += n;
		if (v->flags & VM_SHARED || v->shm)
			st->shared_vm += n;
	}
}
