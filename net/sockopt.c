// SPDX-License-Identifier: GPL-2.0
/*
 * setsockopt and getsockopt: the SOL_SOCKET options every family shares
 * are kept in struct socket; a family answers its own through proto_ops.
 */
#include "kern/net.h"
#include "kern/vfs.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/time.h"

struct klinger {
	int l_onoff;
	int l_linger;
};

static int set_timeout(u64 *t, uaddr_t val, unsigned int len)
{
	struct ktimeval tv;

	if (len < sizeof(tv))
		return -EINVAL;
	if (copy_from_user(&tv, val, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0) {
		*t = 0;
		return 0;
	}
	if (!tv.tv_sec && !tv.tv_usec) {
		*t = SOCK_TIMEO_INF;
		return 0;
	}
	if ((u64)tv.tv_sec > 100000000000ULL) {
		*t = SOCK_TIMEO_INF;
		return 0;
	}
	*t = (u64)tv.tv_sec * 1000000000ULL + (u64)tv.tv_usec * 1000ULL;
	return 0;
}

static void get_timeout(u64 t, struct ktimeval *tv)
{
	if (t == SOCK_TIMEO_INF) {
		tv->tv_sec = 0;
		tv->tv_usec = 0;
		return;
	}
	tv->tv_sec = (s64)(t / 1000000000ULL);
	tv->tv_usec = (s64)(t % 1000000000ULL / 1000ULL);
}

static void set_opt(struct socket *s, unsigned int opt, int on)
{
	if (on)
		s->opts |= opt;
	else
		s->opts &= ~opt;
}

/*
 * SO_SNDBUF/SO_RCVBUF: doubled (for bookkeeping overhead, as Linux does)
 * within the sysctl maximum; the FORCE variants, for the privileged, go
 * past it. Returns the size or -EPERM.
 */
static int buf_size(bool force, int v, int maxv, int minv)
{
	if (force) {
		if (!capable(CAP_NET_ADMIN))
			return -EPERM;
		v = min(max(v, 0), 0x7fffffff / 2);
	} else {
		v = (int)min_t(unsigned int, (unsigned int)v,
			       (unsigned int)maxv);
	}
	return max(v * 2, minv);
}

static int sol_setsockopt(struct socket *s, int name, uaddr_t val,
			  unsigned int len)
{
	struct klinger l;
	int v = 0, r;

	if (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW)
		return set_timeout(&s->rcvtimeo, val, len);
	if (name == SO_SNDTIMEO_OLD || name == SO_SNDTIMEO_NEW)
		return set_timeout(&s->sndtimeo, val, len);
	if (name == SO_LINGER) {
		if (len < sizeof(l))
			return -EINVAL;
		if (copy_from_user(&l, val, sizeof(l)))
			return -EFAULT;
		set_opt(s, SOCK_OPT_LINGER, l.l_onoff);
		s->linger = l.l_linger < 0 ? 0 : l.l_linger;
		return 0;
	}
	if (len < sizeof(int))
		return -EINVAL;
	if (get_user(v, val))
		return -EFAULT;
	switch (name) {
	case SO_DEBUG:
		if (v && !capable(CAP_NET_ADMIN))
			return -EACCES;
		set_opt(s, SOCK_OPT_DEBUG, v);
		return 0;
	case SO_REUSEADDR:
		set_opt(s, SOCK_OPT_REUSEADDR, v);
		return 0;
	case SO_REUSEPORT:
		set_opt(s, SOCK_OPT_REUSEPORT, v);
		return 0;
	case SO_KEEPALIVE:
		set_opt(s, SOCK_OPT_KEEPALIVE, v);
		return 0;
	case SO_BROADCAST:
		set_opt(s, SOCK_OPT_BROADCAST, v);
		return 0;
	case SO_OOBINLINE:
		set_opt(s, SOCK_OPT_OOBINLINE, v);
		return 0;
	case SO_DONTROUTE:
		set_opt(s, SOCK_OPT_DONTROUTE, v);
		return 0;
	case SO_PASSCRED:
		set_opt(s, SOCK_OPT_PASSCRED, v);
		break;
	case SO_SNDBUFFORCE:
	case SO_SNDBUF:
		r = buf_size(name == SO_SNDBUFFORCE, v, SK_WMEM_MAX,
			     SOCK_MIN_SNDBUF);
		if (r < 0)
			return r;
		s->sndbuf = r;
		break;
	case SO_RCVBUFFORCE:
	case SO_RCVBUF:
		r = buf_size(name == SO_RCVBUFFORCE, v, SK_RMEM_MAX,
			     SOCK_MIN_RCVBUF);
		if (r < 0)
			return r;
		s->rcvbuf = r;
		break;
	case SO_RCVLOWAT:
		s->rcvlowat = v < 0 ? 0x7fffffff : (v ? v : 1);
		return 0;
	case SO_PRIORITY:
		if ((v < 0 || v > 6) && !capable(CAP_NET_ADMIN))
			return -EPERM;
		s->priority = v;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
	if (s->ops->opts_changed)
		s->ops->opts_changed(s);
	return 0;
}

SYSCALL_DEFINE5(setsockopt, int, fd, int, level, int, name, uaddr_t, val,
		int, len)
{
	struct socket *s;
	struct file *f;
	int r;

	if (len < 0)
		return -EINVAL;
	s = sockfd_lookup(fd, &f, &r);
	if (!s)
		return r;
	if (level == SOL_SOCKET)
		r = sol_setsockopt(s, name, val, (unsigned int)len);
	else
		r = s->ops->setsockopt ?
			s->ops->setsockopt(s, level, name, val,
					   (unsigned int)len) :
			-EOPNOTSUPP;
	fput(f);
	return r;
}

static int sol_getsockopt(struct socket *s, int name, void *buf, int *lv)
{
	int *v = buf;

	*lv = sizeof(int);
	switch (name) {
	case SO_TYPE:
		*v = s->type;
		return 0;
	case SO_DOMAIN:
		*v = s->family;
		return 0;
	case SO_PROTOCOL:
		*v = s->protocol;
		return 0;
	case SO_DEBUG:
		*v = !!(s->opts & SOCK_OPT_DEBUG);
		return 0;
	case SO_REUSEADDR:
		*v = !!(s->opts & SOCK_OPT_REUSEADDR);
		return 0;
	case SO_REUSEPORT:
		*v = !!(s->opts & SOCK_OPT_REUSEPORT);
		return 0;
	case SO_KEEPALIVE:
		*v = !!(s->opts & SOCK_OPT_KEEPALIVE);
		return 0;
	case SO_BROADCAST:
		*v = !!(s->opts & SOCK_OPT_BROADCAST);
		return 0;
	case SO_OOBINLINE:
		*v = !!(s->opts & SOCK_OPT_OOBINLINE);
		return 0;
	case SO_DONTROUTE:
		*v = !!(s->opts & SOCK_OPT_DONTROUTE);
		return 0;
	case SO_PASSCRED:
		*v = !!(s->opts & SOCK_OPT_PASSCRED);
		return 0;
	case SO_SNDBUF:
		*v = s->sndbuf;
		return 0;
	case SO_RCVBUF:
		*v = s->rcvbuf;
		return 0;
	case SO_RCVLOWAT:
		*v = s->rcvlowat;
		return 0;
	case SO_SNDLOWAT:
		*v = 1;
		return 0;
	case SO_PRIORITY:
		*v = s->priority;
		return 0;
	case SO_LINGER: {
		struct klinger *l = buf;

		l->l_onoff = !!(s->opts & SOCK_OPT_LINGER);
		l->l_linger = s->linger;
		*lv = sizeof(*l);
		return 0;
	}
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
		get_timeout(s->rcvtimeo, buf);
		*lv = sizeof(struct ktimeval);
		return 0;
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		get_timeout(s->sndtimeo, buf);
		*lv = sizeof(struct ktimeval);
		return 0;
	}
	if (s->ops->sol_getsockopt)
		return s->ops->sol_getsockopt(s, name, buf, lv);
	return -ENOPROTOOPT;
}

SYSCALL_DEFINE5(getsockopt, int, fd, int, level, int, name, uaddr_t, val,
		uaddr_t, ulen)
{
	union {
		int i;
		struct ktimeval tv;
		struct klinger l;
		char raw[64];
	} u;
	struct socket *s;
	struct file *f;
	int r, len, lv;

	s = sockfd_lookup(fd, &f, &r);
	if (!s)
		return r;
	r = -EFAULT;
	if (get_user(len, ulen))
		goto out;
	r = -EINVAL;
	if (len < 0)
		goto out;
	if (level != SOL_SOCKET) {
		r = s->ops->getsockopt ?
			s->ops->getsockopt(s, level, name, val, &len) :
			-EOPNOTSUPP;
		if (!r && put_user(len, ulen))
			r = -EFAULT;
		goto out;
	}
	memset(&u, 0, sizeof(u));
	r = sol_getsockopt(s, name, &u, &lv);
	if (r)
		goto out;
	if (len > lv)
		len = lv;
	r = -EFAULT;
	if (copy_to_user(val, &u, (size_t)len) || put_user(len, ulen))
		goto out;
	r = 0;
out:
	fput(f);
	return r;
}
