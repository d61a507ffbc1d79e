// SPDX-License-Identifier: GPL-2.0
/*
 * procfs: the filesystem. Nothing is stored: every lookup makes a fresh
 * inode describing what it stands for (a static entry, a process, an fd),
 * and every open renders the file's whole text into a buffer that reads
 * then walk through, so a reader sees one consistent snapshot.
 */
#include "internal.h"
#include "kern/uaccess.h"

#define PROC_SUPER_MAGIC	0x9fa0

static struct super_block *proc_sb;

static const struct inode_operations proc_file_iops = {
	.setattr = generated_setattr,
};

int seq_printf(struct seq *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = s->cap - s->len;

		va_start(ap, fmt);
		n = vsnprintf(s->buf ? s->buf + s->len : NULL, s->buf ? room : 0,
			      fmt, ap);
		va_end(ap);
		if (n < 0)
			return -EINVAL;
		if (s->buf && (size_t)n < room) {
			s->len += (size_t)n;
			return 0;
		}
		{
			size_t ncap = max(s->cap * 2, s->len + (size_t)n + 256);
			char *nb;

			if (ncap > PROC_MAX_FILE)
				return -ENOMEM;
			nb = krealloc(s->buf, ncap);
			if (!nb)
				return -ENOMEM;
			s->buf = nb;
			s->cap = ncap;
		}
	}
}

int seq_write(struct seq *s, const void *data, size_t len)
{
	if (s->len + len > s->cap) {
		size_t ncap = max(s->cap * 2, s->len + len + 256);
		char *nb;

		if (ncap > PROC_MAX_FILE)
			return -ENOMEM;
		nb = krealloc(s->buf, ncap);
		if (!nb)
			return -ENOMEM;
		s->buf = nb;
		s->cap = ncap;
	}
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	return 0;
}

static void proc_evict(struct inode *inode)
{
	kfree(inode->i_private);
	inode->i_private = NULL;
}

static const struct super_operations proc_sops = {
	.evict_inode = proc_evict,
};

struct inode *proc_make_inode(struct super_block *sb,
			      const struct proc_entry *e, pid_t pid, int fd)
{
	struct inode *inode = new_inode(sb);
	struct proc_inode *pi;
	struct task *t;

	if (!inode)
		return NULL;
	pi = kzalloc(sizeof(*pi));
	if (!pi) {
		iput(inode);
		return NULL;
	}
	pi->entry = e;
	pi->pid = pid;
	pi->fd = fd;
	inode->i_private = pi;
	inode->i_mode = e->mode;
	if (S_ISDIR(e->mode)) {
		inode->i_op = &proc_dir_iops;
		inode->i_fop = &proc_dir_fops;
		inode->i_nlink = 2;
	} else if (S_ISLNK(e->mode)) {
		inode->i_op = e->jump ? &proc_magic_iops : &proc_link_iops;
	} else {
		inode->i_op = &proc_file_iops;
		inode->i_fop = e->fops ? e->fops : &proc_file_fops;
	}
	/* a process's files belong to its owner */
	t = pid ? find_task(pid) : NULL;
	if (t && t->cred && (e->flags & PROC_OWNED)) {
		inode->i_uid = t->cred->euid;
		inode->i_gid = t->cred->egid;
	}
	return inode;
}

struct proc_inode *PI(struct inode *inode)
{
	return inode->i_private;
}

/* Linux's ptrace_may_access, simplified: same user, or CAP_SYS_PTRACE. */
bool proc_may_access(struct task *t)
{
	const struct cred *c, *tc = t->cred;

	if (!current)		/* the kernel itself (mconsole "proc") */
		return true;
	c = current->cred;
	if (t->tgid == current->tgid)
		return true;
	if (tc && c->uid == tc->euid && c->uid == tc->suid &&
	    c->uid == tc->uid && c->gid == tc->egid && c->gid == tc->sgid &&
	    c->gid == tc->gid)
		return true;
	return capable(CAP_SYS_PTRACE);
}

/*
 * The live process of a pid entry (its leader), or the thread of a tid
 * entry; NULL (ESRCH) once gone.
 */
struct task *proc_task(struct inode *inode)
{
	struct proc_inode *pi = PI(inode);
	struct task *t = pi->thread ? find_task(pi->pid) :
				      find_process(pi->pid);

	if (!t || t->state == TASK_DEAD)
		return NULL;
	return t;
}

static int proc_open(struct inode *inode, struct file *f)
{
	const struct proc_entry *e = PI(inode)->entry;
	struct seq *s;
	int r;

	if ((f->f_mode & FMODE_WRITE) && !e->write)
		return -EACCES;
	s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (e->show && (f->f_mode & FMODE_READ)) {
		r = e->show(inode, s);
		if (r) {
			kfree(s->buf);
			kfree(s);
			return r;
		}
	}
	f->c.private_data = s;
	return 0;
}

static void proc_release(struct inode *inode, struct file *f)
{
	struct seq *s = f->c.private_data;

	if (s) {
		kfree(s->buf);
		kfree(s);
	}
}

static ssize_t proc_read(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	struct seq *s = f->c.private_data;
	size_t n;

	if (*pos < 0)
		return -EINVAL;
	if ((u64)*pos >= s->len)
		return 0;
	n = min(len, s->len - (size_t)*pos);
	if (copy_to_user(buf, s->buf + *pos, n))
		return -EFAULT;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static ssize_t proc_read_kernel(struct file *f, void *buf, size_t len,
				loff_t *pos)
{
	struct seq *s = f->c.private_data;
	size_t n;

	if (*pos < 0 || (u64)*pos >= s->len)
		return 0;
	n = min(len, s->len - (size_t)*pos);
	memcpy(buf, s->buf + *pos, n);
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static ssize_t proc_write(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	const struct proc_entry *e = PI(f->c.f_inode)->entry;
	char tmp[256];

	if (!e->write)
		return -EINVAL;
	if (len >= sizeof(tmp))
		return -EINVAL;
	if (copy_from_user(tmp, buf, len))
		return -EFAULT;
	tmp[len] = 0;
	return e->write(f->c.f_inode, tmp, len);
}

static loff_t proc_llseek(struct file *f, loff_t off, int whence)
{
	struct seq *s = f->c.private_data;

	if (whence == 1)
		off += f->c.f_pos;
	else if (whence == 2)
		off += (loff_t)s->len;
	else if (whence != 0)
		return -EINVAL;
	if (off < 0)
		return -EINVAL;
	f->c.f_pos = off;
	return off;
}

const struct file_operations proc_file_fops = {
	.open = proc_open,
	.read = proc_read,
	.read_kernel = proc_read_kernel,
	.write = proc_write,
	.llseek = proc_llseek,
	.release = proc_release,
};

static char *proc_get_link(struct dentry *d)
{
	const struct proc_entry *e = PI(d->d_inode)->entry;

	if (!e->link)
		return ERR_PTR(-EINVAL);
	return e->link(d->d_inode);
}

const struct inode_operations proc_link_iops = {
	.get_link = proc_get_link,
};

static int proc_jump_link(struct dentry *d, struct path *p)
{
	return PI(d->d_inode)->entry->jump(d->d_inode, p);
}

const struct inode_operations proc_magic_iops = {
	.get_link = proc_get_link,
	.jump_link = proc_jump_link,
};

static int proc_lookup(struct inode *dir, struct dentry *d)
{
	const struct proc_entry *de = PI(dir)->entry;
	struct inode *inode = NULL;

	if (de->lookup)
		return de->lookup(dir, d);
	for (const struct proc_entry *e = de->children; e && e->name; e++) {
		if (e->visible && !e->visible())
			continue;
		if (strlen(e->name) == d->d_name.len &&
		    !memcmp(e->name, d->d_name.name, d->d_name.len)) {
			inode = proc_make_inode(dir->i_sb, e, PI(dir)->pid, -1);
			if (!inode)
				return -ENOMEM;
			PI(inode)->thread = PI(dir)->thread;
			d_instantiate(d, inode);
			return 0;
		}
	}
	return 0;
}

const struct inode_operations proc_dir_iops = {
	.lookup = proc_lookup,
};

int proc_emit_static(struct file *f, void *ctx, proc_emit_fn emit,
		     const struct proc_entry *children, loff_t base)
{
	struct dentry *dir = f->f_path.dentry;

	if (f->c.f_pos == 0) {
		if (emit(ctx, ".", 1, dir->d_inode->i_ino, DT_DIR, 1))
			return 1;
		f->c.f_pos = 1;
	}
	if (f->c.f_pos == 1) {
		struct inode *pi = dir->d_parent->d_inode;

		if (emit(ctx, "..", 2, pi ? pi->i_ino : 1, DT_DIR, 2))
			return 1;
		f->c.f_pos = 2;
	}
	for (loff_t i = f->c.f_pos - 2; children && children[i].name; i++) {
		const struct proc_entry *e = &children[i];

		if (e->visible && !e->visible()) {
			f->c.f_pos = i + 3;
			continue;
		}
		if (emit(ctx, e->name, (int)strlen(e->name), base + (u64)i + 100,
			 mode_to_dtype(e->mode), i + 3))
			return 1;
		f->c.f_pos = i + 3;
	}
	return 0;
}

static int proc_iterate(struct file *f, void *ctx, proc_emit_fn emit)
{
	const struct proc_entry *e = PI(f->c.f_inode)->entry;

	if (e->iterate)
		return e->iterate(f, ctx, emit);
	proc_emit_static(f, ctx, emit, e->children, 0);
	return 0;
}

static ssize_t proc_dir_read(struct file *f, uaddr_t buf, size_t len,
			     loff_t *pos)
{
	return -EISDIR;
}

static loff_t proc_dir_llseek(struct file *f, loff_t off, int whence)
{
	if (whence != 0 || off < 0)
		return -EINVAL;
	f->c.f_pos = off;
	return off;
}

const struct file_operations proc_dir_fops = {
	.read = proc_dir_read,
	.iterate = proc_iterate,
	.llseek = proc_dir_llseek,
};

static struct super_block *proc_mount(struct file_system_type *type,
				      int flags, const char *dev,
				      const void *data)
{
	struct inode *root;

	/* one instance, as in a single pid namespace */
	if (proc_sb) {
		proc_sb->s_active++;
		return proc_sb;
	}
	proc_sb = sget_nodev(type, flags);
	if (!proc_sb)
		return ERR_PTR(-ENOMEM);
	proc_sb->s_magic = PROC_SUPER_MAGIC;
	proc_sb->s_blocksize = 1024;
	proc_sb->s_op = &proc_sops;
	root = proc_make_inode(proc_sb, &proc_root_entry, 0, -1);
	if (root) {
		root->i_mode = S_IFDIR | 0555;
		proc_sb->s_root = d_alloc_root(root);
	}
	if (!root || !proc_sb->s_root) {
		if (root)
			iput(root);
		kfree(proc_sb);
		proc_sb = NULL;
		return ERR_PTR(-ENOMEM);
	}
	/* stays alive for the next mount */
	proc_sb->s_active++;
	return proc_sb;
}

struct file_system_type proc_fs_type = {
	.name = "proc",
	.mount = proc_mount,
};
