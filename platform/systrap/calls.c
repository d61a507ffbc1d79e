// SPDX-License-Identifier: GPL-2.0
/*
 * systrap: host calls made by the stub for the kernel (the mapping calls,
 * fds passed over the control socket, batches), and guest memory.
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

/* ---- fd passing and host calls ---- */

int send_fds(int sock, const int *fds, int n)
{
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} u;
	struct msghdr m = { 0 };
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	if (sendmsg(sock, &m, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

void set_call(struct stub_call *c, long nr, uint64_t a0, uint64_t a1,
	      uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
	      int fd_arg)
{
	c->nr = nr;
	c->args[0] = a0;
	c->args[1] = a1;
	c->args[2] = a2;
	c->args[3] = a3;
	c->args[4] = a4;
	c->args[5] = a5;
	c->ret = -ENOSYS;
	c->fd_arg = (uint8_t)(fd_arg < 0 ? STUB_ARG_NONE : fd_arg);
}

/*
 * Runs the n calls already placed in th's region. Returns the number run
 * (the last one may have failed), or -ESRCH if the thread died.
 *
 * Host calls are made with the kernel lock held and take microseconds; a
 * stub that does not answer in seconds has been tampered with by its own
 * guest, which is then killed rather than waited for.
 */
long run_calls(struct plat_thread *th, unsigned n)
{
	uint32_t st;

	th->d->ncalls = n;
	th->d->ndone = 0;
	if (!kick(th, STUB_CMD_CALLS))
		return -ESRCH;
	st = wait_event_until(th, now_ns() + CALLS_TIMEOUT_NS);
	if (st == WAIT_TIMEDOUT) {
		kill(th->proc->pid, SIGKILL);
		return -ESRCH;
	}
	if (st != STUB_ST_EVENT || th->d->event != STUB_EV_CALLS_DONE)
		return -ESRCH;
	return th->d->ndone;
}

static long call1(struct plat_thread *th, long nr, uint64_t a0, uint64_t a1,
		  uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	set_call(&th->d->calls[0], nr, a0, a1, a2, a3, a4, a5, -1);
	if (run_calls(th, 1) != 1)
		return -ESRCH;
	return th->d->calls[0].ret;
}

/*
 * Batching. While a new image is set up (execve past its point of no
 * return) nobody needs the result of each mapping call at once: they are
 * queued in calls[] and run in one command when guest memory is next read
 * or written, when calls[] is full, or with the first resume (which kills
 * the process if one fails, as a failure past the point of no return
 * must). An ELF image with its interpreter and stack then costs one or
 * two hand-overs with the stub instead of one per segment.
 */
/*
 * The file mapped by the queued calls stays open in the stub for the next
 * segments of the same file (one fd passed per file, not per segment);
 * its close is queued last. batch_room() keeps a place for it.
 */
void batch_release_fd(struct plat_thread *th)
{
	if (th->batch_fd < 0)
		return;
	set_call(&th->d->calls[th->deferred++], SYS_close, 0, 0, 0, 0, 0, 0,
		 0);
	th->batch_fd = -1;
}

static long flush_batch(struct plat_thread *th)
{
	unsigned n;
	long done;

	batch_release_fd(th);
	n = th->deferred;
	if (!n)
		return 0;
	th->deferred = 0;
	done = run_calls(th, n);
	if (done < 0)
		return done;
	if (done != (long)n)
		return -EFAULT;
	if (th->d->calls[n - 1].ret < 0 && th->d->calls[n - 1].ret > -4096)
		return th->d->calls[n - 1].ret;
	return 0;
}

/*
 * Room for n more queued calls (and the held fd's close); false if
 * flushing what is queued failed.
 */
static bool batch_room(struct plat_thread *th, unsigned n)
{
	if (th->deferred + n + 1 <= STUB_MAX_CALLS)
		return true;
	return flush_batch(th) == 0;
}

/* A call whose result is not needed: queued when batching, else run. */
long call1_nowait(struct plat_thread *th, long nr, uint64_t a0,
		  uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		  uint64_t a5)
{
	if (!th->batch)
		return call1(th, nr, a0, a1, a2, a3, a4, a5);
	if (!batch_room(th, 1))
		return -EFAULT;
	set_call(&th->d->calls[th->deferred++], nr, a0, a1, a2, a3, a4, a5,
		 -1);
	return 0;
}

void plat_batch_begin(struct plat_thread *th)
{
	th->batch = true;
}

long plat_mmap(struct plat_thread *th, uint64_t addr, uint64_t len, int prot,
	       int flags, int host_fd, uint64_t off)
{
	struct stub_call *c;
	long r, fd;

	if (!(flags & MAP_FIXED))
		return -EINVAL;
	if (th->proc->as->sites)
		patch_sites_unmapped(th->proc->as->sites, addr, len);
	if (host_fd < 0) {
		for (uint64_t done = 0; done < len; done += CHUNK) {
			uint64_t n = len - done < CHUNK ? len - done : CHUNK;
			r = call1_nowait(th, SYS_mmap, addr + done, n, prot,
					 flags, (uint64_t)-1, 0);
			if (r < 0)
				return r;
		}
		return (long)addr;
	}
	for (uint64_t done = 0; done < len; done += CHUNK) {
		uint64_t n = len - done < CHUNK ? len - done : CHUNK;

		if (th->batch) {
			/*
			 * The fd a queued call received is still open there
			 * (its file is held by the exec that queues them, so
			 * the number is the same file's).
			 */
			if (!batch_room(th, 3))
				return -EFAULT;
			if (th->batch_fd != host_fd) {
				batch_release_fd(th);
				r = send_fds(th->proc->as->ctl, &host_fd, 1);
				if (r < 0)
					return r;
				set_call(&th->d->calls[th->deferred++],
					 STUB_CALL_RECVFD, 0, 0, 0, 0, 0, 0, -1);
				th->batch_fd = host_fd;
			}
			set_call(&th->d->calls[th->deferred++], SYS_mmap,
				 addr + done, n, prot, flags, 0, off + done, 4);
			continue;
		}
		r = send_fds(th->proc->as->ctl, &host_fd, 1);
		if (r < 0)
			return r;
		/* the three calls go in one command: fd_arg needs it */
		c = th->d->calls;
		set_call(&c[0], STUB_CALL_RECVFD, 0, 0, 0, 0, 0, 0, -1);
		set_call(&c[1], SYS_mmap, addr + done, n, prot, flags, 0,
			 off + done, 4);
		set_call(&c[2], SYS_close, 0, 0, 0, 0, 0, 0, 0);
		r = run_calls(th, 3);
		if (r < 0)
			return r;
		fd = c[0].ret;
		if (r == 1)
			return fd < 0 ? fd : -EIO;
		if (r == 2) {	/* mmap failed: the fd is still open there */
			r = c[1].ret;
			call1(th, SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
			return r;
		}
	}
	return (long)addr;
}

static long range_call(struct plat_thread *th, long nr, uint64_t addr,
		       uint64_t len, uint64_t arg)
{
	long r = 0;

	if (!len)
		return 0;
	for (uint64_t done = 0; done < len; done += CHUNK) {
		uint64_t n = len - done < CHUNK ? len - done : CHUNK;
		r = call1_nowait(th, nr, addr + done, n, arg, 0, 0, 0);
		if (r < 0)
			return r;
	}
	return r;
}

long plat_munmap(struct plat_thread *th, uint64_t addr, uint64_t len)
{
	if (th->proc->as->sites)
		patch_sites_unmapped(th->proc->as->sites, addr, len);
	return range_call(th, SYS_munmap, addr, len, 0);
}

long plat_mprotect(struct plat_thread *th, uint64_t addr, uint64_t len,
		   int prot)
{
	return range_call(th, SYS_mprotect, addr, len, (uint64_t)prot);
}

long plat_madvise(struct plat_thread *th, uint64_t addr, uint64_t len,
		  int advice)
{
	return range_call(th, SYS_madvise, addr, len, (uint64_t)advice);
}

long plat_mremap(struct plat_thread *th, uint64_t old, uint64_t old_len,
		 uint64_t new_len, int flags, uint64_t new_addr)
{
	if (old_len >= (1UL << 32) || new_len >= (1UL << 32))
		return -ENOMEM;
	long r;

	if (th->batch && flush_batch(th) < 0)
		return -EFAULT;
	r = call1(th, SYS_mremap, old, old_len, new_len, (uint64_t)flags,
		  new_addr, 0);
	if (r >= 0 && th->proc->as->sites) {
		/* MREMAP_FIXED replaced what was at the target */
		if ((uint64_t)r != old)
			patch_sites_unmapped(th->proc->as->sites, (uint64_t)r,
					     new_len);
		patch_sites_moved(th->proc->as->sites, old, old_len,
				  (uint64_t)r, new_len);
	}
	return r;
}

/* ---- guest memory ---- */

/* Queued mapping calls run first: the memory may be theirs. */
static long guest_rw(struct plat_thread *th, uint64_t addr, void *buf,
		     size_t len, bool write)
{
	struct iovec l = { buf, len }, r = { (void *)addr, len };
	ssize_t n;

	if (!len)
		return 0;
	if (th->batch && flush_batch(th) < 0)
		return -EFAULT;
	if (addr >= GUEST_TASK_SIZE || len > GUEST_TASK_SIZE - addr)
		return -EFAULT;
	n = write ? process_vm_writev(th->proc->pid, &l, 1, &r, 1, 0) :
		    process_vm_readv(th->proc->pid, &l, 1, &r, 1, 0);
	return n <= 0 ? -EFAULT : n;
}

long plat_read_mem(struct plat_thread *th, uint64_t addr, void *buf,
		   size_t len)
{
	return guest_rw(th, addr, buf, len, false);
}

long plat_write_mem(struct plat_thread *th, uint64_t addr, const void *buf,
		    size_t len)
{
	return guest_rw(th, addr, (void *)buf, len, true);
}

