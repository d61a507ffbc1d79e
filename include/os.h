/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host contract: every host call the kernel makes goes through these
 * functions (implemented in os/). Neutral types only, errors as -errno.
 * Kernel code never includes a libc header; host code never includes a
 * kernel-internal header.
 */
#ifndef OS_H
#define OS_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

/* os/mem.c: kernel heap */
void *os_malloc(size_t size);
void *os_calloc(size_t n, size_t size);
void *os_realloc(void *p, size_t size);
void os_free(void *p);

/* os/thread.c: host threads, the big kernel lock, futex sleeping */
int os_thread_create(void (*fn)(void *), void *arg);
void os_kernel_lock(void);
void os_kernel_unlock(void);
/* Takes the lock, giving up after timeout_ns: 0 or -ETIMEDOUT. */
int os_kernel_lock_timeout(uint64_t timeout_ns);
bool os_kernel_lock_held(void);
/* Ends the calling host thread (a task's, after do_exit). */
void os_thread_exit(void) __attribute__((noreturn));
/*
 * Sleeps while *word == val, until woken or until the CLOCK_MONOTONIC
 * deadline (ns; 0 = none). Returns 0, -EAGAIN or -ETIMEDOUT.
 */
int os_futex_wait(uint32_t *word, uint32_t val, uint64_t deadline_ns);
/*
 * Wakes one sleeper on word, which will want the kernel lock: if the
 * caller holds it, the wake happens when it is dropped.
 */
void os_futex_wake_late(uint32_t *word);
void os_futex_wake(uint32_t *word, int n);
/* Host futex on a guest-shared page is not used: guest futexes are ours. */

/* os/time.c */
#define OS_CLOCK_REALTIME	0
#define OS_CLOCK_MONOTONIC	1
#define OS_CLOCK_PROCESS	2
#define OS_CLOCK_THREAD		3
#define OS_CLOCK_BOOTTIME	7
uint64_t os_clock_ns(int clock);
uint64_t os_clock_res_ns(int clock);

/* os/cputime.c: CPU usage of the host processes carrying guests */
struct os_usage {
	uint64_t utime_ns, stime_ns;
	uint64_t minflt, majflt;
	uint64_t nvcsw, nivcsw;
	long maxrss_kb;
};
/* Host process pid's CPU clock: kind 0 user+system, 1 user, 2 runtime. */
int os_process_cputime(int pid, int kind, uint64_t *ns);
/* Runtime (ns) of host thread tid of process pid. */
int os_thread_cputime(int pid, int tid, uint64_t *ns);
/* Usage of host process pid, or of its thread tid when tid > 0. */
int os_usage(int pid, int tid, struct os_usage *u);
/* os/timex.c: the host's struct timex (len: its size, 208) as a read-only
 * adjtimex(2) (modes 0 or ADJ_OFFSET_SS_READ) fills it; returns the clock
 * state or -errno. */
int os_adjtimex_read(unsigned int modes, void *buf, size_t len);

/* os/file.c: host fds (console channels, initrd, memfd page cache) */
int os_open(const char *path, int flags, int mode);	/* flags: O_* values */
int os_close(int fd);
long os_read(int fd, void *buf, size_t len);
long os_write(int fd, const void *buf, size_t len);
long os_pread(int fd, void *buf, size_t len, uint64_t off);
long os_pwrite(int fd, const void *buf, size_t len, uint64_t off);
long os_file_size(int fd);
int os_ftruncate(int fd, uint64_t len);
/* Bytes the host allocated to the file (st_blocks). */
int64_t os_file_alloc(int fd);
/* lseek; whence 3 (SEEK_DATA) and 4 (SEEK_HOLE) find a memfd's holes. */
int64_t os_lseek(int fd, int64_t off, int whence);
int os_fallocate(int fd, int mode, uint64_t off, uint64_t len);
int os_memfd(const char *name);			/* read-write, cloexec */
int os_reopen_readonly(int fd);			/* a read-only fd on the same file */
int os_fsync(int fd);
int os_isatty(int fd);
int os_dup(int fd);
/* Wait until fd is readable (or deadline, ns monotonic; 0 = forever). */
int os_poll_in(int fd, uint64_t deadline_ns);
/* Maps a host fd into the kernel, e.g. for page cache access. */
void *os_map_shared(int fd, size_t len, uint64_t off, bool writable);
int os_unmap(void *addr, size_t len);

/* os/tty.c: the host terminal behind fd channels */
int os_tty_raw(int fd);				/* save state and go raw */
void os_tty_restore_all(void);
int os_tty_winsize(int fd, uint16_t *rows, uint16_t *cols);

/* os/misc.c */
int os_getrandom(void *buf, size_t len);
int os_getpid(void);
int os_nprocs(void);
void os_exit(int status) __attribute__((noreturn));
void os_abort(void) __attribute__((noreturn));
/* Runs this program again with the same arguments (reboot). */
void os_reexec(char **argv) __attribute__((noreturn));
/* Gzip/zlib inflate of a whole buffer; *out is os_malloc'd. */
int os_gunzip(const void *in, size_t in_len, void **out, size_t *out_len,
	      size_t max_out);
/* Host signals to the kernel process (SIGTERM/SIGINT/SIGHUP): handler runs
 * on a dedicated thread, not in a signal context. */
int os_catch_signals(void (*handler)(int signo));
/* A full memory barrier on every host CPU running any of our threads
 * (host membarrier MEMBARRIER_CMD_GLOBAL); 0 or -errno. */
int os_membarrier(void);
/* Host memory statistics */
uint64_t os_total_ram(void);
/* os/procinfo.c: resident set (kB) of host process pid, or -errno. */
long os_process_rss_kb(int pid);

#endif
