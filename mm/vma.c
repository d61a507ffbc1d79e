// SPDX-License-Identifier: GPL-2.0
/*
 * Address spaces as lists of VMAs: allocation, splitting and merging,
 * lookups, the search for free space, and fork's copy.
 *
 * The list is the kernel's truth about a guest address space; the host
 * process mirrors it (every change to the list is preceded by the host
 * call that makes it real). A sorted list keeps this simple; lookups are
 * linear in the number of mappings, which stays small for ordinary
 * programs and is bounded by MAX_MAP_COUNT.
 */
#include "kern/kernel.h"
#include "kern/fs.h"
#include "internal.h"

static u64 shm_ino_seq = 1;

struct vma *vma_alloc(void)
{
	struct vma *v = kzalloc(sizeof(*v));

	if (v)
		INIT_LIST_HEAD(&v->list);
	return v;
}

/* Frees a VMA and what it holds, leaving all counts alone. */
static void vma_destroy(struct vma *v)
{
	if (v->file)
		fput(v->file);
	if (v->shm)
		shm_put(v->shm);
	kfree(v->name);
	kfree(v);
}

/*
 * Frees an unlinked VMA with what it holds and its commit charge (which
 * lasts as long as the VMA, linked or not: total_vm and locked_vm count
 * linked VMAs only).
 */
void vma_free(struct mm *mm, struct vma *v)
{
	if (v->flags & VM_ACCOUNT) {
		vm_uncommit(vma_pages(v));
		mm->committed -= vma_pages(v);
	}
	vma_destroy(v);
}

void vma_link(struct mm *mm, struct vma *v)
{
	struct list_head *pos = &mm->vmas;
	struct vma *it;

	list_for_each_entry(it, &mm->vmas, list) {
		if (it->start >= v->end) {
			pos = &it->list;
			break;
		}
	}
	list_add_tail(&v->list, pos);
	mm->map_count++;
	mm->total_vm += vma_pages(v);
	if (v->flags & VM_LOCKED)
		mm->locked_vm += vma_pages(v);
}

void vma_unlink(struct mm *mm, struct vma *v)
{
	list_del(&v->list);
	mm->map_count--;
	mm->total_vm -= vma_pages(v);
	if (v->flags & VM_LOCKED)
		mm->locked_vm -= vma_pages(v);
}

struct vma *find_vma(struct mm *mm, uaddr_t addr)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, list)
		if (v->end > addr)
			return v;
	return NULL;
}

/* Makes addr a VMA boundary if it falls inside one. */
int vma_split_at(struct mm *mm, uaddr_t addr)
{
	struct vma *v = find_vma(mm, addr), *n;

	if (!v || v->start >= addr)
		return 0;
	if (mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	n = vma_alloc();
	if (!n)
		return -ENOMEM;
	if (v->name) {
		n->name = kstrdup(v->name);
		if (!n->name) {
			kfree(n);
			return -ENOMEM;
		}
	}
	n->start = addr;
	n->end = v->end;
	n->flags = v->flags;
	n->pgoff = v->pgoff + (addr - v->start);
	n->file = v->file ? get_file(v->file) : NULL;
	n->shm = v->shm;
	if (n->shm)
		shm_get(n->shm);
	v->end = addr;
	/* Counts move with the pages: only the list length grows. */
	list_add(&n->list, &v->list);
	mm->map_count++;
	return 0;
}

static bool same_name(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

/* Whether b can be folded into a (a ends where b starts). */
static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->flags != b->flags ||
	    a->file != b->file || a->shm != b->shm ||
	    !same_name(a->name, b->name))
		return false;
	if ((a->file || a->shm) && a->pgoff + (a->end - a->start) != b->pgoff)
		return false;
	return true;
}

/* Folds v into its neighbours where possible; returns the surviving VMA. */
struct vma *vma_merge_around(struct mm *mm, struct vma *v)
{
	struct vma *p = vma_prev(mm, v), *n = vma_next(mm, v);

	if (n && vma_mergeable(v, n)) {
		v->end = n->end;
		list_del(&n->list);
		mm->map_count--;
		vma_destroy(n);
	}
	if (p && vma_mergeable(p, v)) {
		p->end = v->end;
		list_del(&v->list);
		mm->map_count--;
		vma_destroy(v);
		v = p;
	}
	return v;
}

/* Merges what can be merged among the VMAs touching [start, end]. */
void vma_merge_range(struct mm *mm, uaddr_t start, uaddr_t end)
{
	struct vma *v = find_vma(mm, start ? start - 1 : 0);

	while (v && v->start <= end) {
		v = vma_merge_around(mm, v);
		v = vma_next(mm, v);
	}
}

bool range_is_free(struct mm *mm, uaddr_t start, uaddr_t end)
{
	struct vma *v = find_vma(mm, start);

	return !v || v->start >= end;
}

/*
 * Moves the VMAs inside [start, end) (split at both ends) from the list to
 * out. Nothing is freed: the caller decides after the host call.
 */
int vma_carve(struct mm *mm, uaddr_t start, uaddr_t end,
	      struct list_head *out)
{
	struct vma *v, *n;
	int r;

	v = find_vma(mm, start);
	/* Linux refuses the one split that leaves a net extra mapping. */
	if (v && v->start < start && v->end > end &&
	    mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	r = vma_split_at(mm, start);
	if (r < 0)
		return r;
	r = vma_split_at(mm, end);
	if (r < 0)
		return r;
	v = find_vma(mm, start);
	while (v && v->start < end) {
		n = vma_next(mm, v);
		vma_unlink(mm, v);
		list_add_tail(&v->list, out);
		v = n;
	}
	return 0;
}

void vma_free_list(struct mm *mm, struct list_head *list)
{
	struct vma *v, *n;

	list_for_each_entry_safe(v, n, list, list) {
		list_del(&v->list);
		vma_free(mm, v);
	}
}

/* ---- looking for free space ---- */

/* The end of the free space below the VMA n (guard gap under stacks). */
static uaddr_t gap_top(struct vma *n, uaddr_t limit)
{
	uaddr_t top = n ? n->start : limit;

	if (n && (n->flags & VM_GROWSDOWN))
		top = top > STACK_GUARD_GAP ? top - STACK_GUARD_GAP : 0;
	return min(top, limit);
}

static bool hint_fits(struct mm *mm, uaddr_t addr, size_t len)
{
	struct vma *n;

	if (addr < MMAP_MIN_ADDR || addr > TASK_SIZE - len ||
	    mm_hole_overlaps(addr, addr + len))
		return false;
	n = find_vma(mm, addr);
	return !n || addr + len <= gap_top(n, TASK_SIZE);
}

/* Lowest fit in [lo, hi). */
static long search_up(struct mm *mm, uaddr_t lo, uaddr_t hi, size_t len)
{
	uaddr_t base = lo;
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, list) {
		uaddr_t top = gap_top(v, hi);

		if (v->end <= base)
			continue;
		if (top >= base && top - base >= len)
			return (long)base;
		if (v->end >= hi)
			return -ENOMEM;
		base = max(base, v->end);
	}
	if (hi >= base && hi - base >= len)
		return (long)base;
	return -ENOMEM;
}

/* Highest fit in [lo, hi). */
static long search_down(struct mm *mm, uaddr_t lo, uaddr_t hi, size_t len)
{
	struct list_head *pos = mm->vmas.prev;
	struct vma *v, *n = NULL;	/* the free gap lies between v and n */

	for (;;) {
		uaddr_t top, bottom;

		v = pos == &mm->vmas ? NULL :
			container_of(pos, struct vma, list);
		top = gap_top(n, hi);
		bottom = max(v ? v->end : 0, lo);
		if (top > bottom && top - bottom >= len)
			return (long)(top - len);
		if (!v || v->end <= lo)
			return -ENOMEM;
		n = v;
		pos = pos->prev;
	}
}

/* A fit in [lo, hi) outside MM_HOLE: the highest if down, else the lowest. */
static long search(struct mm *mm, uaddr_t lo, uaddr_t hi, size_t len, bool down)
{
	long (*fn)(struct mm *, uaddr_t, uaddr_t, size_t) =
		down ? search_down : search_up;
	long r = -ENOMEM;

	if (hi <= MM_HOLE_START || lo >= MM_HOLE_END)
		return fn(mm, lo, hi, len);
	/* the part above the hole first when going down, below it when up */
	if (down && hi > MM_HOLE_END)
		r = fn(mm, MM_HOLE_END, hi, len);
	if (r < 0 && lo < MM_HOLE_START)
		r = fn(mm, lo, MM_HOLE_START, len);
	if (r < 0 && !down && hi > MM_HOLE_END)
		r = fn(mm, MM_HOLE_END, hi, len);
	return r;
}

/*
 * Picks an address for a mapping of len bytes that is not MAP_FIXED: the
 * hint if that space is free, else top-down below mmap_base, else
 * anywhere; MAP_32BIT looks in the second GiB, as x86-64 Linux does.
 */
long get_unmapped_area(struct mm *mm, uaddr_t hint, size_t len, int flags)
{
	long r;

	if (len > TASK_SIZE - MMAP_MIN_ADDR)
		return -ENOMEM;
	if (flags & MAP_32BIT)
		return search(mm, 0x40000000UL, 0x80000000UL, len, false);
	hint = PAGE_ALIGN(hint);
	if (hint && hint_fits(mm, hint, len))
		return (long)hint;
	r = search(mm, MMAP_MIN_ADDR, min(mm->mmap_base, TASK_SIZE), len, true);
	if (r >= 0)
		return r;
	return search(mm, MMAP_MIN_ADDR, TASK_SIZE, len, false);
}

/* ---- shared anonymous memory ---- */

struct anon_shm *shm_create(u64 size)
{
	struct anon_shm *s;
	int r;

	r = vm_commit(size >> PAGE_SHIFT);
	if (r < 0)
		return ERR_PTR(r);
	s = kzalloc(sizeof(*s));
	if (!s) {
		vm_uncommit(size >> PAGE_SHIFT);
		return ERR_PTR(-ENOMEM);
	}
	s->fd = os_memfd("dev/zero");
	if (s->fd < 0) {
		r = s->fd;
		goto fail;
	}
	r = os_ftruncate(s->fd, size);
	if (r < 0) {
		os_close(s->fd);
		goto fail;
	}
	s->refs = 1;
	s->size = size;
	s->ino = shm_ino_seq++;
	vm_shmem_add((s64)(size >> PAGE_SHIFT));
	return s;
fail:
	kfree(s);
	vm_uncommit(size >> PAGE_SHIFT);
	/* The host's limits are ours to hide: the guest sees memory pressure. */
	return ERR_PTR(r == -EMFILE || r == -ENFILE ? -ENOMEM : r);
}

void shm_get(struct anon_shm *s)
{
	s->refs++;
}

void shm_put(struct anon_shm *s)
{
	if (--s->refs > 0)
		return;
	os_close(s->fd);
	vm_uncommit(s->size >> PAGE_SHIFT);
	vm_shmem_add(-(s64)(s->size >> PAGE_SHIFT));
	kfree(s);
}

/* ---- address spaces ---- */

struct mm *mm_alloc(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->refs = 1;
	INIT_LIST_HEAD(&mm->vmas);
	/*
	 * Room for the stack above mmap_base: Linux keeps at least 128 MiB
	 * (more with a bigger RLIMIT_STACK, which exec may set here).
	 */
	mm->mmap_base = TASK_SIZE - (128UL << 20) - STACK_GUARD_GAP;
	return mm;
}

void mm_get(struct mm *mm)
{
	mm->refs++;
}

static void mm_free_vmas(struct mm *mm)
{
	struct vma *v, *n;

	list_for_each_entry_safe(v, n, &mm->vmas, list) {
		vma_unlink(mm, v);
		vma_free(mm, v);
	}
}

void mm_put(struct mm *mm)
{
	if (!mm || --mm->refs > 0)
		return;
	mm_free_vmas(mm);
	if (mm->exe_file)
		fput(mm->exe_file);
	kfree(mm->exe_path);
	kfree(mm);
}

static struct vma *vma_copy(const struct vma *o)
{
	struct vma *v = vma_alloc();

	if (!v)
		return NULL;
	if (o->name) {
		v->name = kstrdup(o->name);
		if (!v->name) {
			kfree(v);
			return NULL;
		}
	}
	v->start = o->start;
	v->end = o->end;
	v->flags = o->flags;
	v->pgoff = o->pgoff;
	v->file = o->file ? get_file(o->file) : NULL;
	v->shm = o->shm;
	if (v->shm)
		shm_get(v->shm);
	return v;
}

struct mm *mm_dup(struct mm *old)
{
	struct mm *mm = mm_alloc();
	struct vma *o, *v;

	if (!mm)
		return NULL;
	/* Everything but the list and the counts that follow from it. */
	mm->mmap_base = old->mmap_base;
	mm->start_code = old->start_code;
	mm->end_code = old->end_code;
	mm->start_data = old->start_data;
	mm->end_data = old->end_data;
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->start_stack = old->start_stack;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	mm->auxv_start = old->auxv_start;
	mm->auxv_end = old->auxv_end;
	mm->vdso_base = old->vdso_base;
	mm->def_flags = old->def_flags;
	if (old->exe_path) {
		mm->exe_path = kstrdup(old->exe_path);
		if (!mm->exe_path)
			goto fail;
	}
	if (old->exe_file)
		mm->exe_file = get_file(old->exe_file);

	list_for_each_entry(o, &old->vmas, list) {
		/* MADV_DONTFORK: the host child does not get it either. */
		if (o->flags & VM_DONTCOPY)
			continue;
		v = vma_copy(o);
		if (!v)
			goto fail;
		if (v->flags & VM_ACCOUNT) {
			if (vm_commit(vma_pages(v)) < 0) {
				vma_destroy(v);
				goto fail;
			}
			mm->committed += vma_pages(v);
		}
		/* Linux does not inherit mlock across fork. */
		v->flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
		list_add_tail(&v->list, &mm->vmas);
		mm->map_count++;
		mm->total_vm += vma_pages(v);
	}
	mm->def_flags = 0;
	return mm;
fail:
	mm_put(mm);
	return NULL;
}

const void *mm_shared_anon_key(struct mm *mm, uaddr_t addr, u64 *off)
{
	struct vma *v = find_vma(mm, addr);

	if (!v || v->start > addr || !v->shm)
		return NULL;
	*off = v->pgoff + (addr - v->start);
	return v->shm;
}

void mm_mark(struct mm *mm, uaddr_t addr, unsigned long vm_flags,
	     const char *name)
{
	struct vma *v = find_vma(mm, addr);
	char *s = NULL;

	if (!v || v->start > addr)
		return;
	if (name) {
		s = kstrdup(name);
		if (!s)
			return;
	}
	v->flags |= vm_flags;
	if (s) {
		kfree(v->name);
		v->name = s;
	}
}
