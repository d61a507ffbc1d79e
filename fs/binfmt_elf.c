// SPDX-License-Identifier: GPL-2.0
/*
 * The ELF loader: static and dynamic (PT_INTERP) x86-64 executables, PIE
 * included. Segments are file mappings (MAP_PRIVATE over the file's page
 * cache memfd), so every process running a binary shares its pages.
 *
 * Every header field is untrusted: counts, offsets and sizes are checked
 * before use, and a malformed file gives ENOEXEC before the point of no
 * return, never a crash.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/exec.h"
#include "kern/fs.h"
#include "kern/mm.h"
#include "kern/uaccess.h"
#include <linux/elf.h>
#include <linux/auxvec.h>

#define ELF_ET_DYN_BASE		0x555555554000UL
#define ELF_MIN_ALIGN		PAGE_SIZE
#define MAX_PHNUM		(65536 / sizeof(struct elf64_phdr))

struct elf_image {
	struct elf64_hdr eh;
	struct elf64_phdr *ph;
	struct file *file;
	uaddr_t bias;
	uaddr_t lo, hi;		/* page-aligned span of the PT_LOADs, unbiased */
	uaddr_t brk;		/* biased end of the highest segment */
};

static int read_exact(struct file *f, void *buf, size_t len, loff_t pos)
{
	ssize_t n = kernel_read(f, buf, len, &pos);

	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -ENOEXEC;
}

static int elf_read_headers(struct elf_image *img, const u8 *buf, size_t len)
{
	struct elf64_hdr *eh = &img->eh;
	size_t phsize;
	int r;

	if (len < sizeof(*eh))
		return -ENOEXEC;
	memcpy(eh, buf, sizeof(*eh));
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return -ENOEXEC;
	if (eh->e_machine != EM_X86_64)
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum < 1 ||
	    eh->e_phnum > MAX_PHNUM)
		return -ENOEXEC;
	phsize = (size_t)eh->e_phnum * sizeof(struct elf64_phdr);
	img->ph = kmalloc(phsize);
	if (!img->ph)
		return -ENOMEM;
	r = read_exact(img->file, img->ph, phsize, (loff_t)eh->e_phoff);
	if (r < 0)
		return r;
	return 0;
}

/* Checks the loadable segments and computes the image's span. */
static int elf_check_segments(struct elf_image *img)
{
	bool any = false;

	img->lo = ~0UL;
	img->hi = 0;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		struct elf64_phdr *p = &img->ph[i];
		u64 end;

		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_filesz > p->p_memsz ||
		    (p->p_vaddr & (ELF_MIN_ALIGN - 1)) !=
		    (p->p_offset & (ELF_MIN_ALIGN - 1)) ||
		    __builtin_add_overflow(p->p_vaddr, p->p_memsz, &end) ||
		    end > TASK_SIZE || p->p_offset > (1ULL << 40))
			return -ENOEXEC;
		img->lo = min(img->lo, ALIGN_DOWN(p->p_vaddr, PAGE_SIZE));
		img->hi = max(img->hi, PAGE_ALIGN(end));
		any = true;
	}
	if (!any || img->hi - img->lo > TASK_SIZE / 2)
		return -ENOEXEC;
	return 0;
}

static int prot_of(u32 pf)
{
	return (pf & PF_R ? PROT_READ : 0) | (pf & PF_W ? PROT_WRITE : 0) |
	       (pf & PF_X ? PROT_EXEC : 0);
}

static int map_segment(struct task *t, struct elf_image *img,
		       struct elf64_phdr *p)
{
	struct mm *mm = t->mm;
	int prot = prot_of(p->p_flags);
	uaddr_t start = ALIGN_DOWN(img->bias + p->p_vaddr, PAGE_SIZE);
	uaddr_t file_end = img->bias + p->p_vaddr + p->p_filesz;
	uaddr_t mem_end = img->bias + p->p_vaddr + p->p_memsz;
	uaddr_t zero_end = PAGE_ALIGN(file_end);
	bool bss = p->p_memsz > p->p_filesz;
	long r;

	if (p->p_filesz) {
		/* writable while the tail of the last file page is zeroed */
		r = do_mmap(t, mm, start, zero_end - start,
			    prot | (bss ? PROT_WRITE : 0),
			    MAP_PRIVATE | MAP_FIXED, img->file,
			    ALIGN_DOWN(p->p_offset, PAGE_SIZE));
		if (r < 0)
			return (int)r;
		/*
		 * As Linux does, the rest of the last file page is zeroed,
		 * not just up to p_memsz: ld.so's early allocator uses that
		 * tail of its own data page and relies on it being zero.
		 */
		if (bss && zero_end > file_end &&
		    clear_user(file_end, zero_end - file_end) < 0)
			return -EFAULT;
		if (bss && !(prot & PROT_WRITE)) {
			r = do_mprotect(t, mm, start, zero_end - start, prot);
			if (r < 0)
				return (int)r;
		}
	} else {
		zero_end = start;
	}
	if (PAGE_ALIGN(mem_end) > zero_end) {
		r = do_mmap(t, mm, zero_end, PAGE_ALIGN(mem_end) - zero_end,
			    prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			    NULL, 0);
		if (r < 0)
			return (int)r;
	}
	img->brk = max(img->brk, PAGE_ALIGN(mem_end));
	return 0;
}

/*
 * Maps an image at a fixed bias (ET_EXEC: 0) or, with reserve set, at an
 * address mmap chooses for the whole span first.
 */
static int map_image(struct task *t, struct elf_image *img, uaddr_t bias,
		     bool reserve)
{
	int r;

	if (reserve) {
		long base = do_mmap(t, t->mm, bias ? bias + img->lo : 0,
				    img->hi - img->lo, PROT_NONE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
				    (bias ? MAP_FIXED : 0), NULL, 0);
		if (base < 0)
			return (int)base;
		bias = (uaddr_t)base - img->lo;
	}
	img->bias = bias;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		if (img->ph[i].p_type != PT_LOAD)
			continue;
		r = map_segment(t, img, &img->ph[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Address of the program headers in the loaded image (AT_PHDR). */
static uaddr_t phdr_addr(struct elf_image *img)
{
	for (int i = 0; i < img->eh.e_phnum; i++)
		if (img->ph[i].p_type == PT_PHDR)
			return img->bias + img->ph[i].p_vaddr;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		struct elf64_phdr *p = &img->ph[i];

		if (p->p_type == PT_LOAD && p->p_offset <= img->eh.e_phoff &&
		    img->eh.e_phoff < p->p_offset + p->p_filesz)
			return img->bias + p->p_vaddr +
			       (img->eh.e_phoff - p->p_offset);
	}
	return 0;
}

static int open_interp(struct elf_image *exe, struct elf_image *interp)
{
	char *path = NULL;
	loff_t pos;
	u8 buf[sizeof(struct elf64_hdr)];
	ssize_t n;
	int r = 0;

	for (int i = 0; i < exe->eh.e_phnum; i++) {
		struct elf64_phdr *p = &exe->ph[i];

		if (p->p_type != PT_INTERP)
			continue;
		if (path || p->p_filesz < 2 || p->p_filesz > PATH_MAX)
			return -ENOEXEC;
		path = kmalloc(p->p_filesz);
		if (!path)
			return -ENOMEM;
		r = read_exact(exe->file, path, p->p_filesz, (loff_t)p->p_offset);
		if (r < 0 || path[p->p_filesz - 1] != 0 ||
		    strlen(path) != p->p_filesz - 1) {
			kfree(path);
			return r < 0 ? r : -ENOEXEC;
		}
	}
	if (!path)
		return 0;
	interp->file = filp_open(path, O_RDONLY | __O_EXEC_OPEN, 0);
	kfree(path);
	if (IS_ERR(interp->file)) {
		r = (int)PTR_ERR(interp->file);
		interp->file = NULL;
		return r;
	}
	r = file_exec_check(interp->file);
	if (r < 0)
		return r;
	pos = 0;
	n = kernel_read(interp->file, buf, sizeof(buf), &pos);
	if (n < 0)
		return (int)n;
	r = elf_read_headers(interp, buf, (size_t)n);
	if (r < 0)
		return r;
	return elf_check_segments(interp);
}

static void free_image(struct elf_image *img)
{
	kfree(img->ph);
	if (img->file)
		fput(img->file);
}

static uaddr_t random_pages(unsigned int max_pages)
{
	u32 r = 0;

	os_getrandom(&r, sizeof(r));
	return (uaddr_t)(r % max_pages) * PAGE_SIZE;
}

/* The main stack: a fixed-size region under the top (RLIMIT_STACK). */
static long map_stack(struct task *t, uaddr_t *top)
{
	u64 size = task_rlimit(t, RLIMIT_STACK);
	uaddr_t stack_top = TASK_SIZE - PAGE_SIZE - random_pages(2048);
	long r;

	if (size > (1ULL << 30))
		size = 1ULL << 30;
	if (size < (128UL << 10))
		size = 128UL << 10;
	size = PAGE_ALIGN(size);
	r = do_mmap(t, t->mm, stack_top - size, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE |
		    MAP_GROWSDOWN, NULL, 0);
	if (r < 0)
		return r;
	mm_mark(t->mm, stack_top - PAGE_SIZE, VM_STACK | VM_GROWSDOWN,
		"[stack]");
	t->mm->start_stack = stack_top;
	t->mm->mmap_base = stack_top - size - (128UL << 20) - random_pages(4096);
	*top = stack_top;
	return 0;
}

int load_elf_binary(struct linux_binprm *bprm)
{
	struct task *t = current;
	struct elf_image exe, interp;
	u64 auxv[64];
	int n = 0, r;
	uaddr_t top, entry, vdso;
	size_t vdso_size;
	long sp;

	memset(&exe, 0, sizeof(exe));
	memset(&interp, 0, sizeof(interp));
	exe.file = get_file(bprm->file);
	r = elf_read_headers(&exe, bprm->buf, bprm->buf_len);
	if (r == 0)
		r = elf_check_segments(&exe);
	if (r == 0)
		r = open_interp(&exe, &interp);
	if (r < 0)
		goto out;

	/* Point of no return. */
	r = exec_begin_new_image(bprm);
	if (r < 0)
		goto out;
	r = (int)map_stack(t, &top);
	if (r < 0)
		goto out;
	if (exe.eh.e_type == ET_DYN)
		r = map_image(t, &exe, ELF_ET_DYN_BASE + random_pages(65536), true);
	else
		r = map_image(t, &exe, 0, false);
	if (r < 0)
		goto out;
	entry = exe.bias + exe.eh.e_entry;
	if (interp.file) {
		r = map_image(t, &interp, 0, true);
		if (r < 0)
			goto out;
		entry = interp.bias + interp.eh.e_entry;
	}
	t->mm->start_code = exe.bias + exe.lo;
	t->mm->end_code = exe.bias + exe.hi;
	mm_set_brk(t->mm, exe.brk);

	vdso = plat_vdso_base(&vdso_size);
	if (vdso) {
		auxv[n++] = AT_SYSINFO_EHDR;
		auxv[n++] = vdso;
		t->mm->vdso_base = vdso;
	}
	auxv[n++] = AT_HWCAP;
	auxv[n++] = plat_hwcap(1);
	auxv[n++] = AT_PAGESZ;
	auxv[n++] = PAGE_SIZE;
	auxv[n++] = AT_CLKTCK;
	auxv[n++] = 100;
	auxv[n++] = AT_PHDR;
	auxv[n++] = phdr_addr(&exe);
	auxv[n++] = AT_PHENT;
	auxv[n++] = sizeof(struct elf64_phdr);
	auxv[n++] = AT_PHNUM;
	auxv[n++] = exe.eh.e_phnum;
	auxv[n++] = AT_BASE;
	auxv[n++] = interp.file ? interp.bias : 0;
	auxv[n++] = AT_FLAGS;
	auxv[n++] = 0;
	auxv[n++] = AT_ENTRY;
	auxv[n++] = exe.bias + exe.eh.e_entry;
	auxv[n++] = AT_UID;
	auxv[n++] = t->cred->uid;
	auxv[n++] = AT_EUID;
	auxv[n++] = t->cred->euid;
	auxv[n++] = AT_GID;
	auxv[n++] = t->cred->gid;
	auxv[n++] = AT_EGID;
	auxv[n++] = t->cred->egid;
	auxv[n++] = AT_SECURE;
	auxv[n++] = t->cred->uid != t->cred->euid ||
		    t->cred->gid != t->cred->egid;
	auxv[n++] = AT_HWCAP2;
	auxv[n++] = plat_hwcap(2);
	/* AT_RANDOM, AT_EXECFN and AT_PLATFORM are filled by the stack builder */
	sp = exec_setup_stack(bprm, auxv, n / 2);
	if (sp < 0) {
		r = (int)sp;
		goto out;
	}
	exec_finish(bprm, entry, (uaddr_t)sp);
	r = 0;
out:
	free_image(&exe);
	free_image(&interp);
	return r;
}
