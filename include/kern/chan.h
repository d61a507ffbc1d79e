/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host channels behind consoles and serial lines (UML's chan_user): a line
 * is an input channel and an output channel, each fd:N or null for now.
 */
#ifndef KERN_CHAN_H
#define KERN_CHAN_H

#include "kern/kernel.h"

enum chan_type { CHAN_NONE, CHAN_NULL, CHAN_FD };

struct chan {
	enum chan_type type;
	int fd;			/* CHAN_FD: the host fd */
};

struct line_chans {
	bool present;		/* false for "none" */
	struct chan in, out;
};

/* Parses "none", "<chan>" or "<in>,<out>". 0 or -EINVAL. */
int chan_parse_line(const char *spec, struct line_chans *lc);
int chan_spec_valid(const char *spec);
/* Describes a line's channels as `config conN` does: "fd:0,fd:1". */
int chan_describe(const struct line_chans *lc, char *buf, size_t len);

#endif
