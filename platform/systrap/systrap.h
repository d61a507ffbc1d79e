/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the files of the systrap platform. */
#ifndef SYSTRAP_H
#define SYSTRAP_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "kern/platform.h"
#include "../stub/stub.h"

/*
 * Regions of ended threads stay mapped, here and in the guest, on the
 * address space's idle list, and a new thread takes one instead of a
 * fresh memfd that the stub must receive and map. One whose host thread
 * has not finished exiting (host_tid not yet cleared by the host) is not
 * taken; at most IDLE_MAX are kept.
 */
#define IDLE_MAX	8

/*
 * Regions of address spaces whose every host process has been reaped
 * are mapped nowhere in any guest: up to SPARE_MAX are kept, with their
 * memfds, and a new process's region is one of them, cleared, instead of
 * a new memfd to create, size, map here and later unmap and close.
 */
#define SPARE_MAX	8

struct host_as {
	int refs;
	int ctl;			/* our end of the control socket */
	int nidle;
	struct plat_thread *idle;
	uint8_t slots[STUB_MAX_SLOTS / 8];
	struct patch_sites *sites;	/* NULL: no patching */
};

struct host_proc {
	pid_t pid;
	int nthreads;
	bool dead;			/* reaped */
	int dead_signal;
	int dead_status;
	struct host_as *as;
	struct plat_thread *threads;
	struct host_proc *next;
};

struct plat_thread {
	struct host_proc *proc;
	struct plat_thread *next;	/* in proc->threads */
	int slot;
	pid_t tid;
	struct stub_data *d;		/* our mapping of the region */
	int fd;				/* its memfd, to hand to a stub */
	uint64_t gaddr;			/* the region's address in the guest */
	uint64_t uc;			/* current event's ucontext (guest addr) */
	uint64_t si;
	uint64_t fs_base;		/* FS base the host thread has */
	uint64_t intr_deadline;		/* an interrupt unanswered by then: kill */
	uint32_t spin;			/* current spin window (cycles) */
	uint32_t spin_misses;
	uint32_t stub_spin;		/* the stub's window, adapted here */
	uint64_t event_tsc;		/* when the current event arrived */
	uint32_t deferred;		/* calls[] to run before the next resume */
	bool batch;			/* queue mapping calls in calls[] (exec) */
	int batch_fd;			/* host fd the queued calls hold open, or -1 */
	bool started;			/* resumed by plat_start(), not waited for */
	bool trapped;			/* the event is a SIGSYS-trapped call */
	/*
	 * A restarted call from a patched site resumes at the site, whose
	 * entry then stands for this number instead (restart_syscall).
	 */
	uint64_t restart_slot;		/* slot + 1, or 0 */
	uint64_t restart_nr;
};


extern pthread_mutex_t plock;
extern struct host_proc *procs;
extern pid_t zygote_pid;
extern int zygote_sock;
extern uint64_t text_start, text_end;
extern unsigned char filter_prog[STUB_FPU_MAX];
extern int filter_len;
extern uint32_t spin_cycles;
extern uint32_t wait_mode;
extern pid_t kernel_pid;
extern uint64_t vdso_base, vdso_size;
extern size_t fpu_size;
extern bool patching;
extern uint64_t xfeatures;
extern uint32_t xstate_size;

#define REGION_ADDR(slot)	(STUB_REGION_BASE + (uint64_t)(slot) * STUB_REGION_SIZE)
#define CHUNK			0x40000000UL	/* mapping calls stay under 4 GiB */

static inline uint32_t aload(uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static inline void astore(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

static inline long futex(uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}


/* wait_event_until(): the deadline passed first */
#define WAIT_TIMEDOUT		0xffffffffU
/*
 * A stub that has not carried out host calls (or exited) within this
 * time was tampered with by its own guest, and is killed.
 */
#define CALLS_TIMEOUT_NS	(5ULL * 1000000000ULL)

/* calls.c */
long call1_nowait(struct plat_thread *th, long nr, uint64_t a0,
		  uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		  uint64_t a5);
long run_calls(struct plat_thread *th, unsigned n);
void batch_release_fd(struct plat_thread *th);
int send_fds(int sock, const int *fds, int n);
void set_call(struct stub_call *c, long nr, uint64_t a0, uint64_t a1,
	      uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
	      int fd_arg);

/* fpu.c */
void copy_fpu_to_child(struct plat_thread *parent,
		       struct plat_thread *child);
void fpu_reset(struct plat_thread *th);

/* patch.c */
bool patch_event(struct plat_thread *th, struct plat_regs *regs,
		 uint64_t restart_slot);
void patch_fpu_dirty(struct plat_thread *th);
void patch_prepare(struct plat_thread *th);
void patch_resume(struct plat_thread *th, const struct plat_regs *regs,
		  uint64_t *sc);

/* region.c */
void as_put(struct host_as *as);
bool idle_room(struct host_as *as);
void mark_dead(struct plat_thread *th);
void proc_add_thread(struct host_proc *p, struct plat_thread *th);
void proc_maybe_free(struct host_proc *p);
struct host_proc *proc_new(pid_t pid, struct host_as *as);
void region_free(struct plat_thread *th);
struct plat_thread *region_get(struct host_as *as, int *fd);
struct plat_thread *region_new(struct host_as *as, int *fd);
void region_park(struct host_as *as, struct plat_thread *th);
void region_prepare(struct plat_thread *th);
void *region_ptr(struct plat_thread *th, uint64_t gaddr, size_t len,
		 uint64_t min_off);
void slot_free(struct host_as *as, int slot);

/* systrap.c */
uint64_t *cur_mcontext(struct plat_thread *th);
long futex_wait_until(uint32_t *uaddr, uint32_t val, uint64_t deadline);
bool kick(struct plat_thread *th, uint32_t cmd);
uint64_t now_ns(void);
bool resume(struct plat_thread *th, const struct plat_regs *regs);
uint32_t wait_event_until(struct plat_thread *th, uint64_t deadline);

int systrap_build_filter(void *buf, size_t size, uint64_t text_start,
			 uint64_t text_end);

/* Patched system call sites of one address space (patch.c). */
struct patch_sites;
struct patch_sites *patch_sites_new(void);
struct patch_sites *patch_sites_copy(struct patch_sites *s);
void patch_sites_free(struct patch_sites *s);
int patch_sites_note(struct patch_sites *s, uint64_t addr, int nr);
int patch_sites_rekind(struct patch_sites *s, int slot, int kind);
void patch_sites_done(struct patch_sites *s, int slot, bool patched);
bool patch_sites_slot(struct patch_sites *s, uint64_t slot, uint64_t *addr,
		      int *nr);
int patch_sites_at(struct patch_sites *s, uint64_t addr);
bool patch_sites_known(struct patch_sites *s, uint64_t addr);
void patch_sites_unmapped(struct patch_sites *s, uint64_t addr, uint64_t len);
void patch_sites_moved(struct patch_sites *s, uint64_t old, uint64_t old_len,
		       uint64_t new_addr, uint64_t new_len);
void patch_sites_clear(struct patch_sites *s);

extern const unsigned char stub_elf_start[];
extern const unsigned char stub_elf_end[];

#endif
