// SPDX-License-Identifier: GPL-2.0
/*
 * System V message queues: msgget, msgsnd, msgrcv, msgctl, with Linux's
 * limits (msgmax per message, msg_qbytes per queue, counted in bytes and
 * in messages) and errnos.
 */
#include "util.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include <linux/msg.h>

#define LONG_MAX_	((long)(~0UL >> 1))

struct msg_msg {
	struct list_head list;
	long mtype;
	size_t size;
	char text[];
};

struct msg_queue {
	struct kern_ipc_perm perm;	/* first: container_of by cast */
	s64 stime, rtime, ctime;
	size_t cbytes;
	unsigned long qnum, qbytes;
	pid_t lspid, lrpid;
	struct list_head messages;
	struct wait_queue_head wait;	/* senders and receivers */
};

static struct ipc_ids msg_ids = { .max_idx = -1 };
static unsigned long msg_total, msg_total_bytes;

static struct msg_queue *msq_of(struct kern_ipc_perm *p)
{
	return (struct msg_queue *)p;
}

static void free_msg(struct msg_msg *m)
{
	ipc_uncharge(sizeof(*m) + m->size);
	kfree(m);
}

static void msq_free(struct kern_ipc_perm *p)
{
	struct msg_queue *q = msq_of(p);
	struct msg_msg *m, *n;

	list_for_each_entry_safe(m, n, &q->messages, list) {
		msg_total--;
		msg_total_bytes -= m->size;
		free_msg(m);
	}
	ipc_uncharge(sizeof(*q));
	kfree(q);
}

static int newque(int key, int flg, void *arg)
{
	struct msg_queue *q;
	int id;

	if (ipc_charge(sizeof(*q)))
		return -ENOMEM;
	q = kzalloc(sizeof(*q));
	if (!q) {
		ipc_uncharge(sizeof(*q));
		return -ENOMEM;
	}
	q->perm.free = msq_free;
	q->qbytes = (unsigned long)ipc_limits.msgmnb;
	q->ctime = ipc_now();
	INIT_LIST_HEAD(&q->messages);
	init_waitqueue_head(&q->wait);
	id = ipc_addid(&msg_ids, &q->perm, ipc_limits.msgmni, key, flg);
	if (id < 0) {
		ipc_uncharge(sizeof(*q));
		kfree(q);
	}
	return id;
}

SYSCALL_DEFINE2(msgget, int, key, int, msgflg)
{
	static const struct ipc_ops ops = { .create = newque };

	return ipcget(&msg_ids, key, msgflg, &ops, NULL);
}

static struct msg_queue *msq_obtain(int id)
{
	struct kern_ipc_perm *p = ipc_obtain(&msg_ids, id);

	return IS_ERR(p) ? (struct msg_queue *)p : msq_of(p);
}

SYSCALL_DEFINE4(msgsnd, int, msqid, uaddr_t, msgp, size_t, msgsz,
		int, msgflg)
{
	struct msg_queue *q;
	struct msg_msg *m;
	long mtype;
	long r = 0;
	DEFINE_WAIT(w);

	if (msgsz > (size_t)ipc_limits.msgmax || (long)msgsz < 0 || msqid < 0)
		return -EINVAL;
	if (get_user(mtype, msgp))
		return -EFAULT;
	if (mtype < 1)
		return -EINVAL;
	if (ipc_charge(sizeof(*m) + msgsz))
		return -ENOMEM;
	m = kmalloc(sizeof(*m) + msgsz);
	if (!m) {
		ipc_uncharge(sizeof(*m) + msgsz);
		return -ENOMEM;
	}
	m->mtype = mtype;
	m->size = msgsz;
	if (copy_from_user(m->text, msgp + sizeof(long), msgsz)) {
		free_msg(m);
		return -EFAULT;
	}
	q = msq_obtain(msqid);
	if (IS_ERR(q)) {
		free_msg(m);
		return PTR_ERR(q);
	}
	ipc_get(&q->perm);
	for (;;) {
		prepare_to_wait(&q->wait, &w);
		if (q->perm.deleted) {
			r = -EIDRM;
			break;
		}
		if (ipcperms(&q->perm, S_IWUGO)) {
			r = -EACCES;
			break;
		}
		if (msgsz + q->cbytes <= q->qbytes && q->qnum + 1 <= q->qbytes)
			break;
		if (msgflg & IPC_NOWAIT) {
			r = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			r = -ERESTARTNOHAND;
			break;
		}
		schedule();
	}
	finish_wait(&q->wait, &w);
	if (!r) {
		list_add_tail(&m->list, &q->messages);
		q->cbytes += msgsz;
		q->qnum++;
		q->lspid = current->tgid;
		q->stime = ipc_now();
		msg_total++;
		msg_total_bytes += msgsz;
		m = NULL;
		wake_up(&q->wait);
	}
	ipc_put(&q->perm);
	if (m)
		free_msg(m);
	return r;
}

/* The message msgrcv's type asks for, or NULL. */
static struct msg_msg *find_msg(struct msg_queue *q, long type, int flg)
{
	struct msg_msg *m, *best = NULL;

	/* a negative type asks for the lowest type up to its magnitude */
	if (type < -LONG_MAX_)
		type = -LONG_MAX_;
	list_for_each_entry(m, &q->messages, list) {
		if (type == 0)
			return m;
		if (type > 0) {
			if ((flg & MSG_EXCEPT) ? m->mtype != type :
			    m->mtype == type)
				return m;
		} else if (m->mtype <= -type &&
			   (!best || m->mtype < best->mtype)) {
			best = m;	/* the lowest type, its first */
		}
	}
	return best;
}

/* The message at position idx (MSG_COPY), or NULL. */
static struct msg_msg *nth_msg(struct msg_queue *q, long idx)
{
	struct msg_msg *m;

	list_for_each_entry(m, &q->messages, list)
		if (idx-- == 0)
			return m;
	return NULL;
}

SYSCALL_DEFINE5(msgrcv, int, msqid, uaddr_t, msgp, size_t, msgsz,
		long, msgtyp, int, msgflg)
{
	struct msg_queue *q;
	struct msg_msg *m = NULL;
	long r = 0;
	size_t n;
	DEFINE_WAIT(w);

	if (msqid < 0 || (long)msgsz < 0)
		return -EINVAL;
	/* MSG_COPY (checkpoint/restore's peek): msgtyp is an index */
	if ((msgflg & MSG_COPY) &&
	    ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT)))
		return -EINVAL;
	q = msq_obtain(msqid);
	if (IS_ERR(q))
		return PTR_ERR(q);
	ipc_get(&q->perm);
	for (;;) {
		prepare_to_wait(&q->wait, &w);
		if (q->perm.deleted) {
			r = -EIDRM;
			break;
		}
		if (ipcperms(&q->perm, S_IRUGO)) {
			r = -EACCES;
			break;
		}
		m = (msgflg & MSG_COPY) ? nth_msg(q, msgtyp) :
			find_msg(q, msgtyp, msgflg);
		if (m) {
			if (m->size > msgsz && !(msgflg & MSG_NOERROR)) {
				r = -E2BIG;
				m = NULL;
			}
			break;
		}
		if (msgflg & IPC_NOWAIT) {
			r = -ENOMSG;
			break;
		}
		if (signal_pending(current)) {
			r = -ERESTARTNOHAND;
			break;
		}
		schedule();
	}
	finish_wait(&q->wait, &w);
	if (m && (msgflg & MSG_COPY)) {
		n = min(m->size, msgsz);
		if (put_user(m->mtype, msgp) ||
		    copy_to_user(msgp + sizeof(long), m->text, n))
			r = -EFAULT;
		else
			r = (long)n;
	} else if (m) {
		list_del(&m->list);
		q->cbytes -= m->size;
		q->qnum--;
		q->lrpid = current->tgid;
		q->rtime = ipc_now();
		msg_total--;
		msg_total_bytes -= m->size;
		wake_up(&q->wait);
		n = min(m->size, msgsz);
		if (put_user(m->mtype, msgp) ||
		    copy_to_user(msgp + sizeof(long), m->text, n))
			r = -EFAULT;	/* the message is lost (Linux) */
		else
			r = (long)n;
		free_msg(m);
	}
	ipc_put(&q->perm);
	return r;
}

static int msg_info(int cmd, uaddr_t buf)
{
	struct msginfo mi;

	memset(&mi, 0, sizeof(mi));
	mi.msgmni = ipc_limits.msgmni;
	mi.msgmax = ipc_limits.msgmax;
	mi.msgmnb = ipc_limits.msgmnb;
	mi.msgssz = 16;
	mi.msgseg = 0xffff;
	if (cmd == MSG_INFO) {
		mi.msgpool = msg_ids.in_use;
		mi.msgmap = (int)msg_total;
		mi.msgtql = (int)msg_total_bytes;
	} else {
		mi.msgmap = 16384;
		mi.msgpool = 512000;
		mi.msgtql = 16384;
	}
	if (copy_to_user(buf, &mi, sizeof(mi)))
		return -EFAULT;
	return msg_ids.max_idx < 0 ? 0 : msg_ids.max_idx;
}

static long msg_stat(int id, int cmd, uaddr_t buf)
{
	struct kern_ipc_perm *p;
	struct msg_queue *q;
	struct msqid64_ds ds;

	p = cmd == IPC_STAT ? ipc_obtain(&msg_ids, id) :
		ipc_obtain_idx(&msg_ids, id);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (cmd != MSG_STAT_ANY && ipcperms(p, S_IRUGO))
		return -EACCES;
	q = msq_of(p);
	memset(&ds, 0, sizeof(ds));
	ipc64_perm_fill(p, &ds.msg_perm);
	ds.msg_stime = q->stime;
	ds.msg_rtime = q->rtime;
	ds.msg_ctime = q->ctime;
	ds.msg_cbytes = q->cbytes;
	ds.msg_qnum = q->qnum;
	ds.msg_qbytes = q->qbytes;
	ds.msg_lspid = q->lspid;
	ds.msg_lrpid = q->lrpid;
	if (copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

SYSCALL_DEFINE3(msgctl, int, msqid, int, cmd, uaddr_t, buf)
{
	struct kern_ipc_perm *p;
	struct msg_queue *q;
	struct msqid64_ds ds;
	int r;

	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msg_info(cmd, buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return msg_stat(msqid, cmd, buf);
	case IPC_SET:
		if (copy_from_user(&ds, buf, sizeof(ds)))
			return -EFAULT;
		/* fall through */
	case IPC_RMID:
		p = ipc_obtain(&msg_ids, msqid);
		if (IS_ERR(p))
			return PTR_ERR(p);
		r = ipc_owner_check(p);
		if (r)
			return r;
		q = msq_of(p);
		if (cmd == IPC_RMID) {
			wake_up(&q->wait);	/* sleepers see EIDRM */
			ipc_rmid(&msg_ids, p);
			return 0;
		}
		if (ds.msg_qbytes > (unsigned long)ipc_limits.msgmnb &&
		    !capable(CAP_SYS_RESOURCE))
			return -EPERM;
		ipc_set_perm(p, &ds.msg_perm);
		q->qbytes = ds.msg_qbytes;
		q->ctime = ipc_now();
		wake_up(&q->wait);	/* more room, or other permissions */
		return 0;
	default:
		return -EINVAL;
	}
}

char *sysvipc_msg_text(size_t *len)
{
	struct ipc_text t = { 0 };

	ipc_text_printf(&t, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n");
	for (int i = 0; i <= msg_ids.max_idx; i++) {
		struct kern_ipc_perm *p = msg_ids.entries[i];
		struct msg_queue *q;

		if (!p)
			continue;
		q = msq_of(p);
		ipc_text_printf(&t, "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu %10llu %10llu\n",
				p->key, p->id, p->mode, (unsigned long)q->cbytes,
				q->qnum, q->lspid, q->lrpid, p->uid, p->gid,
				p->cuid, p->cgid, (unsigned long long)q->stime,
				(unsigned long long)q->rtime,
				(unsigned long long)q->ctime);
	}
	*len = t.len;
	return t.buf;
}
