/* SPDX-License-Identifier: GPL-2.0 */
/* AF_UNIX internals, shared by af_unix.c, msg.c, garbage.c and proc.c. */
#ifndef NET_UNIX_AF_UNIX_H
#define NET_UNIX_AF_UNIX_H

#include "kern/net.h"
#include "kern/vfs.h"

#define UNIX_PATH_MAX	108
#define UNIX_ADDR_MAX	(2 + UNIX_PATH_MAX)	/* sizeof(struct sockaddr_un) */

/* a datagram queue holds at most this many (net.unix.max_dgram_qlen) */
#define UNIX_MAX_DGRAM_QLEN	10

#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
#define SHUTDOWN_MASK	3

enum unix_state { US_CLOSE, US_LISTEN, US_ESTABLISHED };

struct unix_address {
	int len;		/* of name, family included */
	u32 hash;
	struct {
		unsigned short family;
		char path[UNIX_PATH_MAX + 1];
	} name;
};

/* One message (dgram, seqpacket) or one piece of a stream. */
struct unix_skb {
	struct list_head link;
	struct unix_sock *sender;	/* counted; charged in its wmem */
	size_t charge;			/* in the sender's wmem */
	size_t mem;			/* in the global count */
	size_t len, off;		/* data, and what a stream read took */
	struct scm_creds creds;
	struct scm_fp *fp;		/* SCM_RIGHTS, or NULL */
	char data[];
};

struct unix_sock {
	int refs;
	struct socket *sock;		/* NULL for an embryo or once closed */
	int type;
	enum unix_state state;
	bool dead;
	unsigned int shutdown;		/* RCV_SHUTDOWN | SEND_SHUTDOWN */
	int err;			/* pending error for SO_ERROR/recv */
	struct unix_address *addr;
	struct path path;		/* a filesystem name: pins its inode */
	struct list_head bind_link;	/* in the name table */
	struct unix_sock *peer;		/* counted */
	struct list_head rq;		/* unix_skb */
	unsigned int rq_len;
	size_t rq_bytes;
	/* a listener's pending connections (embryos), and an embryo's link */
	struct list_head accq;
	struct list_head acc_link;
	unsigned int acc_len, backlog;
	size_t wmem;			/* charged by our queued messages */
	struct wait_queue_head wq;
	/*
	 * A datagram sender polled while its peer's queue was full: its
	 * peer_wake entry hangs on that peer's peer_wait (peer_wake_target,
	 * counted), which is woken as the queue drains and passes the
	 * wake-up on to our wq, where poll and epoll wait. Nothing of ours
	 * stays on another socket's queue otherwise, so epoll never holds
	 * on to a socket that may go.
	 */
	struct wait_queue_head peer_wait;
	struct wait_queue_entry peer_wake;
	struct unix_sock *peer_wake_target;
	bool peercred_set;
	struct scm_creds peercred;
	/* SCM_RIGHTS bookkeeping and the garbage collector */
	int inflight;			/* times our file is in a queue */
	struct list_head gc_link;	/* gc: in the candidate list */
	long gc_refs;
	bool gc_candidate, gc_alive;
	struct list_head all_link;	/* every unix socket: /proc/net/unix */
};

extern struct list_head unix_all;
extern int unix_tot_inflight;

static inline struct unix_sock *unix_sk(struct socket *s)
{
	return s->sk;
}

void unix_sock_get(struct unix_sock *u);
void unix_peer_wake_disconnect(struct unix_sock *u);
void unix_sock_put(struct unix_sock *u);
int unix_sndbuf(struct unix_sock *u);
bool unix_passcred(struct unix_sock *u);
int unix_autobind(struct unix_sock *u);
struct unix_sock *unix_find_other(struct sockaddr_kern *a, int len, int type,
				  int *err);
int unix_mkname(struct sockaddr_kern *a, int len, bool *abstract);

/* msg.c */
void unix_skb_free(struct unix_skb *skb);
void unix_purge_queue(struct unix_sock *u);
/* Frees the skbs of a list (taken off their queues), without recursing. */
void unix_free_skbs(struct list_head *l);
ssize_t unix_stream_sendmsg(struct socket *s, struct kmsghdr *m, size_t len);
ssize_t unix_stream_recvmsg(struct socket *s, struct kmsghdr *m, size_t len);
ssize_t unix_dgram_sendmsg(struct socket *s, struct kmsghdr *m, size_t len);
ssize_t unix_dgram_recvmsg(struct socket *s, struct kmsghdr *m, size_t len);
ssize_t unix_seqpacket_sendmsg(struct socket *s, struct kmsghdr *m,
			       size_t len);
ssize_t unix_seqpacket_recvmsg(struct socket *s, struct kmsghdr *m,
			       size_t len);
size_t unix_outq(struct unix_sock *u);
size_t unix_inq(struct unix_sock *u);

/* garbage.c */
struct unix_sock *unix_sock_of_file(struct file *f);
int unix_attach_fds(struct unix_sock *to, struct scm_fp *fp);
void unix_detach_fds(struct scm_fp *fp);
void unix_gc(void);

#endif
