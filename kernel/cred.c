// SPDX-License-Identifier: GPL-2.0
/* Credentials. */
#include "kern/sched.h"

struct cred *cred_alloc_root(void)
{
	struct cred *c = kzalloc(sizeof(*c));

	if (!c)
		return NULL;
	c->refs = 1;
	c->cap_effective = c->cap_permitted = c->cap_bset =
		(1ULL << (CAP_LAST_CAP + 1)) - 1;
	return c;
}

struct cred *cred_copy(const struct cred *old)
{
	struct cred *c = kmalloc(sizeof(*c));

	if (!c)
		return NULL;
	*c = *old;
	c->refs = 1;
	c->groups = NULL;
	if (old->ngroups) {
		c->groups = kcalloc((size_t)old->ngroups, sizeof(gid_t));
		if (!c->groups) {
			kfree(c);
			return NULL;
		}
		memcpy(c->groups, old->groups,
		       (size_t)old->ngroups * sizeof(gid_t));
	}
	return c;
}

void cred_put(struct cred *c)
{
	if (c && --c->refs == 0) {
		kfree(c->groups);
		kfree(c);
	}
}

bool in_group_p(gid_t gid)
{
	const struct cred *c = current->cred;

	if (gid == c->fsgid)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

bool capable(int cap)
{
	return (current->cred->cap_effective >> cap) & 1;
}

/*
 * Whether current may look into or take from p as ptrace would allow
 * (get_robust_list, pidfd_getfd): its own process, CAP_SYS_PTRACE, or
 * the same real, effective and saved ids on both sides and p dumpable.
 */
bool ptrace_may_access(struct task *p)
{
	struct cred *c = current->cred, *pc = p->cred;

	if (p->tgid == current->tgid || capable(CAP_SYS_PTRACE))
		return true;
	if (!c || !pc)
		return false;
	return c->uid == pc->uid && c->uid == pc->euid && c->uid == pc->suid &&
	       c->gid == pc->gid && c->gid == pc->egid && c->gid == pc->sgid &&
	       p->dumpable;
}
