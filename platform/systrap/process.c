// SPDX-License-Identifier: GPL-2.0
/*
 * systrap: creating guest host processes and threads (the zygote, its
 * pool, fork, vfork, clone, exec in place) and ending them.
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

/* ---- creating processes and threads ---- */

static void find_vdso(pid_t pid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (strstr(line, "[vdso]") &&
		    sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
		    lo >= STUB_CODE_ADDR + STUB_CODE_MAX) {
			vdso_base = lo;
			vdso_size = hi - lo;
		}
	}
	fclose(f);
}

static int spawn_one(struct plat_thread **out)
{
	struct host_as *as;
	struct plat_thread *th;
	struct host_proc *p;
	int sv[2], fds[2], rfd, r;
	long pid = 0;
	static bool vdso_known;

	as = calloc(1, sizeof(*as));
	if (!as)
		return -ENOMEM;
	as->ctl = -1;
	if (patching && !(as->sites = patch_sites_new())) {
		free(as);
		return -ENOMEM;
	}
	pthread_mutex_lock(&plock);
	th = region_new(as, &rfd);
	if (!th) {
		r = -ENOMEM;
		goto out_as;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		r = -errno;
		goto out_region;
	}
	as->ctl = sv[0];
	region_prepare(th);
	memcpy((char *)th->d + STUB_FPU_OFF, filter_prog, (size_t)filter_len * 8);
	th->d->filter_len = (uint32_t)filter_len;
	fds[0] = rfd;
	fds[1] = sv[1];
	r = send_fds(zygote_sock, fds, 2);
	close(sv[1]);
	if (r < 0)
		goto out_region;
	if (recv(zygote_sock, &pid, sizeof(pid), 0) != sizeof(pid) ||
	    pid <= 0) {
		r = -EAGAIN;
		goto out_region;
	}
	p = proc_new((pid_t)pid, as);
	if (!p) {
		kill((pid_t)pid, SIGKILL);
		r = -ENOMEM;
		goto out_region;
	}
	th->tid = (pid_t)pid;
	proc_add_thread(p, th);
	pthread_mutex_unlock(&plock);

	/* An empty command: the stub has set itself up (or died trying). */
	if (run_calls(th, 0) != 0) {
		plat_kill(th);
		plat_thread_put(th);
		return -EAGAIN;
	}
	if (!vdso_known) {
		vdso_known = true;
		find_vdso((pid_t)pid);
	}
	*out = th;
	return 0;

out_region:
	region_free(th);
out_as:
	if (as->ctl >= 0)
		close(as->ctl);
	patch_sites_free(as->sites);
	free(as);
	pthread_mutex_unlock(&plock);
	return r;
}

/*
 * A fresh process costs a host fork of the zygote and the stub's set-up
 * (hundreds of microseconds). One is kept ready, made by a host thread of
 * ours while the guest runs, so that execve rarely waits for one.
 */
#define POOL_SIZE	1
static struct plat_thread *pool[POOL_SIZE];
static int pool_n;
static uint32_t pool_seq;
static bool pool_started;

static void *pool_refill(void *arg)
{
	(void)arg;
	for (;;) {
		uint32_t seq = aload(&pool_seq);
		struct plat_thread *th;
		bool need;

		pthread_mutex_lock(&plock);
		need = pool_n < POOL_SIZE;
		pthread_mutex_unlock(&plock);
		if (!need) {
			futex(&pool_seq, FUTEX_WAIT_PRIVATE, seq);
			continue;
		}
		if (spawn_one(&th) < 0) {
			usleep(100000);
			continue;
		}
		pthread_mutex_lock(&plock);
		if (pool_n < POOL_SIZE) {
			pool[pool_n++] = th;
			th = NULL;
		}
		pthread_mutex_unlock(&plock);
		if (th) {
			plat_kill(th);
			plat_thread_put(th);
		}
	}
	return NULL;
}

int plat_spawn(struct plat_thread **out)
{
	struct plat_thread *th = NULL;
	pthread_t t;

	pthread_mutex_lock(&plock);
	while (pool_n > 0 && !th) {
		th = pool[--pool_n];
		if (th->proc->dead) {
			/* died while waiting (killed from outside): drop it */
			pthread_mutex_unlock(&plock);
			plat_thread_put(th);
			th = NULL;
			pthread_mutex_lock(&plock);
		}
	}
	if (!pool_started) {
		pool_started = true;
		if (pthread_create(&t, NULL, pool_refill, NULL) == 0)
			pthread_detach(t);
	}
	pthread_mutex_unlock(&plock);
	__atomic_add_fetch(&pool_seq, 1, __ATOMIC_SEQ_CST);
	futex(&pool_seq, FUTEX_WAKE_PRIVATE, 1);
	if (th) {
		*out = th;
		return 0;
	}
	return spawn_one(out);
}

/*
 * Reusing the host process saves a host fork of the zygote, the new
 * process's set-up (filter, handlers, region) and the old process's exit:
 * about a third of a fork + exec on a single CPU. The guest's whole range
 * goes in one munmap, which the filter allows for exactly that range.
 */
bool plat_exec_in_place(struct plat_thread *th)
{
	struct host_proc *p = th->proc;
	bool alone;

	pthread_mutex_lock(&plock);
	alone = !p->dead && p->nthreads == 1 && p->as->refs == 1 &&
		th->tid == p->pid;
	pthread_mutex_unlock(&plock);
	return alone;
}

int plat_exec_reset(struct plat_thread *th)
{
	long r;

	if (!plat_exec_in_place(th))
		return -EBUSY;
	th->batch = true;
	/* everything but the hole with the patch slot table */
	r = call1_nowait(th, SYS_munmap, STUB_GUEST_LOW,
			 STUB_PATCH_TABLE - STUB_GUEST_LOW, 0, 0, 0, 0);
	if (r >= 0)
		r = call1_nowait(th, SYS_munmap, STUB_PATCH_HOLE_END,
				 GUEST_TASK_SIZE - STUB_PATCH_HOLE_END, 0, 0, 0,
				 0);
	if (r < 0)
		return (int)r;
	if (th->proc->as->sites)
		patch_sites_clear(th->proc->as->sites);
	astore(&th->d->robust_set, 0);
	th->d->robust_head = 0;
	fpu_reset(th);
	return 0;
}

enum clone_kind { CK_FORK, CK_VM, CK_THREAD };

#define PID_LIMIT	4194304		/* the host's pid_max ceiling */

/*
 * The pid a stub reports for the process it cloned comes from memory its
 * guest can write. It is believed only if it is a child of ours that we
 * do not know yet: we send SIGKILL to it later. Called with plock held.
 */
static bool new_child(pid_t pid)
{
	siginfo_t si;
	struct host_proc *p;

	if (pid <= 0 || pid > PID_LIMIT || pid == zygote_pid)
		return false;
	for (p = procs; p; p = p->next)
		if (p->pid == pid && !p->dead)
			return false;
	memset(&si, 0, sizeof(si));
	return waitid(P_PID, (id_t)pid, &si,
		      WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL) == 0;
}

/*
 * The new host thread or process is made by the parent's stub in one
 * command: receive and map the region if it is a new one, clone, and for
 * a fork unmap the child's region from the parent. The child does not
 * report back: its region was prepared here, and its first command comes
 * from its own task's first plat_run(). Called without plock.
 */
static int clone_common(struct plat_thread *parent, enum clone_kind kind,
			struct plat_thread **out)
{
	static const uint64_t flags[] = { STUB_CLONE_FORK, STUB_CLONE_VM,
					  STUB_CLONE_THREAD };
	struct host_as *pas = parent->proc->as, *cas = pas;
	struct stub_call *c = parent->d->calls;
	struct plat_thread *child;
	struct host_proc *p = parent->proc;
	int rfd, sv[2] = { -1, -1 }, r;
	unsigned n = 0, at_clone, k;
	bool fresh;
	long tid, done;

	pthread_mutex_lock(&plock);
	child = region_get(pas, &rfd);
	if (!child) {
		pthread_mutex_unlock(&plock);
		return -EAGAIN;
	}
	fresh = rfd >= 0;
	region_prepare(child);
	child->fs_base = parent->fs_base;
	copy_fpu_to_child(parent, child);
	if (fresh) {
		r = send_fds(pas->ctl, &rfd, 1);
		if (r < 0)
			goto fail;
		set_call(&c[n++], STUB_CALL_RECVFD, 0, 0, 0, 0, 0, 0, -1);
		set_call(&c[n++], SYS_mmap, child->gaddr, STUB_REGION_SIZE,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, 0, 0, 4);
		set_call(&c[n++], SYS_close, 0, 0, 0, 0, 0, 0, 0);
	}
	if (kind == CK_FORK) {
		cas = calloc(1, sizeof(*cas));
		if (cas && pas->sites && !(cas->sites = patch_sites_copy(pas->sites))) {
			free(cas);
			cas = NULL;
		}
		if (!cas ||
		    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
			if (cas)
				patch_sites_free(cas->sites);
			free(cas);
			cas = pas;
			r = -EAGAIN;
			goto fail;
		}
		cas->ctl = sv[0];
		cas->slots[child->slot / 8] |= (uint8_t)(1u << (child->slot % 8));
		r = send_fds(pas->ctl, &sv[1], 1);
		close(sv[1]);
		sv[1] = -1;
		if (r < 0)
			goto fail;
		set_call(&c[n++], STUB_CALL_RECVFD, 0, 0, 0, 0, 0, 0, -1);
	}
	at_clone = n;
	set_call(&c[n++], STUB_CALL_CLONE, flags[kind], child->gaddr, 0, 0, 0,
		 0, kind == CK_FORK ? 2 : -1);
	if (kind == CK_FORK) {
		set_call(&c[n++], SYS_close, 0, 0, 0, 0, 0, 0, 0);
		set_call(&c[n++], SYS_munmap, child->gaddr, STUB_REGION_SIZE,
			 0, 0, 0, 0, -1);
	}
	done = run_calls(parent, n);
	tid = c[at_clone].ret;
	if (done <= (long)at_clone || tid <= 0 || tid > PID_LIMIT ||
	    (kind != CK_THREAD && !new_child((pid_t)tid))) {
		r = tid < 0 && tid > -4096 ? (int)tid : -EAGAIN;
		/* a clone that may have run: its region is not reused */
		if (done > (long)at_clone)
			fresh = true;
		goto fail;
	}
	if (kind == CK_FORK && done != (long)n) {
		/* the child's region is still the parent's too: not safe */
		kill((pid_t)tid, SIGKILL);
		r = -EAGAIN;
		fresh = true;
		goto fail;
	}
	if (kind == CK_FORK) {
		slot_free(pas, child->slot);
		p = proc_new((pid_t)tid, cas);
	} else if (kind == CK_VM) {
		p = proc_new((pid_t)tid, pas);
	}
	if (!p) {
		kill((pid_t)tid, SIGKILL);
		r = -ENOMEM;
		fresh = true;
		goto fail;
	}
	child->tid = (pid_t)tid;
	proc_add_thread(p, child);
	if (kind == CK_FORK) {
		/*
		 * Before any guest code runs there, the child drops the
		 * regions of the parent's other threads: every slot but its
		 * own, in at most two calls.
		 */
		uint64_t lo = REGION_ADDR(0), hi = REGION_ADDR(STUB_MAX_SLOTS);

		k = 0;
		if (child->gaddr > lo)
			set_call(&child->d->calls[k++], SYS_munmap, lo,
				 child->gaddr - lo, 0, 0, 0, 0, -1);
		if (child->gaddr + STUB_REGION_SIZE < hi)
			set_call(&child->d->calls[k++], SYS_munmap,
				 child->gaddr + STUB_REGION_SIZE,
				 hi - child->gaddr - STUB_REGION_SIZE, 0, 0, 0,
				 0, -1);
		child->deferred = k;
	}
	pthread_mutex_unlock(&plock);
	*out = child;
	return 0;

fail:
	if (sv[1] >= 0)
		close(sv[1]);
	if (cas != pas) {
		/* no process has it yet (refs 0): as_put() is not for it */
		close(cas->ctl);
		patch_sites_free(cas->sites);
		free(cas);
	}
	if (fresh) {
		slot_free(pas, child->slot);
		region_free(child);
	} else {
		region_park(pas, child);
	}
	pthread_mutex_unlock(&plock);
	return r;
}

int plat_fork(struct plat_thread *parent, struct plat_thread **child)
{
	return clone_common(parent, CK_FORK, child);
}

int plat_clone_vm(struct plat_thread *parent, struct plat_thread **child)
{
	return clone_common(parent, CK_VM, child);
}

int plat_clone_thread(struct plat_thread *parent, struct plat_thread **child)
{
	return clone_common(parent, CK_THREAD, child);
}

/* ---- ending threads and processes ---- */

void plat_kill(struct plat_thread *th)
{
	pthread_mutex_lock(&plock);
	if (!th->proc->dead)
		kill(th->proc->pid, SIGKILL);
	pthread_mutex_unlock(&plock);
}

/*
 * The host thread is told to exit; its region is parked for reuse once
 * the host has cleared host_tid, so nobody waits for it to be gone,
 * unless the idle list is full of regions whose threads are still going.
 */
void plat_thread_exit(struct plat_thread *th)
{
	uint32_t tid;
	bool room;

	if (kick(th, STUB_CMD_EXIT)) {
		pthread_mutex_lock(&plock);
		room = idle_room(th->proc->as);
		pthread_mutex_unlock(&plock);
		if (room)
			goto put;
		uint64_t deadline = now_ns() + CALLS_TIMEOUT_NS;

		while ((tid = aload(&th->d->host_tid)) != 0) {
			if (now_ns() >= deadline) {
				kill(th->proc->pid, SIGKILL);
				break;
			}
			futex_wait_until(&th->d->host_tid, tid, deadline);
		}
	}
put:
	plat_thread_put(th);
}

void plat_thread_put(struct plat_thread *th)
{
	struct host_proc *p = th->proc;
	struct plat_thread **pp;

	pthread_mutex_lock(&plock);
	for (pp = &p->threads; *pp; pp = &(*pp)->next)
		if (*pp == th) {
			*pp = th->next;
			break;
		}
	p->nthreads--;
	region_park(p->as, th);
	proc_maybe_free(p);
	pthread_mutex_unlock(&plock);
}

