// SPDX-License-Identifier: GPL-2.0
/*
 * AF_UNIX data transfer. A sent message (or a piece of a stream) is a
 * unix_skb queued on the receiver and charged to the sender's send
 * buffer until it is read, so a writer blocks (or gets EAGAIN) once
 * SO_SNDBUF worth of its data is unread, as in Linux. Datagram queues
 * are also bounded in length (net.unix.max_dgram_qlen) unless the two
 * sockets are each other's peers. All unix buffers together are bounded
 * by a share of mem= (ENOBUFS beyond it), so guests cannot grow the
 * kernel's heap without limit.
 */
#include "af_unix.h"
#include "kern/mm.h"
#include "kern/signal.h"

static size_t unix_mem;		/* bytes charged by every queued message */

static size_t unix_mem_limit(void)
{
	size_t l = (size_t)(mem_total_pages << PAGE_SHIFT) / 4;

	return max(l, (size_t)4 << 20);
}

/*
 * What a message costs the sender's send buffer: Linux's skb "truesize",
 * so that the same writes fill SO_SNDBUF (and SIOCOUTQ reads the same)
 * as there. A message is a head of linear data, allocated with kmalloc
 * (a power of two, 320 bytes of skb_shared_info included), plus the
 * whole pages holding data_len bytes, plus 256 bytes of struct sk_buff.
 */
#define SKB_SHINFO	320
#define SKB_STRUCT	256
#define SKB_MAX_HEAD	(PAGE_SIZE - SKB_SHINFO)	/* stream pieces */
#define SKB_MAX_ALLOC	(4 * PAGE_SIZE - SKB_SHINFO)	/* datagrams */
#define UNIX_SKB_FRAGS	32768
#define MAX_SKB_FRAGS	17

static size_t truesize(size_t head, size_t data_len)
{
	size_t k = 32;

	while (k < head + SKB_SHINFO)
		k <<= 1;
	return SKB_STRUCT + k + PAGE_ALIGN(data_len);
}

/* How a datagram of len bytes is laid out: its paged part. */
static size_t dgram_data_len(size_t len)
{
	if (len <= SKB_MAX_ALLOC)
		return 0;
	return PAGE_ALIGN(min(len - SKB_MAX_ALLOC,
			      (size_t)MAX_SKB_FRAGS * PAGE_SIZE));
}

static struct unix_skb *skb_alloc(struct unix_sock *sender, size_t len,
				  size_t data_len, int *err)
{
	struct unix_skb *skb;
	size_t charge = truesize(len - data_len, data_len);

	if (unix_mem + charge > unix_mem_limit()) {
		*err = -ENOBUFS;
		return NULL;
	}
	skb = kmalloc(sizeof(*skb) + (len ? len : 1));
	if (!skb) {
		*err = -ENOBUFS;
		return NULL;
	}
	memset(skb, 0, sizeof(*skb));
	INIT_LIST_HEAD(&skb->link);
	skb->len = len;
	skb->charge = charge;
	skb->mem = charge;
	skb->sender = sender;
	unix_sock_get(sender);
	sender->wmem += charge;
	unix_mem += charge;
	return skb;
}

void unix_skb_free(struct unix_skb *skb)
{
	struct unix_sock *s = skb->sender;

	if (skb->fp) {
		unix_detach_fds(skb->fp);
		scm_fp_free(skb->fp);
	}
	s->wmem -= skb->charge;
	unix_mem -= skb->mem;
	wake_up(&s->wq);
	unix_sock_put(s);
	kfree(skb);
}

/*
 * Freeing a message drops the files it carries, which may close sockets
 * whose queues carry more files, and so on as deep as sockets were nested
 * in each other. That is done here in a loop, from one list, rather than
 * by recursion, so no nesting can exhaust the kernel's stack.
 */
static LIST_HEAD(free_list);
static bool freeing;

void unix_free_skbs(struct list_head *l)
{
	while (!list_empty(l))
		list_move_tail(l->next, &free_list);
	if (freeing)
		return;
	freeing = true;
	while (!list_empty(&free_list)) {
		struct unix_skb *skb = list_first_entry(&free_list,
							struct unix_skb, link);

		list_del(&skb->link);
		unix_skb_free(skb);
	}
	freeing = false;
}

void unix_purge_queue(struct unix_sock *u)
{
	LIST_HEAD(l);

	while (!list_empty(&u->rq)) {
		struct unix_skb *skb = list_first_entry(&u->rq, struct unix_skb,
							link);

		list_move_tail(&skb->link, &l);
		u->rq_len--;
		u->rq_bytes -= skb->len - skb->off;
	}
	unix_free_skbs(&l);
}

static void queue_skb(struct unix_sock *to, struct unix_skb *skb)
{
	list_add_tail(&skb->link, &to->rq);
	to->rq_len++;
	to->rq_bytes += skb->len;
	wake_up(&to->wq);
}

static void unqueue_skb(struct unix_sock *u, struct unix_skb *skb)
{
	list_del(&skb->link);
	u->rq_len--;
	u->rq_bytes -= skb->len - skb->off;
	wake_up(&u->wq);
	wake_up(&u->peer_wait);
}

size_t unix_inq(struct unix_sock *u)
{
	struct unix_skb *skb;

	if (u->type == SOCK_DGRAM) {
		if (list_empty(&u->rq))
			return 0;
		skb = list_first_entry(&u->rq, struct unix_skb, link);
		return skb->len;
	}
	return u->rq_bytes;
}

size_t unix_outq(struct unix_sock *u)
{
	return u->wmem;
}

static bool want_nonblock(const struct kmsghdr *m)
{
	return m->flags & MSG_DONTWAIT;
}

/*
 * Before each message is made, as Linux's sock_alloc_send_pskb: a pending
 * error is reported (and cleared) first, then a shut down sending side
 * (EPIPE), then the wait for room in the send buffer.
 */
static int alloc_wait(struct unix_sock *u, u64 timeo)
{
	for (;;) {
		long r;

		if (u->err) {
			r = -u->err;
			u->err = 0;
			return (int)r;
		}
		if (u->shutdown & SEND_SHUTDOWN)
			return -EPIPE;
		if (u->wmem < (size_t)unix_sndbuf(u))
			return 0;
		if (!timeo)
			return -EAGAIN;
		unix_sock_get(u);
		r = wait_event_interruptible_deadline(u->wq,
			u->wmem < (size_t)unix_sndbuf(u) || u->err ||
			(u->shutdown & SEND_SHUTDOWN), sock_deadline(timeo));
		unix_sock_put(u);
		if (r == -ETIMEDOUT)
			return -EAGAIN;
		if (r)
			return sock_intr_errno(timeo);
	}
}

static void send_sigpipe(const struct kmsghdr *m)
{
	if (!(m->flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current, false);
}

/* Moves the files of an SCM_RIGHTS send into skb (accounting them). */
static int attach_scm(struct unix_sock *to, struct unix_skb *skb,
		      struct kmsghdr *m)
{
	struct scm_fp *fp = m->scm ? m->scm->fp : NULL;
	int r;

	skb->creds = m->scm->creds;
	if (!fp || !fp->count)
		return 0;
	r = unix_attach_fds(to, fp);
	if (r)
		return r;
	skb->fp = fp;
	m->scm->fp = NULL;
	/* the list of files is kernel memory too: it counts in the bound */
	skb->mem += sizeof(*fp);
	unix_mem += sizeof(*fp);
	return 0;
}

ssize_t unix_stream_sendmsg(struct socket *s, struct kmsghdr *m, size_t len)
{
	struct unix_sock *u = unix_sk(s), *other;
	u64 timeo = want_nonblock(m) ? 0 : s->sndtimeo;
	size_t sent = 0;
	int r;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->namelen)
		return u->state == US_ESTABLISHED ? -EISCONN : -EOPNOTSUPP;
	if (!u->peer)
		return -ENOTCONN;
	if (u->shutdown & SEND_SHUTDOWN)
		goto pipe_err;
	while (sent < len) {
		struct unix_skb *skb;
		size_t size = len - sent, data_len;
		size_t maxsz = (size_t)(unix_sndbuf(u) >> 1) - 64;

		/* pieces as Linux cuts them: a head, the rest in pages */
		size = min(size, min(maxsz, (size_t)SKB_MAX_HEAD +
					    UNIX_SKB_FRAGS));
		data_len = size > SKB_MAX_HEAD ? size - SKB_MAX_HEAD : 0;
		data_len = min(size, (size_t)PAGE_ALIGN(data_len));
		r = alloc_wait(u, timeo);
		if (r)
			goto out_err;
		other = u->peer;
		if (!other || other->dead || (other->shutdown & RCV_SHUTDOWN))
			goto pipe_err;
		skb = skb_alloc(u, size, data_len, &r);
		if (!skb)
			goto out_err;
		if (iter_copy_from(skb->data, &m->iter, size)) {
			unix_skb_free(skb);
			r = -EFAULT;
			goto out_err;
		}
		/* the copy may have slept (guest memory): look again */
		other = u->peer;
		if (!other || other->dead || (other->shutdown & RCV_SHUTDOWN)) {
			unix_skb_free(skb);
			goto pipe_err;
		}
		r = attach_scm(other, skb, m);
		if (r) {
			unix_skb_free(skb);
			goto out_err;
		}
		queue_skb(other, skb);
		sent += size;
	}
	return (ssize_t)sent;
pipe_err:
	if (!sent)
		send_sigpipe(m);
	r = -EPIPE;
out_err:
	return sent ? (ssize_t)sent : r;
}

/* Puts SCM_CREDENTIALS and SCM_RIGHTS into the receiver's control buffer. */
static void scm_recv(struct unix_sock *u, struct kmsghdr *m,
		     const struct scm_creds *creds, struct scm_fp *fp)
{
	if (!m->control) {
		if (unix_passcred(u) || fp)
			m->msg_flags |= MSG_CTRUNC;
		scm_fp_free(fp);
		return;
	}
	if (unix_passcred(u) && creds)
		put_cmsg(m, SOL_SOCKET, SCM_CREDENTIALS, sizeof(*creds), creds);
	if (fp)
		scm_detach_fds(m, fp);
}

static void copy_addr(struct kmsghdr *m, struct unix_sock *from)
{
	if (!m->name)
		return;
	if (from->addr) {
		memcpy(m->name, &from->addr->name, (size_t)from->addr->len);
		m->namelen = from->addr->len;
	} else {
		m->namelen = 0;
	}
}

static bool same_creds(const struct scm_creds *a, const struct scm_creds *b)
{
	return a->pid == b->pid && a->uid == b->uid && a->gid == b->gid;
}

/* The skb holding the byte pos bytes into u's unread stream data. */
static struct unix_skb *skb_at(struct unix_sock *u, size_t pos, size_t *skip)
{
	struct unix_skb *skb;

	list_for_each_entry(skb, &u->rq, link) {
		size_t avail = skb->len - skb->off;

		if (pos < avail) {
			*skip = pos;
			return skb;
		}
		pos -= avail;
	}
	return NULL;
}

ssize_t unix_stream_recvmsg(struct socket *s, struct kmsghdr *m, size_t len)
{
	struct unix_sock *u = unix_sk(s);
	bool peek = m->flags & MSG_PEEK;
	u64 timeo = want_nonblock(m) ? 0 : s->rcvtimeo;
	size_t target, copied = 0, skip;
	struct unix_skb *skb;
	struct scm_creds creds;
	struct scm_fp *fp = NULL;
	bool have_creds = false, addr_done = false;
	ssize_t err = 0;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (u->state != US_ESTABLISHED)
		return -EINVAL;
	target = (m->flags & MSG_WAITALL) ? len :
		 min((size_t)s->rcvlowat, len);
	if (!target)
		target = 1;
	unix_sock_get(u);
	for (;;) {
		/* a peek walks on past what it has copied; a read eats it */
		size_t pos = peek ? copied : 0, chunk;
		long r;

		skb = skb_at(u, pos, &skip);
		if (!skb) {
			if (copied >= target)
				break;
			if (u->err) {
				err = -u->err;
				u->err = 0;
				break;
			}
			if (u->shutdown & RCV_SHUTDOWN)
				break;
			if (!timeo) {
				err = -EAGAIN;
				break;
			}
			r = wait_event_interruptible_deadline(u->wq,
				u->rq_bytes > pos || u->err || u->dead ||
				(u->shutdown & RCV_SHUTDOWN),
				sock_deadline(timeo));
			if (r == -ETIMEDOUT) {
				err = -EAGAIN;
				break;
			}
			if (r) {
				err = sock_intr_errno(timeo);
				break;
			}
			if (u->dead)
				break;
			continue;
		}
		/* never glue together data from different writers */
		if (have_creds && unix_passcred(u) &&
		    !same_creds(&creds, &skb->creds))
			break;
		if (!have_creds) {
			creds = skb->creds;
			have_creds = true;
		}
		if (!addr_done) {
			copy_addr(m, skb->sender);
			addr_done = true;
		}
		chunk = min(skb->len - skb->off - skip, len - copied);
		if (chunk && iter_copy_to(&m->iter, skb->data + skb->off + skip,
					  chunk)) {
			if (!copied)
				err = -EFAULT;
			break;
		}
		copied += chunk;
		if (peek) {
			if (skb->fp) {
				fp = scm_fp_dup(skb->fp);
				break;
			}
		} else {
			skb->off += chunk;
			u->rq_bytes -= chunk;
			if (skb->off < skb->len)
				break;
			if (skb->fp) {
				fp = skb->fp;
				skb->fp = NULL;
				unix_detach_fds(fp);
			}
			unqueue_skb(u, skb);
			unix_skb_free(skb);
			if (fp)
				break;
		}
		if (copied >= len)
			break;
	}
	if (copied || fp)
		scm_recv(u, m, have_creds ? &creds : NULL, fp);
	unix_sock_put(u);
	return copied ? (ssize_t)copied : err;
}

/* --- datagrams and seqpacket ------------------------------------------- */

static bool dgram_recvq_full(struct unix_sock *o)
{
	return o->rq_len > UNIX_MAX_DGRAM_QLEN;
}

static bool may_send(struct unix_sock *u, struct unix_sock *other)
{
	return !other->peer || other->peer == u;
}

ssize_t unix_dgram_sendmsg(struct socket *s, struct kmsghdr *m, size_t len)
{
	struct unix_sock *u = unix_sk(s), *other = NULL;
	u64 timeo = want_nonblock(m) ? 0 : s->sndtimeo;
	struct unix_skb *skb;
	bool abstract;
	int r;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	/*
	 * Linux's order: the address is checked, the message made (EMSGSIZE,
	 * pending error, EPIPE, EAGAIN, EFAULT), and only then is the
	 * receiver looked up (ENOTCONN, ENOENT, ECONNREFUSED, ...).
	 */
	if (m->namelen) {
		r = unix_mkname(m->name, m->namelen, &abstract);
		if (r)
			return r;
	}
	if (unix_passcred(u) && !u->addr) {
		r = unix_autobind(u);
		if (r)
			return r;
	}
	if (len > (size_t)unix_sndbuf(u) - 32)
		return -EMSGSIZE;
	r = alloc_wait(u, timeo);
	if (r)
		return r;
	skb = skb_alloc(u, len, dgram_data_len(len), &r);
	if (!skb)
		return r;
	if (len && iter_copy_from(skb->data, &m->iter, len)) {
		unix_skb_free(skb);
		return -EFAULT;
	}
	for (;;) {
		if (!other) {
			if (m->namelen) {
				other = unix_find_other(m->name, m->namelen,
							u->type, &r);
				if (!other)
					goto out_free;
			} else {
				other = u->peer;
				if (!other) {
					r = -ENOTCONN;
					goto out_free;
				}
				unix_sock_get(other);
			}
		}
		r = -EPERM;
		if (!may_send(u, other))
			goto out_put;
		if (other->dead) {
			r = -EPIPE;
			if (u->type == SOCK_SEQPACKET)
				goto out_put;
			r = -ECONNREFUSED;
			if (u->peer == other) {
				/* disconnected: what we had queued is dropped */
				u->peer = NULL;
				u->state = US_CLOSE;
				if (u->sock)
					u->sock->state = SS_UNCONNECTED;
				unix_sock_put(other);
				unix_peer_wake_disconnect(u);
				unix_purge_queue(u);
				wake_up(&u->wq);
				goto out_put;
			}
			/* a name whose socket just went: look it up again */
			unix_sock_put(other);
			other = NULL;
			if (!m->namelen)
				goto out_free;
			continue;
		}
		r = -EPIPE;
		if (other->shutdown & RCV_SHUTDOWN)
			goto out_put;
		if (other->peer != u && dgram_recvq_full(other)) {
			long w;

			if (!timeo) {
				r = -EAGAIN;
				goto out_put;
			}
			w = wait_event_interruptible_deadline(other->wq,
				other->dead || !dgram_recvq_full(other) ||
				(other->shutdown & RCV_SHUTDOWN),
				sock_deadline(timeo));
			if (w == -ETIMEDOUT) {
				r = -EAGAIN;
				goto out_put;
			}
			if (w) {
				r = sock_intr_errno(timeo);
				goto out_put;
			}
			continue;
		}
		break;
	}
	r = attach_scm(other, skb, m);
	if (r)
		goto out_put;
	queue_skb(other, skb);
	unix_sock_put(other);
	return (ssize_t)len;
out_put:
	unix_sock_put(other);
out_free:
	unix_skb_free(skb);
	return r;
}

ssize_t unix_dgram_recvmsg(struct socket *s, struct kmsghdr *m, size_t len)
{
	struct unix_sock *u = unix_sk(s);
	bool peek = m->flags & MSG_PEEK;
	u64 timeo = want_nonblock(m) ? 0 : s->rcvtimeo;
	struct unix_skb *skb;
	struct scm_fp *fp = NULL;
	struct scm_creds creds;
	size_t size;
	ssize_t ret;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	for (;;) {
		long r;

		/* as Linux's datagram receive: a pending error comes first */
		if (u->err) {
			r = -u->err;
			u->err = 0;
			return r;
		}
		if (!list_empty(&u->rq))
			break;
		/*
		 * After shutdown(SHUT_RD) a blocking read returns 0; a
		 * non-blocking one says EAGAIN, except on seqpacket (EOF).
		 */
		if (!timeo)
			return u->type == SOCK_SEQPACKET &&
			       (u->shutdown & RCV_SHUTDOWN) ? 0 : -EAGAIN;
		if (u->shutdown & RCV_SHUTDOWN)
			return 0;
		unix_sock_get(u);
		r = wait_event_interruptible_deadline(u->wq,
			!list_empty(&u->rq) || u->err || u->dead ||
			(u->shutdown & RCV_SHUTDOWN), sock_deadline(timeo));
		unix_sock_put(u);
		if (r == -ETIMEDOUT)
			return -EAGAIN;
		if (r)
			return sock_intr_errno(timeo);
		if (u->dead)
			return 0;
	}
	skb = list_first_entry(&u->rq, struct unix_skb, link);
	if (!peek)
		unqueue_skb(u, skb);
	copy_addr(m, skb->sender);
	size = len;
	if (size > skb->len)
		size = skb->len;
	else if (size < skb->len)
		m->msg_flags |= MSG_TRUNC;
	if (size && iter_copy_to(&m->iter, skb->data, size)) {
		if (!peek)
			unix_skb_free(skb);
		return -EFAULT;
	}
	creds = skb->creds;
	if (skb->fp) {
		if (peek) {
			fp = scm_fp_dup(skb->fp);
		} else {
			fp = skb->fp;
			skb->fp = NULL;
			unix_detach_fds(fp);
		}
	}
	ret = (m->flags & MSG_TRUNC) ? (ssize_t)skb->len : (ssize_t)size;
	if (!peek)
		unix_skb_free(skb);
	scm_recv(u, m, &creds, fp);
	return ret;
}

ssize_t unix_seqpacket_sendmsg(struct socket *s, struct kmsghdr *m,
			       size_t len)
{
	struct unix_sock *u = unix_sk(s);

	if (u->state != US_ESTABLISHED)
		return -ENOTCONN;
	m->namelen = 0;
	m->name = NULL;
	/* as in Linux, EPIPE comes without SIGPIPE here */
	return unix_dgram_sendmsg(s, m, len);
}

ssize_t unix_seqpacket_recvmsg(struct socket *s, struct kmsghdr *m,
			       size_t len)
{
	if (unix_sk(s)->state != US_ESTABLISHED)
		return -ENOTCONN;
	return unix_dgram_recvmsg(s, m, len);
}
