// SPDX-License-Identifier: GPL-2.0
/*
 * AF_UNIX sockets: creation, names, connections and the socket calls that
 * are not data transfer (msg.c) or descriptor passing (garbage.c).
 *
 * Names: a filesystem name is an S_IFSOCK inode made with the VFS's
 * mknod; the socket keeps the path (so the inode stays and its number is
 * not reused) and the name table finds it by (superblock, inode number),
 * which does not depend on any dentry or inode staying cached. Abstract
 * names (a leading NUL) live only in the table.
 *
 * Connections follow Linux: connect() makes the server's end at once (an
 * "embryo" on the listener's accept queue, already able to receive), and
 * accept() gives it a socket. A unix_sock is counted: by its socket (or
 * the accept queue), by a connected peer, and by each message it sent
 * that is still queued somewhere (for its address and send-buffer
 * accounting).
 */
#include "af_unix.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/signal.h"
#include "kern/init.h"
#include <asm/ioctls.h>
#include <linux/sockios.h>

#define UNIX_HASH_SIZE	256

LIST_HEAD(unix_all);
int unix_tot_inflight;
static struct list_head unix_table[UNIX_HASH_SIZE];
static unsigned int autobind_next;

static const struct proto_ops unix_stream_ops, unix_dgram_ops,
	unix_seqpacket_ops;

void unix_sock_get(struct unix_sock *u)
{
	u->refs++;
}

/*
 * An address is shared by a listener and the connections accepted on it,
 * so it is counted; the count sits in front of it.
 */
struct unix_addr_box {
	int refs;
	struct unix_address a;
};

static struct unix_address *addr_alloc(void)
{
	struct unix_addr_box *b = kzalloc(sizeof(*b));

	if (!b)
		return NULL;
	b->refs = 1;
	return &b->a;
}

static struct unix_address *addr_get(struct unix_address *a)
{
	if (a)
		container_of(a, struct unix_addr_box, a)->refs++;
	return a;
}

static void addr_put(struct unix_address *a)
{
	struct unix_addr_box *b;

	if (!a)
		return;
	b = container_of(a, struct unix_addr_box, a);
	if (!--b->refs)
		kfree(b);
}

void unix_sock_put(struct unix_sock *u)
{
	if (--u->refs)
		return;
	BUG_ON(!u->dead || u->sock || !list_empty(&u->rq));
	list_del(&u->all_link);
	addr_put(u->addr);
	kfree(u);
}

static struct unix_sock *unix_alloc(int type)
{
	struct unix_sock *u = kzalloc(sizeof(*u));

	if (!u)
		return NULL;
	u->refs = 1;
	u->type = type;
	u->state = US_CLOSE;
	INIT_LIST_HEAD(&u->rq);
	INIT_LIST_HEAD(&u->accq);
	INIT_LIST_HEAD(&u->acc_link);
	INIT_LIST_HEAD(&u->bind_link);
	INIT_LIST_HEAD(&u->gc_link);
	init_waitqueue_head(&u->wq);
	init_waitqueue_head(&u->peer_wait);
	INIT_LIST_HEAD(&u->peer_wake.link);
	u->peercred.pid = 0;
	u->peercred.uid = (uid_t)-1;
	u->peercred.gid = (gid_t)-1;
	list_add_tail(&u->all_link, &unix_all);
	return u;
}

/* The receiver u waits on made room (or went): tell our pollers. */
static void peer_wake_relay(struct wait_queue_entry *w, unsigned int key)
{
	struct unix_sock *u = w->private;

	wake_up_poll(&u->wq, POLLOUT | POLLWRNORM | POLLWRBAND);
}

static void peer_wake_connect(struct unix_sock *u, struct unix_sock *other)
{
	if (u->peer_wake_target == other)
		return;
	unix_peer_wake_disconnect(u);
	u->peer_wake.task = NULL;
	u->peer_wake.func = peer_wake_relay;
	u->peer_wake.private = u;
	prepare_to_wait(&other->peer_wait, &u->peer_wake);
	u->peer_wake_target = other;
	unix_sock_get(other);
}

void unix_peer_wake_disconnect(struct unix_sock *u)
{
	struct unix_sock *t = u->peer_wake_target;

	if (!t)
		return;
	finish_wait(&t->peer_wait, &u->peer_wake);
	u->peer_wake_target = NULL;
	unix_sock_put(t);
}

int unix_sndbuf(struct unix_sock *u)
{
	return u->sock ? u->sock->sndbuf : SK_WMEM_DEFAULT;
}

bool unix_passcred(struct unix_sock *u)
{
	return u->sock && (u->sock->opts & SOCK_OPT_PASSCRED);
}

static void current_creds(struct scm_creds *c)
{
	c->pid = current->tgid;
	c->uid = current->cred->euid;
	c->gid = current->cred->egid;
}

/* --- the name table ---------------------------------------------------- */

static u32 hash_bytes(const void *p, size_t len)
{
	const unsigned char *c = p;
	u32 h = 2166136261u;

	while (len--)
		h = (h ^ *c++) * 16777619u;
	return h;
}

static u32 hash_inode(const struct inode *inode)
{
	struct {
		const void *sb;
		unsigned long ino;
	} key = { inode->i_sb, inode->i_ino };

	return hash_bytes(&key, sizeof(key));
}

static struct list_head *bucket(u32 hash)
{
	return &unix_table[hash % UNIX_HASH_SIZE];
}

static bool is_fs_bound(const struct unix_sock *u)
{
	return u->path.dentry != NULL;
}

/*
 * As in Linux, abstract names are looked up per socket type: a stream and
 * a datagram socket may hold the same one, and a connect to a name only
 * held by another type is refused.
 */
static struct unix_sock *find_abstract(const struct unix_address *a, int type)
{
	struct unix_sock *u;

	list_for_each_entry(u, bucket(a->hash), bind_link) {
		if (!is_fs_bound(u) && u->type == type &&
		    u->addr->len == a->len &&
		    !memcmp(&u->addr->name, &a->name, (size_t)a->len))
			return u;
	}
	return NULL;
}

static struct unix_sock *find_inode(const struct inode *inode)
{
	struct unix_sock *u;

	list_for_each_entry(u, bucket(hash_inode(inode)), bind_link) {
		const struct inode *i;

		if (!is_fs_bound(u))
			continue;
		i = u->path.dentry->d_inode;
		if (i->i_sb == inode->i_sb && i->i_ino == inode->i_ino)
			return u;
	}
	return NULL;
}

/*
 * Checks a sockaddr_un. Returns 0; *abstract says which kind. A path is
 * cut at its first NUL, as Linux does, and len becomes that length.
 */
int unix_mkname(struct sockaddr_kern *a, int len, bool *abstract)
{
	if (len <= 2 || len > UNIX_ADDR_MAX || a->family != AF_UNIX)
		return -EINVAL;
	*abstract = a->data[0] == 0;
	return 0;
}

/* A filesystem path from an address, NUL-terminated in buf. */
static void addr_path(const struct sockaddr_kern *a, int len, char *buf)
{
	memcpy(buf, a->data, (size_t)len - 2);
	buf[len - 2] = 0;
}

static int addr_set(struct unix_sock *u, const struct sockaddr_kern *a,
		    int len, bool abstract)
{
	struct unix_address *na = addr_alloc();

	if (!na)
		return -ENOMEM;
	if (abstract) {
		na->len = len;
		memcpy(&na->name, a, (size_t)len);
	} else {
		na->name.family = AF_UNIX;
		addr_path(a, len, na->name.path);
		na->len = (int)strlen(na->name.path) + 2 + 1;
	}
	na->hash = hash_bytes(&na->name, (size_t)na->len);
	u->addr = na;
	return 0;
}

/* Abstract name "\0XXXXX" (five hex digits), as Linux picks them. */
int unix_autobind(struct unix_sock *u)
{
	struct unix_address *na;
	unsigned int tries = 0;

	if (u->addr)
		return 0;
	na = addr_alloc();
	if (!na)
		return -ENOMEM;
	na->name.family = AF_UNIX;
	na->len = 2 + 1 + 5;
	for (;;) {
		char tmp[8];

		snprintf(tmp, sizeof(tmp), "%05x",
			 (autobind_next++) & 0xfffff);
		na->name.path[0] = 0;
		memcpy(na->name.path + 1, tmp, 5);
		na->hash = hash_bytes(&na->name, (size_t)na->len);
		if (!find_abstract(na, u->type))
			break;
		if (++tries > 0xfffff) {
			addr_put(na);
			return -ENOSPC;
		}
	}
	u->addr = na;
	list_add(&u->bind_link, bucket(na->hash));
	return 0;
}

static int unix_bind(struct socket *s, struct sockaddr_kern *a, int len)
{
	struct unix_sock *u = unix_sk(s);
	struct path p;
	char *path;
	bool abstract;
	int r;

	if (len == 2 && a->family == AF_UNIX)
		return unix_autobind(u);
	r = unix_mkname(a, len, &abstract);
	if (r)
		return r;
	if (abstract) {
		struct unix_address *na;

		if (u->addr)
			return -EINVAL;
		r = addr_set(u, a, len, true);
		if (r)
			return r;
		na = u->addr;
		if (find_abstract(na, u->type)) {
			u->addr = NULL;
			addr_put(na);
			return -EADDRINUSE;
		}
		list_add(&u->bind_link, bucket(na->hash));
		return 0;
	}
	path = kmalloc(UNIX_PATH_MAX + 1);
	if (!path)
		return -ENOMEM;
	addr_path(a, len, path);
	if (u->addr) {
		/* as Linux: an existing name is reported before EINVAL */
		r = kern_path(path, 0, &p);
		if (!r)
			path_put(&p);
		kfree(path);
		return r ? -EINVAL : -EADDRINUSE;
	}
	r = vfs_mknod_path(AT_FDCWD, path, S_IFSOCK |
			   (0777 & ~(mode_t)current_umask()), 0, &p);
	if (r) {
		kfree(path);
		return r == -EEXIST ? -EADDRINUSE : r;
	}
	r = addr_set(u, a, len, false);
	kfree(path);
	if (r) {
		path_put(&p);
		return r;
	}
	u->path = p;
	list_add(&u->bind_link, bucket(hash_inode(p.dentry->d_inode)));
	return 0;
}

/* The socket an address names (counted), for connect and sendto. */
struct unix_sock *unix_find_other(struct sockaddr_kern *a, int len, int type,
				  int *err)
{
	struct unix_address key;
	struct unix_sock *u;
	bool abstract;
	struct path p;
	char *path;
	int r;

	r = unix_mkname(a, len, &abstract);
	if (r) {
		*err = r;
		return NULL;
	}
	if (abstract) {
		key.len = len;
		memset(&key.name, 0, sizeof(key.name));
		memcpy(&key.name, a, (size_t)len);
		key.hash = hash_bytes(&key.name, (size_t)len);
		u = find_abstract(&key, type);
		if (!u) {
			*err = -ECONNREFUSED;
			return NULL;
		}
	} else {
		path = kmalloc(UNIX_PATH_MAX + 1);
		if (!path) {
			*err = -ENOMEM;
			return NULL;
		}
		addr_path(a, len, path);
		r = kern_path(path, LOOKUP_FOLLOW, &p);
		kfree(path);
		if (r) {
			*err = r;
			return NULL;
		}
		r = inode_permission(p.dentry->d_inode, MAY_WRITE);
		if (!r && !S_ISSOCK(p.dentry->d_inode->i_mode))
			r = -ECONNREFUSED;
		u = r ? NULL : find_inode(p.dentry->d_inode);
		path_put(&p);
		if (r || !u) {
			*err = r ? r : -ECONNREFUSED;
			return NULL;
		}
	}
	if (u->type != type) {
		*err = -EPROTOTYPE;
		return NULL;
	}
	unix_sock_get(u);
	return u;
}

/* --- creation and release ---------------------------------------------- */

static int unix_create(struct socket *s, int protocol)
{
	struct unix_sock *u;

	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (s->type) {
	case SOCK_STREAM:
		s->ops = &unix_stream_ops;
		break;
	case SOCK_RAW:
		/* as in Linux, a raw unix socket is a datagram socket */
		s->type = SOCK_DGRAM;
		/* fall through */
	case SOCK_DGRAM:
		s->ops = &unix_dgram_ops;
		break;
	case SOCK_SEQPACKET:
		s->ops = &unix_seqpacket_ops;
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	u = unix_alloc(s->type);
	if (!u)
		return -ENOMEM;
	s->protocol = 0;
	u->sock = s;
	s->sk = u;
	return 0;
}

static bool connection_oriented(const struct unix_sock *u)
{
	return u->type == SOCK_STREAM || u->type == SOCK_SEQPACKET;
}

/*
 * The end of a socket (its file closed, or an embryo nobody accepted).
 * Its peer sees EOF, or ECONNRESET if data was lost.
 */
static void unix_release_sock(struct unix_sock *u, bool embryo)
{
	struct unix_sock *peer, *e, *tmp;

	u->sock = NULL;
	unix_peer_wake_disconnect(u);
	if (!list_empty(&u->bind_link))
		list_del_init(&u->bind_link);
	u->state = US_CLOSE;
	u->dead = true;
	u->shutdown = SHUTDOWN_MASK;
	peer = u->peer;
	u->peer = NULL;
	if (peer) {
		if (connection_oriented(u)) {
			peer->shutdown = SHUTDOWN_MASK;
			if (!list_empty(&u->rq) || embryo)
				peer->err = ECONNRESET;
		}
		wake_up(&peer->wq);
		unix_sock_put(peer);
	}
	wake_up(&u->wq);
	wake_up(&u->peer_wait);
	list_for_each_entry_safe(e, tmp, &u->accq, acc_link) {
		list_del_init(&e->acc_link);
		u->acc_len--;
		unix_release_sock(e, true);
	}
	unix_purge_queue(u);
	if (u->path.dentry) {
		path_put(&u->path);
		u->path.dentry = NULL;
		u->path.mnt = NULL;
	}
	unix_sock_put(u);
}

static void unix_release(struct socket *s)
{
	struct unix_sock *u = unix_sk(s);

	if (!u)
		return;
	s->sk = NULL;
	unix_release_sock(u, false);
	if (unix_tot_inflight)
		unix_gc();
}

/* --- connections --------------------------------------------------------- */

static int unix_listen(struct socket *s, int backlog)
{
	struct unix_sock *u = unix_sk(s);

	if (u->type != SOCK_STREAM && u->type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	if (!u->addr)
		return -EINVAL;
	if (u->state != US_CLOSE && u->state != US_LISTEN)
		return -EINVAL;
	if ((unsigned int)backlog > u->backlog)
		wake_up(&u->wq);
	u->backlog = (unsigned int)backlog;
	u->state = US_LISTEN;
	current_creds(&u->peercred);
	u->peercred_set = true;
	return 0;
}

/* Waits on u's queue for cond; 0, -EAGAIN (timeout) or an interruption. */
#define unix_wait(u, cond, timeo) ({					\
		long __ur;						\
		u64 __dl = sock_deadline(timeo);			\
		(u)->refs++;						\
		__ur = wait_event_interruptible_deadline((u)->wq, cond, __dl); \
		if (__ur == -ETIMEDOUT)					\
			__ur = -EAGAIN;					\
		else if (__ur)						\
			__ur = sock_intr_errno(timeo);			\
		unix_sock_put(u);					\
		__ur;							\
	})

static int unix_stream_connect(struct socket *s, struct sockaddr_kern *a,
			       int len, bool nonblock)
{
	struct unix_sock *u = unix_sk(s), *other, *e;
	u64 timeo = nonblock ? 0 : s->sndtimeo;
	bool abstract;
	int r;

	r = unix_mkname(a, len, &abstract);
	if (r)
		return r;
	if (unix_passcred(u) && !u->addr) {
		r = unix_autobind(u);
		if (r)
			return r;
	}
	for (;;) {
		other = unix_find_other(a, len, u->type, &r);
		if (!other)
			return r;
		if (other->state != US_LISTEN ||
		    (other->shutdown & RCV_SHUTDOWN)) {
			unix_sock_put(other);
			return -ECONNREFUSED;
		}
		if (other->acc_len <= other->backlog)
			break;
		if (!timeo) {
			unix_sock_put(other);
			return -EAGAIN;
		}
		r = unix_wait(other, other->dead ||
			      other->acc_len <= other->backlog, timeo);
		unix_sock_put(other);
		if (r)
			return r;
	}
	if (u->state != US_CLOSE) {
		unix_sock_put(other);
		return u->state == US_ESTABLISHED ? -EISCONN : -EINVAL;
	}
	e = unix_alloc(u->type);
	if (!e) {
		unix_sock_put(other);
		return -ENOMEM;
	}
	e->state = US_ESTABLISHED;
	e->addr = addr_get(other->addr);
	current_creds(&e->peercred);
	e->peercred_set = true;
	e->peer = u;
	unix_sock_get(u);
	u->peer = e;
	unix_sock_get(e);
	u->peercred = other->peercred;
	u->peercred_set = other->peercred_set;
	u->state = US_ESTABLISHED;
	s->state = SS_CONNECTED;
	list_add_tail(&e->acc_link, &other->accq);
	other->acc_len++;
	wake_up(&other->wq);
	unix_sock_put(other);
	return 0;
}

static int unix_accept(struct socket *s, struct socket *ns, bool nonblock)
{
	struct unix_sock *u = unix_sk(s), *e;
	int r;

	if (u->type != SOCK_STREAM && u->type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	if (u->state != US_LISTEN)
		return -EINVAL;
	while (list_empty(&u->accq)) {
		if (nonblock)
			return -EAGAIN;
		r = unix_wait(u, !list_empty(&u->accq) ||
			      u->state != US_LISTEN, s->rcvtimeo);
		if (r)
			return r;
		if (u->state != US_LISTEN)
			return -EINVAL;
	}
	e = list_first_entry(&u->accq, struct unix_sock, acc_link);
	list_del_init(&e->acc_link);
	u->acc_len--;
	wake_up(&u->wq);
	e->sock = ns;
	ns->sk = e;
	ns->state = SS_CONNECTED;
	ns->opts |= s->opts & SOCK_OPT_PASSCRED;
	return 0;
}

static int unix_socketpair(struct socket *a, struct socket *b)
{
	struct unix_sock *ua = unix_sk(a), *ub = unix_sk(b);

	ua->peer = ub;
	unix_sock_get(ub);
	ub->peer = ua;
	unix_sock_get(ua);
	current_creds(&ua->peercred);
	ub->peercred = ua->peercred;
	ua->peercred_set = ub->peercred_set = true;
	ua->state = ub->state = US_ESTABLISHED;
	a->state = b->state = SS_CONNECTED;
	return 0;
}

/*
 * A datagram socket's default destination; AF_UNSPEC disconnects. As in
 * Linux, leaving a peer drops whatever is queued to us, and if that peer
 * was connected back to us it learns (ECONNRESET) that messages were lost.
 */
static int unix_dgram_connect(struct socket *s, struct sockaddr_kern *a,
			      int len, bool nonblock)
{
	struct unix_sock *u = unix_sk(s), *other = NULL, *old;
	bool abstract;
	int r;

	if (len < 2)
		return -EINVAL;
	if (a->family != AF_UNSPEC) {
		r = unix_mkname(a, len, &abstract);
		if (r)
			return r;
		if (unix_passcred(u) && !u->addr) {
			r = unix_autobind(u);
			if (r)
				return r;
		}
		other = unix_find_other(a, len, u->type, &r);
		if (!other)
			return r;
		if (other->peer && other->peer != u) {
			/* it only hears from its own peer */
			unix_sock_put(other);
			return -EPERM;
		}
	}
	old = u->peer;
	if (old != other)
		unix_peer_wake_disconnect(u);
	u->peer = other;
	u->state = other ? US_ESTABLISHED : US_CLOSE;
	s->state = other ? SS_CONNECTED : SS_UNCONNECTED;
	if (old && old != other && !list_empty(&u->rq)) {
		unix_purge_queue(u);
		wake_up(&u->wq);
		if (!old->dead && old->peer == u) {
			old->err = ECONNRESET;
			wake_up(&old->wq);
		}
	}
	if (old)
		unix_sock_put(old);
	return 0;
}

/* A bigger send buffer may let blocked writers go on. */
static void unix_opts_changed(struct socket *s)
{
	wake_up(&unix_sk(s)->wq);
}

static int unix_getname(struct socket *s, struct sockaddr_kern *a, bool peer)
{
	struct unix_sock *u = unix_sk(s);
	struct unix_address *addr;

	if (peer) {
		u = u->peer;
		if (!u)
			return -ENOTCONN;
	}
	addr = u->addr;
	if (!addr) {
		a->family = AF_UNIX;
		return 2;
	}
	memcpy(a, &addr->name, (size_t)addr->len);
	return addr->len;
}

static int unix_shutdown(struct socket *s, int how)
{
	struct unix_sock *u = unix_sk(s), *other;
	unsigned int mode = (unsigned int)how + 1, pm = 0;

	if (how < 0 || how > SHUT_RDWR)
		return -EINVAL;
	u->shutdown |= mode;
	other = u->peer;
	if (other && connection_oriented(u)) {
		if (mode & RCV_SHUTDOWN)
			pm |= SEND_SHUTDOWN;
		if (mode & SEND_SHUTDOWN)
			pm |= RCV_SHUTDOWN;
		other->shutdown |= pm;
		wake_up(&other->wq);
	}
	wake_up(&u->wq);
	return 0;
}

/* --- poll, ioctl, options ------------------------------------------------ */

static bool unix_writable(struct unix_sock *u)
{
	return u->state != US_LISTEN &&
	       u->wmem * 4 <= (size_t)unix_sndbuf(u);
}

static unsigned int unix_poll(struct socket *s, struct file *f,
			      struct poll_table *pt)
{
	struct unix_sock *u = unix_sk(s);
	unsigned int mask = 0;

	poll_wait(f, &u->wq, pt);
	if (u->err)
		mask |= POLLERR;
	if (u->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (u->shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (!list_empty(&u->rq) || !list_empty(&u->accq))
		mask |= POLLIN | POLLRDNORM;
	if (u->state == US_CLOSE)
		mask |= POLLHUP;
	if (unix_writable(u))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

static bool dgram_recvq_full(struct unix_sock *o)
{
	return o->rq_len > UNIX_MAX_DGRAM_QLEN;
}

static unsigned int unix_dgram_poll(struct socket *s, struct file *f,
				    struct poll_table *pt)
{
	struct unix_sock *u = unix_sk(s), *other;
	unsigned int mask = 0;
	bool writable;

	poll_wait(f, &u->wq, pt);
	if (u->err)
		mask |= POLLERR;
	if (u->shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (!list_empty(&u->rq) || !list_empty(&u->accq))
		mask |= POLLIN | POLLRDNORM;
	if (u->type == SOCK_SEQPACKET && u->state == US_CLOSE)
		mask |= POLLHUP;
	writable = unix_writable(u);
	other = u->peer;
	if (writable && other && other->peer != u) {
		if (dgram_recvq_full(other)) {
			peer_wake_connect(u, other);
			writable = false;
		} else {
			unix_peer_wake_disconnect(u);
		}
	}
	if (writable)
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

static long unix_ioctl(struct socket *s, unsigned int cmd, unsigned long arg)
{
	struct unix_sock *u = unix_sk(s);

	switch (cmd) {
	case SIOCINQ:
		if (u->state == US_LISTEN)
			return -EINVAL;
		return put_user((int)min(unix_inq(u), (size_t)0x7fffffff),
				arg) ? -EFAULT : 0;
	case SIOCOUTQ:
		return put_user((int)min(unix_outq(u), (size_t)0x7fffffff),
				arg) ? -EFAULT : 0;
	}
	return -ENOIOCTLCMD;
}

static int unix_sol_getsockopt(struct socket *s, int name, void *val,
			       int *len)
{
	struct unix_sock *u = unix_sk(s);
	int *v = val;

	switch (name) {
	case SO_ERROR:
		*v = u->err;
		u->err = 0;
		return 0;
	case SO_ACCEPTCONN:
		*v = u->state == US_LISTEN;
		return 0;
	case SO_PEERCRED:
		memcpy(val, &u->peercred, sizeof(u->peercred));
		*len = sizeof(u->peercred);
		return 0;
	}
	return -ENOPROTOOPT;
}

static int unix_register(void)
{
	static const struct net_proto_family fam = {
		.family = AF_UNIX,
		.create = unix_create,
	};

	for (int i = 0; i < UNIX_HASH_SIZE; i++)
		INIT_LIST_HEAD(&unix_table[i]);
	return sock_register(&fam);
}
core_initcall(unix_register);

static const struct proto_ops unix_stream_ops = {
	.family = AF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_stream_connect,
	.socketpair = unix_socketpair,
	.accept = unix_accept,
	.getname = unix_getname,
	.poll = unix_poll,
	.ioctl = unix_ioctl,
	.listen = unix_listen,
	.shutdown = unix_shutdown,
	.sol_getsockopt = unix_sol_getsockopt,
	.opts_changed = unix_opts_changed,
	.sendmsg = unix_stream_sendmsg,
	.recvmsg = unix_stream_recvmsg,
};

static const struct proto_ops unix_dgram_ops = {
	.family = AF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_dgram_connect,
	.socketpair = unix_socketpair,
	.getname = unix_getname,
	.poll = unix_dgram_poll,
	.ioctl = unix_ioctl,
	.listen = unix_listen,
	.shutdown = unix_shutdown,
	.sol_getsockopt = unix_sol_getsockopt,
	.opts_changed = unix_opts_changed,
	.sendmsg = unix_dgram_sendmsg,
	.recvmsg = unix_dgram_recvmsg,
};

static const struct proto_ops unix_seqpacket_ops = {
	.family = AF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_stream_connect,
	.socketpair = unix_socketpair,
	.accept = unix_accept,
	.getname = unix_getname,
	.poll = unix_dgram_poll,
	.ioctl = unix_ioctl,
	.listen = unix_listen,
	.shutdown = unix_shutdown,
	.sol_getsockopt = unix_sol_getsockopt,
	.opts_changed = unix_opts_changed,
	.sendmsg = unix_seqpacket_sendmsg,
	.recvmsg = unix_seqpacket_recvmsg,
};
