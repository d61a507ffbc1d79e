// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptors in flight (SCM_RIGHTS) and the collector of socket cycles.
 *
 * A file sent over a unix socket is referenced by the message until it
 * is received. Sockets can then keep each other alive: A queued in B's
 * queue and B in A's, both closed by every process, is a cycle nobody can
 * reach. A user may have at most RLIMIT_NOFILE files in flight (root is
 * exempt, as in Linux; the buffer limits still hold), and unix_gc() frees
 * such cycles:
 *
 *  1. candidates: sockets whose every file reference is in flight;
 *  2. for each message queued on a candidate, each candidate it carries
 *     loses one count: what is left comes from outside the candidates;
 *  3. a candidate with references left is alive, and so is everything
 *     its queue carries, transitively;
 *  4. the queues of the other candidates are emptied, which drops the
 *     files in them and ends the cycle.
 *
 * It runs when a unix socket is closed while files are in flight.
 */
#include "af_unix.h"

struct inflight_user {
	struct list_head link;
	uid_t uid;
	long count;
};

static LIST_HEAD(inflight_users);
static bool gc_running;

struct unix_sock *unix_sock_of_file(struct file *f)
{
	struct socket *s = sock_from_file(f);

	if (!s || s->family != AF_UNIX)
		return NULL;
	return s->sk;
}

static struct inflight_user *user_entry(uid_t uid, bool create)
{
	struct inflight_user *e;

	list_for_each_entry(e, &inflight_users, link)
		if (e->uid == uid)
			return e;
	if (!create)
		return NULL;
	e = kzalloc(sizeof(*e));
	if (!e)
		return NULL;
	e->uid = uid;
	list_add(&e->link, &inflight_users);
	return e;
}

int unix_attach_fds(struct unix_sock *to, struct scm_fp *fp)
{
	uid_t uid = current->cred->uid;
	struct inflight_user *e;

	e = user_entry(uid, true);
	if (!e)
		return -ENOMEM;
	if ((u64)(e->count + fp->count) > task_rlimit(current, RLIMIT_NOFILE) &&
	    !capable(CAP_SYS_RESOURCE) && !capable(CAP_SYS_ADMIN)) {
		if (!e->count) {
			list_del(&e->link);
			kfree(e);
		}
		return -ETOOMANYREFS;
	}
	e->count += fp->count;
	fp->user = uid;
	for (int i = 0; i < fp->count; i++) {
		struct unix_sock *t = unix_sock_of_file(fp->files[i]);

		if (t) {
			t->inflight++;
			unix_tot_inflight++;
		}
	}
	return 0;
}

void unix_detach_fds(struct scm_fp *fp)
{
	struct inflight_user *e = user_entry(fp->user, false);

	if (e) {
		e->count -= fp->count;
		if (e->count <= 0) {
			list_del(&e->link);
			kfree(e);
		}
	}
	for (int i = 0; i < fp->count; i++) {
		struct unix_sock *t = unix_sock_of_file(fp->files[i]);

		if (t) {
			t->inflight--;
			unix_tot_inflight--;
		}
	}
}

/* Calls fn on every candidate carried in u's queues (embryos' included). */
static void scan_children(struct unix_sock *u,
			  void (*fn)(struct unix_sock *t, struct list_head *l),
			  struct list_head *l)
{
	struct unix_sock *e;
	struct unix_skb *skb;

	list_for_each_entry(skb, &u->rq, link) {
		if (!skb->fp)
			continue;
		for (int i = 0; i < skb->fp->count; i++) {
			struct unix_sock *t = unix_sock_of_file(skb->fp->files[i]);

			if (t && t->gc_candidate)
				fn(t, l);
		}
	}
	list_for_each_entry(e, &u->accq, acc_link)
		scan_children(e, fn, l);
}

static void dec_ref(struct unix_sock *t, struct list_head *l)
{
	t->gc_refs--;
}

static void mark_alive(struct unix_sock *t, struct list_head *work)
{
	if (t->gc_alive)
		return;
	t->gc_alive = true;
	list_move_tail(&t->gc_link, work);	/* out of the candidates */
}

static void take_queue(struct unix_sock *u, struct list_head *hit)
{
	struct unix_sock *e;

	while (!list_empty(&u->rq)) {
		struct unix_skb *skb = list_first_entry(&u->rq,
							struct unix_skb, link);

		list_del(&skb->link);
		u->rq_len--;
		u->rq_bytes -= skb->len - skb->off;
		list_add_tail(&skb->link, hit);
	}
	list_for_each_entry(e, &u->accq, acc_link)
		take_queue(e, hit);
}

void unix_gc(void)
{
	LIST_HEAD(cand);
	LIST_HEAD(work);
	LIST_HEAD(hit);
	struct unix_sock *u, *tmp;

	if (gc_running)
		return;
	gc_running = true;
	list_for_each_entry(u, &unix_all, all_link) {
		u->gc_candidate = u->sock && u->inflight > 0 &&
				  u->sock->file &&
				  u->sock->file->f_count == u->inflight;
		u->gc_alive = false;
		u->gc_refs = u->inflight;
		if (u->gc_candidate)
			list_add_tail(&u->gc_link, &cand);
	}
	list_for_each_entry(u, &cand, gc_link)
		scan_children(u, dec_ref, NULL);
	list_for_each_entry(u, &cand, gc_link)
		if (u->gc_refs > 0)
			u->gc_alive = true;
	/* what a live candidate carries is alive too */
	list_for_each_entry_safe(u, tmp, &cand, gc_link) {
		if (u->gc_alive) {
			list_del(&u->gc_link);
			list_add_tail(&u->gc_link, &work);
		}
	}
	while (!list_empty(&work)) {
		u = list_first_entry(&work, struct unix_sock, gc_link);
		list_del_init(&u->gc_link);
		scan_children(u, mark_alive, &work);
	}
	/* the candidates left in cand, not marked, are garbage */
	list_for_each_entry_safe(u, tmp, &cand, gc_link) {
		list_del_init(&u->gc_link);
		if (!u->gc_alive)
			take_queue(u, &hit);
	}
	list_for_each_entry(u, &unix_all, all_link)
		u->gc_candidate = false;
	gc_running = false;
	/* dropping the files may close sockets: nothing is walked now */
	unix_free_skbs(&hit);
}
