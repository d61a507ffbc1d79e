// SPDX-License-Identifier: GPL-2.0
/*
 * Process attributes: ids, credentials, process groups and sessions,
 * resource limits, uname, sysinfo, priorities, prctl, reboot.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/time.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/boot.h"
#include "kern/mm.h"
#include "kern/fs.h"

/* ---- ids ---- */

SYSCALL_DEFINE0(getpid)
{
	return current->tgid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->pid;
}

SYSCALL_DEFINE0(getppid)
{
	struct task *p = current->group_leader->parent;

	return p ? p->tgid : 0;
}

SYSCALL_DEFINE0(getuid)
{
	return current->cred->uid;
}

SYSCALL_DEFINE0(geteuid)
{
	return current->cred->euid;
}

SYSCALL_DEFINE0(getgid)
{
	return current->cred->gid;
}

SYSCALL_DEFINE0(getegid)
{
	return current->cred->egid;
}

SYSCALL_DEFINE3(getresuid, uaddr_t, ruid, uaddr_t, euid, uaddr_t, suid)
{
	const struct cred *c = current->cred;

	if (put_user(c->uid, ruid) || put_user(c->euid, euid) ||
	    put_user(c->suid, suid))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresgid, uaddr_t, rgid, uaddr_t, egid, uaddr_t, sgid)
{
	const struct cred *c = current->cred;

	if (put_user(c->gid, rgid) || put_user(c->egid, egid) ||
	    put_user(c->sgid, sgid))
		return -EFAULT;
	return 0;
}

/*
 * Capabilities follow uid changes as on Linux: dropping every 0 uid drops
 * the permitted and effective sets (unless keep_caps), and the effective
 * set is cleared when the effective uid leaves 0 (and refilled from the
 * permitted set when it comes back).
 */
static void fixup_caps(struct cred *c, bool was_root_any, bool was_root_e)
{
	bool root_any = !c->uid || !c->euid || !c->suid;
	u64 full = (1ULL << (CAP_LAST_CAP + 1)) - 1;

	if (was_root_any && !root_any && !c->keep_caps)
		c->cap_permitted = c->cap_effective = c->cap_ambient = 0;
	if (was_root_e && c->euid)
		c->cap_effective = 0;
	if (!was_root_e && !c->euid)
		c->cap_effective = c->cap_permitted = full & c->cap_bset;
}

/* The uid and gid families follow one set of rules over these four ids. */
struct id_set {
	u32 *r, *e, *s, *fs;
	int cap;			/* CAP_SETUID or CAP_SETGID */
};

#define NO_ID ((u32)-1)

static struct id_set uid_set(struct cred *c)
{
	return (struct id_set){ &c->uid, &c->euid, &c->suid, &c->fsuid,
				CAP_SETUID };
}

static struct id_set gid_set(struct cred *c)
{
	return (struct id_set){ &c->gid, &c->egid, &c->sgid, &c->fsgid,
				CAP_SETGID };
}

static bool id_allowed(const struct id_set *ids, u32 x)
{
	return x == NO_ID || capable(ids->cap) || x == *ids->r ||
	       x == *ids->e || x == *ids->s;
}

/* setresuid(2) semantics; fixes capabilities when uids change. */
static int set_ids(struct id_set ids, u32 r, u32 e, u32 s)
{
	struct cred *c = current->cred;
	bool ra = !c->uid || !c->euid || !c->suid, re = !c->euid;

	if (!id_allowed(&ids, r) || !id_allowed(&ids, e) ||
	    !id_allowed(&ids, s))
		return -EPERM;
	if (r != NO_ID)
		*ids.r = r;
	if (e != NO_ID)
		*ids.e = e;
	if (s != NO_ID)
		*ids.s = s;
	*ids.fs = *ids.e;
	if (ids.cap == CAP_SETUID)
		fixup_caps(c, ra, re);
	return 0;
}

/* setuid(2): all ids when privileged, else only the effective one. */
static long do_setid(struct id_set ids, u32 id)
{
	if (id == NO_ID)
		return -EINVAL;
	if (capable(ids.cap))
		return set_ids(ids, id, id, id);
	if (id != *ids.r && id != *ids.s)
		return -EPERM;
	return set_ids(ids, NO_ID, id, NO_ID);
}

/* setreuid(2): the saved id follows a real change or a new effective id. */
static long do_setreid(struct id_set ids, u32 r, u32 e)
{
	u32 s = NO_ID;

	if (!capable(ids.cap)) {
		if (r != NO_ID && r != *ids.r && r != *ids.e)
			return -EPERM;
		if (e != NO_ID && e != *ids.r && e != *ids.e && e != *ids.s)
			return -EPERM;
	}
	if (r != NO_ID || (e != NO_ID && e != *ids.r))
		s = e != NO_ID ? e : *ids.e;
	return set_ids(ids, r, e, s);
}

/* setfsuid(2): returns the old value, changes only when allowed. */
static long do_setfsid(struct id_set ids, u32 id)
{
	u32 old = *ids.fs;

	if (id != NO_ID && (id_allowed(&ids, id) || id == *ids.fs))
		*ids.fs = id;
	return old;
}

SYSCALL_DEFINE1(setuid, uid_t, uid)
{
	return do_setid(uid_set(current->cred), uid);
}

SYSCALL_DEFINE1(setgid, gid_t, gid)
{
	return do_setid(gid_set(current->cred), gid);
}

SYSCALL_DEFINE2(setreuid, uid_t, ruid, uid_t, euid)
{
	return do_setreid(uid_set(current->cred), ruid, euid);
}

SYSCALL_DEFINE2(setregid, gid_t, rgid, gid_t, egid)
{
	return do_setreid(gid_set(current->cred), rgid, egid);
}

SYSCALL_DEFINE3(setresuid, uid_t, r, uid_t, e, uid_t, s)
{
	return set_ids(uid_set(current->cred), r, e, s);
}

SYSCALL_DEFINE3(setresgid, gid_t, r, gid_t, e, gid_t, s)
{
	return set_ids(gid_set(current->cred), r, e, s);
}

SYSCALL_DEFINE1(setfsuid, uid_t, uid)
{
	return do_setfsid(uid_set(current->cred), uid);
}

SYSCALL_DEFINE1(setfsgid, gid_t, gid)
{
	return do_setfsid(gid_set(current->cred), gid);
}

#define NGROUPS_MAX	65536

SYSCALL_DEFINE2(getgroups, int, size, uaddr_t, list)
{
	const struct cred *c = current->cred;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(list, c->groups, (size_t)c->ngroups * sizeof(gid_t)))
		return -EFAULT;
	return c->ngroups;
}

SYSCALL_DEFINE2(setgroups, int, size, uaddr_t, list)
{
	struct cred *c = current->cred;
	gid_t *g = NULL;

	if (!capable(CAP_SETGID))
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX)
		return -EINVAL;
	if (size) {
		g = kcalloc((size_t)size, sizeof(gid_t));
		if (!g)
			return -ENOMEM;
		if (copy_from_user(g, list, (size_t)size * sizeof(gid_t))) {
			kfree(g);
			return -EFAULT;
		}
	}
	kfree(c->groups);
	c->groups = g;
	c->ngroups = size;
	return 0;
}

/* ---- process groups and sessions ---- */

static bool pgrp_exists_in_session(pid_t pgrp, pid_t sid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_node)
		if (t->state != TASK_DEAD && t->signal &&
		    t->signal->pgrp == pgrp && t->signal->session == sid)
			return true;
	return false;
}

SYSCALL_DEFINE2(setpgid, pid_t, pid, pid_t, pgid)
{
	struct task *me = current->group_leader, *p;

	if (pgid < 0)
		return -EINVAL;
	if (!pid)
		pid = me->tgid;
	if (!pgid)
		pgid = pid;
	p = find_process(pid);
	if (!p || p->state == TASK_ZOMBIE)
		return -ESRCH;
	if (p != me && p->parent != me)
		return -ESRCH;
	if (p->parent == me && p != me) {
		if (p->signal->session != me->signal->session)
			return -EPERM;
		if (p->exec_done)
			return -EACCES;
	}
	if (p->signal->leader)
		return -EPERM;
	if (pgid != pid &&
	    !pgrp_exists_in_session(pgid, me->signal->session))
		return -EPERM;
	p->signal->pgrp = pgid;
	return 0;
}

SYSCALL_DEFINE1(getpgid, pid_t, pid)
{
	struct task *p = pid ? find_process(pid) : current;

	if (!p)
		return -ESRCH;
	return p->signal->pgrp;
}

SYSCALL_DEFINE0(getpgrp)
{
	return current->signal->pgrp;
}

SYSCALL_DEFINE1(getsid, pid_t, pid)
{
	struct task *p = pid ? find_process(pid) : current;

	if (!p)
		return -ESRCH;
	return p->signal->session;
}

SYSCALL_DEFINE0(setsid)
{
	struct task *me = current->group_leader;
	struct task *t;

	if (me->signal->leader)
		return -EPERM;
	/* no process group may already have this number */
	list_for_each_entry(t, &all_tasks, all_node)
		if (t->state != TASK_DEAD && t->signal &&
		    t->signal->pgrp == me->tgid)
			return -EPERM;
	me->signal->leader = true;
	me->signal->session = me->signal->pgrp = me->tgid;
	me->signal->tty = NULL;
	return me->tgid;
}

/* ---- resource limits ---- */

static int do_prlimit(struct task *p, unsigned int res,
		      const struct krlimit *new, struct krlimit *old)
{
	struct krlimit *rl;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	rl = &p->signal->rlim[res];
	if (new) {
		if (new->cur > new->max)
			return -EINVAL;
		if (new->max > rl->max && !capable(CAP_SYS_RESOURCE))
			return -EPERM;
		if (res == RLIMIT_NOFILE && new->max > 1024 * 1024)
			return -EPERM;
	}
	if (old)
		*old = *rl;
	if (new) {
		*rl = *new;
		if (res == RLIMIT_CPU)
			rlimit_cpu_changed(p->signal);
	}
	return 0;
}

SYSCALL_DEFINE4(prlimit64, pid_t, pid, unsigned int, res, uaddr_t, unew,
		uaddr_t, uold)
{
	struct krlimit new, old;
	struct task *p = pid ? find_process(pid) : current;
	int r;

	if (!p)
		return -ESRCH;
	if (p != current->group_leader && p != current) {
		const struct cred *c = current->cred, *pc = p->cred;

		if (!capable(CAP_SYS_RESOURCE) &&
		    (c->uid != pc->uid || c->uid != pc->euid ||
		     c->uid != pc->suid || c->gid != pc->gid))
			return -EPERM;
	}
	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	r = do_prlimit(p, res, unew ? &new : NULL, &old);
	if (r < 0)
		return r;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(getrlimit, unsigned int, res, uaddr_t, rlim)
{
	struct krlimit old;
	int r = do_prlimit(current, res, NULL, &old);

	if (r < 0)
		return r;
	return copy_to_user(rlim, &old, sizeof(old));
}

SYSCALL_DEFINE2(setrlimit, unsigned int, res, uaddr_t, rlim)
{
	struct krlimit new;

	if (copy_from_user(&new, rlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(current, res, &new, NULL);
}

/* ---- uname, hostname ---- */

#define NEW_UTS_LEN 64

struct new_utsname {
	char sysname[NEW_UTS_LEN + 1];
	char nodename[NEW_UTS_LEN + 1];
	char release[NEW_UTS_LEN + 1];
	char version[NEW_UTS_LEN + 1];
	char machine[NEW_UTS_LEN + 1];
	char domainname[NEW_UTS_LEN + 1];
};

char uts_nodename[NEW_UTS_LEN + 1] = "(none)";
char uts_domainname[NEW_UTS_LEN + 1] = "(none)";

SYSCALL_DEFINE1(uname, uaddr_t, buf)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, UTS_SYSNAME, sizeof(u.sysname));
	strlcpy(u.nodename, uts_nodename, sizeof(u.nodename));
	strlcpy(u.release, UTS_RELEASE, sizeof(u.release));
	strlcpy(u.version, UTS_VERSION, sizeof(u.version));
	strlcpy(u.machine, UTS_MACHINE, sizeof(u.machine));
	strlcpy(u.domainname, uts_domainname, sizeof(u.domainname));
	return copy_to_user(buf, &u, sizeof(u));
}

static long set_uts(char *dst, uaddr_t name, int len)
{
	char tmp[NEW_UTS_LEN + 1];

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len < 0 || len > NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(tmp, name, (size_t)len))
		return -EFAULT;
	tmp[len] = 0;
	memcpy(dst, tmp, (size_t)len + 1);
	return 0;
}

SYSCALL_DEFINE2(sethostname, uaddr_t, name, int, len)
{
	return set_uts(uts_nodename, name, len);
}

SYSCALL_DEFINE2(setdomainname, uaddr_t, name, int, len)
{
	return set_uts(uts_domainname, name, len);
}

/* ---- sysinfo ---- */

struct k_sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram;
	unsigned long totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char _f[20 - 2 * sizeof(long) - sizeof(int)];
};

SYSCALL_DEFINE1(sysinfo, uaddr_t, info)
{
	struct k_sysinfo si;
	struct task *t;
	u64 used = vm_committed_pages();
	int procs = 0;

	memset(&si, 0, sizeof(si));
	si.uptime = (long)((ktime_get_ns() - boot_time_ns) / 1000000000ULL);
	list_for_each_entry(t, &all_tasks, all_node)
		if (t->state == TASK_RUNNING || t->state == TASK_STOPPED)
			procs++;
	si.procs = (unsigned short)procs;
	get_avenrun(si.loads);
	for (int i = 0; i < 3; i++)
		si.loads[i] <<= 16 - FSHIFT;	/* SI_LOAD_SHIFT */
	si.totalram = mem_total_pages * PAGE_SIZE;
	si.freeram = used < mem_total_pages ?
		     (mem_total_pages - used) * PAGE_SIZE : 0;
	si.mem_unit = 1;
	return copy_to_user(info, &si, sizeof(si));
}

/* ---- priorities and scheduling queries ---- */

#define PRIO_PROCESS	0
#define PRIO_PGRP	1
#define PRIO_USER	2

/* Does t belong to the set getpriority/setpriority name with which/who? */
static bool prio_matches(struct task *t, int which, int who)
{
	struct task *me = current;

	if (t->state == TASK_DEAD || !t->signal || !t->cred)
		return false;
	switch (which) {
	case PRIO_PROCESS:
		return t->tgid == (who ? who : me->tgid);
	case PRIO_PGRP:
		return t->signal->pgrp == (who ? who : me->signal->pgrp);
	default:
		return t->cred->uid == (uid_t)(who ? who : (int)me->cred->uid);
	}
}

SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	struct task *t;
	int best = -100;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	list_for_each_entry(t, &all_tasks, all_node)
		if (prio_matches(t, which, who))
			best = max(best, 20 - t->nice);
	return best == -100 ? -ESRCH : best;
}

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, prio)
{
	struct task *t;
	bool found = false;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	prio = prio < -20 ? -20 : prio > 19 ? 19 : prio;
	list_for_each_entry(t, &all_tasks, all_node) {
		if (!prio_matches(t, which, who))
			continue;
		found = true;
		if (t->cred->euid != current->cred->euid &&
		    !capable(CAP_SYS_NICE))
			return -EPERM;
		if (prio < t->nice && !capable(CAP_SYS_NICE))
			return -EACCES;
		t->nice = prio;
	}
	return found ? 0 : -ESRCH;
}

SYSCALL_DEFINE3(getcpu, uaddr_t, cpu, uaddr_t, node, uaddr_t, unused)
{
	unsigned int zero = 0;

	if (cpu && put_user(zero, cpu))
		return -EFAULT;
	if (node && put_user(zero, node))
		return -EFAULT;
	return 0;
}

/* ---- misc ---- */

#define GRND_NONBLOCK	0x1
#define GRND_RANDOM	0x2
#define GRND_INSECURE	0x4

SYSCALL_DEFINE3(getrandom, uaddr_t, buf, size_t, len, unsigned int, flags)
{
	u8 tmp[256];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & (GRND_RANDOM | GRND_INSECURE)) ==
	    (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (len > 0x1ffffff)
		len = 0x1ffffff;
	while (done < len) {
		size_t n = min(len - done, sizeof(tmp));

		if (os_getrandom(tmp, n) < 0)
			return done ? (long)done : -EIO;
		if (copy_to_user(buf + done, tmp, n))
			return done ? (long)done : -EFAULT;
		done += n;
		if (done < len && signal_pending(current))
			return (long)done;
	}
	return (long)done;
}

SYSCALL_DEFINE1(personality, unsigned int, persona)
{
	unsigned int old = current->personality;

	if (persona != 0xffffffff)
		current->personality = persona;
	return old;
}

struct cap_header {
	u32 version;
	int pid;
};

struct cap_data {
	u32 effective, permitted, inheritable;
};

#define CAP_V1	0x19980330
#define CAP_V2	0x20071026
#define CAP_V3	0x20080522

SYSCALL_DEFINE2(capget, uaddr_t, hdrp, uaddr_t, datap)
{
	struct cap_header h;
	struct cap_data d[2];
	struct task *t;
	int n;

	if (copy_from_user(&h, hdrp, sizeof(h)))
		return -EFAULT;
	if (h.version != CAP_V1 && h.version != CAP_V2 && h.version != CAP_V3) {
		h.version = CAP_V3;
		return put_user(h.version, hdrp) ? -EFAULT : -EINVAL;
	}
	if (h.pid < 0)
		return -EINVAL;
	t = h.pid ? find_task(h.pid) : current;
	if (!t || !t->cred)
		return -ESRCH;
	if (!datap)
		return 0;
	n = h.version == CAP_V1 ? 1 : 2;
	for (int i = 0; i < 2; i++) {
		d[i].effective = (u32)(t->cred->cap_effective >> (32 * i));
		d[i].permitted = (u32)(t->cred->cap_permitted >> (32 * i));
		d[i].inheritable = (u32)(t->cred->cap_inheritable >> (32 * i));
	}
	return copy_to_user(datap, d, sizeof(d[0]) * (size_t)n);
}

SYSCALL_DEFINE2(capset, uaddr_t, hdrp, uaddr_t, datap)
{
	struct cap_header h;
	struct cap_data d[2];
	struct cred *c = current->cred;
	u64 e, p, in;
	int n;

	if (copy_from_user(&h, hdrp, sizeof(h)))
		return -EFAULT;
	if (h.version != CAP_V1 && h.version != CAP_V2 && h.version != CAP_V3)
		return -EINVAL;
	if (h.pid && h.pid != current->pid)
		return -EPERM;
	n = h.version == CAP_V1 ? 1 : 2;
	memset(d, 0, sizeof(d));
	if (copy_from_user(d, datap, sizeof(d[0]) * (size_t)n))
		return -EFAULT;
	e = d[0].effective | ((u64)d[1].effective << 32);
	p = d[0].permitted | ((u64)d[1].permitted << 32);
	in = d[0].inheritable | ((u64)d[1].inheritable << 32);
	if ((p & ~c->cap_permitted) || (e & ~p))
		return -EPERM;
	if ((in & ~(c->cap_inheritable | c->cap_permitted)) &&
	    !capable(CAP_SETPCAP))
		return -EPERM;
	c->cap_effective = e;
	c->cap_permitted = p;
	c->cap_inheritable = in;
	return 0;
}

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_GET_KEEPCAPS		7
#define PR_SET_KEEPCAPS		8
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_CAPBSET_READ		23
#define PR_CAPBSET_DROP		24
#define PR_SET_CHILD_SUBREAPER	36
#define PR_GET_CHILD_SUBREAPER	37
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39

SYSCALL_DEFINE5(prctl, int, option, unsigned long, a2, unsigned long, a3,
		unsigned long, a4, unsigned long, a5)
{
	struct task *t = current;
	char name[TASK_COMM_LEN];

	switch (option) {
	case PR_SET_PDEATHSIG:
		if (a2 > _NSIG)
			return -EINVAL;
		t->pdeath_signal = (int)a2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_user(t->pdeath_signal, a2);
	case PR_GET_DUMPABLE:
		return t->dumpable;
	case PR_SET_DUMPABLE:
		if (a2 > 1)
			return -EINVAL;
		t->dumpable = (int)a2;
		return 0;
	case PR_GET_KEEPCAPS:
		return t->cred->keep_caps;
	case PR_SET_KEEPCAPS:
		if (a2 > 1)
			return -EINVAL;
		t->cred->keep_caps = a2;
		return 0;
	case PR_SET_NAME:
		memset(name, 0, sizeof(name));
		if (strncpy_from_user(name, a2, sizeof(name)) == -EFAULT)
			return -EFAULT;
		name[sizeof(name) - 1] = 0;
		memcpy(t->comm, name, sizeof(name));
		return 0;
	case PR_GET_NAME:
		return copy_to_user(a2, t->comm, sizeof(t->comm));
	case PR_CAPBSET_READ:
		if (a2 > CAP_LAST_CAP)
			return -EINVAL;
		return (t->cred->cap_bset >> a2) & 1;
	case PR_CAPBSET_DROP:
		if (!capable(CAP_SETPCAP))
			return -EPERM;
		if (a2 > CAP_LAST_CAP)
			return -EINVAL;
		t->cred->cap_bset &= ~(1ULL << a2);
		return 0;
	case PR_SET_NO_NEW_PRIVS:
		if (a2 != 1 || a3 || a4 || a5)
			return -EINVAL;
		t->no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (a2 || a3 || a4 || a5)
			return -EINVAL;
		return t->no_new_privs;
	default:
		return -EINVAL;
	}
}

/* ---- reboot ---- */

#define LINUX_REBOOT_MAGIC1		0xfee1dead
#define LINUX_REBOOT_MAGIC2		672274793
#define LINUX_REBOOT_MAGIC2A		85072278
#define LINUX_REBOOT_MAGIC2B		369367448
#define LINUX_REBOOT_MAGIC2C		537993216
#define LINUX_REBOOT_CMD_RESTART	0x01234567
#define LINUX_REBOOT_CMD_HALT		0xCDEF0123
#define LINUX_REBOOT_CMD_CAD_ON		0x89ABCDEF
#define LINUX_REBOOT_CMD_CAD_OFF	0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321FEDC
#define LINUX_REBOOT_CMD_RESTART2	0xA1B2C3D4

bool cad_enabled = true;

void ctrl_alt_del(void)
{
	if (cad_enabled) {
		kernel_shutdown(SHUTDOWN_RESTART, kernel_exit_code);
		return;
	}
	if (init_task_ptr)
		send_sig(SIGINT, init_task_ptr, true);
}

SYSCALL_DEFINE4(reboot, int, magic1, int, magic2, unsigned int, cmd,
		uaddr_t, arg)
{
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
		cad_enabled = true;
		return 0;
	case LINUX_REBOOT_CMD_CAD_OFF:
		cad_enabled = false;
		return 0;
	case LINUX_REBOOT_CMD_HALT:
		kernel_shutdown(SHUTDOWN_HALT, kernel_exit_code);
		break;
	case LINUX_REBOOT_CMD_POWER_OFF:
		kernel_shutdown(SHUTDOWN_POWER_OFF, kernel_exit_code);
		break;
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		kernel_shutdown(SHUTDOWN_RESTART, kernel_exit_code);
		break;
	default:
		return -EINVAL;
	}
	/* The caller never returns: shutdown is under way. */
	for (;;)
		schedule_timeout(ktime_get_ns() + 1000000000ULL);
}
