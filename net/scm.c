// SPDX-License-Identifier: GPL-2.0
/*
 * Control messages (cmsg): parsing a sendmsg's SCM_RIGHTS and
 * SCM_CREDENTIALS into a checked scm_cookie, and writing received ones
 * into the guest's control buffer with Linux's truncation rules.
 */
#include "kern/net.h"
#include "kern/vfs.h"
#include "kern/uaccess.h"

struct kcmsghdr {
	u64 cmsg_len;
	int cmsg_level;
	int cmsg_type;
};

#define CMSG_ALIGN8(n)	(((n) + 7) & ~(size_t)7)
#define KCMSG_LEN(n)	(sizeof(struct kcmsghdr) + (n))
#define KCMSG_SPACE(n)	(sizeof(struct kcmsghdr) + CMSG_ALIGN8(n))

int put_cmsg(struct kmsghdr *m, int level, int type, size_t len,
	     const void *data)
{
	struct kcmsghdr h;
	size_t cmlen = KCMSG_LEN(len), adv;

	if (!m->control || m->controllen < sizeof(h)) {
		m->msg_flags |= MSG_CTRUNC;
		return 0;
	}
	if (m->controllen < cmlen) {
		m->msg_flags |= MSG_CTRUNC;
		cmlen = m->controllen;
	}
	h.cmsg_len = cmlen;
	h.cmsg_level = level;
	h.cmsg_type = type;
	if (copy_to_user(m->control, &h, sizeof(h)) ||
	    copy_to_user(m->control + sizeof(h), data, cmlen - sizeof(h)))
		return -EFAULT;
	adv = min(KCMSG_SPACE(len), m->controllen);
	m->control += adv;
	m->controllen -= adv;
	return 0;
}

void scm_fp_free(struct scm_fp *fp)
{
	if (!fp)
		return;
	for (int i = 0; i < fp->count; i++)
		fput(fp->files[i]);
	kfree(fp);
}

struct scm_fp *scm_fp_dup(const struct scm_fp *fp)
{
	struct scm_fp *n = kmalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->count = fp->count;
	n->user = fp->user;
	for (int i = 0; i < fp->count; i++)
		n->files[i] = get_file(fp->files[i]);
	return n;
}

/*
 * As many fds as the buffer holds become the receiver's; the others are
 * dropped and MSG_CTRUNC says so.
 */
void scm_detach_fds(struct kmsghdr *m, struct scm_fp *fp)
{
	int room = 0, i, fd;
	uaddr_t data = m->control + sizeof(struct kcmsghdr);
	struct kcmsghdr h;
	size_t adv;

	if (m->control && m->controllen > sizeof(h))
		room = (int)((m->controllen - sizeof(h)) / sizeof(int));
	if (room > fp->count)
		room = fp->count;
	for (i = 0; i < room; i++) {
		fd = fd_install_cur(get_file(fp->files[i]),
				    (m->flags & MSG_CMSG_CLOEXEC) ? O_CLOEXEC : 0);
		if (fd < 0) {
			fput(fp->files[i]);
			break;
		}
		if (put_user(fd, data + (uaddr_t)i * sizeof(int))) {
			close_fd(fd);
			break;
		}
	}
	if (i > 0) {
		h.cmsg_len = KCMSG_LEN((size_t)i * sizeof(int));
		h.cmsg_level = SOL_SOCKET;
		h.cmsg_type = SCM_RIGHTS;
		if (!copy_to_user(m->control, &h, sizeof(h))) {
			adv = min(KCMSG_SPACE((size_t)i * sizeof(int)),
				  m->controllen);
			m->control += adv;
			m->controllen -= adv;
		}
	}
	if (i < fp->count)
		m->msg_flags |= MSG_CTRUNC;
	scm_fp_free(fp);
}

/*
 * SCM_CREDENTIALS: a process may claim only its own ids unless it holds
 * the capability that would let it take the others.
 */
static int scm_check_creds(const struct scm_creds *c)
{
	const struct cred *cr = current->cred;

	if (c->uid == (uid_t)-1 || c->gid == (gid_t)-1)
		return -EINVAL;
	if (c->pid != current->tgid && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (c->uid != cr->uid && c->uid != cr->euid && c->uid != cr->suid &&
	    !capable(CAP_SETUID))
		return -EPERM;
	if (c->gid != cr->gid && c->gid != cr->egid && c->gid != cr->sgid &&
	    !capable(CAP_SETGID))
		return -EPERM;
	return 0;
}

void scm_destroy(struct scm_cookie *scm)
{
	scm_fp_free(scm->fp);
	scm->fp = NULL;
}

/* Parses a sendmsg's control buffer (already copied in) into scm. */
int scm_send(struct socket *sock, const char *ctl, size_t len,
		    struct scm_cookie *scm)
{
	size_t off = 0;

	scm->creds.pid = current->tgid;
	scm->creds.uid = current->cred->uid;
	scm->creds.gid = current->cred->gid;
	scm->fp = NULL;
	while (len - off >= sizeof(struct kcmsghdr)) {
		struct kcmsghdr h;
		const char *data;
		size_t dlen;
		int r;

		memcpy(&h, ctl + off, sizeof(h));
		if (h.cmsg_len < sizeof(h) || h.cmsg_len > len - off)
			return -EINVAL;
		data = ctl + off + sizeof(h);
		dlen = h.cmsg_len - sizeof(h);
		if (h.cmsg_level != SOL_SOCKET)
			goto next;
		if (sock->family != AF_UNIX)
			return -EINVAL;
		switch (h.cmsg_type) {
		case SCM_RIGHTS: {
			int n = (int)(dlen / sizeof(int)), fd;

			if (!n)
				break;
			if (!scm->fp) {
				scm->fp = kzalloc(sizeof(*scm->fp));
				if (!scm->fp)
					return -ENOMEM;
			}
			if (n > SCM_MAX_FD || scm->fp->count + n > SCM_MAX_FD)
				return -EINVAL;
			for (int i = 0; i < n; i++) {
				struct file *f;

				memcpy(&fd, data + (size_t)i * sizeof(int),
				       sizeof(int));
				f = fdget(fd);
				if (!f)
					return -EBADF;
				scm->fp->files[scm->fp->count++] = f;
			}
			break;
		}
		case SCM_CREDENTIALS: {
			struct scm_creds c;

			if (h.cmsg_len != KCMSG_LEN(sizeof(c)))
				return -EINVAL;
			memcpy(&c, data, sizeof(c));
			r = scm_check_creds(&c);
			if (r)
				return r;
			if (!find_task(c.pid))
				return -ESRCH;
			scm->creds = c;
			break;
		}
		default:
			return -EINVAL;
		}
next:
		/* the next header must fit whole, as CMSG_NXTHDR says */
		if (CMSG_ALIGN8(h.cmsg_len) + sizeof(h) > len - off)
			break;
		off += CMSG_ALIGN8(h.cmsg_len);
	}
	return 0;
}

