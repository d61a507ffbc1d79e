/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the three kinds of System V IPC object share: the permission block,
 * the table of ids, key lookup and the common ctl commands.
 *
 * An id is seq * IPCMNI + slot: a slot reused gets a new seq, so a stale
 * id answers EINVAL. Objects are reference counted: a task sleeping on
 * one (msgrcv, semop) holds a reference, and finds it marked deleted when
 * it wakes up (EIDRM).
 */
#ifndef IPC_UTIL_H
#define IPC_UTIL_H

#include "kern/kernel.h"
#include "kern/ipc.h"
#include "kern/sched.h"
#include "kern/wait.h"
#include <linux/ipc.h>

#define IPCMNI		32768
#define SEQ_MAX		(0x7fffffff / IPCMNI)
#define CAP_IPC_OWNER	15
#define S_IRUGO		0444
#define S_IWUGO		0222
#define S_IXUGO		0111

struct kern_ipc_perm {
	int id;
	int key;
	uid_t uid, cuid;
	gid_t gid, cgid;
	unsigned int mode;	/* low 9 bits: rwx; shm adds SHM_DEST... */
	unsigned int seq;
	int refs;
	bool deleted;
	void (*free)(struct kern_ipc_perm *p);
};

struct ipc_ids {
	int in_use;
	int max_idx;			/* highest slot in use, -1 if none */
	unsigned int seq;
	struct kern_ipc_perm **entries;	/* IPCMNI slots, allocated on use */
};

struct ipc_limits {
	u64 shmmax, shmall;
	int shmmni;
	int semmsl, semmns, semopm, semmni;
	int msgmax, msgmnb, msgmni;
};
extern struct ipc_limits ipc_limits;

/*
 * Kernel memory that guests make us hold (queues and their messages,
 * semaphore sets, undo records) is charged to the commit limit (mem=), in
 * whole pages of the total: -ENOMEM past it.
 */
int ipc_charge(size_t bytes);
void ipc_uncharge(size_t bytes);

/* Seconds since the epoch, for the *_time fields. */
s64 ipc_now(void);

/* 0 if current may access p as flag's rwx bits ask (0444, 0222...). */
int ipcperms(struct kern_ipc_perm *p, int flag);
/* 0 if current owns p (uid or cuid) or has CAP_SYS_ADMIN. */
int ipc_owner_check(struct kern_ipc_perm *p);

struct kern_ipc_perm *ipc_find_key(struct ipc_ids *ids, int key);
/* Object id; -EINVAL if there is none. */
struct kern_ipc_perm *ipc_obtain(struct ipc_ids *ids, int id);
/* Object in slot idx (the *_STAT commands); -EINVAL if empty. */
struct kern_ipc_perm *ipc_obtain_idx(struct ipc_ids *ids, int idx);
/* A new object in a free slot below limit: sets id, owner, mode. */
int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *p, int limit,
	      int key, int flg);
/* Out of the table (IPC_RMID): marked deleted, put. */
void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *p);
void ipc_get(struct kern_ipc_perm *p);
void ipc_put(struct kern_ipc_perm *p);

/*
 * The get syscalls' common part: IPC_PRIVATE, key lookup, IPC_CREAT and
 * IPC_EXCL. create makes a new object and returns its id; check (may be
 * NULL) vets an existing one (-EINVAL if too small...).
 */
struct ipc_ops {
	int (*create)(int key, int flg, void *arg);
	int (*check)(struct kern_ipc_perm *p, void *arg);
};
int ipcget(struct ipc_ids *ids, int key, int flg, const struct ipc_ops *ops,
	   void *arg);

void ipc64_perm_fill(const struct kern_ipc_perm *p, struct ipc64_perm *out);
/* IPC_SET's owner, group and mode from in; ctime is the caller's. */
void ipc_set_perm(struct kern_ipc_perm *p, const struct ipc64_perm *in);

/* A growing text buffer for /proc/sysvipc. */
struct ipc_text {
	char *buf;
	size_t len, size;
};
void ipc_text_printf(struct ipc_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
