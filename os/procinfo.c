// SPDX-License-Identifier: GPL-2.0
/* What the host's /proc says about the host processes carrying guests. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "os.h"

long os_process_rss_kb(int pid)
{
	char path[64], buf[256];
	unsigned long size, resident;
	ssize_t n;
	int fd;

	if (pid <= 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	if (sscanf(buf, "%lu %lu", &size, &resident) != 2)
		return -EIO;
	return (long)(resident * (unsigned long)(sysconf(_SC_PAGESIZE) / 1024));
}
