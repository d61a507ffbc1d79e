// SPDX-License-Identifier: GPL-2.0
/*
 * Fast user-space mutexes: futex(2), the robust futex list and the
 * clear_child_tid wake-up at thread exit.
 *
 * The futex word lives in guest memory. A waiter reads it and queues
 * itself under the big kernel lock, and every waker holds that lock too,
 * so "compare and sleep" is atomic with respect to wakers as futex(2)
 * requires. Waiters are hashed by key:
 *
 *  - a private futex is (mm, address);
 *  - a shared futex in a private mapping is (mm, address) as well, but
 *    does not match private waiters (as in Linux, a mismatch of the
 *    private flag between waiter and waker never matches);
 *  - a shared futex in a file mapping is (inode, file offset), so it
 *    meets its partners in every process that maps the file;
 *  - a shared futex in a shared anonymous mapping is (its shared memory
 *    object, offset), the object every mm that maps it after fork holds.
 *
 * The read-modify-write of FUTEX_WAKE_OP and of the robust list are done
 * under the kernel lock with guest memory copies: they are atomic with
 * respect to other futex calls, not to plain atomics of guest code running
 * at the same time on another CPU. glibc's current primitives do not rely
 * on that. Priority-inheritance futexes are not provided (-ENOSYS).
 * syscall-note(futex): priority-inheritance operations (*_PI): ENOSYS
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/mm.h"
#include "kern/fs.h"
#include "kern/time.h"
#include <linux/futex.h>

#define FLAGS_SHARED	0x1
#define FLAGS_CLOCKRT	0x2

#define ROBUST_LIST_LIMIT	2048
#define ROBUST_HEAD_SIZE	24	/* struct robust_list_head, x86-64 */

enum futex_key_kind {
	FK_PRIVATE,		/* private op: (mm, address) */
	FK_MM_SHARED,		/* shared op on private memory: (mm, address) */
	FK_OBJECT,		/* shared op on a file mapping: (inode, offset) */
	FK_ANON_SHARED,		/* shared anonymous: (object, offset) */
};

struct futex_key {
	const void *obj;
	u64 off;
	int kind;
};

struct futex_q {
	struct list_head link;
	struct futex_key key;
	u32 bitset;
	struct task *task;
	bool woken;
};

#define FUTEX_HASH_BITS	8
static struct list_head futex_hash[1 << FUTEX_HASH_BITS];
static bool futex_hash_ready;

static struct list_head *key_bucket(const struct futex_key *k)
{
	u64 h = (u64)(uintptr_t)k->obj * 0x9e3779b97f4a7c15ULL;

	if (!futex_hash_ready) {
		for (size_t i = 0; i < ARRAY_SIZE(futex_hash); i++)
			INIT_LIST_HEAD(&futex_hash[i]);
		futex_hash_ready = true;
	}
	h ^= (k->off >> 2) * 0xc2b2ae3d27d4eb4fULL;
	h ^= (u64)k->kind;
	h ^= h >> 29;
	return &futex_hash[(h * 0x9e3779b97f4a7c15ULL) >> (64 - FUTEX_HASH_BITS)];
}

static bool key_match(const struct futex_key *a, const struct futex_key *b)
{
	return a->obj == b->obj && a->off == b->off && a->kind == b->kind;
}

static int get_key(struct task *t, uaddr_t uaddr, unsigned int flags,
		   struct futex_key *key)
{
	struct vma *vma;

	if (uaddr & 3)
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(u32)) || !t->mm)
		return -EFAULT;
	if (!(flags & FLAGS_SHARED)) {
		key->obj = t->mm;
		key->off = uaddr;
		key->kind = FK_PRIVATE;
		return 0;
	}
	vma = find_vma(t->mm, uaddr);
	if (!vma || vma->start > uaddr)
		return -EFAULT;
	if (vma->file) {
		struct inode *inode = file_c(vma->file)->f_inode;

		key->obj = inode ? (const void *)inode : (const void *)vma->file;
		key->off = vma->pgoff + (uaddr - vma->start);
		key->kind = FK_OBJECT;
	} else if (vma->shm) {
		key->obj = vma->shm;
		key->off = vma->pgoff + (uaddr - vma->start);
		key->kind = FK_ANON_SHARED;
	} else {
		key->obj = t->mm;
		key->off = uaddr;
		key->kind = FK_MM_SHARED;
	}
	return 0;
}

static void wake_q(struct futex_q *q)
{
	list_del(&q->link);
	q->woken = true;
	wake_up_task(q->task);
}

/* Wakes up to nr (at least one, as Linux does) waiters on key. */
static int wake_key(const struct futex_key *key, int nr, u32 bitset)
{
	struct list_head *b = key_bucket(key);
	struct futex_q *q, *n;
	int woken = 0;

	list_for_each_entry_safe(q, n, b, link) {
		if (!key_match(&q->key, key) || !(q->bitset & bitset))
			continue;
		wake_q(q);
		if (++woken >= nr)
			break;
	}
	return woken;
}

static long futex_wake(uaddr_t uaddr, unsigned int flags, int nr, u32 bitset)
{
	struct futex_key key;
	int r;

	if (!bitset)
		return -EINVAL;
	r = get_key(current, uaddr, flags, &key);
	if (r)
		return r;
	return wake_key(&key, nr, bitset);
}

static long futex_wait_restart(struct task *t);

/*
 * deadline: CLOCK_MONOTONIC ns, 0 for none. A signal ends an untimed wait
 * with -ERESTARTSYS (restarted under SA_RESTART); a timed one continues
 * through restart_syscall with its original deadline.
 */
static long futex_wait(uaddr_t uaddr, unsigned int flags, u32 val,
		       u64 deadline, u32 bitset)
{
	struct task *t = current;
	struct futex_q q;
	u32 cur;
	long r;

	if (!bitset)
		return -EINVAL;
	r = get_key(t, uaddr, flags, &q.key);
	if (r)
		return r;
	if (get_user(cur, uaddr))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	q.bitset = bitset;
	q.task = t;
	q.woken = false;
	list_add_tail(&q.link, key_bucket(&q.key));
	for (;;) {
		if (q.woken)
			return 0;
		if (deadline && ktime_get_ns() >= deadline) {
			r = -ETIMEDOUT;
			break;
		}
		if (signal_pending(t)) {
			r = -ERESTARTSYS;
			break;
		}
		schedule_timeout(deadline);
	}
	list_del(&q.link);
	if (r == -ERESTARTSYS && deadline) {
		t->restart_fn = futex_wait_restart;
		t->restart_args[0] = uaddr;
		t->restart_args[1] = flags;
		t->restart_args[2] = val;
		t->restart_args[3] = deadline;
		t->restart_args[4] = bitset;
		r = -ERESTART_RESTARTBLOCK;
	}
	return r;
}

static long futex_wait_restart(struct task *t)
{
	return futex_wait(t->restart_args[0], (unsigned int)t->restart_args[1],
			  (u32)t->restart_args[2], t->restart_args[3],
			  (u32)t->restart_args[4]);
}

static long futex_requeue(uaddr_t uaddr1, unsigned int flags, uaddr_t uaddr2,
			  int nr_wake, int nr_requeue, const u32 *cmpval)
{
	struct futex_key key1, key2;
	struct futex_q *q, *n;
	struct list_head *b1, *b2;
	LIST_HEAD(moved);
	int woken = 0, requeued = 0;
	long r;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	r = get_key(current, uaddr1, flags, &key1);
	if (r)
		return r;
	r = get_key(current, uaddr2, flags, &key2);
	if (r)
		return r;
	if (cmpval) {
		u32 cur;

		if (get_user(cur, uaddr1))
			return -EFAULT;
		if (cur != *cmpval)
			return -EAGAIN;
	}
	b1 = key_bucket(&key1);
	b2 = key_bucket(&key2);
	list_for_each_entry_safe(q, n, b1, link) {
		if (!key_match(&q->key, &key1))
			continue;
		if (woken < nr_wake) {
			wake_q(q);
			woken++;
			continue;
		}
		if (requeued >= nr_requeue)
			break;
		/* Set aside first: b1 and b2 may be the same bucket. */
		list_del(&q->link);
		list_add_tail(&q->link, &moved);
		requeued++;
	}
	list_for_each_entry_safe(q, n, &moved, link) {
		list_del(&q->link);
		q->key = key2;
		list_add_tail(&q->link, b2);
	}
	return woken + requeued;
}

static s32 sign_extend12(u32 v)
{
	return (s32)(v << 20) >> 20;
}

static long futex_wake_op(uaddr_t uaddr1, unsigned int flags, uaddr_t uaddr2,
			  int nr_wake, int nr_wake2, u32 encoded)
{
	struct futex_key key1, key2;
	unsigned int op = (encoded >> 28) & 0xf, cmp = (encoded >> 24) & 0xf;
	s32 oparg = sign_extend12(encoded >> 12), cmparg = sign_extend12(encoded);
	s32 oldval;
	u32 newval;
	bool hit;
	long r, woken;

	r = get_key(current, uaddr1, flags, &key1);
	if (r)
		return r;
	r = get_key(current, uaddr2, flags, &key2);
	if (r)
		return r;
	if (op & FUTEX_OP_OPARG_SHIFT) {
		if (oparg < 0 || oparg > 31) {
			pr_warn_once("%s[%d]: futex_wake_op shifts by %d\n",
				     current->comm, current->pid, oparg);
			oparg &= 31;
		}
		oparg = (s32)(1U << oparg);
	}
	op &= 7;
	if (op > FUTEX_OP_XOR)
		return -ENOSYS;
	if (get_user(oldval, uaddr2))
		return -EFAULT;
	switch (op) {
	case FUTEX_OP_SET:
		newval = (u32)oparg;
		break;
	case FUTEX_OP_ADD:
		newval = (u32)oldval + (u32)oparg;
		break;
	case FUTEX_OP_OR:
		newval = (u32)oldval | (u32)oparg;
		break;
	case FUTEX_OP_ANDN:
		newval = (u32)oldval & ~(u32)oparg;
		break;
	default:
		newval = (u32)oldval ^ (u32)oparg;
		break;
	}
	if (put_user(newval, uaddr2))
		return -EFAULT;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		hit = oldval == cmparg;
		break;
	case FUTEX_OP_CMP_NE:
		hit = oldval != cmparg;
		break;
	case FUTEX_OP_CMP_LT:
		hit = oldval < cmparg;
		break;
	case FUTEX_OP_CMP_LE:
		hit = oldval <= cmparg;
		break;
	case FUTEX_OP_CMP_GT:
		hit = oldval > cmparg;
		break;
	case FUTEX_OP_CMP_GE:
		hit = oldval >= cmparg;
		break;
	default:
		return -ENOSYS;
	}
	woken = wake_key(&key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (hit)
		woken += wake_key(&key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	return woken;
}

/* The timeout argument as an absolute CLOCK_MONOTONIC deadline. */
static int futex_deadline(uaddr_t utime, int cmd, unsigned int flags,
			  u64 *deadline)
{
	struct ktimespec ts;
	u64 ns, now;

	if (copy_from_user(&ts, utime, sizeof(ts)))
		return -EFAULT;
	if (!ts_valid(&ts))
		return -EINVAL;
	ns = ts_to_ns(&ts);
	now = ktime_get_ns();
	if (cmd == FUTEX_WAIT) {
		*deadline = ns > INT64_MAX - now ? INT64_MAX : now + ns;
	} else if (flags & FLAGS_CLOCKRT) {
		u64 real = os_clock_ns(OS_CLOCK_REALTIME);

		if (ns <= real)
			*deadline = now;
		else
			*deadline = ns - real > INT64_MAX - now ?
				    INT64_MAX : now + (ns - real);
	} else {
		*deadline = ns;
	}
	if (!*deadline)
		*deadline = 1;
	return 0;
}

SYSCALL_DEFINE6(futex, uaddr_t, uaddr, int, op, u32, val, uaddr_t, utime,
		uaddr_t, uaddr2, u32, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	unsigned int flags = 0;
	u64 deadline = 0;
	u32 val2 = (u32)utime;
	int r;

	if (!(op & FUTEX_PRIVATE_FLAG))
		flags |= FLAGS_SHARED;
	if (op & FUTEX_CLOCK_REALTIME) {
		flags |= FLAGS_CLOCKRT;
		if (cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI &&
		    cmd != FUTEX_LOCK_PI2)
			return -ENOSYS;
	}
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET:
		if (utime) {
			r = futex_deadline(utime, cmd, flags, &deadline);
			if (r)
				return r;
		}
		return futex_wait(uaddr, flags, val, deadline, val3);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, flags, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, flags, uaddr2, (int)val, (int)val2,
				     NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, flags, uaddr2, (int)val, (int)val2,
				     &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, flags, uaddr2, (int)val, (int)val2,
				     val3);
	default:
		/* FUTEX_FD is gone; the PI operations are not provided. */
		return -ENOSYS;
	}
}

/* ---- robust futexes and thread exit ---- */

/*
 * The platform may have answered set_robust_list itself (systrap's stub
 * does): its record is then the newer one.
 */
static void sync_robust_list(struct task *t)
{
	uint64_t head;

	if (t->pth && !t->pth_dead && plat_take_robust_list(t->pth, &head)) {
		t->robust_list = head;
		t->robust_list_len = ROBUST_HEAD_SIZE;
	}
}

SYSCALL_DEFINE2(set_robust_list, uaddr_t, head, size_t, len)
{
	if (len != ROBUST_HEAD_SIZE)
		return -EINVAL;
	sync_robust_list(current);	/* drop an older record there */
	current->robust_list = head;
	current->robust_list_len = len;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, int, pid, uaddr_t, head_ptr, uaddr_t, len_ptr)
{
	struct task *p = current;
	u64 head, len = ROBUST_HEAD_SIZE;

	if (pid) {
		p = find_task(pid);
		if (!p || p->state == TASK_ZOMBIE || p->state == TASK_DEAD)
			return -ESRCH;
	}
	if (!ptrace_may_access(p))
		return -EPERM;
	sync_robust_list(p);
	head = p->robust_list;
	if (put_user(len, len_ptr))
		return -EFAULT;
	return put_user(head, head_ptr);
}

/*
 * The owner t died holding the futex at uaddr: mark it FUTEX_OWNER_DIED
 * and wake a waiter, who will see EOWNERDEAD. A pending entry (the thread
 * died between taking or releasing and updating its list) with value 0
 * may have lost a wake-up: send one.
 */
static int futex_owner_died(struct task *t, uaddr_t uaddr, bool pi,
			    bool pending)
{
	struct futex_key key;
	u32 uval, mval;

	if (uaddr & 3)
		return -EINVAL;
	if (copy_from_task(t, &uval, uaddr, sizeof(uval)))
		return -EFAULT;
	if (get_key(t, uaddr, FLAGS_SHARED, &key))
		return -EFAULT;
	if (pending && !pi && !uval) {
		wake_key(&key, 1, FUTEX_BITSET_MATCH_ANY);
		return 0;
	}
	if ((uval & FUTEX_TID_MASK) != (u32)t->pid)
		return 0;
	mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (copy_to_task(t, uaddr, &mval, sizeof(mval)))
		return -EFAULT;
	if (!pi && (uval & FUTEX_WAITERS))
		wake_key(&key, 1, FUTEX_BITSET_MATCH_ANY);
	return 0;
}

/* An entry pointer of the list: bit 0 flags a PI futex. */
static int fetch_entry(struct task *t, uaddr_t at, uaddr_t *entry, bool *pi)
{
	u64 v;

	if (copy_from_task(t, &v, at, sizeof(v)))
		return -EFAULT;
	*entry = v & ~1ULL;
	*pi = v & 1;
	return 0;
}

static void exit_robust_list(struct task *t)
{
	uaddr_t head = t->robust_list, entry, next, pending;
	bool pi, next_pi, pending_pi;
	s64 offset;
	int limit = ROBUST_LIST_LIMIT;

	u64 h[3];	/* list.next, futex_offset, list_op_pending */

	/* one read of the whole head: every thread that exits has one */
	if (copy_from_task(t, h, head, sizeof(h)))
		return;
	entry = h[0] & ~1ULL;
	pi = h[0] & 1;
	offset = (s64)h[1];
	pending = h[2] & ~1ULL;
	pending_pi = h[2] & 1;
	while (entry != head) {
		/* Read on before the entry's futex is released. */
		int r = fetch_entry(t, entry, &next, &next_pi);

		if (entry != pending)
			futex_owner_died(t, entry + (u64)offset, pi, false);
		if (r)
			return;
		entry = next;
		pi = next_pi;
		if (!--limit)
			break;
	}
	if (pending)
		futex_owner_died(t, pending + (u64)offset, pending_pi, true);
}

void futex_exit_release(struct task *t)
{
	sync_robust_list(t);
	if (t->robust_list) {
		exit_robust_list(t);
		t->robust_list = 0;
	}
	if (t->clear_child_tid) {
		uaddr_t tidp = t->clear_child_tid;
		struct futex_key key;
		u32 zero = 0;

		t->clear_child_tid = 0;
		/* pthread_join() waits on this word with a shared futex. */
		if (!copy_to_task(t, tidp, &zero, sizeof(zero)) &&
		    !get_key(t, tidp, FLAGS_SHARED, &key))
			wake_key(&key, 1, FUTEX_BITSET_MATCH_ANY);
	}
}
