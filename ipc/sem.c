// SPDX-License-Identifier: GPL-2.0
/*
 * System V semaphores: semget, semop/semtimedop (all operations of a call
 * or none, SEM_UNDO), semctl, with Linux's limits and errnos.
 *
 * A blocked semop sleeps on its set's wait queue and tries again whenever
 * the set changes; it counts as waiting for an increase (semncnt) or for
 * zero (semzcnt) on the semaphore it stopped at. SEM_UNDO adjustments are
 * kept per process (thread group, which CLONE_SYSVSEM threads are) and
 * applied when it ends.
 */
#include "util.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/time.h"
#include "kern/uaccess.h"
#include <linux/sem.h>

struct ksem {
	int semval;
	pid_t sempid;
	int ncnt, zcnt;		/* sleepers for more / for zero */
};

struct sem_array {
	struct kern_ipc_perm perm;	/* first */
	s64 otime, ctime;
	int nsems;
	struct wait_queue_head wait;
	struct ksem sems[];
};

/* A process's SEM_UNDO adjustments for one set. */
struct sem_undo {
	struct list_head node;
	pid_t tgid;
	int semid;
	int nsems;
	short adj[];
};

static struct ipc_ids sem_ids = { .max_idx = -1 };
static LIST_HEAD(undo_list);
static long sem_total;		/* semaphores in all sets */

static struct sem_array *sma_of(struct kern_ipc_perm *p)
{
	return (struct sem_array *)p;
}

static size_t sma_size(int nsems)
{
	return sizeof(struct sem_array) + (size_t)nsems * sizeof(struct ksem);
}

static void sma_free(struct kern_ipc_perm *p)
{
	ipc_uncharge(sma_size(sma_of(p)->nsems));
	kfree(p);
}

static size_t undo_size(int nsems)
{
	return sizeof(struct sem_undo) + (size_t)nsems * sizeof(short);
}

static void free_undo(struct sem_undo *u)
{
	list_del(&u->node);
	ipc_uncharge(undo_size(u->nsems));
	kfree(u);
}

/* The set is gone or its values were set: adjustments lose meaning. */
static void undo_forget(int semid, int semnum)
{
	struct sem_undo *u, *n;

	list_for_each_entry_safe(u, n, &undo_list, node) {
		if (u->semid != semid)
			continue;
		if (semnum < 0)
			free_undo(u);
		else if (semnum < u->nsems) {
			u->adj[semnum] = 0;
		}
	}
}

static int newary(int key, int flg, void *arg)
{
	int nsems = *(int *)arg;
	struct sem_array *a;
	int id;

	if (nsems <= 0 || nsems > ipc_limits.semmsl)
		return -EINVAL;
	if (sem_total + nsems > ipc_limits.semmns)
		return -ENOSPC;
	if (ipc_charge(sma_size(nsems)))
		return -ENOMEM;
	a = kzalloc(sma_size(nsems));
	if (!a) {
		ipc_uncharge(sma_size(nsems));
		return -ENOMEM;
	}
	a->perm.free = sma_free;
	a->nsems = nsems;
	a->ctime = ipc_now();
	init_waitqueue_head(&a->wait);
	id = ipc_addid(&sem_ids, &a->perm, ipc_limits.semmni, key, flg);
	if (id < 0) {
		ipc_uncharge(sma_size(nsems));
		kfree(a);
		return id;
	}
	sem_total += nsems;
	return id;
}

static int sem_check(struct kern_ipc_perm *p, void *arg)
{
	return *(int *)arg > sma_of(p)->nsems ? -EINVAL : 0;
}

SYSCALL_DEFINE3(semget, int, key, int, nsems, int, semflg)
{
	static const struct ipc_ops ops = { .create = newary,
					    .check = sem_check };

	if (nsems < 0 || nsems > ipc_limits.semmsl)
		return -EINVAL;
	return ipcget(&sem_ids, key, semflg, &ops, &nsems);
}

static struct sem_undo *find_undo(int semid, int nsems, bool create)
{
	pid_t tgid = current->tgid;
	struct sem_undo *u;

	list_for_each_entry(u, &undo_list, node)
		if (u->tgid == tgid && u->semid == semid)
			return u;
	if (!create)
		return NULL;
	if (ipc_charge(undo_size(nsems)))
		return ERR_PTR(-ENOMEM);
	u = kzalloc(undo_size(nsems));
	if (!u) {
		ipc_uncharge(undo_size(nsems));
		return ERR_PTR(-ENOMEM);
	}
	u->tgid = tgid;
	u->semid = semid;
	u->nsems = nsems;
	list_add(&u->node, &undo_list);
	return u;
}

/*
 * All operations or none. Returns 0 (done), -EAGAIN with *block set to
 * the operation that must wait, or -ERANGE.
 */
static int try_ops(struct sem_array *a, const struct sembuf *sops, int nsops,
		   struct sem_undo *u, int *block)
{
	int vals[SEMOPM], i;
	int *v = nsops <= SEMOPM ? vals : kmalloc(sizeof(int) * (size_t)nsops);

	if (!v)
		return -ENOMEM;
	for (i = 0; i < nsops; i++) {
		const struct sembuf *op = &sops[i];
		int cur = a->sems[op->sem_num].semval;

		/* a semaphore changed by an earlier op of this call */
		for (int j = 0; j < i; j++)
			if (sops[j].sem_num == op->sem_num)
				cur = v[j];
		if (op->sem_op == 0 && cur != 0)
			goto blocked;
		if (cur + op->sem_op < 0)
			goto blocked;
		if (cur + op->sem_op > SEMVMX)
			goto range;
		if ((op->sem_flg & SEM_UNDO) && u) {
			int adj = u->adj[op->sem_num] - op->sem_op;

			for (int j = 0; j < i; j++)
				if (sops[j].sem_num == op->sem_num &&
				    (sops[j].sem_flg & SEM_UNDO))
					adj -= sops[j].sem_op;
			if (adj < -SEMAEM - 1 || adj > SEMAEM)
				goto range;
		}
		v[i] = cur + op->sem_op;
	}
	for (i = 0; i < nsops; i++) {
		const struct sembuf *op = &sops[i];

		a->sems[op->sem_num].semval = v[i];
		a->sems[op->sem_num].sempid = current->tgid;
		if ((op->sem_flg & SEM_UNDO) && u)
			u->adj[op->sem_num] -= op->sem_op;
	}
	if (v != vals)
		kfree(v);
	return 0;
blocked:
	*block = i;
	if (v != vals)
		kfree(v);
	return -EAGAIN;
range:
	if (v != vals)
		kfree(v);
	return -ERANGE;
}

static long do_semtimedop(int semid, uaddr_t tsops, unsigned int nsops,
			  const u64 *deadline)
{
	struct sembuf fast[16], *sops = fast;
	struct sem_array *a;
	struct kern_ipc_perm *p;
	struct sem_undo *u = NULL;
	bool undo = false, alter = false;
	int max = 0, block = 0;
	long r;
	DEFINE_WAIT(w);

	if (nsops < 1 || semid < 0)
		return -EINVAL;
	if (nsops > (unsigned int)ipc_limits.semopm)
		return -E2BIG;
	if (nsops > ARRAY_SIZE(fast)) {
		sops = kmalloc(sizeof(*sops) * nsops);
		if (!sops)
			return -ENOMEM;
	}
	if (copy_from_user(sops, tsops, sizeof(*sops) * nsops)) {
		r = -EFAULT;
		goto out_free;
	}
	for (unsigned int i = 0; i < nsops; i++) {
		if (sops[i].sem_num >= max)
			max = sops[i].sem_num;
		if (sops[i].sem_flg & SEM_UNDO)
			undo = true;
		if (sops[i].sem_op)
			alter = true;
	}
	p = ipc_obtain(&sem_ids, semid);
	if (IS_ERR(p)) {
		r = PTR_ERR(p);
		goto out_free;
	}
	a = sma_of(p);
	if (max >= a->nsems) {
		r = -EFBIG;
		goto out_free;
	}
	if (ipcperms(p, alter ? S_IWUGO : S_IRUGO)) {
		r = -EACCES;
		goto out_free;
	}
	if (undo) {
		u = find_undo(p->id, a->nsems, true);
		if (IS_ERR(u)) {
			r = PTR_ERR(u);
			goto out_free;
		}
	}
	ipc_get(p);
	for (;;) {
		struct ksem *s;

		prepare_to_wait(&a->wait, &w);
		if (p->deleted) {
			r = -EIDRM;
			break;
		}
		r = try_ops(a, sops, (int)nsops, u, &block);
		if (r != -EAGAIN)
			break;
		if (sops[block].sem_flg & IPC_NOWAIT)
			break;
		if (signal_pending(current)) {
			r = -EINTR;	/* semop is never restarted */
			break;
		}
		if (deadline && ktime_get_ns() >= *deadline) {
			r = -EAGAIN;
			break;
		}
		s = &a->sems[sops[block].sem_num];
		if (sops[block].sem_op == 0)
			s->zcnt++;
		else
			s->ncnt++;
		if (deadline)
			schedule_timeout(*deadline);
		else
			schedule();
		if (sops[block].sem_op == 0)
			s->zcnt--;
		else
			s->ncnt--;
	}
	finish_wait(&a->wait, &w);
	if (!r) {
		a->otime = ipc_now();
		if (alter)
			wake_up(&a->wait);
	}
	ipc_put(p);
out_free:
	if (sops != fast)
		kfree(sops);
	return r;
}

SYSCALL_DEFINE3(semop, int, semid, uaddr_t, tsops, unsigned int, nsops)
{
	return do_semtimedop(semid, tsops, nsops, NULL);
}

SYSCALL_DEFINE4(semtimedop, int, semid, uaddr_t, tsops, unsigned int, nsops,
		uaddr_t, timeout)
{
	struct ktimespec ts;
	u64 deadline;

	if (!timeout)
		return do_semtimedop(semid, tsops, nsops, NULL);
	if (copy_from_user(&ts, timeout, sizeof(ts)))
		return -EFAULT;
	if (!ts_valid(&ts))
		return -EINVAL;
	deadline = ktime_get_ns() + ts_to_ns(&ts);
	return do_semtimedop(semid, tsops, nsops, &deadline);
}

static int sem_info(int cmd, uaddr_t buf)
{
	struct seminfo si;

	memset(&si, 0, sizeof(si));
	si.semmni = ipc_limits.semmni;
	si.semmns = ipc_limits.semmns;
	si.semmsl = ipc_limits.semmsl;
	si.semopm = ipc_limits.semopm;
	si.semvmx = SEMVMX;
	si.semmnu = SEMMNU;
	si.semmap = SEMMAP;
	si.semume = SEMUME;
	if (cmd == SEM_INFO) {
		si.semusz = sem_ids.in_use;
		si.semaem = (int)sem_total;
	} else {
		si.semusz = SEMUSZ;
		si.semaem = SEMAEM;
	}
	if (copy_to_user(buf, &si, sizeof(si)))
		return -EFAULT;
	return sem_ids.max_idx < 0 ? 0 : sem_ids.max_idx;
}

static long sem_stat(int id, int cmd, uaddr_t buf)
{
	struct kern_ipc_perm *p;
	struct sem_array *a;
	struct semid64_ds ds;

	p = cmd == IPC_STAT ? ipc_obtain(&sem_ids, id) :
		ipc_obtain_idx(&sem_ids, id);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (cmd != SEM_STAT_ANY && ipcperms(p, S_IRUGO))
		return -EACCES;
	a = sma_of(p);
	memset(&ds, 0, sizeof(ds));
	ipc64_perm_fill(p, &ds.sem_perm);
	ds.sem_otime = a->otime;
	ds.sem_ctime = a->ctime;
	ds.sem_nsems = (unsigned long)a->nsems;
	if (copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

/* GETVAL, GETPID, GETNCNT, GETZCNT, GETALL, SETVAL, SETALL. */
static long sem_values(struct sem_array *a, int semnum, int cmd,
		       unsigned long arg)
{
	struct kern_ipc_perm *p = &a->perm;
	bool set = cmd == SETVAL || cmd == SETALL;
	unsigned short *vals;
	long r = 0;

	if (ipcperms(p, set ? S_IWUGO : S_IRUGO))
		return -EACCES;
	if (cmd == GETALL || cmd == SETALL) {
		vals = kmalloc(sizeof(*vals) * (size_t)a->nsems);
		if (!vals)
			return -ENOMEM;
		if (cmd == GETALL) {
			for (int i = 0; i < a->nsems; i++)
				vals[i] = (unsigned short)a->sems[i].semval;
			if (copy_to_user((uaddr_t)arg, vals,
					 sizeof(*vals) * (size_t)a->nsems))
				r = -EFAULT;
		} else if (copy_from_user(vals, (uaddr_t)arg,
					  sizeof(*vals) * (size_t)a->nsems)) {
			r = -EFAULT;
		} else {
			for (int i = 0; i < a->nsems; i++)
				if (vals[i] > SEMVMX)
					r = -ERANGE;
			for (int i = 0; !r && i < a->nsems; i++) {
				a->sems[i].semval = vals[i];
				a->sems[i].sempid = current->tgid;
			}
			if (!r) {
				undo_forget(p->id, -1);
				a->ctime = ipc_now();
				wake_up(&a->wait);
			}
		}
		kfree(vals);
		return r;
	}
	if (semnum < 0 || semnum >= a->nsems)
		return -EINVAL;
	switch (cmd) {
	case GETVAL:
		return a->sems[semnum].semval;
	case GETPID:
		return a->sems[semnum].sempid;
	case GETNCNT:
		return a->sems[semnum].ncnt;
	case GETZCNT:
		return a->sems[semnum].zcnt;
	default: {	/* SETVAL */
		int val = (int)arg;

		if (val < 0 || val > SEMVMX)
			return -ERANGE;
		undo_forget(p->id, semnum);
		a->sems[semnum].semval = val;
		a->sems[semnum].sempid = current->tgid;
		a->ctime = ipc_now();
		wake_up(&a->wait);
		return 0;
	}
	}
}

SYSCALL_DEFINE4(semctl, int, semid, int, semnum, int, cmd,
		unsigned long, arg)
{
	struct kern_ipc_perm *p;
	struct sem_array *a;
	struct semid64_ds ds;
	int r;

	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return sem_info(cmd, (uaddr_t)arg);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return sem_stat(semid, cmd, (uaddr_t)arg);
	case GETALL:
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case SETVAL:
	case SETALL:
		p = ipc_obtain(&sem_ids, semid);
		if (IS_ERR(p))
			return PTR_ERR(p);
		return sem_values(sma_of(p), semnum, cmd, arg);
	case IPC_SET:
		if (copy_from_user(&ds, (uaddr_t)arg, sizeof(ds)))
			return -EFAULT;
		/* fall through */
	case IPC_RMID:
		p = ipc_obtain(&sem_ids, semid);
		if (IS_ERR(p))
			return PTR_ERR(p);
		r = ipc_owner_check(p);
		if (r)
			return r;
		a = sma_of(p);
		if (cmd == IPC_RMID) {
			undo_forget(p->id, -1);
			sem_total -= a->nsems;
			wake_up(&a->wait);	/* sleepers see EIDRM */
			ipc_rmid(&sem_ids, p);
			return 0;
		}
		ipc_set_perm(p, &ds.sem_perm);
		a->ctime = ipc_now();
		return 0;
	default:
		return -EINVAL;
	}
}

void exit_sem(struct task *leader)
{
	struct sem_undo *u, *n;

	list_for_each_entry_safe(u, n, &undo_list, node) {
		struct kern_ipc_perm *p;
		struct sem_array *a;

		if (u->tgid != leader->tgid)
			continue;
		p = ipc_obtain(&sem_ids, u->semid);
		if (!IS_ERR(p)) {
			a = sma_of(p);
			for (int i = 0; i < u->nsems && i < a->nsems; i++) {
				int v = a->sems[i].semval + u->adj[i];

				if (!u->adj[i])
					continue;
				/* clamped, as Linux does */
				a->sems[i].semval = v < 0 ? 0 :
					v > SEMVMX ? SEMVMX : v;
				a->sems[i].sempid = leader->tgid;
			}
			a->otime = ipc_now();
			wake_up(&a->wait);
		}
		free_undo(u);
	}
}

char *sysvipc_sem_text(size_t *len)
{
	struct ipc_text t = { 0 };

	ipc_text_printf(&t, "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
	for (int i = 0; i <= sem_ids.max_idx; i++) {
		struct kern_ipc_perm *p = sem_ids.entries[i];
		struct sem_array *a;

		if (!p)
			continue;
		a = sma_of(p);
		ipc_text_printf(&t, "%10d %10d  %4o %10u %5u %5u %5u %5u %10llu %10llu\n",
				p->key, p->id, p->mode, a->nsems, p->uid,
				p->gid, p->cuid, p->cgid,
				(unsigned long long)a->otime,
				(unsigned long long)a->ctime);
	}
	*len = t.len;
	return t.buf;
}
