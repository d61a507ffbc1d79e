/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host half of the management console (mconsole_user.c): the AF_UNIX
 * datagram socket in the umid directory and the notify socket. Neutral
 * types only; the wire format is tools/lib/mconsole.h.
 */
#ifndef DRIVERS_MCONSOLE_H
#define DRIVERS_MCONSOLE_H

#include <stddef.h>
#include <stdint.h>

/* A client's address (struct sockaddr_un, opaque here). */
struct mc_peer {
	unsigned char addr[112];
	unsigned int len;
};

/* Binds the server socket at path: an fd or -errno. */
int mconsole_user_socket(const char *path);
/* Waits for one datagram (at most len bytes kept): its length or -errno. */
long mconsole_user_recv(int fd, void *buf, size_t len, struct mc_peer *from);
/* Sends one datagram to peer, waiting at most about a second for room:
 * 0 or -errno (the client is gone or does not read). */
int mconsole_user_send(int fd, const void *buf, size_t len,
		       const struct mc_peer *to);
/* One datagram to the notify socket at path, from an unbound socket. */
int mconsole_user_notify(const char *path, const void *buf, size_t len);

#endif
