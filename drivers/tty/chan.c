// SPDX-License-Identifier: GPL-2.0
/* Channel specs: "fd:N", "null", "none" and "<in>,<out>" pairs. */
#include "kern/chan.h"

static int parse_chan(const char *s, size_t len, struct chan *c)
{
	char buf[32];
	char *end;
	unsigned long fd;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = 0;
	if (!strncmp(buf, "null", 4)) {
		c->type = CHAN_NULL;
		c->fd = -1;
		return 0;
	}
	if (!strncmp(buf, "fd:", 3) && buf[3]) {
		fd = strtoul(buf + 3, &end, 0);
		if (*end || fd > 1023)
			return -EINVAL;
		c->type = CHAN_FD;
		c->fd = (int)fd;
		return 0;
	}
	return -EINVAL;
}

int chan_parse_line(const char *spec, struct line_chans *lc)
{
	const char *comma = strchr(spec, ',');

	memset(lc, 0, sizeof(*lc));
	if (!strcmp(spec, "none"))
		return 0;
	if (comma) {
		if (parse_chan(spec, (size_t)(comma - spec), &lc->in) < 0 ||
		    parse_chan(comma + 1, strlen(comma + 1), &lc->out) < 0)
			return -EINVAL;
	} else {
		if (parse_chan(spec, strlen(spec), &lc->in) < 0)
			return -EINVAL;
		lc->out = lc->in;
	}
	lc->present = true;
	return 0;
}

int chan_spec_valid(const char *spec)
{
	struct line_chans lc;

	return chan_parse_line(spec, &lc) == 0;
}

static int describe_one(const struct chan *c, char *buf, size_t len)
{
	if (c->type == CHAN_FD)
		return snprintf(buf, len, "fd:%d", c->fd);
	return snprintf(buf, len, "null");
}

int chan_describe(const struct line_chans *lc, char *buf, size_t len)
{
	int n;

	if (!lc->present)
		return snprintf(buf, len, "none");
	n = describe_one(&lc->in, buf, len);
	if (n < 0 || (size_t)n >= len)
		return n;
	if (lc->in.type == lc->out.type && lc->in.fd == lc->out.fd)
		return n;
	buf[n++] = ',';
	return n + describe_one(&lc->out, buf + n, len - (size_t)n);
}
