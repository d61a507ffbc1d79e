// SPDX-License-Identifier: GPL-2.0
/* The host terminals behind fd channels: raw mode, restored at exit. */
#include <errno.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "os.h"

#define MAX_SAVED 8
static struct { int fd; struct termios tio; } saved[MAX_SAVED];
static int nsaved;

int os_tty_raw(int fd)
{
	struct termios tio;

	if (!isatty(fd))
		return -ENOTTY;
	if (tcgetattr(fd, &tio) < 0)
		return -errno;
	for (int i = 0; i < nsaved; i++)
		if (saved[i].fd == fd)
			goto set;
	if (nsaved < MAX_SAVED) {
		saved[nsaved].fd = fd;
		saved[nsaved].tio = tio;
		nsaved++;
	}
set:
	cfmakeraw(&tio);
	/* keep output post-processing off too: the guest does its own */
	if (tcsetattr(fd, TCSADRAIN, &tio) < 0)
		return -errno;
	return 0;
}

void os_tty_restore_all(void)
{
	for (int i = 0; i < nsaved; i++)
		tcsetattr(saved[i].fd, TCSADRAIN, &saved[i].tio);
}

int os_tty_winsize(int fd, uint16_t *rows, uint16_t *cols)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
		return -errno;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return 0;
}
