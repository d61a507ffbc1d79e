// SPDX-License-Identifier: GPL-2.0
/*
 * Drives mm/ against the real systrap platform, without the rest of the
 * kernel: a spawned guest process is the address space, the host's
 * /proc/PID/maps of that process is the oracle for the VMA list, and guest
 * memory is checked with plat_read_mem/plat_write_mem.
 *
 * Built with kernel flags and linked with the mm/ objects by
 * tests/unit/mm_ktest.sh (not a *_test.c: t-unit.sh links those with the
 * host objects only); the VFS and task pieces mm/ needs are replaced by
 * the minimal versions below.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/fs.h"
#include "kern/mm.h"
#include "kern/platform.h"

/* ---- what mm/ needs from the rest of the kernel ---- */

struct file {
	struct file_common c;
	int refs;
	int hfd;
	u64 ino;
};

__thread struct task *current;
static bool has_caps = true;
static int failures;

bool capable(int cap)
{
	return has_caps;
}

struct file *get_file(struct file *f)
{
	f->refs++;
	return f;
}

void fput(struct file *f)
{
	if (--f->refs == 0) {
		os_close(f->hfd);
		kfree(f);
	}
}

struct file *fget(int fd)
{
	return NULL;
}

int file_host_fd(struct file *f, int *fd)
{
	*fd = f->hfd;
	return 0;
}

char *file_path(struct file *f)
{
	return kstrdup("/test/file");
}

void file_dev_ino(struct file *f, dev_t *dev, u64 *ino)
{
	*dev = MKDEV(0, 13);
	*ino = f->ino;
}

dev_t inode_rdev(struct inode *inode)
{
	return 0;
}

int copy_to_user(uaddr_t dst, const void *src, size_t len)
{
	return plat_write_mem(current->pth, dst, src, len) == (long)len ?
		0 : -EFAULT;
}

int printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	os_write(2, buf, (size_t)min(n, 255));
	return n;
}

void panic(const char *fmt, ...)
{
	os_write(2, "panic\n", 6);
	os_abort();
}

/* ---- helpers ---- */

long sys_mremap(const unsigned long *a);
long sys_brk(const unsigned long *a);
long sys_madvise(const unsigned long *a);
long sys_mincore(const unsigned long *a);
long sys_msync(const unsigned long *a);
long sys_munmap(const unsigned long *a);
long sys_mlock(const unsigned long *a);

#define CHECK(c, ...) do {						\
		if (!(c)) {						\
			printk("FAIL line %d: ", __LINE__);		\
			printk(__VA_ARGS__);				\
			printk("\n");					\
			failures++;					\
		}							\
	} while (0)

static struct file *mkfile(const char *data, size_t len, int acc)
{
	struct file *f = kzalloc(sizeof(*f));
	static u64 ino = 100;

	f->refs = 1;
	f->hfd = os_memfd("testfile");
	f->ino = ino++;
	f->c.f_flags = (unsigned int)acc;
	os_pwrite(f->hfd, data, len, 0);
	os_ftruncate(f->hfd, PAGE_ALIGN(len) + PAGE_SIZE);
	return f;
}

struct range {
	unsigned long s, e;
	char perm[5];
};

static int parse_hex(const char **p, unsigned long *v)
{
	char *end;

	*v = strtoul(*p, &end, 16);
	if (end == *p)
		return -1;
	*p = end;
	return 0;
}

/* Reads the host's view of th's process below TASK_SIZE, merged. */
static int host_ranges(struct plat_thread *th, struct range *r, int max)
{
	static char buf[1 << 16];
	char path[64];
	int fd, n = 0;
	long len = 0, k;
	const char *p;

	snprintf(path, sizeof(path), "/proc/%d/maps", plat_host_pid(th));
	fd = os_open(path, 0, 0);
	if (fd < 0)
		return fd;
	while ((k = os_read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += k;
	os_close(fd);
	buf[len] = 0;
	for (p = buf; *p; ) {
		unsigned long s, e;

		if (parse_hex(&p, &s) || *p++ != '-' || parse_hex(&p, &e))
			return -1;
		p++;
		if (s < TASK_SIZE && n < max) {
			if (n && r[n - 1].e == s &&
			    !memcmp(r[n - 1].perm, p, 4)) {
				r[n - 1].e = e;
			} else {
				r[n].s = s;
				r[n].e = e;
				memcpy(r[n].perm, p, 4);
				r[n].perm[4] = 0;
				n++;
			}
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return n;
}

static int mm_ranges(struct mm *mm, struct range *r, int max)
{
	struct vma *v;
	int n = 0;

	list_for_each_entry(v, &mm->vmas, list) {
		char perm[5] = {
			v->flags & VM_READ ? 'r' : '-',
			v->flags & VM_WRITE ? 'w' : '-',
			v->flags & VM_EXEC ? 'x' : '-',
			v->flags & VM_MAYSHARE ? 's' : 'p', 0
		};
		if (n && r[n - 1].e == v->start &&
		    !memcmp(r[n - 1].perm, perm, 4)) {
			r[n - 1].e = v->end;
			continue;
		}
		if (n == max)
			break;
		r[n].s = v->start;
		r[n].e = v->end;
		memcpy(r[n].perm, perm, 5);
		n++;
	}
	return n;
}

static void dump(const char *who, struct range *r, int n)
{
	for (int i = 0; i < n; i++)
		printk("  %s %lx-%lx %s\n", who, r[i].s, r[i].e, r[i].perm);
}

/* The kernel's list must describe exactly what the host has mapped. */
static void check_consistent(struct task *t, int line)
{
	static struct range h[512], k[512];
	int nh = host_ranges(t->pth, h, 512), nk = mm_ranges(t->mm, k, 512);
	bool same = nh == nk;

	for (int i = 0; same && i < nh; i++)
		same = h[i].s == k[i].s && h[i].e == k[i].e &&
		       !strcmp(h[i].perm, k[i].perm);
	if (!same) {
		printk("FAIL line %d: VMA list differs from the host\n", line);
		dump("host", h, nh);
		dump("mm  ", k, nk);
		failures++;
	}
}
#define CONSISTENT(t) check_consistent(t, __LINE__)

static long sc(long (*fn)(const unsigned long *), unsigned long a0,
	       unsigned long a1, unsigned long a2, unsigned long a3,
	       unsigned long a4)
{
	unsigned long a[6] = { a0, a1, a2, a3, a4, 0 };

	return fn(a);
}

static bool mem_is(struct plat_thread *th, uaddr_t addr, const void *want,
		   size_t len)
{
	char buf[256];

	if (len > sizeof(buf) || plat_read_mem(th, addr, buf, len) != (long)len)
		return false;
	return !memcmp(buf, want, len);
}

static u32 peek32(struct plat_thread *th, uaddr_t addr)
{
	u32 v = 0xdeadbeef;

	plat_read_mem(th, addr, &v, 4);
	return v;
}

static void poke32(struct plat_thread *th, uaddr_t addr, u32 v)
{
	plat_write_mem(th, addr, &v, 4);
}

/* ---- the tests ---- */

static void test_anon(struct task *t, struct mm *mm)
{
	long a, b, r;

	a = do_mmap(t, mm, 0, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	CHECK(a > 0 && a < (long)mm->mmap_base, "anon mmap %lx", a);
	poke32(t->pth, a, 42);
	CHECK(peek32(t->pth, a) == 42, "anon memory");
	CONSISTENT(t);

	/* MAP_FIXED in the middle splits it in three. */
	b = do_mmap(t, mm, a + 4 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	CHECK(b == a + 4 * (long)PAGE_SIZE, "fixed %lx", b);
	CHECK(mm->map_count >= 3, "split count %d", mm->map_count);
	CONSISTENT(t);
	r = do_mmap(t, mm, a, PAGE_SIZE, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, NULL, 0);
	CHECK(r == -EEXIST, "noreplace %ld", r);
	r = do_mmap(t, mm, a + 1, PAGE_SIZE, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	CHECK(r == -EINVAL, "unaligned fixed %ld", r);
	r = do_mmap(t, mm, 0x1000, PAGE_SIZE, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	CHECK(r == -EPERM, "below mmap_min_addr %ld", r);
	r = do_mmap(t, mm, TASK_SIZE - PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	CHECK(r == -ENOMEM, "beyond TASK_SIZE %ld", r);
	r = do_mmap(t, mm, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		    NULL, 0);
	CHECK(r == -EINVAL, "len 0 %ld", r);
	r = do_mmap(t, mm, 0, PAGE_SIZE, PROT_READ, MAP_ANONYMOUS, NULL, 0);
	CHECK(r == -EINVAL, "no type %ld", r);
	r = do_mmap(t, mm, 0, PAGE_SIZE, PROT_READ,
		    MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, NULL, 0);
	CHECK(r == -EINVAL, "shared growsdown %ld", r);

	/* munmap makes a hole; mprotect splits. */
	r = do_munmap(t, mm, a + 8 * PAGE_SIZE, PAGE_SIZE);
	CHECK(r == 0, "munmap %ld", r);
	CONSISTENT(t);
	r = do_mprotect(t, mm, a + 10 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ);
	CHECK(r == 0, "mprotect %ld", r);
	CONSISTENT(t);
	r = do_mprotect(t, mm, a + 7 * PAGE_SIZE, 3 * PAGE_SIZE, PROT_NONE);
	CHECK(r == -ENOMEM, "mprotect over a hole %ld", r);
	CONSISTENT(t);
	r = do_mprotect(t, mm, a, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	CHECK(r == 0, "mprotect merge %ld", r);
	CONSISTENT(t);
	r = do_munmap(t, mm, a, 16 * PAGE_SIZE);
	CHECK(r == 0, "munmap all %ld", r);
	CHECK(find_vma(mm, a) == NULL || find_vma(mm, a)->start >=
	      (uaddr_t)a + 16 * PAGE_SIZE, "all gone");
	CONSISTENT(t);
}

static void test_shared_fork(struct task *t, struct mm *mm)
{
	struct plat_thread *child;
	long sh, pr;
	struct mm *cmm;

	sh = do_mmap(t, mm, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, NULL, 0);
	pr = do_mmap(t, mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	CHECK(sh > 0 && pr > 0, "maps %lx %lx", sh, pr);
	CONSISTENT(t);
	poke32(t->pth, sh, 1);
	poke32(t->pth, pr, 1);
	if (plat_fork(t->pth, &child) < 0) {
		CHECK(0, "plat_fork");
		return;
	}
	cmm = mm_dup(mm);
	CHECK(cmm && cmm->map_count == mm->map_count, "mm_dup");
	poke32(child, sh, 2);
	poke32(child, pr, 2);
	CHECK(peek32(t->pth, sh) == 2, "shared write seen by the parent");
	CHECK(peek32(t->pth, pr) == 1, "private write not seen");
	/* A shared mapping split by mprotect still shares one object. */
	CHECK(do_mprotect(t, mm, sh + PAGE_SIZE, PAGE_SIZE, PROT_READ) == 0,
	      "mprotect shared");
	poke32(child, sh + 2 * PAGE_SIZE, 5);
	CHECK(peek32(t->pth, sh + 2 * PAGE_SIZE) == 5, "shared tail");
	CONSISTENT(t);
	plat_kill(child);
	plat_thread_put(child);
	mm_put(cmm);
	CHECK(do_munmap(t, mm, sh, 3 * PAGE_SIZE) == 0, "unmap shared");
	CHECK(do_munmap(t, mm, pr, PAGE_SIZE) == 0, "unmap private");
	CONSISTENT(t);
}

static void test_files(struct task *t, struct mm *mm)
{
	struct file *ro = mkfile("hello, file", 11, O_RDONLY);
	struct file *rw = mkfile("shared data", 11, O_RDWR);
	struct file *wo = mkfile("x", 1, O_WRONLY);
	char buf[16];
	long a, r;

	r = do_mmap(t, mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    ro, 0);
	CHECK(r == -EACCES, "shared write of read-only file %ld", r);
	r = do_mmap(t, mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, wo, 0);
	CHECK(r == -EACCES, "write-only file %ld", r);
	r = do_mmap(t, mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN,
		    ro, 0);
	CHECK(r == -EINVAL, "file growsdown %ld", r);
	a = do_mmap(t, mm, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(a > 0 && mem_is(t->pth, a, "hello, file", 11), "ro shared");
	r = do_mprotect(t, mm, a, PAGE_SIZE, PROT_READ | PROT_WRITE);
	CHECK(r == -EACCES, "mprotect write on ro shared %ld", r);
	CONSISTENT(t);
	do_munmap(t, mm, a, PAGE_SIZE);

	/* Private: copy-on-write, file unchanged. */
	a = do_mmap(t, mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		    ro, 0);
	CHECK(a > 0 && mem_is(t->pth, a, "hello, file", 11), "private file");
	plat_write_mem(t->pth, a, "J", 1);
	os_pread(ro->hfd, buf, 11, 0);
	CHECK(!memcmp(buf, "hello, file", 11), "private write stays private");
	do_munmap(t, mm, a, PAGE_SIZE);

	/* Shared: writes reach the file and the file reaches the mapping. */
	a = do_mmap(t, mm, 0, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, rw, 0);
	CHECK(a > 0, "rw shared %ld", a);
	r = do_mprotect(t, mm, a, PAGE_SIZE, PROT_READ | PROT_WRITE);
	CHECK(r == 0, "mprotect write on rw shared %ld", r);
	plat_write_mem(t->pth, a, "SHARED", 6);
	os_pread(rw->hfd, buf, 11, 0);
	CHECK(!memcmp(buf, "SHARED data", 11), "shared write reaches file");
	os_pwrite(rw->hfd, "back", 4, 0);
	CHECK(mem_is(t->pth, a, "back", 4), "file write reaches mapping");
	CONSISTENT(t);
	{
		size_t len;
		char *txt = mm_maps_text(mm, &len);

		CHECK(txt && strstr(txt, "/test/file") &&
		      strstr(txt, " rw-s 00000000 00:0d "), "maps text");
		kfree(txt);
	}
	do_munmap(t, mm, a, 2 * PAGE_SIZE);
	fput(ro);
	fput(rw);
	fput(wo);
	CONSISTENT(t);
}

static void test_mremap_brk(struct task *t, struct mm *mm)
{
	long a, b, r;

	a = do_mmap(t, mm, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	poke32(t->pth, a, 77);
	/* Grow: there is a neighbour above (top-down), so it moves. */
	b = sc(sys_mremap, a, 2 * PAGE_SIZE, 64 * PAGE_SIZE, 0, 0);
	CHECK(b == -ENOMEM || b == a, "grow without MAYMOVE %ld", b);
	b = sc(sys_mremap, a, 2 * PAGE_SIZE, 64 * PAGE_SIZE, 1, 0);
	CHECK(b > 0 && peek32(t->pth, b) == 77, "grow with move %lx", b);
	CONSISTENT(t);
	r = sc(sys_mremap, b, 64 * PAGE_SIZE, PAGE_SIZE, 0, 0);
	CHECK(r == b, "shrink %ld", r);
	CONSISTENT(t);
	r = sc(sys_mremap, b, PAGE_SIZE, PAGE_SIZE, 3, 0x100000000UL);
	CHECK(r == 0x100000000L && peek32(t->pth, r) == 77, "fixed %lx", r);
	CONSISTENT(t);
	r = sc(sys_mremap, 0x100000000UL, PAGE_SIZE, 4 * PAGE_SIZE, 0, 0);
	CHECK(r == 0x100000000L, "grow in place %lx", r);
	CONSISTENT(t);
	r = sc(sys_mremap, 0x100000000UL, 4 * PAGE_SIZE, 4 * PAGE_SIZE, 7,
	       0x200000000UL);
	CHECK(r == 0x200000000L && peek32(t->pth, r) == 77, "dontunmap %lx",
	      r);
	CHECK(peek32(t->pth, 0x100000000UL) == 0, "old range empty");
	CONSISTENT(t);
	r = sc(sys_mremap, 0x300000000UL, PAGE_SIZE, 2 * PAGE_SIZE, 1, 0);
	CHECK(r == -EFAULT, "unmapped %ld", r);
	sc(sys_munmap, 0x100000000UL, 4 * PAGE_SIZE, 0, 0, 0);
	sc(sys_munmap, 0x200000000UL, 4 * PAGE_SIZE, 0, 0, 0);

	/* Shared anonymous memory: the object keeps its size (Linux). */
	a = do_mmap(t, mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, NULL, 0);
	poke32(t->pth, a, 9);
	b = sc(sys_mremap, a, PAGE_SIZE, 8 * PAGE_SIZE, 1, 0);
	CHECK(b > 0 && peek32(t->pth, b) == 9, "shared grow %ld", b);
	CHECK(plat_write_mem(t->pth, b + 7 * PAGE_SIZE, &r, 4) < 0,
	      "beyond the object: no page");
	r = sc(sys_mremap, b, 0, PAGE_SIZE, 1, 0);
	CHECK(r > 0, "duplicate shared %ld", r);
	poke32(t->pth, b, 31);
	CHECK(peek32(t->pth, r) == 31, "duplicate sees the same page");
	{
		u64 o1 = 1, o2 = 2;
		const void *k1 = mm_shared_anon_key(mm, b + 8, &o1);
		const void *k2 = mm_shared_anon_key(mm, r + 8, &o2);

		CHECK(k1 && k1 == k2 && o1 == 8 && o2 == 8,
		      "one key for both mappings of the object");
	}
	CONSISTENT(t);
	sc(sys_munmap, b, 8 * PAGE_SIZE, 0, 0, 0);
	sc(sys_munmap, r, PAGE_SIZE, 0, 0, 0);

	/* brk */
	mm_set_brk(mm, 0x5000123);
	r = sc(sys_brk, 0, 0, 0, 0, 0);
	CHECK(r == 0x5001000, "brk(0) %lx", r);
	r = sc(sys_brk, 0x5001000 + 10 * PAGE_SIZE + 5, 0, 0, 0, 0);
	CHECK(r == 0x5001000 + 10 * (long)PAGE_SIZE + 5, "brk grow %lx", r);
	poke32(t->pth, 0x5001000 + 10 * PAGE_SIZE, 3);
	CHECK(peek32(t->pth, 0x5001000 + 10 * PAGE_SIZE) == 3, "heap usable");
	r = sc(sys_brk, 0x5001000 + 20 * PAGE_SIZE, 0, 0, 0, 0);
	CONSISTENT(t);
	r = sc(sys_brk, 0x5001000 + PAGE_SIZE, 0, 0, 0, 0);
	CHECK(r == 0x5001000 + (long)PAGE_SIZE, "brk shrink %lx", r);
	r = sc(sys_brk, 0x1000, 0, 0, 0, 0);
	CHECK(r == 0x5001000 + (long)PAGE_SIZE, "brk below start %lx", r);
	CONSISTENT(t);
	{
		size_t len;
		char *txt = mm_maps_text(mm, &len);

		CHECK(txt && strstr(txt, "[heap]"), "heap in maps");
		kfree(txt);
	}
}

static void test_misc(struct task *t, struct mm *mm)
{
	unsigned char vec[8];
	long a, r;

	a = do_mmap(t, mm, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	poke32(t->pth, a, 5);
	r = sc(sys_madvise, a, PAGE_SIZE, 4 /* DONTNEED */, 0, 0);
	CHECK(r == 0 && peek32(t->pth, a) == 0, "DONTNEED zeroes %ld", r);
	do_munmap(t, mm, a + 2 * PAGE_SIZE, PAGE_SIZE);
	r = sc(sys_madvise, a, 4 * PAGE_SIZE, 0, 0, 0);
	CHECK(r == -ENOMEM, "madvise hole %ld", r);
	r = sc(sys_mincore, a, 4 * PAGE_SIZE, a, 0, 0);
	CHECK(r == -ENOMEM, "mincore hole %ld", r);
	r = sc(sys_mincore, a, 2 * PAGE_SIZE - 5, a + 3 * PAGE_SIZE, 0, 0);
	CHECK(r == 0 && peek32(t->pth, a + 3 * PAGE_SIZE) == 0x0101,
	      "mincore %ld", r);
	r = sc(sys_madvise, a, PAGE_SIZE, 9 /* REMOVE */, 0, 0);
	CHECK(r == -EINVAL, "REMOVE on private %ld", r);
	r = sc(sys_madvise, a, PAGE_SIZE, 77, 0, 0);
	CHECK(r == -EINVAL, "bad advice %ld", r);
	r = sc(sys_madvise, a, PAGE_SIZE, 10 /* DONTFORK */, 0, 0);
	CHECK(r == 0, "DONTFORK %ld", r);
	CONSISTENT(t);
	plat_write_mem(t->pth, 0x10000000, "", 0);
	r = sc(sys_mincore, a, 4 * PAGE_SIZE, 0x100000000UL, 0, 0);
	CHECK(r == -EFAULT || r == 0, "mincore into unmapped vec %ld", r);
	r = sc(sys_msync, a, PAGE_SIZE, 6, 0, 0);
	CHECK(r == 0, "msync %ld", r);
	r = sc(sys_msync, a, PAGE_SIZE, 5, 0, 0);
	CHECK(r == -EINVAL, "msync sync|async %ld", r);
	r = sc(sys_mlock, a, PAGE_SIZE, 0, 0, 0);
	CHECK(r == 0 && mm->locked_vm == 1, "mlock %ld %llu", r,
	      (unsigned long long)mm->locked_vm);
	r = sc(sys_madvise, a, PAGE_SIZE, 4, 0, 0);
	CHECK(r == -EINVAL, "DONTNEED on locked %ld", r);
	do_munmap(t, mm, a, 4 * PAGE_SIZE);
	CHECK(mm->locked_vm == 0, "locked_vm back to 0");
	(void)vec;
	CONSISTENT(t);
}

static void test_commit(struct task *t, struct mm *mm)
{
	u64 before = vm_committed_pages();
	long a, r;
	struct mm *cmm;

	mem_total_pages = 2048;		/* mem=8M: the limit */
	a = do_mmap(t, mm, 0, 12 << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	CHECK(a == -ENOMEM, "over the commit limit %ld", a);
	a = do_mmap(t, mm, 0, 12 << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, NULL, 0);
	CHECK(a > 0, "noreserve %ld", a);
	a = do_mmap(t, mm, 0, 12 << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, NULL, 0);
	CHECK(a > 0, "thread stack %ld", a);
	r = do_mmap(t, mm, 0, 12 << 20, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	CHECK(r > 0, "read-only private is free %ld", r);
	r = do_mprotect(t, mm, r, 12 << 20, PROT_READ | PROT_WRITE);
	CHECK(r == -ENOMEM, "mprotect write charges %ld", r);
	a = do_mmap(t, mm, 0, 4 << 20, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, NULL, 0);
	CHECK(a > 0 && vm_committed_pages() == before + 1024, "shared %ld", a);
	cmm = mm_dup(mm);
	CHECK(cmm && vm_committed_pages() == before + 1024 + mm->committed,
	      "fork charges private memory again, shared memory once");
	mm_put(cmm);
	r = do_mmap(t, mm, 0, 5 << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	CHECK(r == -ENOMEM, "limit across kinds %ld", r);
	do_munmap(t, mm, a, 4 << 20);
	CHECK(vm_committed_pages() == before, "uncharged %llu",
	      (unsigned long long)vm_committed_pages());
	mem_total_pages = 0;
}

static u64 rnd_state = 88172645463325252ULL;

static u64 rnd(u64 n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return n ? rnd_state % n : rnd_state;
}

/*
 * Random operations on a small window (and some garbage), the host's view
 * compared with the list after every one: splits, merges, replacements
 * and failures must all leave the two identical.
 */
static void test_fuzz(struct task *t, struct mm *mm)
{
	const uaddr_t base = 0x20000000;
	const int window = 64;
	static const int prots[] = { PROT_NONE, PROT_READ,
		PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC };
	struct file *rw = mkfile("fuzz", 4, O_RDWR);
	struct file *ro = mkfile("fuzz", 4, O_RDONLY);
	u64 committed0 = vm_committed_pages(), brk0 = mm->brk;
	int before = failures;

	for (int i = 0; i < 3000 && failures == before; i++) {
		uaddr_t a = base + rnd(window) * PAGE_SIZE;
		size_t len = (rnd(16) + 1) * PAGE_SIZE;
		int prot = prots[rnd(4)];
		struct file *f = NULL;
		int flags;

		if (rnd(20) == 0)
			len = rnd(0);			/* garbage */
		if (rnd(30) == 0)
			a = rnd(0);
		switch (rnd(9)) {
		case 0:
		case 1:
			flags = MAP_FIXED | (rnd(3) ? MAP_PRIVATE : MAP_SHARED);
			if (rnd(3) == 0)
				f = rnd(2) ? rw : ro;
			else
				flags |= MAP_ANONYMOUS;
			if (rnd(4) == 0)
				flags |= MAP_NORESERVE;
			do_mmap(t, mm, a, len, prot, flags, f, 0);
			break;
		case 2:
			do_munmap(t, mm, a, len);
			break;
		case 3:
		case 4:
			do_mprotect(t, mm, a, len, prot);
			break;
		case 5:
			sc(sys_mremap, a, len, (rnd(16) + 1) * PAGE_SIZE,
			   rnd(8), base + rnd(window) * PAGE_SIZE);
			break;
		case 6:
			sc(sys_madvise, a, len, rnd(25), 0, 0);
			break;
		case 7:
			sc(sys_mlock, a, len, 0, 0, 0);
			break;
		case 8:
			sc(sys_brk, rnd(2) ? 0 : a, 0, 0, 0, 0);
			break;
		}
		check_consistent(t, __LINE__);
		if (failures != before)
			printk("  after fuzz step %d\n", i);
	}
	do_munmap(t, mm, base, 1UL << 30);
	/* Moved mappings land anywhere above: clear it all. */
	do_munmap(t, mm, 0x100000000UL, TASK_SIZE - 0x100000000UL);
	sc(sys_brk, brk0, 0, 0, 0, 0);
	CONSISTENT(t);
	if (vm_committed_pages() > committed0) {
		struct vma *v;

		list_for_each_entry(v, &mm->vmas, list)
			printk("  left %lx-%lx flags %lx\n", v->start, v->end,
			       v->flags);
	}
	CHECK(vm_committed_pages() <= committed0,
	      "fuzz left %llu pages committed",
	      (unsigned long long)(vm_committed_pages() - committed0));
	fput(rw);
	fput(ro);
}

int main(int argc, char **argv)
{
	static struct signal_struct sig;
	static struct task task;
	struct task *t = &task;
	struct mm *mm;
	int i;

	if (argc > 1)
		rnd_state = strtoull(argv[1], NULL, 0) | 1;
	for (i = 0; i < RLIM_NLIMITS; i++)
		sig.rlim[i].cur = sig.rlim[i].max = RLIM_INFINITY;
	t->signal = &sig;
	if (plat_init(NULL) < 0 || plat_spawn(&t->pth) < 0) {
		printk("FAIL: spawn\n");
		return 1;
	}
	mm = mm_alloc();
	t->mm = mm;
	current = t;

	test_anon(t, mm);
	test_shared_fork(t, mm);
	test_files(t, mm);
	test_mremap_brk(t, mm);
	test_misc(t, mm);
	test_commit(t, mm);
	test_fuzz(t, mm);

	mm_put(mm);
	CHECK(vm_committed_pages() == 0, "all uncommitted: %llu",
	      (unsigned long long)vm_committed_pages());
	plat_kill(t->pth);
	plat_thread_put(t->pth);
	printk(failures ? "FAIL: %d checks\n" : "PASS\n", failures);
	return failures != 0;
}
