// SPDX-License-Identifier: GPL-2.0
/* Host half of the management console: its sockets. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include "mconsole.h"

_Static_assert(sizeof(((struct mc_peer *)0)->addr) >= sizeof(struct sockaddr_un),
	       "mc_peer holds a sockaddr_un");

static int fill_addr(struct sockaddr_un *sun, const char *path)
{
	size_t n = strlen(path);

	if (n >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, n);
	return 0;
}

int mconsole_user_socket(const char *path)
{
	struct sockaddr_un sun;
	struct timeval tv = { 1, 0 };
	int fd, r;

	r = fill_addr(&sun, path);
	if (r)
		return r;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);		/* a stale socket of a reclaimed directory */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

long mconsole_user_recv(int fd, void *buf, size_t len, struct mc_peer *from)
{
	socklen_t alen = sizeof(from->addr);
	ssize_t n;

	memset(from->addr, 0, sizeof(from->addr));
	n = recvfrom(fd, buf, len, 0, (struct sockaddr *)from->addr, &alen);
	if (n < 0)
		return -errno;
	from->len = alen > sizeof(from->addr) ? sizeof(from->addr) : alen;
	return n;
}

int mconsole_user_send(int fd, const void *buf, size_t len,
		       const struct mc_peer *to)
{
	ssize_t n;

	/* an unbound sender has no address: nothing can reach it */
	if (to->len <= sizeof(sa_family_t))
		return -ENOTCONN;
	do {
		n = sendto(fd, buf, len, 0, (const struct sockaddr *)to->addr,
			   to->len);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

int mconsole_user_notify(const char *path, const void *buf, size_t len)
{
	struct sockaddr_un sun;
	ssize_t n;
	int fd, r;

	r = fill_addr(&sun, path);
	if (r)
		return r;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n = sendto(fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&sun,
		   sizeof(sun));
	r = n < 0 ? -errno : 0;
	close(fd);
	return r;
}
