// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/unix, in Linux's format (what ss and netstat parse): one line
 * per live socket, kernel addresses shown as zeros as to an unprivileged
 * reader, abstract names with a leading '@' and NULs as '@'.
 */
#include "af_unix.h"

#define SO_ACCEPTCON_FLAG	(1 << 16)

int unix_proc_show(int (*emit)(void *ctx, const char *s, size_t len),
		   void *ctx)
{
	static const char head[] =
		"Num       RefCount Protocol Flags    Type St Inode Path\n";
	struct unix_sock *u;
	char line[64 + 2 * UNIX_ADDR_MAX];
	int r = emit(ctx, head, sizeof(head) - 1);

	list_for_each_entry(u, &unix_all, all_link) {
		int st, n;

		if (r)
			return r;
		if (u->dead)
			continue;
		if (u->sock)
			st = u->state == US_ESTABLISHED ? SS_CONNECTED :
			     SS_UNCONNECTED;
		else
			st = u->state == US_ESTABLISHED ? SS_CONNECTING :
			     SS_DISCONNECTING;
		n = snprintf(line, sizeof(line),
			     "0000000000000000: %08X %08X %08X %04X %02X %5lu",
			     (unsigned int)u->refs, 0u,
			     u->state == US_LISTEN ? SO_ACCEPTCON_FLAG : 0u,
			     (unsigned int)u->type, (unsigned int)st,
			     u->sock ? u->sock->ino : 0UL);
		if (u->addr) {
			const char *p = u->addr->name.path;
			int len = u->addr->len - 2, i = 0;

			line[n++] = ' ';
			if (p[0]) {
				len--;
			} else {
				line[n++] = '@';
				i = 1;
			}
			for (; i < len; i++)
				line[n++] = p[i] ? p[i] : '@';
		}
		line[n++] = '\n';
		r = emit(ctx, line, (size_t)n);
	}
	return r;
}
