// SPDX-License-Identifier: GPL-2.0
/*
 * Patched system call sites: the record of one host address space's.
 *
 * A trapped system call costs a SIGSYS delivery and an rt_sigreturn on
 * top of the hand-over to the kernel (3.2 us of about 8.5 us pinned, on
 * the VM of docs/performance.md). The usual x86-64 call site is
 * "mov $nr,%eax; syscall" (b8 imm32 0f 05, 7 bytes); rewritten as
 * "jmp *slot" (ff 24 25 disp32, 7 bytes) it enters the stub's entry code
 * for that slot with no signal at all (platform/stub/entry.S). This file
 * keeps, per address space, which site and number each slot stands for:
 * the kernel's own record, as the guest can write everything the stub
 * sees. What a site may become is decided in systrap.c.
 *
 * A site is rewritten on its second trapped call: many are called once
 * (a program's start-up), where the rewrite would cost more than it saves.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elf.h>
#include <linux/futex.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/personality.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "kern/platform.h"
#include "systrap.h"
#include "../stub/stub.h"

enum { SITE_FREE, SITE_SEEN, SITE_PATCHED, SITE_REFUSED };

struct site {
	uint64_t addr;			/* of the 7-byte sequence */
	int32_t nr;
	uint32_t state;
};

/* The sites of one kind: slot = kind * STUB_PATCH_KIND_SLOTS + index. */
struct site_kind {
	uint32_t n;			/* in use or freed: [0, n) */
	uint32_t cap;
	struct site *v;
};

struct patch_sites {
	pthread_mutex_t lock;
	struct site_kind kind[STUB_PATCH_KINDS];
	int32_t *hash;			/* addr -> slot, open addressing */
	uint32_t hmask;
	uint64_t lo, hi;		/* every site is in [lo, hi) */
};

struct patch_sites *patch_sites_new(void)
{
	struct patch_sites *s = calloc(1, sizeof(*s));

	if (s)
		pthread_mutex_init(&s->lock, NULL);
	return s;
}

void patch_sites_free(struct patch_sites *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	for (int k = 0; k < STUB_PATCH_KINDS; k++)
		free(s->kind[k].v);
	free(s->hash);
	free(s);
}

static struct site *site_of(const struct patch_sites *s, uint32_t slot)
{
	const struct site_kind *k = &s->kind[slot / STUB_PATCH_KIND_SLOTS];

	return &k->v[slot % STUB_PATCH_KIND_SLOTS];
}

static bool slot_valid(const struct patch_sites *s, uint64_t slot)
{
	return slot < STUB_PATCH_SLOTS &&
	       slot % STUB_PATCH_KIND_SLOTS < s->kind[slot / STUB_PATCH_KIND_SLOTS].n;
}

/* Calls fn on every slot in use. */
#define for_each_slot(s, slot)						\
	for (uint32_t slot = 0; slot < STUB_PATCH_SLOTS; slot++)	\
		if (!slot_valid(s, slot) ||				\
		    site_of(s, slot)->state == SITE_FREE) {		\
		} else

static uint32_t hash_of(uint64_t addr, uint32_t mask)
{
	return (uint32_t)((addr * 0x9e3779b97f4a7c15ULL) >> 40) & mask;
}

static void hash_insert(struct patch_sites *s, int32_t i)
{
	uint64_t addr = site_of(s, (uint32_t)i)->addr;
	uint32_t b;

	for (b = hash_of(addr, s->hmask); s->hash[b] >= 0; b = (b + 1) & s->hmask)
		;
	s->hash[b] = i;
	if (addr < s->lo)
		s->lo = addr;
	if (addr + 7 > s->hi)
		s->hi = addr + 7;
}

/* Rebuilds the hash for hcap buckets (a power of two); false if no memory. */
static bool rehash(struct patch_sites *s, uint32_t hcap)
{
	int32_t *h = malloc(sizeof(*h) * hcap);

	if (!h)
		return false;
	memset(h, 0xff, sizeof(*h) * hcap);
	free(s->hash);
	s->hash = h;
	s->hmask = hcap - 1;
	s->lo = UINT64_MAX;
	s->hi = 0;
	for_each_slot(s, slot)
		hash_insert(s, (int32_t)slot);
	return true;
}

static int32_t find(const struct patch_sites *s, uint64_t addr)
{
	if (!s->hash || addr < s->lo || addr >= s->hi)
		return -1;
	for (uint32_t b = hash_of(addr, s->hmask); s->hash[b] >= 0;
	     b = (b + 1) & s->hmask) {
		const struct site *v = site_of(s, (uint32_t)s->hash[b]);

		if (v->addr == addr && v->state != SITE_FREE)
			return s->hash[b];
	}
	return -1;
}

/*
 * Every site forgotten: calls through their slots are then taken as
 * forged, so this is for when none is left (or memory ran out).
 */
static void forget(struct patch_sites *s)
{
	for (int k = 0; k < STUB_PATCH_KINDS; k++)
		s->kind[k].n = 0;
	s->lo = UINT64_MAX;
	s->hi = 0;
	if (s->hash)
		memset(s->hash, 0xff, sizeof(*s->hash) * (s->hmask + 1));
}

/* A slot of kind for a new site: a fresh one, else one freed; -1 if none. */
static int32_t new_slot(struct patch_sites *s, int kind)
{
	struct site_kind *k = &s->kind[kind];
	int32_t base = kind * STUB_PATCH_KIND_SLOTS;

	if (k->n == k->cap && k->cap < STUB_PATCH_KIND_SLOTS) {
		uint32_t cap = k->cap ? k->cap * 2 : 32;
		struct site *v = realloc(k->v, sizeof(*v) * cap);

		if (!v)
			return -1;
		k->v = v;
		k->cap = cap;
	}
	if (k->n < k->cap)
		return base + (int32_t)k->n++;
	for (uint32_t i = 0; i < k->n; i++)
		if (k->v[i].state == SITE_FREE)
			return base + (int32_t)i;
	return -1;
}

static uint32_t nsites(const struct patch_sites *s)
{
	uint32_t n = 0;

	for (int k = 0; k < STUB_PATCH_KINDS; k++)
		n += s->kind[k].n;
	return n;
}

/*
 * A trapped call of nr from the site at addr. Returns its slot when it
 * should be rewritten now (its second call), else -1. The slot is of the
 * first kind until patch_sites_rekind() says otherwise.
 */
int patch_sites_note(struct patch_sites *s, uint64_t addr, int nr)
{
	const int kind = 0;
	struct site *v;
	uint32_t hcap;
	int32_t i;
	int r = -1;

	pthread_mutex_lock(&s->lock);
	i = find(s, addr);
	if (i >= 0) {
		v = site_of(s, (uint32_t)i);
		if (v->state == SITE_SEEN) {
			v->nr = nr;
			r = i;
		}
		goto out;
	}
	i = new_slot(s, kind);
	if (i < 0)
		goto out;
	v = site_of(s, (uint32_t)i);
	*v = (struct site){ addr, nr, SITE_SEEN };
	/* the hash stays at most half full */
	for (hcap = 64; hcap < 2 * nsites(s); hcap *= 2)
		;
	if (s->hash && s->hmask + 1 >= hcap)
		hash_insert(s, i);
	else if (!rehash(s, hcap))
		v->state = SITE_FREE;
out:
	pthread_mutex_unlock(&s->lock);
	return r;
}

/*
 * The site of slot (seen, not yet rewritten) is of another kind: its
 * new slot, or -1 (the site is then forgotten).
 */
int patch_sites_rekind(struct patch_sites *s, int slot, int kind)
{
	struct site old, *v;
	int32_t i = -1;

	if (slot / STUB_PATCH_KIND_SLOTS == kind)
		return slot;
	pthread_mutex_lock(&s->lock);
	if (slot < 0 || !slot_valid(s, (uint64_t)slot))
		goto out;
	old = *site_of(s, (uint32_t)slot);
	site_of(s, (uint32_t)slot)->state = SITE_FREE;
	i = new_slot(s, kind);
	if (i >= 0) {
		v = site_of(s, (uint32_t)i);
		*v = old;
	}
	if (!rehash(s, s->hmask + 1)) {
		forget(s);
		i = -1;
	}
out:
	pthread_mutex_unlock(&s->lock);
	return i;
}

/* The outcome of rewriting slot's site: patched, or never to be tried. */
void patch_sites_done(struct patch_sites *s, int slot, bool patched)
{
	pthread_mutex_lock(&s->lock);
	if (slot >= 0 && slot_valid(s, (uint64_t)slot) &&
	    site_of(s, (uint32_t)slot)->state == SITE_SEEN)
		site_of(s, (uint32_t)slot)->state = patched ? SITE_PATCHED :
							      SITE_REFUSED;
	pthread_mutex_unlock(&s->lock);
}

/* What a call through slot stands for; false if slot holds no patch. */
bool patch_sites_slot(struct patch_sites *s, uint64_t slot, uint64_t *addr,
		      int *nr)
{
	bool ok = false;

	pthread_mutex_lock(&s->lock);
	if (slot_valid(s, slot) && site_of(s, (uint32_t)slot)->state == SITE_PATCHED) {
		*addr = site_of(s, (uint32_t)slot)->addr;
		*nr = site_of(s, (uint32_t)slot)->nr;
		ok = true;
	}
	pthread_mutex_unlock(&s->lock);
	return ok;
}

/* Whether a site starting at addr is recorded, rewritten or not. */
bool patch_sites_known(struct patch_sites *s, uint64_t addr)
{
	bool r;

	pthread_mutex_lock(&s->lock);
	r = find(s, addr) >= 0;
	pthread_mutex_unlock(&s->lock);
	return r;
}

/* The slot of the patched site starting at addr, or -1. */
int patch_sites_at(struct patch_sites *s, uint64_t addr)
{
	int32_t i;

	pthread_mutex_lock(&s->lock);
	i = find(s, addr);
	if (i >= 0 && site_of(s, (uint32_t)i)->state != SITE_PATCHED)
		i = -1;
	pthread_mutex_unlock(&s->lock);
	return i;
}

/*
 * [addr, addr + len) was unmapped or mapped anew: its sites are gone
 * (sites whose rewrite was undone, by MADV_DONTNEED say, keep their
 * record: the original call traps again and is simply rewritten again).
 */
void patch_sites_unmapped(struct patch_sites *s, uint64_t addr, uint64_t len)
{
	bool changed = false;

	pthread_mutex_lock(&s->lock);
	if (addr < s->hi && addr + len > s->lo) {
		for_each_slot(s, slot) {
			struct site *v = site_of(s, slot);

			if (v->addr + 7 > addr && v->addr < addr + len) {
				v->state = SITE_FREE;
				changed = true;
			}
		}
		if (changed && !rehash(s, s->hmask + 1))
			forget(s);
	}
	pthread_mutex_unlock(&s->lock);
}

/* mremap: sites move with their memory; what was not kept is gone. */
void patch_sites_moved(struct patch_sites *s, uint64_t old, uint64_t old_len,
		       uint64_t new_addr, uint64_t new_len)
{
	uint64_t kept = old_len < new_len ? old_len : new_len;
	bool changed = false;

	pthread_mutex_lock(&s->lock);
	if (old < s->hi && old + old_len > s->lo) {
		for_each_slot(s, slot) {
			struct site *v = site_of(s, slot);

			if (v->addr + 7 <= old || v->addr >= old + old_len)
				continue;
			changed = true;
			if (v->addr >= old && v->addr + 7 <= old + kept)
				v->addr = v->addr - old + new_addr;
			else
				v->state = SITE_FREE;
		}
		if (changed && !rehash(s, s->hmask + 1))
			forget(s);
	}
	pthread_mutex_unlock(&s->lock);
}

/* execve in place: nothing of the old image is left. */
void patch_sites_clear(struct patch_sites *s)
{
	pthread_mutex_lock(&s->lock);
	forget(s);
	pthread_mutex_unlock(&s->lock);
}

/* fork: the child's memory is a copy, rewritten sites included. */
struct patch_sites *patch_sites_copy(struct patch_sites *s)
{
	struct patch_sites *c = patch_sites_new();
	bool ok = true;

	if (!c)
		return NULL;
	pthread_mutex_lock(&s->lock);
	for (int k = 0; k < STUB_PATCH_KINDS && ok; k++) {
		const struct site_kind *from = &s->kind[k];

		if (!from->n)
			continue;
		c->kind[k].v = malloc(sizeof(struct site) * from->cap);
		ok = c->kind[k].v != NULL;
		if (ok) {
			memcpy(c->kind[k].v, from->v, sizeof(struct site) * from->n);
			c->kind[k].n = from->n;
			c->kind[k].cap = from->cap;
		}
	}
	/* the same slots hold the same sites: the hash is the parent's */
	if (ok && s->hash) {
		size_t size = sizeof(*s->hash) * (s->hmask + 1);

		c->hash = malloc(size);
		ok = c->hash != NULL;
		if (ok) {
			memcpy(c->hash, s->hash, size);
			c->hmask = s->hmask;
			c->lo = s->lo;
			c->hi = s->hi;
		}
	}
	pthread_mutex_unlock(&s->lock);
	if (!ok) {
		/* the child's rewritten sites would be unknown to it */
		patch_sites_free(c);
		return NULL;
	}
	return c;
}

/* ---- the platform's side ---- */

/* The table lies in the range the kernel keeps guests out of. */
_Static_assert(PLAT_RESERVED_START == STUB_PATCH_TABLE &&
	       PLAT_RESERVED_END == STUB_PATCH_HOLE_END &&
	       STUB_PATCH_TABLE + 8 * STUB_PATCH_SLOTS <= STUB_PATCH_HOLE_END,
	       "the patch slot table is not in PLAT_RESERVED");

/*
 * The patched-call ucontext: as the host would build a signal frame's,
 * so that rt_sigreturn can resume from it (platform/stub/stub.c).
 */
void patch_prepare(struct plat_thread *th)
{
	struct stub_patch *p = stub_patch_of(th->d);
	char *uc = (char *)th->d + STUB_PATCH_UC_OFF;
	uint64_t *w = (uint64_t *)uc;
	uint64_t *sc = (uint64_t *)(uc + UC_MCONTEXT_OFF);

	memset(p, 0, sizeof(*p));
	p->self = th->gaddr;
	if (!patching)
		return;
	p->xfeatures = xfeatures;
	p->xstate_size = xstate_size;
	memset(uc, 0, UC_SIZE);
	/* UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
	w[0] = 0x7;
	w[2] = th->gaddr + STUB_STACK_OFF;
	w[4] = STUB_STACK_SIZE;
	sc[SC_CSGSFS] = 0x33 | (0x2bUL << 48);
	sc[SC_FPSTATE] = th->gaddr + STUB_PATCH_FPU_OFF;
	/* XSAVE leaves the header's reserved bytes alone: they must be 0 */
	memset((char *)th->d + STUB_PATCH_FPU_OFF + 512, 0, 64);
}

/*
 * Resuming 5 bytes into a patched site (a call from it restarted, or a
 * context saved between its two original instructions) would run the
 * middle of the jump: it resumes at the site, whose slot then stands for
 * the number in rax once.
 */
void patch_resume(struct plat_thread *th, const struct plat_regs *regs,
		  uint64_t *sc)
{
	struct patch_sites *sites = th->proc->as->sites;
	int slot;

	th->restart_slot = 0;
	if (!sites || regs->rip < 5)
		return;
	slot = patch_sites_at(sites, regs->rip - 5);
	if (slot < 0)
		return;
	sc[SC_RIP] = regs->rip - 5;
	th->restart_slot = (uint64_t)slot + 1;
	th->restart_nr = regs->rax;
}

/*
 * A call from a patched site: what its slot stands for. restart_slot is
 * what patch_resume() left for this event.
 */
bool patch_event(struct plat_thread *th, struct plat_regs *regs,
		 uint64_t restart_slot)
{
	uint64_t slot = __atomic_load_n(&stub_patch_of(th->d)->slot,
					__ATOMIC_RELAXED);
	uint64_t site;
	int nr;

	if (!th->proc->as->sites ||
	    !patch_sites_slot(th->proc->as->sites, slot, &site, &nr))
		return false;
	if (slot / STUB_PATCH_KIND_SLOTS == STUB_PATCH_NR_RAX)
		nr = (int)regs->rax;
	else if (restart_slot == slot + 1)
		nr = (int)th->restart_nr;
	regs->rip = regs->rcx = site + 7;
	regs->r11 = regs->eflags;
	regs->orig_rax = (uint64_t)(int64_t)nr;
	regs->rax = (uint64_t)-ENOSYS;
	return true;
}

/*
 * The kernel calls this after a trapped call; a slot (>= 0) means the
 * site should be rewritten now, by plat_patch_site(). Other threads may
 * be running the site meanwhile: one between its two instructions finds
 * the syscall instruction unchanged, and one reaching it is sent back
 * (write_site()).
 */
int plat_patch_wanted(struct plat_thread *th, const struct plat_regs *regs)
{
	struct host_proc *p = th->proc;
	uint64_t site = regs->rip - 7;

	if (!th->trapped || !p->as->sites || regs->orig_rax >= 1024 ||
	    regs->rip < STUB_GUEST_LOW + 7 || regs->rip > GUEST_TASK_SIZE)
		return -1;
	/*
	 * The 5 bytes that change lie in one cache line: another thread's
	 * instruction fetch then sees each write whole (see write_site()),
	 * and they change in one write or not at all.
	 */
	if ((site ^ (site + 4)) & ~63UL)
		return -1;
	return patch_sites_note(p->as->sites, site, (int)regs->orig_rax);
}

/*
 * Nobody else can be running the site's code: this is the process's only
 * host thread and nobody shares its memory.
 */
static bool alone(struct host_proc *p)
{
	bool r;

	pthread_mutex_lock(&plock);
	r = p->nthreads == 1 && p->as->refs == 1;
	pthread_mutex_unlock(&plock);
	return r;
}

/*
 * Only the first 5 bytes change (both forms end in the syscall
 * instruction, and so does the jump). With other threads possibly
 * running them, the first byte becomes an int3 first, then the other
 * four are written, then the first: a thread reaching the site meanwhile
 * traps, and plat_patch_trap() sends it back to the site, which by then
 * holds the jump (the kernel lock is held throughout). A failure puts
 * the old bytes back the same way; should that fail too, a thread
 * trapping there gets its SIGTRAP, as the site is not recorded patched.
 */
static bool write_site(int fd, uint64_t site, const unsigned char *new,
		       const unsigned char *old, bool whole)
{
	static const unsigned char int3 = 0xcc;
	off_t at = (off_t)site;

	if (whole)
		return pwrite(fd, new, 5, at) == 5;
	if (pwrite(fd, &int3, 1, at) != 1)
		return false;
	if (pwrite(fd, new + 1, 4, at + 1) == 4 && pwrite(fd, new, 1, at) == 1)
		return true;
	if (pwrite(fd, old + 1, 4, at + 1) == 4)
		(void)!pwrite(fd, old, 1, at);
	return false;
}

void plat_patch_site(struct plat_thread *th, const struct plat_regs *regs,
		     int slot, bool allowed)
{
	struct host_proc *p = th->proc;
	uint64_t site = regs->rip - 7;
	static const unsigned char load_r9[7] = { 0x4c, 0x8b, 0x4c, 0x24, 0x08,
						  0x0f, 0x05 };
	unsigned char code[7], jmp[7] = { 0xff, 0x24, 0x25 };
	uint32_t nr, target;
	int kind = -1;
	bool ok = false;

	if (allowed && plat_read_mem(th, site, code, 7) == 7) {
		memcpy(&nr, code + 1, 4);
		if (code[0] == 0xb8 && nr == (uint32_t)regs->orig_rax &&
		    code[5] == 0x0f && code[6] == 0x05)
			kind = STUB_PATCH_NR_IMM;
		else if (!memcmp(code, load_r9, 7))
			kind = STUB_PATCH_NR_RAX;
	}
	if (kind >= 0)
		slot = patch_sites_rekind(p->as->sites, slot, kind);
	if (kind >= 0 && slot >= 0) {
		char path[64];
		int fd;

		/*
		 * /proc/PID/mem writes read-only private pages as ptrace
		 * does: the page becomes the process's own copy. Not kept
		 * open: a few rewrites per process against an fd per guest
		 * process held by the kernel.
		 */
		snprintf(path, sizeof(path), "/proc/%d/mem", p->pid);
		fd = open(path, O_RDWR | O_CLOEXEC);
		target = (uint32_t)(STUB_PATCH_TABLE + 8 * (uint64_t)slot);
		memcpy(jmp + 3, &target, 4);
		ok = fd >= 0 && write_site(fd, site, jmp, code, alone(p));
		if (fd >= 0)
			close(fd);
	}
	patch_sites_done(p->as->sites, slot, ok);
}

/*
 * A SIGTRAP from the int3 write_site() puts at a site while it changes:
 * the thread goes back to the site, which holds the jump by now (or the
 * old code, if the rewrite failed), and no signal is due. An int3 still
 * there is someone else's (a debugger's in the guest): that one traps.
 */
bool plat_patch_trap(struct plat_thread *th, struct plat_regs *regs,
		     const struct plat_fault *f)
{
	struct patch_sites *sites = th->proc->as->sites;
	unsigned char now;

	if (!sites || f->signo != SIGTRAP || f->trapno != 3 || regs->rip < 1 ||
	    !patch_sites_known(sites, regs->rip - 1) ||
	    plat_read_mem(th, regs->rip - 1, &now, 1) != 1 || now == 0xcc)
		return false;
	regs->rip--;
	return true;
}

/* A patched call's FPU image changed: the stub must load it. */
void patch_fpu_dirty(struct plat_thread *th)
{
	__atomic_store_n(&stub_patch_of(th->d)->fpu_dirty, 1, __ATOMIC_RELAXED);
}
