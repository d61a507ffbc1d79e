/*
 * The mconsole wire protocol: encoding and checking of datagrams. See
 * mconsole.h. No libc here (the kernel will build this file too), hence
 * the byte loops.
 */
#include "mconsole.h"

static void put32(unsigned char *p, uint32_t v)
{
	const unsigned char *s = (const unsigned char *)&v;

	for (int i = 0; i < 4; i++)
		p[i] = s[i];
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;
	unsigned char *d = (unsigned char *)&v;

	for (int i = 0; i < 4; i++)
		d[i] = p[i];
	return v;
}

static void copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
}

static void zero(void *dst, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = 0;
}

int mconsole_encode_request(void *buf, size_t size, const char *cmd,
			    size_t len)
{
	unsigned char *p = buf;

	if (len >= MCONSOLE_MAX_DATA || size < MCONSOLE_REQ_SIZE)
		return -1;
	zero(p, MCONSOLE_REQ_SIZE);
	put32(p, MCONSOLE_MAGIC);
	put32(p + 4, MCONSOLE_VERSION);
	put32(p + 8, (uint32_t)len);
	copy(p + MCONSOLE_REQ_HDR, cmd, len);
	return MCONSOLE_REQ_SIZE;
}

int mconsole_decode_request(const void *buf, size_t n,
			    struct mconsole_request *req)
{
	const unsigned char *p = buf;

	if (n > MCONSOLE_REQ_SIZE)
		n = MCONSOLE_REQ_SIZE;	/* the server reads no more */
	if (n < 4)
		return MCONSOLE_REQ_SHORT;
	req->magic = get32(p);
	if (req->magic != MCONSOLE_MAGIC)
		return MCONSOLE_REQ_BADMAGIC;
	if (n < MCONSOLE_REQ_HDR)
		return MCONSOLE_REQ_SHORT;
	req->version = get32(p + 4);
	req->len = get32(p + 8);
	if (req->len >= MCONSOLE_MAX_DATA)
		return MCONSOLE_REQ_TOOBIG;
	if (req->len > n - MCONSOLE_REQ_HDR)
		return MCONSOLE_REQ_TRUNCATED;
	copy(req->data, p + MCONSOLE_REQ_HDR, req->len);
	req->data[req->len] = '\0';
	if (req->version != MCONSOLE_VERSION)
		return MCONSOLE_REQ_BADVERSION;
	return MCONSOLE_REQ_OK;
}

int mconsole_encode_reply(void *buf, size_t size, uint32_t err, bool more,
			  const char *text, size_t len)
{
	unsigned char *p = buf;

	if (len > MCONSOLE_MAX_CHUNK || size < MCONSOLE_REPLY_HDR + len + 1)
		return -1;
	put32(p, err);
	put32(p + 4, more ? 1 : 0);
	put32(p + 8, (uint32_t)len + 1);
	copy(p + MCONSOLE_REPLY_HDR, text, len);
	p[MCONSOLE_REPLY_HDR + len] = '\0';
	return (int)(MCONSOLE_REPLY_HDR + len + 1);
}

static bool starts_with(const unsigned char *p, size_t n, const char *s)
{
	for (; *s; s++, p++, n--)
		if (!n || *p != (unsigned char)*s)
			return false;
	return true;
}

static int bad(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -1;
}

int mconsole_decode_reply(const void *buf, size_t n,
			  struct mconsole_reply *rep, const char **why)
{
	const unsigned char *p = buf;
	const unsigned char *text = p + MCONSOLE_REPLY_HDR;

	if (starts_with(p, n, "ERR Version 0"))
		return bad(why, "the server took the request for a version 0 one");
	if (n < MCONSOLE_REPLY_HDR + 1)
		return bad(why, "short datagram");
	if (n > MCONSOLE_REPLY_SIZE)
		return bad(why, "oversize datagram");
	rep->err = get32(p);
	rep->more = get32(p + 4);
	rep->len = get32(p + 8);
	if (rep->more > 1)
		return bad(why, "bad 'more' flag");
	if (rep->len == 0 || rep->len > MCONSOLE_MAX_DATA)
		return bad(why, "bad length");
	if (rep->len != n - MCONSOLE_REPLY_HDR)
		return bad(why, "length disagrees with the datagram's");
	/* NULs inside are legal: proc of a file holding them sends them. */
	if (text[rep->len - 1] != '\0')
		return bad(why, "text not NUL-terminated");
	copy(rep->data, text, rep->len);
	return 0;
}

int mconsole_encode_notify(void *buf, size_t size, uint32_t type,
			   const void *data, size_t len)
{
	unsigned char *p = buf;

	if (len > MCONSOLE_MAX_DATA)
		len = MCONSOLE_MAX_DATA;
	if (size < MCONSOLE_NOTIFY_HDR + len)
		return -1;
	put32(p, MCONSOLE_MAGIC);
	put32(p + 4, MCONSOLE_VERSION);
	put32(p + 8, type);
	put32(p + 12, (uint32_t)len);
	copy(p + MCONSOLE_NOTIFY_HDR, data, len);
	return (int)(MCONSOLE_NOTIFY_HDR + len);
}
