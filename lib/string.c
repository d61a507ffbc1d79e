// SPDX-License-Identifier: GPL-2.0
/* String helpers the C library does not have in this shape. */
#include "kern/kernel.h"

char *kstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = kmalloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

char *kstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = kmalloc(len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

char *kasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = kmalloc((size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len >= size ? size - 1 : len;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

int kstrtoull(const char *s, int base, unsigned long long *res)
{
	char *end;

	if (!*s || *s == '-' || *s == ' ')
		return -EINVAL;
	*res = strtoull(s, &end, base);
	if (*end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

int kstrtoint(const char *s, int base, int *res)
{
	char *end;
	long v;

	if (!*s)
		return -EINVAL;
	v = strtol(s, &end, base);
	if (*end == '\n')
		end++;
	if (*end || v > 0x7fffffffL || v < -0x7fffffffL - 1)
		return -EINVAL;
	*res = (int)v;
	return 0;
}
