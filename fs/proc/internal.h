/* SPDX-License-Identifier: GPL-2.0 */
/* procfs internals. */
#ifndef FS_PROC_INTERNAL_H
#define FS_PROC_INTERNAL_H

#include "kern/vfs.h"

#define PROC_MAX_FILE	(4U << 20)

/* A file's text, rendered at open. */
struct seq {
	char *buf;
	size_t len, cap;
};

int seq_printf(struct seq *s, const char *fmt, ...) __printf(2, 3);
int seq_write(struct seq *s, const void *data, size_t len);

typedef int (*proc_emit_fn)(void *ctx, const char *name, int len, u64 ino,
			    unsigned int type, loff_t next_pos);

struct proc_entry {
	const char *name;
	mode_t mode;
	unsigned int flags;
#define PROC_OWNED	1	/* owned by the process's euid/egid */
	int (*show)(struct inode *inode, struct seq *s);
	ssize_t (*write)(struct inode *inode, const char *buf, size_t len);
	char *(*link)(struct inode *inode);
	/* a magic link: where following it leads (counted) */
	int (*jump)(struct inode *inode, struct path *p);
	const struct proc_entry *children;
	int (*lookup)(struct inode *dir, struct dentry *d);
	int (*iterate)(struct file *f, void *ctx, proc_emit_fn emit);
	/* a file that is not rendered text (/proc/kmsg): its own operations */
	const struct file_operations *fops;
	/* an entry that exists only while this says so (NULL: always) */
	bool (*visible)(void);
};

struct proc_inode {
	const struct proc_entry *entry;
	pid_t pid;		/* a process, or a thread if thread */
	int fd;
	bool thread;		/* below /proc/PID/task/TID */
};

extern const struct proc_entry proc_root_entry;
extern const struct proc_entry proc_pid_entry;
extern const struct inode_operations proc_dir_iops, proc_link_iops,
	proc_magic_iops;
extern const struct file_operations proc_dir_fops, proc_file_fops;
extern struct file_system_type proc_fs_type;

struct proc_inode *PI(struct inode *inode);
struct inode *proc_make_inode(struct super_block *sb,
			      const struct proc_entry *e, pid_t pid, int fd);
struct task *proc_task(struct inode *inode);
bool proc_may_access(struct task *t);
int proc_emit_static(struct file *f, void *ctx, proc_emit_fn emit,
		     const struct proc_entry *children, loff_t base);

/* fs/proc/base.c */
extern const struct proc_entry proc_tid_entry;
int proc_root_lookup_pid(struct inode *dir, struct dentry *d);
int proc_root_iterate_pids(struct file *f, void *ctx, proc_emit_fn emit,
			   loff_t first);

#endif
