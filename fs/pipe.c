// SPDX-License-Identifier: GPL-2.0
/*
 * Pipes and FIFOs: a ring buffer (64 KiB by default) between readers and
 * writers. Writes of at most PIPE_BUF bytes are atomic; a write with no
 * reader left raises SIGPIPE and fails with EPIPE; blocking reads and
 * writes sleep interruptibly (kern/wait.h).
 */
#include "kern/vfs.h"
#include "kern/mm.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "kern/signal.h"

#define PIPE_MAX_SIZE	1048576		/* /proc/sys/fs/pipe-max-size */
#define F_SETPIPE_SZ	1031
#define F_GETPIPE_SZ	1032
#define FIONREAD	0x541B

struct pipe_inode_info {
	char *buf;
	size_t size;		/* capacity */
	size_t head;		/* read position */
	size_t len;		/* bytes in the buffer */
	int readers, writers;
	unsigned int r_counter, w_counter;	/* opens, for FIFO waits */
	struct wait_queue_head rd_wait, wr_wait;
	u64 charged;		/* pages beyond the default, against mem= */
};

static struct vfsmount *pipe_mnt;

static struct pipe_inode_info *alloc_pipe_info(void)
{
	struct pipe_inode_info *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->buf = kmalloc(PIPE_DEF_SIZE);
	if (!p->buf) {
		kfree(p);
		return NULL;
	}
	p->size = PIPE_DEF_SIZE;
	init_waitqueue_head(&p->rd_wait);
	init_waitqueue_head(&p->wr_wait);
	return p;
}

void free_pipe_info(struct pipe_inode_info *p)
{
	if (!p)
		return;
	vm_uncommit(p->charged);
	kfree(p->buf);
	kfree(p);
}

static struct pipe_inode_info *file_pipe(struct file *f)
{
	return f->c.private_data;
}

/* Copies out of the ring into a user or kernel buffer. */
static ssize_t pipe_do_read(struct file *f, uaddr_t ubuf, void *kbuf,
			    size_t len, bool nonblock)
{
	struct pipe_inode_info *p = file_pipe(f);
	size_t done = 0;
	long r;

	if (!len)
		return 0;
	while (!p->len) {
		if (!p->writers)
			return 0;
		if (nonblock)
			return -EAGAIN;
		r = wait_event_interruptible(p->rd_wait,
					     p->len || !p->writers);
		if (r)
			return r;
	}
	while (done < len && p->len) {
		size_t n = min(len - done, min(p->len, p->size - p->head));

		if (kbuf) {
			memcpy((char *)kbuf + done, p->buf + p->head, n);
		} else if (copy_to_user(ubuf + done, p->buf + p->head, n)) {
			if (!done)
				return -EFAULT;
			break;
		}
		p->head = (p->head + n) % p->size;
		p->len -= n;
		done += n;
	}
	if (!p->len)
		p->head = 0;
	wake_up_poll(&p->wr_wait, POLLOUT | POLLWRNORM);
	return (ssize_t)done;
}

static ssize_t pipe_do_write(struct file *f, uaddr_t ubuf, const void *kbuf,
			     size_t len, bool nonblock)
{
	struct pipe_inode_info *p = file_pipe(f);
	size_t done = 0;
	long r;

	if (!len)
		return 0;
	for (;;) {
		size_t space, tail, n;

		if (!p->readers) {
			if (current)
				send_sig(SIGPIPE, current, false);
			return done ? (ssize_t)done : -EPIPE;
		}
		space = p->size - p->len;
		/* small writes go in whole or not at all */
		if (space && (len - done > PIPE_BUF || space >= len - done)) {
			while (space && done < len) {
				tail = (p->head + p->len) % p->size;
				n = min(len - done, min(space, p->size - tail));
				if (kbuf) {
					memcpy(p->buf + tail,
					       (const char *)kbuf + done, n);
				} else if (copy_from_user(p->buf + tail,
							  ubuf + done, n)) {
					if (!done)
						return -EFAULT;
					wake_up_poll(&p->rd_wait,
						     POLLIN | POLLRDNORM);
					return (ssize_t)done;
				}
				p->len += n;
				space -= n;
				done += n;
			}
			wake_up_poll(&p->rd_wait, POLLIN | POLLRDNORM);
			if (done == len)
				return (ssize_t)done;
		}
		if (nonblock)
			return done ? (ssize_t)done : -EAGAIN;
		r = wait_event_interruptible(p->wr_wait, !p->readers ||
			p->size - p->len >= min(len - done, (size_t)PIPE_BUF));
		if (r)
			return done ? (ssize_t)done : r;
	}
}

static ssize_t pipe_read(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	return pipe_do_read(f, buf, NULL, len, f->c.f_flags & O_NONBLOCK);
}

static ssize_t pipe_write(struct file *f, uaddr_t buf, size_t len, loff_t *pos)
{
	return pipe_do_write(f, buf, NULL, len, f->c.f_flags & O_NONBLOCK);
}

static ssize_t pipe_read_kernel(struct file *f, void *buf, size_t len,
				loff_t *pos)
{
	return pipe_do_read(f, 0, buf, len, f->c.f_flags & O_NONBLOCK);
}

static ssize_t pipe_write_kernel(struct file *f, const void *buf, size_t len,
				 loff_t *pos)
{
	return pipe_do_write(f, 0, buf, len, f->c.f_flags & O_NONBLOCK);
}

static unsigned int pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe_inode_info *p = file_pipe(f);
	unsigned int mask = 0;

	poll_wait(f, &p->rd_wait, pt);
	poll_wait(f, &p->wr_wait, pt);
	if (f->f_mode & FMODE_READ) {
		if (p->len)
			mask |= POLLIN | POLLRDNORM;
		if (!p->writers && p->w_counter)
			mask |= POLLHUP;
	}
	if (f->f_mode & FMODE_WRITE) {
		if (p->size - p->len >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	return mask;
}

/* ---- splice(2) and tee(2): moving data in and out of a pipe ---- */

bool file_is_pipe(struct file *f)
{
	return f->c.f_op == &fifo_fops && f->c.private_data;
}

/*
 * Waits for data in the pipe: 0 with data, 1 at end of file (no data and
 * no writers), -EAGAIN or -ERESTARTSYS.
 */
static int pipe_wait_data(struct pipe_inode_info *p, bool nonblock)
{
	while (!p->len) {
		if (!p->writers)
			return 1;
		if (nonblock)
			return -EAGAIN;
		if (wait_event_interruptible(p->rd_wait, p->len || !p->writers))
			return -ERESTARTSYS;
	}
	return 0;
}

/* Copies up to len bytes from the front of the pipe, leaving them there. */
static size_t pipe_peek(struct pipe_inode_info *p, char *buf, size_t len)
{
	size_t done = 0, head = p->head, avail = min(len, p->len);

	while (done < avail) {
		size_t n = min(avail - done, p->size - head);

		memcpy(buf + done, p->buf + head, n);
		head = (head + n) % p->size;
		done += n;
	}
	return done;
}

static void pipe_consume(struct pipe_inode_info *p, size_t n)
{
	p->head = (p->head + n) % p->size;
	p->len -= n;
	if (!p->len)
		p->head = 0;
	wake_up_poll(&p->wr_wait, POLLOUT | POLLWRNORM);
}

#define SPLICE_CHUNK	65536

/*
 * From the pipe to out at *opos: the bytes are copied first and taken
 * out of the pipe only once out has accepted them, so a short write
 * loses nothing. With tee, nothing is taken out.
 */
ssize_t splice_from_pipe(struct file *pipe, struct file *out, loff_t *opos,
			 size_t len, bool nonblock, bool tee)
{
	struct pipe_inode_info *p = file_pipe(pipe);
	char *buf;
	ssize_t w;
	size_t n;
	int r = pipe_wait_data(p, nonblock);

	if (r)
		return r > 0 ? 0 : r;
	buf = kmalloc(SPLICE_CHUNK);
	if (!buf)
		return -ENOMEM;
	n = pipe_peek(p, buf, min(len, (size_t)SPLICE_CHUNK));
	if (file_is_pipe(out))
		w = pipe_do_write(out, 0, buf, n, nonblock ||
				  (out->c.f_flags & O_NONBLOCK));
	else
		w = out->c.f_op->write_kernel(out, buf, n, opos);
	/* Another reader may have drained the pipe while out blocked. */
	if (w > 0 && !tee)
		pipe_consume(p, min((size_t)w, p->len));
	kfree(buf);
	return w;
}

/* From in at *ipos into the pipe, at most what the pipe has room for. */
ssize_t splice_to_pipe(struct file *in, loff_t *ipos, struct file *pipe,
		       size_t len, bool nonblock)
{
	struct pipe_inode_info *p = file_pipe(pipe);
	ssize_t n, w;
	char *buf;

	for (;;) {
		if (!p->readers) {
			send_sig(SIGPIPE, current, false);
			return -EPIPE;
		}
		if (p->len < p->size)
			break;
		if (nonblock)
			return -EAGAIN;
		if (wait_event_interruptible(p->wr_wait,
					     !p->readers || p->len < p->size))
			return -ERESTARTSYS;
	}
	len = min(len, min(p->size - p->len, (size_t)SPLICE_CHUNK));
	buf = kmalloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	n = in->c.f_op->read_kernel(in, buf, len, ipos);
	w = n;
	if (n > 0)
		w = pipe_do_write(pipe, 0, buf, (size_t)n, false);
	kfree(buf);
	return w;
}

unsigned int pipe_readable_bytes(struct file *f)
{
	return (unsigned int)file_pipe(f)->len;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	if (cmd == FIONREAD)
		return put_user((int)file_pipe(f)->len, arg) ? -EFAULT : 0;
	return -ENOTTY;
}

static int pipe_resize(struct pipe_inode_info *p, unsigned long size)
{
	size_t n = PAGE_SIZE;
	u64 charge;
	char *nb;

	while (n < size && n < (size_t)1 << 31)
		n <<= 1;
	if (n < size)
		return -EINVAL;
	if (n > PIPE_MAX_SIZE && !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	if (n < p->len)
		return -EBUSY;
	if (n == p->size)
		return (int)n;
	/*
	 * Pipe buffers are host memory too: what is beyond the default size
	 * is charged to mem=, so a guest cannot grow the kernel at will.
	 */
	charge = n > PIPE_DEF_SIZE ? (n - PIPE_DEF_SIZE) >> PAGE_SHIFT : 0;
	if (charge > p->charged && vm_commit(charge - p->charged) < 0)
		return -ENOMEM;
	nb = kmalloc(n);
	if (!nb) {
		if (charge > p->charged)
			vm_uncommit(charge - p->charged);
		return -ENOMEM;
	}
	if (charge < p->charged)
		vm_uncommit(p->charged - charge);
	p->charged = charge;
	for (size_t i = 0; i < p->len; i++)
		nb[i] = p->buf[(p->head + i) % p->size];
	kfree(p->buf);
	p->buf = nb;
	p->head = 0;
	p->size = n;
	wake_up(&p->wr_wait);
	return (int)n;
}

long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *p;

	if (f->c.f_op != &fifo_fops || !f->c.private_data)
		return -EBADF;
	p = file_pipe(f);
	if (cmd == F_GETPIPE_SZ)
		return (long)p->size;
	if (cmd == F_SETPIPE_SZ)
		return pipe_resize(p, arg);
	return -EINVAL;
}

static void pipe_release(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *p = file_pipe(f);

	if (!p)
		return;
	if (f->f_mode & FMODE_READ)
		p->readers--;
	if (f->f_mode & FMODE_WRITE)
		p->writers--;
	wake_up(&p->rd_wait);
	wake_up(&p->wr_wait);
	if (!p->readers && !p->writers && inode->i_pipe == p) {
		inode->i_pipe = NULL;
		free_pipe_info(p);
	}
}

#define PIPEFS_MAGIC	0x50495045

/*
 * Opening a FIFO waits for the other side, unless O_NONBLOCK or O_RDWR.
 * An anonymous pipe reopened through /proc/PID/fd never waits, as in
 * Linux: it gets one more reader or writer on the same pipe.
 */
static int fifo_open(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *p = inode->i_pipe;
	bool is_pipe = inode->i_sb->s_magic == PIPEFS_MAGIC;
	unsigned int seen;
	long r = 0;

	if (!p) {
		p = alloc_pipe_info();
		if (!p)
			return -ENOMEM;
		inode->i_pipe = p;
	}
	f->c.private_data = p;
	switch (f->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		p->readers++;
		p->r_counter++;
		wake_up(&p->wr_wait);
		if (!is_pipe && !p->writers && !(f->c.f_flags & O_NONBLOCK)) {
			seen = p->w_counter;
			r = wait_event_interruptible(p->rd_wait,
						     p->w_counter != seen);
		}
		break;
	case FMODE_WRITE:
		if (!is_pipe && !p->readers && (f->c.f_flags & O_NONBLOCK)) {
			r = -ENXIO;
			break;
		}
		p->writers++;
		p->w_counter++;
		wake_up(&p->rd_wait);
		if (!is_pipe && !p->readers) {
			seen = p->r_counter;
			r = wait_event_interruptible(p->wr_wait,
						     p->r_counter != seen);
		}
		break;
	case FMODE_READ | FMODE_WRITE:
		p->readers++;
		p->writers++;
		p->r_counter++;
		p->w_counter++;
		wake_up(&p->rd_wait);
		wake_up(&p->wr_wait);
		break;
	default:
		r = -EINVAL;
	}
	if (r) {
		/* undo our side; a failed open is not released */
		if (r != -ENXIO && r != -EINVAL) {
			if (f->f_mode & FMODE_READ)
				p->readers--;
			if (f->f_mode & FMODE_WRITE)
				p->writers--;
			wake_up(&p->rd_wait);
			wake_up(&p->wr_wait);
		}
		if (!p->readers && !p->writers && inode->i_pipe == p) {
			inode->i_pipe = NULL;
			free_pipe_info(p);
		}
		f->c.private_data = NULL;
		return (int)r;
	}
	return 0;
}

const struct file_operations fifo_fops = {
	.open = fifo_open,
	.read = pipe_read,
	.write = pipe_write,
	.read_kernel = pipe_read_kernel,
	.write_kernel = pipe_write_kernel,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
};

static struct super_block *pipefs_mount(struct file_system_type *type,
					int flags, const char *dev,
					const void *data)
{
	return pseudo_fs_mount(type, flags, PIPEFS_MAGIC);
}

/* Not registered: pipefs cannot be mounted from user space. */
static struct file_system_type pipefs_type = {
	.name = "pipefs",
	.mount = pipefs_mount,
};

int pipe_init(void)
{
	struct vfsmount *m = vfs_kern_mount(&pipefs_type, MS_KERNMOUNT,
					    "pipefs", NULL);

	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	pipe_mnt = m;
	return 0;
}

/* Both ends of a new pipe, sharing one anonymous inode. */
static int create_pipe_files(struct file **res, int flags)
{
	struct pipe_inode_info *p;
	struct inode *inode;
	struct path path;
	struct file *r, *w;

	if (!pipe_mnt)
		return -ENFILE;
	inode = new_inode(pipe_mnt->mnt_sb);
	if (!inode)
		return -ENFILE;
	p = alloc_pipe_info();
	if (!p) {
		iput(inode);
		return -ENFILE;
	}
	inode->i_mode = S_IFIFO | 0600;
	inode->i_uid = current_fsuid();
	inode->i_gid = current_fsgid();
	inode->i_fop = &fifo_fops;
	inode->i_pipe = p;
	p->readers = p->writers = 1;
	p->r_counter = p->w_counter = 1;
	path.mnt = pipe_mnt;
	path.dentry = d_alloc_root(inode);
	if (!path.dentry) {
		iput(inode);
		return -ENFILE;
	}
	r = alloc_file(&path, O_RDONLY | (flags & O_NONBLOCK), &fifo_fops);
	w = alloc_file(&path, O_WRONLY | (flags & O_NONBLOCK), &fifo_fops);
	dput(path.dentry);
	if (!r || !w) {
		/* release through the files so the counts stay right */
		if (r) {
			r->c.private_data = p;
		} else {
			p->readers--;
		}
		if (w) {
			w->c.private_data = p;
		} else {
			p->writers--;
		}
		fput(r);
		fput(w);
		return -ENFILE;
	}
	r->c.private_data = p;
	w->c.private_data = p;
	r->f_mode &= ~FMODE_LSEEK;
	w->f_mode &= ~FMODE_LSEEK;
	res[0] = r;
	res[1] = w;
	return 0;
}

#define O_NOTIFICATION_PIPE	O_EXCL

static long do_pipe2(uaddr_t fildes, int flags)
{
	struct file *files[2];
	int fd[2], r;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE))
		return -EINVAL;
	if (flags & (O_DIRECT | O_NOTIFICATION_PIPE))
		return -EINVAL;	/* packet and notification pipes: not here */
	r = create_pipe_files(files, flags);
	if (r)
		return r;
	fd[0] = fd_install_cur(files[0], flags);
	if (fd[0] < 0) {
		fput(files[0]);
		fput(files[1]);
		return fd[0];
	}
	fd[1] = fd_install_cur(files[1], flags);
	if (fd[1] < 0) {
		close_fd(fd[0]);
		fput(files[1]);
		return fd[1];
	}
	if (copy_to_user(fildes, fd, sizeof(fd))) {
		close_fd(fd[0]);
		close_fd(fd[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE2(pipe2, uaddr_t, fildes, int, flags)
{
	return do_pipe2(fildes, flags);
}

SYSCALL_DEFINE1(pipe, uaddr_t, fildes)
{
	return do_pipe2(fildes, 0);
}
