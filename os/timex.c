// SPDX-License-Identifier: GPL-2.0
/* The host clock's discipline state, read-only (adjtimex modes 0 or
 * ADJ_OFFSET_SS_READ). */
#include <errno.h>
#include <string.h>
#include <sys/timex.h>

#include "os.h"

int os_adjtimex_read(unsigned int modes, void *buf, size_t len)
{
	struct timex tx;
	int r;

	if (len != sizeof(tx) || (modes && modes != ADJ_OFFSET_SS_READ))
		return -EINVAL;
	memset(&tx, 0, sizeof(tx));
	tx.modes = modes;
	r = adjtimex(&tx);
	if (r < 0)
		return -errno;
	memcpy(buf, &tx, sizeof(tx));
	return r;
}
