// SPDX-License-Identifier: GPL-2.0
/* Host clocks. */
#include <time.h>
#include "os.h"

uint64_t os_clock_ns(int clock)
{
	struct timespec ts;

	clock_gettime((clockid_t)clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t os_clock_res_ns(int clock)
{
	struct timespec ts;

	if (clock_getres((clockid_t)clock, &ts) < 0)
		return 1;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
