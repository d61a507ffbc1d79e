// SPDX-License-Identifier: GPL-2.0
/*
 * systrap: regions (a host thread's page of control, FPU image and
 * signal stack, mapped here and in the guest), their slots, and the
 * host processes and address spaces that own them.
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

/* ---- regions and slots ---- */

static int slot_alloc(struct host_as *as)
{
	for (int i = 0; i < STUB_MAX_SLOTS; i++)
		if (!(as->slots[i / 8] & (1u << (i % 8)))) {
			as->slots[i / 8] |= (uint8_t)(1u << (i % 8));
			return i;
		}
	return -EAGAIN;
}

void slot_free(struct host_as *as, int slot)
{
	as->slots[slot / 8] &= (uint8_t)~(1u << (slot % 8));
}

static struct plat_thread *spare;
static int nspare;

/*
 * A new region for a thread of as; *fd is its memfd to hand to the stub
 * (the region keeps it: the caller does not close it). Called with plock
 * held.
 */
struct plat_thread *region_new(struct host_as *as, int *fd)
{
	struct plat_thread *th;
	int slot;
	void *p;

	slot = slot_alloc(as);
	if (slot < 0)
		return NULL;
	th = spare;
	if (th) {
		spare = th->next;
		nspare--;
		/* what its last guest left there is not the next one's */
		memset(th->d, 0, STUB_REGION_SIZE);
		goto found;
	}
	th = calloc(1, sizeof(*th));
	if (!th)
		goto out_slot;
	th->fd = memfd_create("uml-region", MFD_CLOEXEC);
	if (th->fd < 0)
		goto out_free;
	if (ftruncate(th->fd, STUB_REGION_SIZE) < 0)
		goto out_fd;
	p = mmap(NULL, STUB_REGION_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 th->fd, 0);
	if (p == MAP_FAILED)
		goto out_fd;
	th->d = p;
found:
	th->slot = slot;
	th->gaddr = REGION_ADDR(slot);
	*fd = th->fd;
	return th;
out_fd:
	close(th->fd);
out_free:
	free(th);
out_slot:
	slot_free(as, slot);
	return NULL;
}

/* Drops a region that a guest process may still have mapped. */
void region_free(struct plat_thread *th)
{
	munmap(th->d, STUB_REGION_SIZE);
	close(th->fd);
	free(th);
}

/*
 * Keeps the region of an address space none of whose host processes is
 * left (all reaped) for another one. Called with plock held.
 */
static void region_recycle(struct plat_thread *th)
{
	if (nspare >= SPARE_MAX) {
		region_free(th);
		return;
	}
	th->proc = NULL;
	th->next = spare;
	spare = th;
	nspare++;
}

static bool region_idle(struct plat_thread *th)
{
	return aload(&th->d->host_tid) == 0;
}

/*
 * A region for a new thread of as: an idle one (*fd = -1: it is already
 * mapped in the guest) or a new one (*fd: the memfd to hand to the stub).
 * Called with plock held.
 */
struct plat_thread *region_get(struct host_as *as, int *fd)
{
	struct plat_thread **pp, *th;

	for (pp = &as->idle; *pp; pp = &(*pp)->next) {
		th = *pp;
		if (region_idle(th)) {
			*pp = th->next;
			as->nidle--;
			*fd = -1;
			return th;
		}
	}
	return region_new(as, fd);
}

/*
 * Parks the region of an ended thread on as's idle list, making room by
 * dropping an idle one if needed. Called with plock held.
 */
void region_park(struct host_as *as, struct plat_thread *th)
{
	struct plat_thread **pp, *o;

	if (as->nidle >= IDLE_MAX)
		for (pp = &as->idle; *pp; pp = &(*pp)->next) {
			o = *pp;
			if (region_idle(o)) {
				*pp = o->next;
				as->nidle--;
				slot_free(as, o->slot);
				region_free(o);
				break;
			}
		}
	if (as->nidle >= IDLE_MAX) {
		/* A slot is reused only once its host thread is known gone. */
		if (region_idle(th))
			slot_free(as, th->slot);
		region_free(th);
		return;
	}
	th->proc = NULL;
	th->next = as->idle;
	as->idle = th;
	as->nidle++;
}

/* Room on as's idle list for one more region, without waiting? */
bool idle_room(struct host_as *as)
{
	struct plat_thread *o;

	if (as->nidle < IDLE_MAX)
		return true;
	for (o = as->idle; o; o = o->next)
		if (region_idle(o))
			return true;
	return false;
}

/*
 * Makes th's region ready for a new host thread: control fields reset,
 * the state EVENT (the kernel's first command may be posted at once),
 * and the entry ucontext the stub will resume guest code from.
 */
void region_prepare(struct plat_thread *th)
{
	struct stub_data *d = th->d;
	char *uc = (char *)d + STUB_ENTRY_UC_OFF;
	uint64_t *w = (uint64_t *)uc;
	uint64_t *sc = (uint64_t *)(uc + UC_MCONTEXT_OFF);
	struct stub_data *keep_d = th->d;
	int slot = th->slot, fd = th->fd;
	uint64_t gaddr = th->gaddr;

	memset(th, 0, sizeof(*th));
	th->d = keep_d;
	th->fd = fd;
	th->batch_fd = -1;
	th->slot = slot;
	th->gaddr = gaddr;
	th->spin = spin_cycles;
	th->stub_spin = spin_cycles;
	th->uc = gaddr + STUB_ENTRY_UC_OFF;

	memset(d, 0, sizeof(*d));
	d->spin = spin_cycles;
	d->wait_mode = wait_mode;
	d->kernel_pid = (uint64_t)kernel_pid;
	d->new_ctl_fd = -1;
	memset(uc - 8, 0, UC_SIZE + 8 + 128);
	w[0] = 0x2 | 0x4;	/* UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
	w[2] = gaddr + STUB_STACK_OFF;	/* uc_stack: the signal stack */
	w[4] = STUB_STACK_SIZE;
	sc[SC_CSGSFS] = 0x33 | (0x2bUL << 48);
	sc[SC_EFLAGS] = 0x202;
	patch_prepare(th);
	astore(&d->state, STUB_ST_EVENT);
}

/* Translates a guest address inside th's region, or NULL if outside. */
void *region_ptr(struct plat_thread *th, uint64_t gaddr, size_t len,
		 uint64_t min_off)
{
	if (gaddr < th->gaddr + min_off || gaddr & 7 ||
	    gaddr - th->gaddr > STUB_REGION_SIZE - len)
		return NULL;
	return (char *)th->d + (gaddr - th->gaddr);
}

struct host_proc *proc_new(pid_t pid, struct host_as *as)
{
	struct host_proc *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->pid = pid;
	p->as = as;
	as->refs++;
	p->next = procs;
	procs = p;
	return p;
}

void proc_add_thread(struct host_proc *p, struct plat_thread *th)
{
	th->proc = p;
	th->next = p->threads;
	p->threads = th;
	p->nthreads++;
}

void as_put(struct host_as *as)
{
	if (--as->refs == 0) {
		while (as->idle) {
			struct plat_thread *th = as->idle;

			as->idle = th->next;
			region_recycle(th);
		}
		if (as->ctl >= 0)
			close(as->ctl);
		patch_sites_free(as->sites);
		free(as);
	}
}

void proc_maybe_free(struct host_proc *p)
{
	struct host_proc **pp;

	if (p->nthreads || !p->dead)
		return;
	for (pp = &procs; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	as_put(p->as);
	free(p);
}

void mark_dead(struct plat_thread *th)
{
	astore(&th->d->state, STUB_ST_DEAD);
	futex(&th->d->state, FUTEX_WAKE, INT_MAX);
	astore(&th->d->host_tid, 0);
	futex(&th->d->host_tid, FUTEX_WAKE, INT_MAX);
}

