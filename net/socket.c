// SPDX-License-Identifier: GPL-2.0
/*
 * The socket system calls. Sockets are files on sockfs (an internal
 * mount, like pipefs), so fstat says S_IFSOCK and /proc/PID/fd says
 * socket:[ino]. This layer checks and copies everything the guest passes
 * (addresses, msghdr, iovecs, control messages, option values) and gives
 * the family kernel copies through its proto_ops; families register with
 * sock_register(). Families without an implementation answer
 * -EAFNOSUPPORT, as a kernel built without them does.
 */
#include "kern/net.h"
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/signal.h"
#include "kern/time.h"
#include "kern/init.h"

#define SOCKFS_MAGIC	0x534F434B
#define OPTMEM_MAX	131072		/* net.core.optmem_max */

static const struct net_proto_family *families[NPROTO];
static struct vfsmount *sock_mnt;

int sock_register(const struct net_proto_family *fam)
{
	if (fam->family < 0 || fam->family >= NPROTO)
		return -EINVAL;
	if (families[fam->family])
		return -EEXIST;
	families[fam->family] = fam;
	return 0;
}

u64 sock_deadline(u64 timeo)
{
	if (timeo == SOCK_TIMEO_INF)
		return 0;
	return ktime_get_ns() + (timeo ? timeo : 1);
}

int sock_intr_errno(u64 timeo)
{
	return timeo == SOCK_TIMEO_INF ? -ERESTARTSYS : -EINTR;
}

/* --- iterators over guest buffers ------------------------------------- */

void iter_init_user(struct msg_iter *it, const struct kiovec *iov,
		    unsigned long nr, size_t total)
{
	memset(it, 0, sizeof(*it));
	it->iov = iov;
	it->nr = nr;
	it->count = total;
}

void iter_init_kernel(struct msg_iter *it, void *buf, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->kbuf = buf;
	it->count = len;
}

static int iter_copy(struct msg_iter *it, void *kmem, size_t n, bool to_iter)
{
	char *k = kmem;

	if (n > it->count)
		return -EFAULT;
	if (it->kbuf) {
		if (to_iter)
			memcpy(it->kbuf, k, n);
		else
			memcpy(k, it->kbuf, n);
		it->kbuf += n;
		it->count -= n;
		return 0;
	}
	while (n) {
		const struct kiovec *v;
		size_t chunk;
		int r;

		while (it->idx < it->nr && it->off >= it->iov[it->idx].len) {
			it->idx++;
			it->off = 0;
		}
		if (it->idx >= it->nr)
			return -EFAULT;
		v = &it->iov[it->idx];
		chunk = min(n, (size_t)(v->len - it->off));
		if (to_iter)
			r = copy_to_user(v->base + it->off, k, chunk);
		else
			r = copy_from_user(k, v->base + it->off, chunk);
		if (r)
			return -EFAULT;
		it->off += chunk;
		it->count -= chunk;
		k += chunk;
		n -= chunk;
	}
	return 0;
}

int iter_copy_from(void *dst, struct msg_iter *it, size_t n)
{
	return iter_copy(it, dst, n, false);
}

int iter_copy_to(struct msg_iter *it, const void *src, size_t n)
{
	return iter_copy(it, (void *)src, n, true);
}

/* --- sockfs and socket files ------------------------------------------ */

static struct socket *sock_alloc(void)
{
	struct socket *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->state = SS_UNCONNECTED;
	s->sndbuf = SK_WMEM_DEFAULT;
	s->rcvbuf = SK_RMEM_DEFAULT;
	s->rcvtimeo = SOCK_TIMEO_INF;
	s->sndtimeo = SOCK_TIMEO_INF;
	s->rcvlowat = 1;
	return s;
}

static void sock_release(struct socket *s)
{
	if (s->ops && s->ops->release)
		s->ops->release(s);
	kfree(s);
}

static ssize_t sock_xfer(struct file *f, struct msg_iter *it, bool send)
{
	struct socket *s = sock_from_file(f);
	struct kmsghdr m;
	struct scm_cookie scm;
	ssize_t r;

	memset(&m, 0, sizeof(m));
	m.iter = *it;
	if (f->c.f_flags & O_NONBLOCK)
		m.flags |= MSG_DONTWAIT;
	if (send) {
		r = scm_send(s, NULL, 0, &scm);
		if (r)
			return r;
		m.scm = &scm;
		r = s->ops->sendmsg(s, &m, it->count);
		scm_destroy(&scm);
		return r;
	}
	return s->ops->recvmsg(s, &m, it->count);
}

static ssize_t sock_read(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	struct kiovec v = { buf, len };
	struct msg_iter it;

	iter_init_user(&it, &v, 1, len);
	return sock_xfer(f, &it, false);
}

static ssize_t sock_write(struct file *f, uaddr_t buf, size_t len,
			  loff_t *pos)
{
	struct kiovec v = { buf, len };
	struct msg_iter it;

	iter_init_user(&it, &v, 1, len);
	return sock_xfer(f, &it, true);
}

static ssize_t sock_read_iter(struct file *f, const struct kiovec *v,
			      unsigned long nr, size_t total)
{
	struct msg_iter it;

	iter_init_user(&it, v, nr, total);
	return sock_xfer(f, &it, false);
}

static ssize_t sock_write_iter(struct file *f, const struct kiovec *v,
			       unsigned long nr, size_t total)
{
	struct msg_iter it;

	iter_init_user(&it, v, nr, total);
	return sock_xfer(f, &it, true);
}

static ssize_t sock_read_kernel(struct file *f, void *buf, size_t len,
				loff_t *pos)
{
	struct msg_iter it;

	iter_init_kernel(&it, buf, len);
	return sock_xfer(f, &it, false);
}

static ssize_t sock_write_kernel(struct file *f, const void *buf, size_t len,
				 loff_t *pos)
{
	struct msg_iter it;

	iter_init_kernel(&it, (void *)buf, len);
	return sock_xfer(f, &it, true);
}

static unsigned int sock_poll(struct file *f, struct poll_table *pt)
{
	struct socket *s = sock_from_file(f);

	return s->ops->poll ? s->ops->poll(s, f, pt) : 0;
}

static long sock_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct socket *s = sock_from_file(f);
	long r = -ENOTTY;

	if (s->ops->ioctl)
		r = s->ops->ioctl(s, cmd, arg);
	return r == -ENOIOCTLCMD ? -ENOTTY : r;
}

static void sock_close(struct inode *inode, struct file *f)
{
	struct socket *s = f->c.private_data;

	if (s)
		sock_release(s);
	f->c.private_data = NULL;
}

/* Opening a socket's name in a filesystem is not a way in (ENXIO). */
static int sock_no_open(struct inode *inode, struct file *f)
{
	return -ENXIO;
}

const struct file_operations bad_sock_fops = {
	.open = sock_no_open,
};

static const struct file_operations socket_file_ops = {
	.read = sock_read,
	.write = sock_write,
	.read_iter = sock_read_iter,
	.write_iter = sock_write_iter,
	.read_kernel = sock_read_kernel,
	.write_kernel = sock_write_kernel,
	.llseek = no_llseek,
	.poll = sock_poll,
	.ioctl = sock_ioctl,
	.release = sock_close,
};

struct socket *sock_from_file(struct file *f)
{
	if (!f || f->c.f_op != &socket_file_ops)
		return NULL;
	return f->c.private_data;
}

static struct super_block *sockfs_mount(struct file_system_type *type,
					int flags, const char *dev,
					const void *data)
{
	return pseudo_fs_mount(type, flags, SOCKFS_MAGIC);
}

/* Not registered: sockfs cannot be mounted from user space. */
static struct file_system_type sockfs_type = {
	.name = "sockfs",
	.mount = sockfs_mount,
};

static int sock_init(void)
{
	struct vfsmount *m = vfs_kern_mount(&sockfs_type, MS_KERNMOUNT,
					    "sockfs", NULL);

	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	sock_mnt = m;
	return 0;
}
core_initcall(sock_init);

/* The file of a socket (which then owns it); on failure s is released. */
static struct file *sock_alloc_file(struct socket *s, int flags)
{
	struct inode *inode = new_inode(sock_mnt->mnt_sb);
	struct path path;
	struct file *f;

	if (!inode) {
		sock_release(s);
		return ERR_PTR(-ENFILE);
	}
	inode->i_mode = S_IFSOCK | 0777;
	inode->i_uid = current_fsuid();
	inode->i_gid = current_fsgid();
	inode->i_fop = &socket_file_ops;
	s->ino = inode->i_ino;
	path.mnt = sock_mnt;
	path.dentry = d_alloc_root(inode);
	if (!path.dentry) {
		iput(inode);
		sock_release(s);
		return ERR_PTR(-ENFILE);
	}
	f = alloc_file(&path, O_RDWR | (flags & O_NONBLOCK), &socket_file_ops);
	dput(path.dentry);
	if (!f) {
		sock_release(s);
		return ERR_PTR(-ENFILE);
	}
	f->f_mode &= ~FMODE_LSEEK;
	f->c.private_data = s;
	s->file = f;
	return f;
}

static int sock_create(int family, int type, int protocol, struct socket **res)
{
	const struct net_proto_family *fam;
	struct socket *s;
	int r;

	if (family < 0 || family >= NPROTO)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	fam = families[family];
	if (!fam)
		return -EAFNOSUPPORT;
	s = sock_alloc();
	if (!s)
		return -ENOMEM;
	s->type = type;
	s->family = family;
	s->protocol = protocol;
	r = fam->create(s, protocol);
	if (r) {
		s->ops = NULL;
		kfree(s);
		return r;
	}
	*res = s;
	return 0;
}

static int sock_map_fd(struct socket *s, int flags)
{
	struct file *f = sock_alloc_file(s, flags);
	int fd;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	fd = fd_install_cur(f, flags);
	if (fd < 0)
		fput(f);
	return fd;
}

struct socket *sockfd_lookup(int fd, struct file **fp, int *err)
{
	struct file *f = fdget(fd);
	struct socket *s;

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	s = sock_from_file(f);
	if (!s) {
		fput(f);
		*err = -ENOTSOCK;
		return NULL;
	}
	*fp = f;
	return s;
}

static int move_addr_to_kernel(uaddr_t uaddr, int ulen,
			       struct sockaddr_kern *k)
{
	if (ulen < 0 || ulen > (int)sizeof(*k))
		return -EINVAL;
	memset(k, 0, sizeof(*k));
	if (!ulen)
		return 0;
	if (copy_from_user(k, uaddr, (size_t)ulen))
		return -EFAULT;
	return 0;
}

static int move_addr_to_user(const struct sockaddr_kern *k, int klen,
			     uaddr_t uaddr, uaddr_t ulenp)
{
	int len;

	if (get_user(len, ulenp))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (len > klen)
		len = klen;
	if (len && copy_to_user(uaddr, k, (size_t)len))
		return -EFAULT;
	return put_user(klen, ulenp) ? -EFAULT : 0;
}

/* --- the system calls ------------------------------------------------- */

/*
 * syscall-note(socket): AF_UNIX only; AF_INET, AF_INET6, AF_NETLINK and the rest: EAFNOSUPPORT
 * syscall-note(socketpair): AF_UNIX only (other families: EAFNOSUPPORT)
 * syscall-note(sendmsg): no MSG_OOB on unix sockets (EOPNOTSUPP)
 * syscall-note(recvmsg): no MSG_OOB on unix sockets (EOPNOTSUPP)
 * syscall-note(sendto): no MSG_OOB on unix sockets (EOPNOTSUPP)
 * syscall-note(recvfrom): no MSG_OOB on unix sockets (EOPNOTSUPP)
 */

SYSCALL_DEFINE3(socket, int, family, int, type, int, protocol)
{
	int flags = type & ~SOCK_TYPE_MASK;
	struct socket *s;
	int r;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	r = sock_create(family, type & SOCK_TYPE_MASK, protocol, &s);
	if (r)
		return r;
	return sock_map_fd(s, flags);
}

SYSCALL_DEFINE4(socketpair, int, family, int, type, int, protocol,
		uaddr_t, usv)
{
	int flags = type & ~SOCK_TYPE_MASK;
	struct socket *a, *b;
	struct file *fa, *fb;
	int fd[2], r;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	r = sock_create(family, type & SOCK_TYPE_MASK, protocol, &a);
	if (r)
		return r;
	r = sock_create(family, type & SOCK_TYPE_MASK, protocol, &b);
	if (r) {
		sock_release(a);
		return r;
	}
	if (!a->ops->socketpair) {
		sock_release(a);
		sock_release(b);
		return -EOPNOTSUPP;
	}
	r = a->ops->socketpair(a, b);
	if (r) {
		sock_release(a);
		sock_release(b);
		return r;
	}
	fa = sock_alloc_file(a, flags);
	if (IS_ERR(fa)) {
		sock_release(b);
		return (int)PTR_ERR(fa);
	}
	fb = sock_alloc_file(b, flags);
	if (IS_ERR(fb)) {
		fput(fa);
		return (int)PTR_ERR(fb);
	}
	fd[0] = fd_install_cur(fa, flags);
	if (fd[0] < 0) {
		fput(fa);
		fput(fb);
		return fd[0];
	}
	fd[1] = fd_install_cur(fb, flags);
	if (fd[1] < 0) {
		close_fd(fd[0]);
		fput(fb);
		return fd[1];
	}
	if (copy_to_user(usv, fd, sizeof(fd))) {
		close_fd(fd[0]);
		close_fd(fd[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE3(bind, int, fd, uaddr_t, uaddr, int, addrlen)
{
	struct sockaddr_kern a;
	struct socket *s;
	struct file *f;
	int r;

	s = sockfd_lookup(fd, &f, &r);
	if (!s)
		return r;
	r = move_addr_to_kernel(uaddr, addrlen, &a);
	if (!r)
		r = s->ops->bind ? s->ops->bind(s, &a, addrlen) : -EOPNOTSUPP;
	fput(f);
	return r;
}

SYSCALL_DEFINE3(connect, int, fd, uaddr_t, uaddr, int, addrlen)
{
	struct sockaddr_kern a;
	struct socket *s;
	struct file *f;
	int r;

	s = sockfd_lookup(fd, &f, &r);
	if (!s)
		return r;
	r = move_addr_to_kernel(uaddr, addrlen, &a);
	if (!r)
		r = s->ops->connect ?
			s->ops->connect(s, &a, addrlen,
					f->c.f_flags & O_NONBLOCK) :
			-EOPNOTSUPP;
	fput(f);
	return r;
}

SYSCALL_DEFINE2(listen, int, fd, int, backlog)
{
	struct socket *s;
	struct file *f;
	int r;

	s = sockfd_lookup(fd, &f, &r);
	if (!s)
		return r;
	if ((unsigned int)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	r = s->ops->listen ? s->ops->listen(s, backlog) : -EOPNOTSUPP;
	fput(f);
	return r;
}

static long do_accept4(int fd, uaddr_t uaddr, uaddr_t ulen, int flags)
{
	struct sockaddr_kern a;
	struct socket *s, *ns;
	struct file *f, *nf;
	int r, len, nfd;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	s = sockfd_lookup(fd, &f, &r);
	if (!s)
		return r;
	r = -EOPNOTSUPP;
	if (!s->ops->accept)
		goto out;
	/* no fd for the connection: fail before taking it off the queue */
	r = get_unused_fd(0, false);
	if (r < 0)
		goto out;
	r = -ENOMEM;
	ns = sock_alloc();
	if (!ns)
		goto out;
	ns->type = s->type;
	ns->family = s->family;
	ns->protocol = s->protocol;
	ns->ops = s->ops;
	nf = sock_alloc_file(ns, flags);
	if (IS_ERR(nf)) {
		r = (int)PTR_ERR(nf);
		goto out;
	}
	r = s->ops->accept(s, ns, f->c.f_flags & O_NONBLOCK);
	if (r) {
		ns->ops = NULL;
		fput(nf);
		goto out;
	}
	if (uaddr) {
		len = s->ops->getname(ns, &a, true);
		r = len < 0 ? len : move_addr_to_user(&a, len, uaddr, ulen);
		if (r) {
			fput(nf);
			goto out;
		}
	}
	nfd = fd_install_cur(nf, flags);
	if (nfd < 0)
		fput(nf);
	r = nfd;
out:
	fput(f);
	return r;
}

SYSCALL_DEFINE4(accept4, int, fd, uaddr_t, uaddr, uaddr_t, ulen, int, flags)
{
	return do_accept4(fd, uaddr, ulen, flags);
}

SYSCALL_DEFINE3(accept, int, fd, uaddr_t, uaddr, uaddr_t, ulen)
{
	return do_accept4(fd, uaddr, ulen, 0);
}

static long do_getname(int fd, uaddr_t uaddr, uaddr_t ulen, bool peer)
{
	struct sockaddr_kern a;
	struct socket *s;
	struct file *f;
	int r;

	s = sockfd_lookup(fd, &f, &r);
	if (!s)
		return r;
	memset(&a, 0, sizeof(a));
	r = s->ops->getname ? s->ops->getname(s, &a, peer) : -EOPNOTSUPP;
	if (r >= 0)
		r = move_addr_to_user(&a, r, uaddr, ulen);
	fput(f);
	return r;
}

SYSCALL_DEFINE3(getsockname, int, fd, uaddr_t, uaddr, uaddr_t, ulen)
{
	return do_getname(fd, uaddr, ulen, false);
}

SYSCALL_DEFINE3(getpeername, int, fd, uaddr_t, uaddr, uaddr_t, ulen)
{
	return do_getname(fd, uaddr, ulen, true);
}

SYSCALL_DEFINE2(shutdown, int, fd, int, how)
{
	struct socket *s;
	struct file *f;
	int r;

	s = sockfd_lookup(fd, &f, &r);
	if (!s)
		return r;
	r = s->ops->shutdown ? s->ops->shutdown(s, how) : -EOPNOTSUPP;
	fput(f);
	return r;
}

/* --- sending and receiving -------------------------------------------- */

struct kuser_msghdr {
	u64 msg_name;
	int msg_namelen;
	int __pad;
	u64 msg_iov;
	u64 msg_iovlen;
	u64 msg_control;
	u64 msg_controllen;
	unsigned int msg_flags;
	int __pad2;
};
_Static_assert(sizeof(struct kuser_msghdr) == 56, "x86-64 struct msghdr");

struct kmmsghdr {
	struct kuser_msghdr hdr;
	unsigned int msg_len;
	int __pad;
};

/*
 * One send: the target address, the data and the control messages of a
 * call, copied and checked.
 */
static ssize_t sock_sendmsg_common(struct socket *s, struct file *f,
				   struct kmsghdr *m, size_t len, uaddr_t uctl,
				   size_t ctllen)
{
	struct scm_cookie scm;
	char *ctl = NULL;
	ssize_t r;

	if (f->c.f_flags & O_NONBLOCK)
		m->flags |= MSG_DONTWAIT;
	if (ctllen > 0x7fffffff)
		return -ENOBUFS;
	if (ctllen) {
		if (ctllen > OPTMEM_MAX)
			return -ENOBUFS;
		ctl = kmalloc(ctllen);
		if (!ctl)
			return -ENOBUFS;
		if (copy_from_user(ctl, uctl, ctllen)) {
			kfree(ctl);
			return -EFAULT;
		}
	}
	r = scm_send(s, ctl, ctl ? ctllen : 0, &scm);
	kfree(ctl);
	if (r) {
		scm_destroy(&scm);
		return r;
	}
	m->scm = &scm;
	r = s->ops->sendmsg(s, m, len);
	scm_destroy(&scm);
	return r;
}

SYSCALL_DEFINE6(sendto, int, fd, uaddr_t, buf, size_t, len, unsigned int,
		flags, uaddr_t, uaddr, int, addrlen)
{
	struct sockaddr_kern a;
	struct kmsghdr m;
	struct kiovec v;
	struct socket *s;
	struct file *f;
	ssize_t r;

	s = sockfd_lookup(fd, &f, (int *)&r);
	if (!s)
		return (int)r;
	memset(&m, 0, sizeof(m));
	if (len > SOCK_MAX_RW)
		len = SOCK_MAX_RW;
	r = -EFAULT;
	if (!access_ok(buf, len))
		goto out;
	v.base = buf;
	v.len = len;
	iter_init_user(&m.iter, &v, 1, len);
	m.flags = flags;
	if (uaddr) {
		r = move_addr_to_kernel(uaddr, addrlen, &a);
		if (r)
			goto out;
		m.name = &a;
		m.namelen = addrlen;
	}
	r = sock_sendmsg_common(s, f, &m, len, 0, 0);
out:
	fput(f);
	return r;
}

SYSCALL_DEFINE6(recvfrom, int, fd, uaddr_t, buf, size_t, len, unsigned int,
		flags, uaddr_t, uaddr, uaddr_t, ulen)
{
	struct sockaddr_kern a;
	struct kmsghdr m;
	struct kiovec v;
	struct socket *s;
	struct file *f;
	ssize_t r;
	int e;

	s = sockfd_lookup(fd, &f, &e);
	if (!s)
		return e;
	memset(&m, 0, sizeof(m));
	memset(&a, 0, sizeof(a));
	if (len > SOCK_MAX_RW)
		len = SOCK_MAX_RW;
	r = -EFAULT;
	if (!access_ok(buf, len))
		goto out;
	v.base = buf;
	v.len = len;
	iter_init_user(&m.iter, &v, 1, len);
	m.flags = flags;
	if (f->c.f_flags & O_NONBLOCK)
		m.flags |= MSG_DONTWAIT;
	m.name = uaddr ? &a : NULL;
	r = s->ops->recvmsg(s, &m, len);
	if (r >= 0 && uaddr) {
		e = move_addr_to_user(&a, m.namelen, uaddr, ulen);
		if (e)
			r = e;
	}
out:
	fput(f);
	return r;
}

/* Copies in a guest msghdr and its iovec (*iov kmalloc'd). */
static int copy_msghdr(uaddr_t umsg, struct kuser_msghdr *h,
		       struct kiovec **iov, size_t *total)
{
	if (copy_from_user(h, umsg, sizeof(*h)))
		return -EFAULT;
	if (!h->msg_name)
		h->msg_namelen = 0;
	if (h->msg_namelen < 0)
		return -EINVAL;
	if (h->msg_namelen > (int)sizeof(struct sockaddr_kern))
		h->msg_namelen = sizeof(struct sockaddr_kern);
	if (h->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	return import_iovec(h->msg_iov, h->msg_iovlen, iov, total);
}

static ssize_t do_sendmsg(struct socket *s, struct file *f, uaddr_t umsg,
			  unsigned int flags)
{
	struct kuser_msghdr h;
	struct sockaddr_kern a;
	struct kmsghdr m;
	struct kiovec *iov = NULL;
	size_t total;
	ssize_t r;

	r = copy_msghdr(umsg, &h, &iov, &total);
	if (r)
		return r;
	memset(&m, 0, sizeof(m));
	iter_init_user(&m.iter, iov, h.msg_iovlen, total);
	m.flags = flags;
	if (h.msg_namelen) {
		r = move_addr_to_kernel(h.msg_name, h.msg_namelen, &a);
		if (r)
			goto out;
		m.name = &a;
		m.namelen = h.msg_namelen;
	}
	r = sock_sendmsg_common(s, f, &m, total, h.msg_control,
				h.msg_controllen);
out:
	kfree(iov);
	return r;
}

static ssize_t do_recvmsg(struct socket *s, struct file *f, uaddr_t umsg,
			  unsigned int flags)
{
	struct kuser_msghdr h;
	struct sockaddr_kern a;
	struct kmsghdr m;
	struct kiovec *iov = NULL;
	size_t total;
	ssize_t r;
	int e;

	r = copy_msghdr(umsg, &h, &iov, &total);
	if (r)
		return r;
	memset(&m, 0, sizeof(m));
	memset(&a, 0, sizeof(a));
	iter_init_user(&m.iter, iov, h.msg_iovlen, total);
	m.flags = flags;
	if (f->c.f_flags & O_NONBLOCK)
		m.flags |= MSG_DONTWAIT;
	m.name = h.msg_name ? &a : NULL;
	m.control = h.msg_control;
	m.controllen = h.msg_controllen;
	r = s->ops->recvmsg(s, &m, total);
	if (r < 0)
		goto out;
	e = 0;
	if (h.msg_name && m.namelen) {
		int len = min(m.namelen, h.msg_namelen);

		if (copy_to_user(h.msg_name, &a, (size_t)len))
			e = -EFAULT;
	}
	if (!e && h.msg_name &&
	    put_user(m.namelen, umsg + offsetof(struct kuser_msghdr,
						msg_namelen)))
		e = -EFAULT;
	if (!e && put_user(m.msg_flags & ~MSG_CMSG_CLOEXEC,
			   umsg + offsetof(struct kuser_msghdr, msg_flags)))
		e = -EFAULT;
	if (!e && put_user((u64)(h.msg_control ?
				 m.control - h.msg_control : 0),
			   umsg + offsetof(struct kuser_msghdr,
					   msg_controllen)))
		e = -EFAULT;
	if (e)
		r = e;
out:
	kfree(iov);
	return r;
}

SYSCALL_DEFINE3(sendmsg, int, fd, uaddr_t, umsg, unsigned int, flags)
{
	struct socket *s;
	struct file *f;
	ssize_t r;
	int e;

	s = sockfd_lookup(fd, &f, &e);
	if (!s)
		return e;
	r = do_sendmsg(s, f, umsg, flags & ~MSG_CMSG_COMPAT);
	fput(f);
	return r;
}

SYSCALL_DEFINE3(recvmsg, int, fd, uaddr_t, umsg, unsigned int, flags)
{
	struct socket *s;
	struct file *f;
	ssize_t r;
	int e;

	if (flags & MSG_CMSG_COMPAT)
		return -EINVAL;
	s = sockfd_lookup(fd, &f, &e);
	if (!s)
		return e;
	r = do_recvmsg(s, f, umsg, flags);
	fput(f);
	return r;
}

SYSCALL_DEFINE4(sendmmsg, int, fd, uaddr_t, mmsg, unsigned int, vlen,
		unsigned int, flags)
{
	struct socket *s;
	struct file *f;
	unsigned int i;
	ssize_t r = 0;
	int e;

	s = sockfd_lookup(fd, &f, &e);
	if (!s)
		return e;
	if (vlen > UIO_MAXIOV)
		vlen = UIO_MAXIOV;
	flags &= ~MSG_CMSG_COMPAT;
	for (i = 0; i < vlen; i++) {
		uaddr_t e_addr = mmsg + (uaddr_t)i * sizeof(struct kmmsghdr);

		r = do_sendmsg(s, f, e_addr, flags | MSG_BATCH);
		if (r < 0)
			break;
		if (put_user((unsigned int)r,
			     e_addr + offsetof(struct kmmsghdr, msg_len))) {
			r = -EFAULT;
			break;
		}
	}
	fput(f);
	return i ? (long)i : r;
}

struct ktimespec64 {
	s64 tv_sec;
	long tv_nsec;
};

SYSCALL_DEFINE5(recvmmsg, int, fd, uaddr_t, mmsg, unsigned int, vlen,
		unsigned int, flags, uaddr_t, utimeout)
{
	struct ktimespec64 ts;
	u64 deadline = 0, now;
	struct socket *s;
	struct file *f;
	unsigned int i;
	ssize_t r = 0;
	int e;

	if (flags & MSG_CMSG_COMPAT)
		return -EINVAL;
	if (utimeout) {
		if (copy_from_user(&ts, utimeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
		    ts.tv_nsec >= 1000000000L)
			return -EINVAL;
		deadline = ktime_get_ns() + (u64)ts.tv_sec * 1000000000ULL +
			   (u64)ts.tv_nsec;
	}
	s = sockfd_lookup(fd, &f, &e);
	if (!s)
		return e;
	if (vlen > UIO_MAXIOV)
		vlen = UIO_MAXIOV;
	for (i = 0; i < vlen; i++) {
		uaddr_t e_addr = mmsg + (uaddr_t)i * sizeof(struct kmmsghdr);

		r = do_recvmsg(s, f, e_addr, flags);
		if (r < 0)
			break;
		if (put_user((unsigned int)r,
			     e_addr + offsetof(struct kmmsghdr, msg_len))) {
			r = -EFAULT;
			break;
		}
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		/* as in Linux, the timeout is looked at between messages */
		if (utimeout && ktime_get_ns() >= deadline) {
			i++;
			break;
		}
	}
	if (utimeout) {
		now = ktime_get_ns();
		if (now >= deadline) {
			ts.tv_sec = 0;
			ts.tv_nsec = 0;
		} else {
			ts.tv_sec = (s64)((deadline - now) / 1000000000ULL);
			ts.tv_nsec = (long)((deadline - now) % 1000000000ULL);
		}
		if (copy_to_user(utimeout, &ts, sizeof(ts)) && !i)
			r = -EFAULT;
	}
	fput(f);
	if (i)
		return i;
	/* nothing received: a non-blocking empty queue is -EAGAIN */
	return r;
}
