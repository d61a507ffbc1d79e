// SPDX-License-Identifier: GPL-2.0
/*
 * System V IPC: ids, keys, permissions and the limits of
 * /proc/sys/kernel (see util.h).
 */
#include "util.h"
#include "kern/mm.h"

struct ipc_limits ipc_limits = {
	.shmmax = ~0ULL - (1ULL << 24),
	.shmall = ~0ULL - (1ULL << 24),
	.shmmni = 4096,
	.semmsl = 32000, .semmns = 1024000000, .semopm = 500, .semmni = 32000,
	.msgmax = 8192, .msgmnb = 16384, .msgmni = 32000,
};

static u64 ipc_bytes;

static u64 bytes_to_pages(u64 b)
{
	return PAGE_ALIGN(b) >> PAGE_SHIFT;
}

int ipc_charge(size_t bytes)
{
	u64 old = bytes_to_pages(ipc_bytes);
	u64 new = bytes_to_pages(ipc_bytes + bytes);

	if (new > old && vm_commit(new - old))
		return -ENOMEM;
	ipc_bytes += bytes;
	return 0;
}

void ipc_uncharge(size_t bytes)
{
	u64 old = bytes_to_pages(ipc_bytes);

	ipc_bytes -= bytes;
	if (old > bytes_to_pages(ipc_bytes))
		vm_uncommit(old - bytes_to_pages(ipc_bytes));
}

s64 ipc_now(void)
{
	return (s64)(os_clock_ns(OS_CLOCK_REALTIME) / 1000000000ULL);
}

int ipcperms(struct kern_ipc_perm *p, int flag)
{
	const struct cred *c = current->cred;
	int requested = (flag >> 6 | flag >> 3 | flag) & 7;
	int granted = (int)p->mode;

	if (c->euid == p->cuid || c->euid == p->uid)
		granted >>= 6;
	else if (in_group_p(p->cgid) || in_group_p(p->gid))
		granted >>= 3;
	if ((requested & ~granted & 7) && !capable(CAP_IPC_OWNER))
		return -EACCES;
	return 0;
}

int ipc_owner_check(struct kern_ipc_perm *p)
{
	uid_t euid = current->cred->euid;

	if (euid == p->cuid || euid == p->uid || capable(CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

struct kern_ipc_perm *ipc_find_key(struct ipc_ids *ids, int key)
{
	for (int i = 0; i <= ids->max_idx; i++) {
		struct kern_ipc_perm *p = ids->entries[i];

		if (p && p->key == key && key != IPC_PRIVATE)
			return p;
	}
	return NULL;
}

struct kern_ipc_perm *ipc_obtain_idx(struct ipc_ids *ids, int idx)
{
	if (idx < 0 || idx > ids->max_idx || !ids->entries[idx])
		return ERR_PTR(-EINVAL);
	return ids->entries[idx];
}

struct kern_ipc_perm *ipc_obtain(struct ipc_ids *ids, int id)
{
	struct kern_ipc_perm *p;

	if (id < 0)
		return ERR_PTR(-EINVAL);
	p = ipc_obtain_idx(ids, id % IPCMNI);
	if (IS_ERR(p) || p->seq != (unsigned int)(id / IPCMNI))
		return ERR_PTR(-EINVAL);
	return p;
}

int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *p, int limit,
	      int key, int flg)
{
	const struct cred *c = current->cred;
	int idx;

	if (limit > IPCMNI)
		limit = IPCMNI;
	if (!ids->entries) {
		ids->entries = kcalloc(IPCMNI, sizeof(*ids->entries));
		if (!ids->entries)
			return -ENOMEM;
	}
	if (ids->in_use >= limit)
		return -ENOSPC;
	for (idx = 0; idx < limit && ids->entries[idx]; idx++)
		;
	if (idx == limit)
		return -ENOSPC;
	p->key = key;
	p->uid = p->cuid = c->euid;
	p->gid = p->cgid = c->egid;
	p->mode = (unsigned int)flg & 0777;
	p->seq = ids->seq;
	ids->seq = ids->seq + 1 > SEQ_MAX ? 0 : ids->seq + 1;
	p->id = (int)(p->seq * IPCMNI) + idx;
	p->refs = 1;
	p->deleted = false;
	ids->entries[idx] = p;
	ids->in_use++;
	if (idx > ids->max_idx)
		ids->max_idx = idx;
	return p->id;
}

void ipc_get(struct kern_ipc_perm *p)
{
	p->refs++;
}

void ipc_put(struct kern_ipc_perm *p)
{
	if (--p->refs == 0)
		p->free(p);
}

void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *p)
{
	int idx = p->id % IPCMNI;

	ids->entries[idx] = NULL;
	ids->in_use--;
	while (ids->max_idx >= 0 && !ids->entries[ids->max_idx])
		ids->max_idx--;
	p->deleted = true;
	ipc_put(p);
}

int ipcget(struct ipc_ids *ids, int key, int flg, const struct ipc_ops *ops,
	   void *arg)
{
	struct kern_ipc_perm *p;
	int r;

	if (key == IPC_PRIVATE)
		return ops->create(key, flg, arg);
	p = ipc_find_key(ids, key);
	if (!p) {
		if (!(flg & IPC_CREAT))
			return -ENOENT;
		return ops->create(key, flg, arg);
	}
	if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
		return -EEXIST;
	if (ops->check) {
		r = ops->check(p, arg);
		if (r)
			return r;
	}
	if (ipcperms(p, flg))
		return -EACCES;
	return p->id;
}

void ipc64_perm_fill(const struct kern_ipc_perm *p, struct ipc64_perm *out)
{
	memset(out, 0, sizeof(*out));
	out->key = p->key;
	out->uid = p->uid;
	out->gid = p->gid;
	out->cuid = p->cuid;
	out->cgid = p->cgid;
	out->mode = (unsigned short)p->mode;
	out->seq = (unsigned short)p->seq;
}

void ipc_set_perm(struct kern_ipc_perm *p, const struct ipc64_perm *in)
{
	p->uid = in->uid;
	p->gid = in->gid;
	p->mode = (p->mode & ~0777u) | (in->mode & 0777u);
}

void ipc_text_printf(struct ipc_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!t->buf && t->size)
		return;		/* an allocation failed earlier */
	for (;;) {
		size_t room = t->size - t->len;

		va_start(ap, fmt);
		n = vsnprintf(t->buf ? t->buf + t->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		t->size = t->size * 2 + (size_t)n + 256;
		t->buf = krealloc(t->buf, t->size);
		if (!t->buf)
			return;
	}
}

/* ---- /proc/sys/kernel ---- */

int ipc_sysctl_show(enum ipc_sysctl which, char *buf, size_t len)
{
	struct ipc_limits *l = &ipc_limits;

	switch (which) {
	case IPC_SHMMAX:
		return snprintf(buf, len, "%llu\n",
				(unsigned long long)l->shmmax);
	case IPC_SHMALL:
		return snprintf(buf, len, "%llu\n",
				(unsigned long long)l->shmall);
	case IPC_SHMMNI:
		return snprintf(buf, len, "%d\n", l->shmmni);
	case IPC_SEM:
		return snprintf(buf, len, "%d\t%d\t%d\t%d\n", l->semmsl,
				l->semmns, l->semopm, l->semmni);
	case IPC_MSGMAX:
		return snprintf(buf, len, "%d\n", l->msgmax);
	case IPC_MSGMNB:
		return snprintf(buf, len, "%d\n", l->msgmnb);
	case IPC_MSGMNI:
		return snprintf(buf, len, "%d\n", l->msgmni);
	default:
		return -EINVAL;
	}
}

/* Numbers separated by blanks, as proc_dointvec reads them. */
static int parse_numbers(const char *buf, size_t len, unsigned long long *v,
			 int n)
{
	char tmp[128];
	char *p = tmp, *end;
	int got = 0;

	if (len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = 0;
	while (got < n) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		if (*p == '-')
			return -EINVAL;
		v[got++] = strtoull(p, &end, 10);
		if (end == p)
			return -EINVAL;
		p = end;
	}
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	return *p || !got ? -EINVAL : got;
}

ssize_t ipc_sysctl_write(enum ipc_sysctl which, const char *buf, size_t len)
{
	struct ipc_limits *l = &ipc_limits;
	unsigned long long v[4];
	int n = parse_numbers(buf, len, v, which == IPC_SEM ? 4 : 1);

	if (n < 0)
		return n;
	if (which != IPC_SHMMAX && which != IPC_SHMALL && v[0] > 0x7fffffff)
		return -EINVAL;
	switch (which) {
	case IPC_SHMMAX:
		l->shmmax = v[0];
		break;
	case IPC_SHMALL:
		l->shmall = v[0];
		break;
	case IPC_SHMMNI:
		if (v[0] > IPCMNI)
			return -EINVAL;
		l->shmmni = (int)v[0];
		break;
	case IPC_SEM:
		for (int i = 0; i < n; i++)
			if (v[i] > 0x7fffffff)
				return -EINVAL;
		if (n > 3 && v[3] > IPCMNI)
			return -EINVAL;
		l->semmsl = (int)v[0];
		if (n > 1)
			l->semmns = (int)v[1];
		if (n > 2)
			l->semopm = (int)v[2];
		if (n > 3)
			l->semmni = (int)v[3];
		break;
	case IPC_MSGMAX:
		l->msgmax = (int)v[0];
		break;
	case IPC_MSGMNB:
		l->msgmnb = (int)v[0];
		break;
	case IPC_MSGMNI:
		if (v[0] > IPCMNI)
			return -EINVAL;
		l->msgmni = (int)v[0];
		break;
	default:
		return -EINVAL;
	}
	return (ssize_t)len;
}
