/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The socket layer (net/socket.c): sockets are files on an internal sockfs
 * mount; the system calls copy and check what the guest passes (addresses,
 * msghdr, iovecs, control messages) and hand kernel copies to the address
 * family through a struct proto_ops. A family (AF_UNIX today, AF_INET on
 * lwIP later) registers with sock_register() from an initcall.
 */
#ifndef KERN_NET_H
#define KERN_NET_H

#include "kern/fs.h"
#include <asm/socket.h>

#define AF_UNSPEC	0
#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	10
#define AF_NETLINK	16
#define AF_PACKET	17
#define NPROTO		46		/* AF_MAX */

#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_RDM	4
#define SOCK_SEQPACKET	5
#define SOCK_DCCP	6
#define SOCK_PACKET	10
#define SOCK_MAX	11
#define SOCK_TYPE_MASK	0xf
#define SOCK_CLOEXEC	O_CLOEXEC
#define SOCK_NONBLOCK	O_NONBLOCK

#define MSG_OOB		0x1
#define MSG_PEEK	0x2
#define MSG_DONTROUTE	0x4
#define MSG_CTRUNC	0x8
#define MSG_PROBE	0x10
#define MSG_TRUNC	0x20
#define MSG_DONTWAIT	0x40
#define MSG_EOR		0x80
#define MSG_WAITALL	0x100
#define MSG_FIN		0x200
#define MSG_SYN		0x400
#define MSG_CONFIRM	0x800
#define MSG_RST		0x1000
#define MSG_ERRQUEUE	0x2000
#define MSG_NOSIGNAL	0x4000
#define MSG_MORE	0x8000
#define MSG_WAITFORONE	0x10000
#define MSG_BATCH	0x40000
#define MSG_ZEROCOPY	0x4000000
#define MSG_FASTOPEN	0x20000000
#define MSG_CMSG_CLOEXEC 0x40000000
#define MSG_CMSG_COMPAT	0x80000000

#define SCM_RIGHTS	1
#define SCM_CREDENTIALS	2
#define SCM_MAX_FD	253

#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2

#define SOMAXCONN	4096
#define UIO_MAXIOV	1024
#define SOCK_MAX_RW	0x7ffff000UL

/* Buffer sizes as Linux's sysctls default them (net.core.*mem_*). */
#define SK_WMEM_DEFAULT	212992
#define SK_RMEM_DEFAULT	212992
#define SK_WMEM_MAX	212992
#define SK_RMEM_MAX	212992
#define SOCK_MIN_SNDBUF	4608
#define SOCK_MIN_RCVBUF	2304

/* a family's ioctl does not know the request (-ENOTTY to the guest) */
#define ENOIOCTLCMD	515

#define SOCK_TIMEO_INF	(~0ULL)	/* no SO_RCVTIMEO/SO_SNDTIMEO */

/* A socket address in the kernel (struct sockaddr_storage). */
struct sockaddr_kern {
	unsigned short family;
	char data[126];
} __attribute__((aligned(8)));

/* Guest buffers of one call: an iovec, or a kernel buffer (kbuf). */
struct msg_iter {
	const struct kiovec *iov;
	unsigned long nr, idx;
	size_t off;		/* into iov[idx] */
	size_t count;		/* bytes left */
	char *kbuf;
};

void iter_init_user(struct msg_iter *it, const struct kiovec *iov,
		    unsigned long nr, size_t total);
void iter_init_kernel(struct msg_iter *it, void *buf, size_t len);
/* Copy n bytes (n <= count) out of / into the iterator: 0 or -EFAULT. */
int iter_copy_from(void *dst, struct msg_iter *it, size_t n);
int iter_copy_to(struct msg_iter *it, const void *src, size_t n);

struct scm_creds {
	pid_t pid;
	uid_t uid;
	gid_t gid;
};

/* Files carried by SCM_RIGHTS, each counted. */
struct scm_fp {
	int count;
	uid_t user;		/* in whose in-flight count (AF_UNIX) */
	struct file *files[SCM_MAX_FD];
};

/* What a sendmsg's control messages asked for, checked. */
struct scm_cookie {
	struct scm_creds creds;	/* the sender's own unless SCM_CREDENTIALS */
	struct scm_fp *fp;
};

struct kmsghdr {
	struct sockaddr_kern *name;	/* send: the target; recv: filled */
	int namelen;
	struct msg_iter iter;
	unsigned int flags;		/* MSG_* of the call */
	unsigned int msg_flags;		/* recv: MSG_TRUNC, MSG_CTRUNC, ... */
	struct scm_cookie *scm;		/* send */
	uaddr_t control;		/* recv: guest buffer, advanced */
	size_t controllen;		/* recv: room left in it */
};

/* Writes one control message into m's guest buffer (MSG_CTRUNC if short). */
int put_cmsg(struct kmsghdr *m, int level, int type, size_t len,
	     const void *data);
/* Installs the files of fp as fds in an SCM_RIGHTS message; frees fp. */
void scm_detach_fds(struct kmsghdr *m, struct scm_fp *fp);
struct scm_fp *scm_fp_dup(const struct scm_fp *fp);
void scm_fp_free(struct scm_fp *fp);
struct socket;
/* Checks a sendmsg's control buffer (a kernel copy) into scm. */
int scm_send(struct socket *sock, const char *ctl, size_t len,
	     struct scm_cookie *scm);
void scm_destroy(struct scm_cookie *scm);

enum socket_state {
	SS_FREE, SS_UNCONNECTED, SS_CONNECTING, SS_CONNECTED, SS_DISCONNECTING
};

#define SOCK_OPT_REUSEADDR	0x01
#define SOCK_OPT_KEEPALIVE	0x02
#define SOCK_OPT_PASSCRED	0x04
#define SOCK_OPT_BROADCAST	0x08
#define SOCK_OPT_OOBINLINE	0x10
#define SOCK_OPT_DONTROUTE	0x20
#define SOCK_OPT_LINGER		0x40
#define SOCK_OPT_DEBUG		0x80
#define SOCK_OPT_REUSEPORT	0x100

struct proto_ops;

struct socket {
	int type;
	int family;
	int protocol;
	enum socket_state state;
	const struct proto_ops *ops;
	struct file *file;		/* not counted: the file owns us */
	void *sk;			/* the family's */
	/* SOL_SOCKET options kept by the generic layer */
	int sndbuf, rcvbuf;
	u64 rcvtimeo, sndtimeo;		/* ns, or SOCK_TIMEO_INF */
	int rcvlowat;
	int linger;			/* seconds, with SOCK_OPT_LINGER */
	int priority;
	unsigned int opts;		/* SOCK_OPT_* */
	unsigned long ino;
};

/*
 * A family's operations. Addresses come checked for size (at most
 * sizeof(struct sockaddr_kern)) and copied; the rest of the checking is
 * the family's. Every function returns 0 (or a count) or -errno.
 */
struct proto_ops {
	int family;
	/* the socket's file is going away */
	void (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, struct sockaddr_kern *addr, int len);
	/* nonblock: the file's O_NONBLOCK */
	int (*connect)(struct socket *sock, struct sockaddr_kern *addr, int len,
		       bool nonblock);
	int (*socketpair)(struct socket *a, struct socket *b);
	/* newsock is fresh (type and ops set); fill it in */
	int (*accept)(struct socket *sock, struct socket *newsock,
		      bool nonblock);
	/* the address length, or -errno */
	int (*getname)(struct socket *sock, struct sockaddr_kern *addr,
		       bool peer);
	unsigned int (*poll)(struct socket *sock, struct file *f,
			     struct poll_table *pt);
	long (*ioctl)(struct socket *sock, unsigned int cmd, unsigned long arg);
	int (*listen)(struct socket *sock, int backlog);
	int (*shutdown)(struct socket *sock, int how);
	/* options of levels other than SOL_SOCKET (NULL: -EOPNOTSUPP) */
	int (*setsockopt)(struct socket *sock, int level, int name,
			  uaddr_t val, unsigned int len);
	int (*getsockopt)(struct socket *sock, int level, int name,
			  uaddr_t val, int *len);
	/* SOL_SOCKET options the family answers itself (-ENOPROTOOPT: not) */
	int (*sol_getsockopt)(struct socket *sock, int name, void *val,
			      int *len);
	/* SO_PASSCRED and buffer sizes changed: a chance to react */
	void (*opts_changed)(struct socket *sock);
	ssize_t (*sendmsg)(struct socket *sock, struct kmsghdr *m, size_t len);
	ssize_t (*recvmsg)(struct socket *sock, struct kmsghdr *m, size_t len);
};

struct net_proto_family {
	int family;
	/* sock->type is checked against SOCK_MAX; set ops and sk */
	int (*create)(struct socket *sock, int protocol);
};

int sock_register(const struct net_proto_family *fam);
/* The socket of a file, or NULL if it is not one. */
struct socket *sock_from_file(struct file *f);
/* current's deadline for a blocking call, from a socket timeout (0: none). */
u64 sock_deadline(u64 timeo);
/* The errno of an interrupted wait: restart unless a timeout is set. */
int sock_intr_errno(u64 timeo);
/* The socket behind fd, its file counted in *fp; NULL and *err if none. */
struct socket *sockfd_lookup(int fd, struct file **fp, int *err);

/* /proc/net/unix: calls emit for each piece of text (0 or -errno). */
int unix_proc_show(int (*emit)(void *ctx, const char *s, size_t len),
		   void *ctx);

#endif
