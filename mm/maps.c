// SPDX-License-Identifier: GPL-2.0
/* The text of /proc/PID/maps, in Linux's format. */
#include "kern/kernel.h"
#include "kern/fs.h"
#include "kern/platform.h"
#include "internal.h"

/* Linux pads to this width (25 + 6 * sizeof(void *) - 1), then a space. */
#define MAPS_PAD_WIDTH	72

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = max(b->cap * 2, b->len + n + 1);
		char *p = krealloc(b->p, cap);

		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static const char *vma_special_name(struct mm *mm, struct vma *v)
{
	if (v->name)
		return v->name;
	if (v->file || v->shm)
		return NULL;
	if (mm->start_brk && v->start <= mm->brk && v->end >= mm->start_brk)
		return "[heap]";
	if ((v->flags & VM_STACK) ||
	    (v->start <= mm->start_stack && v->end >= mm->start_stack))
		return "[stack]";
	return NULL;
}

static void show_vma(struct buf *b, struct mm *mm, struct vma *v)
{
	char line[128], *path = NULL;
	const char *name = vma_special_name(mm, v);
	unsigned int major = 0, minor = 0;
	u64 ino = 0, off = 0;
	int n;

	if (v->file) {
		dev_t dev = 0;

		file_dev_ino(v->file, &dev, &ino);
		major = MAJOR(dev);
		minor = MINOR(dev);
		off = v->pgoff;
		if (!name) {
			path = file_path(v->file);
			name = path;
		}
	} else if (v->shm) {
		/* Linux shows shared anonymous memory as a deleted shmem file. */
		minor = 1;
		ino = v->shm->ino;
		off = v->pgoff;
		if (!name)
			name = "/dev/zero (deleted)";
	}
	n = snprintf(line, sizeof(line), "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %llu ",
		     v->start, v->end,
		     v->flags & VM_READ ? 'r' : '-',
		     v->flags & VM_WRITE ? 'w' : '-',
		     v->flags & VM_EXEC ? 'x' : '-',
		     v->flags & VM_MAYSHARE ? 's' : 'p',
		     (unsigned long long)off, major, minor,
		     (unsigned long long)ino);
	n = min(n, (int)sizeof(line) - 1);
	put(b, line, (size_t)n);
	if (name) {
		static const char spaces[MAPS_PAD_WIDTH + 1] = {
			[0 ... MAPS_PAD_WIDTH] = ' '
		};

		put(b, spaces, (size_t)(n < MAPS_PAD_WIDTH ?
					MAPS_PAD_WIDTH - n + 1 : 1));
		put(b, name, strlen(name));
	}
	put(b, "\n", 1);
	kfree(path);
}

char *mm_maps_text(struct mm *mm, size_t *len)
{
	struct buf b = { 0 };
	struct vma *v;

	put(&b, "", 0);
	list_for_each_entry(v, &mm->vmas, list)
		show_vma(&b, mm, v);
	/*
	 * The host's vDSO is mapped in every guest process, above TASK_SIZE
	 * and outside the VMA list; the guest finds it through auxv.
	 */
	if (mm->vdso_base) {
		struct vma vdso = { .flags = VM_READ | VM_EXEC, .name = "[vdso]" };
		size_t size = 0;

		if (plat_vdso_base(&size) == mm->vdso_base && size) {
			vdso.start = mm->vdso_base;
			vdso.end = mm->vdso_base + PAGE_ALIGN(size);
			show_vma(&b, mm, &vdso);
		}
	}
	if (b.oom) {
		kfree(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}
