// SPDX-License-Identifier: GPL-2.0
/*
 * ubd: UML's block devices, disks backed by host files.
 *
 *   ubd<n><flags>=<file>[,<backing>[,<serial>]]   (',' or ':')
 *
 * n is 0..15 or a..p; the disk is /dev/ubd<letter>, major 98, minor 16n.
 * Flags: r read-only, s synchronous, d no COW detection, c no host lock,
 * t no discard. With a backing file, <file> is a COW file over it
 * (ubd_cow.c).
 *
 * Host I/O runs without the kernel lock (unless the caller asks to keep
 * it), so a task waiting on a disk lets the others run. A disk's shared
 * state (its COW bitmap) is only changed with the lock held; the data
 * transfers themselves need no lock: pread/pwrite on distinct ranges do
 * not interfere, and overlapping requests in flight at once are as
 * unordered as on real hardware.
 */
#include "kern/blkdev.h"
#include "kern/init.h"
#include "kern/sched.h"
#include "kern/platform.h"
#include "ubd_int.h"

struct ubd ubd_devs[UBD_MAX_DEV];
static bool ubd_all_sync;	/* ubd=sync */

/* ---- host I/O without the kernel lock ---- */

static bool io_begin(unsigned int flags)
{
	if ((flags & BLK_HOLD_LOCK) || !os_kernel_lock_held())
		return false;
	if (current && current->pth)
		plat_set_blocking(current->pth, true);
	os_kernel_unlock();
	return true;
}

static void io_end(bool unlocked)
{
	if (unlocked)
		os_kernel_lock();
}

int ubd_pread(int fd, void *buf, size_t len, u64 off, unsigned int flags)
{
	bool u = io_begin(flags);
	int r = ubd_user_pread(fd, buf, len, off);

	io_end(u);
	return r;
}

/* A whole-zero 4 KiB host block is punched rather than written, so that
 * sparse images stay sparse. */
#define ZBLOCK	4096U

static bool all_zero(const char *p, size_t len)
{
	const u64 *w = (const u64 *)p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i])
			return false;
	for (i = len & ~(size_t)7; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * Writes len bytes at off, punching runs of whole zero host blocks
 * instead (the file keeps its size; the range reads zeroes either way).
 */
int ubd_pwrite(struct ubd *d, int fd, const void *buf, size_t len, u64 off,
	       unsigned int flags)
{
	const char *p = buf;
	bool u = io_begin(flags), punched = false;
	size_t i = 0;
	int r = 0;

	while (i < len && !r) {
		/* a run of pieces of one kind, a piece up to a block edge */
		size_t start = i;
		bool zero = false;

		while (i < len) {
			size_t n = min((size_t)(ZBLOCK - (off + i) % ZBLOCK),
				       len - i);
			bool z = n == ZBLOCK && all_zero(p + i, n);

			if (i > start && z != zero)
				break;
			zero = z;
			i += n;
		}
		/* (requests run without the kernel lock: atomics) */
		if (zero && !__atomic_load_n(&d->no_punch, __ATOMIC_RELAXED)) {
			if (!ubd_user_punch(fd, off + start, i - start)) {
				punched = true;
				continue;
			}
			/* the host file cannot: write zeroes from now on */
			__atomic_store_n(&d->no_punch, true, __ATOMIC_RELAXED);
		}
		r = ubd_user_pwrite(fd, p + start, i - start, off + start);
	}
	/* O_SYNC covers the writes, not the hole punching. */
	if (!r && (punched && d->sync))
		r = ubd_user_sync(fd);
	io_end(u);
	return r;
}

int ubd_punch(struct ubd *d, int fd, u64 off, u64 len, unsigned int flags)
{
	bool u = io_begin(flags);
	int r = ubd_user_punch(fd, off, len);

	if (!r && d->sync)
		r = ubd_user_sync(fd);
	io_end(u);
	return r;
}

int ubd_sync(int fd, unsigned int flags)
{
	bool u = io_begin(flags);
	int r = ubd_user_sync(fd);

	io_end(u);
	return r;
}

/* ---- the block device ---- */

static int ubd_rw(struct block_device *b, int op, u64 off, void *buf,
		  size_t len, unsigned int flags)
{
	struct ubd *d = b->private_data;
	int r;

	if (d->cow)
		return ubd_cow_rw(d, op, off, buf, len, flags);
	if (op == BLK_READ)
		return ubd_pread(d->fd, buf, len, off, flags);
	r = ubd_pwrite(d, d->fd, buf, len, off, flags);
	if (!r && (flags & BLK_FUA) && !d->sync)
		r = ubd_sync(d->fd, flags);
	return r;
}

static int ubd_flush(struct block_device *b, unsigned int flags)
{
	struct ubd *d = b->private_data;

	if (d->ro)
		return 0;
	return ubd_sync(d->fd, flags);
}

static int ubd_discard(struct block_device *b, u64 off, u64 len,
		       unsigned int flags)
{
	struct ubd *d = b->private_data;

	if (d->cow)
		return ubd_cow_discard(d, off, len, flags);
	return ubd_punch(d, d->fd, off, len, flags);
}

/* ubd answers the requests the block layer does not know with EINVAL,
 * not ENOTTY, as the real driver does. */
static long ubd_ioctl(struct block_device *b, unsigned int cmd,
		      unsigned long arg)
{
	return -EINVAL;
}

static const struct block_device_operations ubd_ops = {
	.rw = ubd_rw,
	.flush = ubd_flush,
	.discard = ubd_discard,
	.ioctl = ubd_ioctl,
};

/* ---- opening the files ---- */

/* "ubd0: why" into d->err (for the boot error or mconsole's reply). */
__printf(2, 3) int ubd_err(struct ubd *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(d->err, sizeof(d->err), "ubd%d: ", d->n);
	va_start(ap, fmt);
	vsnprintf(d->err + n, sizeof(d->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The errno's text, for messages. */
const char *ubd_strerror(int err, char *buf, size_t size)
{
	ubd_user_strerror(err, buf, size);
	return buf;
}

int ubd_lock(struct ubd *d, int fd, const char *path, bool write)
{
	char eb[64];
	int holder, r;

	if (d->shared)
		return 0;
	r = ubd_user_lock(fd, write, &holder);
	if (r == -EAGAIN) {
		if (holder)
			ubd_err(d, "%s is locked by pid %d (another UML?)",
				path, holder);
		else
			ubd_err(d, "%s is locked by another process (another UML?)",
				path);
		return -EBUSY;
	}
	if (r)
		ubd_err(d, "cannot lock %s: %s", path,
			ubd_strerror(r, eb, sizeof(eb)));
	return r;
}

/*
 * Opens path for the disk: read-write unless the disk is read-only; a
 * file the host will not let us write makes the disk read-only, as the
 * real UML does.
 */
int ubd_open_file(struct ubd *d, const char *path, int *fd)
{
	char eb[64];
	int r;

	r = ubd_user_open(path, !d->ro, d->sync, fd);
	if (!d->ro && (r == -EROFS || r == -EACCES)) {
		d->ro = true;
		r = ubd_user_open(path, false, false, fd);
	}
	if (r)
		return ubd_err(d, "cannot open %s: %s", path,
			       ubd_strerror(r, eb, sizeof(eb)));
	return 0;
}

static void ubd_close_files(struct ubd *d)
{
	ubd_user_close(d->fd);
	ubd_user_close(d->bfd);
	d->fd = d->bfd = -1;
	kfree(d->cow);
	kfree(d->bitmap);
	d->cow = NULL;
	d->bitmap = NULL;
}

static int ubd_open_raw(struct ubd *d, const char *path)
{
	struct ubd_stat st;
	char eb[64];
	int r;

	r = ubd_open_file(d, path, &d->fd);
	if (r)
		return r;
	r = ubd_user_fstat(d->fd, &st);
	if (r)
		return ubd_err(d, "%s: %s", path,
			       ubd_strerror(r, eb, sizeof(eb)));
	r = ubd_lock(d, d->fd, path, !d->ro);
	if (r)
		return r;
	/* A last partial sector reads as zeroes and grows the file when
	 * written, as in the real UML. */
	d->size = ALIGN(st.size, (u64)SECTOR_SIZE);
	return 0;
}

static int ubd_open_dev(struct ubd *d)
{
	int r;

	d->fd = d->bfd = -1;
	d->no_punch = false;
	d->ro = d->flag_ro;
	d->sync = d->flag_sync || ubd_all_sync;
	r = ubd_cow_probe(d);
	if (r == 0)
		r = ubd_open_raw(d, d->file);
	if (r < 0) {
		ubd_close_files(d);
		return r;
	}
	return 0;
}

int ubd_add(struct ubd *d)
{
	struct block_device *b = &d->bd;
	int r;

	r = ubd_open_dev(d);
	if (r)
		return r;
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "ubd%c", 'a' + d->n);
	b->dev = MKDEV(UBD_MAJOR, d->n * UBD_MINORS);
	b->size = d->size;
	b->logical_block_size = SECTOR_SIZE;
	b->minors = UBD_MINORS;
	b->read_only = d->ro;
	b->discard = !d->flag_no_trim;
	b->ops = &ubd_ops;
	b->private_data = d;
	strlcpy(b->serial, d->serial ? d->serial : "", sizeof(b->serial));
	r = add_disk(b);
	if (r) {
		ubd_close_files(d);
		return ubd_err(d, "cannot register %s: error %d", b->name, r);
	}
	d->added = true;
	return 0;
}

/* Takes disk n away: -EBUSY while open or mounted. */
int ubd_remove(struct ubd *d)
{
	int r;

	if (!d->added)
		return -ENODEV;
	r = del_disk(&d->bd);
	if (r)
		return r;
	if (!d->ro)
		ubd_user_sync(d->fd);
	ubd_close_files(d);
	d->added = false;
	ubd_config_free(d);
	return 0;
}

/* ---- command line ---- */

void ubd_config_free(struct ubd *d)
{
	kfree(d->spec);
	kfree(d->config);
	d->config = NULL;
	d->spec = d->file = d->backing = d->serial = NULL;
	d->configured = false;
}

/*
 * Parses what follows "ubd" ("0r=file,backing"): fills a free slot.
 * Returns the device number, or -EINVAL with *why set.
 */
int ubd_parse(const char *str, const char **why)
{
	const char *s = str, *eq;
	char *end, *p, *q, *fields[3] = { NULL, NULL, NULL };
	struct ubd *d;
	unsigned long n;
	int nflags = 0, i;
	bool fr = false, fs = false, fd = false, fc = false, ft = false;

	if (*s >= 'a' && *s <= 'z') {
		n = (unsigned long)(*s - 'a');
		s++;
	} else {
		n = strtoul(s, &end, 0);
		if (end == s || *s < '0' || *s > '9') {
			*why = "Couldn't parse device number";
			return -EINVAL;
		}
		s = end;
	}
	if (n >= UBD_MAX_DEV) {
		*why = "Device number out of range";
		return -EINVAL;
	}
	eq = strchr(s, '=');
	if (!eq) {
		*why = "Missing '='";
		return -EINVAL;
	}
	for (; s < eq; s++) {
		switch (*s) {
		case 'r': fr = true; break;
		case 's': fs = true; break;
		case 'd': fd = true; break;
		case 'c': fc = true; break;
		case 't': ft = true; break;
		default:
			*why = "Expected '=' or flag letter (r, s, c, t or d)";
			return -EINVAL;
		}
		if (++nflags > 6) {
			*why = "Too many flags specified";
			return -EINVAL;
		}
	}
	d = &ubd_devs[n];
	if (d->configured) {
		*why = "Device is already configured";
		return -EINVAL;
	}
	p = kstrdup(eq + 1);
	if (!p) {
		*why = "Out of memory";
		return -ENOMEM;
	}
	/* file[,backing[,serial]]: an empty field is absent */
	for (i = 0, q = p; i < 3 && q; i++) {
		char *sep = q;

		while (i < 2 && *sep && *sep != ',' && *sep != ':')
			sep++;
		if (i == 2 || !*sep)
			sep = NULL;

		if (sep)
			*sep = '\0';
		fields[i] = *q ? q : NULL;
		q = sep ? sep + 1 : NULL;
	}
	if (!fields[0] && !fields[1]) {
		kfree(p);
		*why = "Missing file name";
		return -EINVAL;
	}
	if (fd && fields[1]) {
		kfree(p);
		*why = "Can't specify both 'd' and a cow file";
		return -EINVAL;
	}
	if (fields[2] && strlen(fields[2]) >= sizeof(d->bd.serial)) {
		kfree(p);
		*why = "Serial is too long (at most 31 characters)";
		return -EINVAL;
	}
	d->n = (int)n;
	d->spec = p;
	d->config = kstrdup(eq + 1);
	if (!d->config) {
		kfree(p);
		*why = "Out of memory";
		return -ENOMEM;
	}
	/* With one file in the second field, it is the image itself. */
	if (!fields[0]) {
		d->file = fields[1];
		d->backing = NULL;
	} else {
		d->file = fields[0];
		d->backing = fields[1];
	}
	d->serial = fields[2];
	d->flag_ro = fr;
	d->flag_sync = fs;
	d->flag_no_cow = fd;
	d->shared = fc;
	d->flag_no_trim = ft;
	d->configured = true;
	return (int)n;
}

static const char *ubd_args[UBD_MAX_DEV];	/* for boot error messages */

static int ubd_setup(const char *arg, const char *value)
{
	const char *why = NULL;
	int n;

	if (*value == '=') {
		/* ubd=sync; ubd=<major> is the old fake-major option */
		if (!strcmp(value + 1, "sync")) {
			ubd_all_sync = true;
			return 0;
		}
		if (value[1] >= '0' && value[1] <= '9') {
			printk(KERN_WARNING "fake major not supported any more\n");
			return 0;
		}
		param_fail(arg, "ubd=: expected 'sync'");
		return -EINVAL;
	}
	n = ubd_parse(value, &why);
	if (n < 0) {
		param_fail(arg, why);
		return n;
	}
	ubd_args[n] = arg;
	return 0;
}

__uml_setup("ubd", ubd_setup,
"ubd<n><flags>=<file>[(,|:)<backing>[(,|:)<serial>]]\n"
"    Disk n (0-15 or a-p, /dev/ubda...) backed by the host file <file>.\n"
"    With <backing>, <file> is a copy-on-write file over it (created if\n"
"    missing) and <backing> is only read. Flags: r read-only, s every\n"
"    write reaches the host before it completes, d no COW detection,\n"
"    c no host file locking, t no discard. ubd=sync makes every disk\n"
"    synchronous.\n");

static int udb_setup(const char *arg, const char *value)
{
	printk(KERN_WARNING "udb%s specified on command line is almost "
	       "certainly a ubd -> udb TYPO\n", value);
	return 0;
}

__uml_setup("udb", udb_setup,
"udb\n"
"    Catches a udb typo for ubd: warns and is otherwise ignored.\n");

static int ubd_init(void)
{
	int r;

	r = register_blkdev(UBD_MAJOR, "ubd");
	if (r)
		return r;
	ubd_mc_init();
	for (int n = 0; n < UBD_MAX_DEV; n++) {
		struct ubd *d = &ubd_devs[n];

		if (!d->configured)
			continue;
		r = ubd_add(d);
		if (r) {
			param_fail(ubd_args[n], d->err);
			return r;
		}
	}
	return 0;
}
device_initcall(ubd_init);

/*
 * A clean shutdown: everything written reaches the host files. The files
 * (and their locks) go with the process, or with the exec of a reboot
 * (they are close-on-exec): closing them here could pull an fd from under
 * a task still in the middle of a request.
 */
static int ubd_exit(void)
{
	for (int n = 0; n < UBD_MAX_DEV; n++) {
		struct ubd *d = &ubd_devs[n];

		if (d->added && !d->ro)
			ubd_user_sync(d->fd);
	}
	return 0;
}
exitcall(ubd_exit);
