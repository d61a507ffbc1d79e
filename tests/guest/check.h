/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest conformance programs share: fail() prints one
 * "FAIL: ..." line and counts it; EXPECT_ERR checks a call fails with an
 * errno, EXPECT_VAL that it returns a value. A program ends with
 * "return check_done();", which prints PASS if nothing failed.
 */
#ifndef GUEST_CHECK_H
#define GUEST_CHECK_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

static void __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("FAIL: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	failures++;
}

#define EXPECT_ERR(call, err) do {					\
		errno = 0;						\
		long _r = (long)(call);					\
		if (_r != -1 || errno != (err))				\
			fail("%s: got %ld errno %d, want errno %d (line %d)", \
			     #call, _r, errno, (err), __LINE__);	\
	} while (0)

#define EXPECT_VAL(call, val) do {					\
		errno = 0;						\
		long _r = (long)(call);					\
		if (_r != (long)(val))					\
			fail("%s: got %ld errno %d, want %ld (line %d)", \
			     #call, _r, errno, (long)(val), __LINE__);	\
	} while (0)

static inline int check_done(void)
{
	if (failures)
		return 1;
	printf("PASS\n");
	return 0;
}

#endif
