/*
 * The UML management console wire protocol (version 2), shared by the
 * uml_mconsole client and, later, the kernel's server.
 *
 * Requests and replies are single AF_UNIX datagrams whose integers are in
 * host byte order. A request carries a command of at most
 * MCONSOLE_MAX_DATA - 1 bytes; a reply carries at most MCONSOLE_MAX_CHUNK
 * text bytes plus a NUL, and long answers are split into several replies,
 * all but the last with "more" set.
 *
 * Everything that comes off the wire is hostile: the decoders check every
 * field against the datagram's real length and never read past it. Only
 * freestanding headers here, so that -nostdinc kernel code can use it.
 */
#ifndef MCONSOLE_H
#define MCONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MCONSOLE_MAGIC		0xcafebabeU
#define MCONSOLE_VERSION	2U
#define MCONSOLE_MAX_DATA	512
/* Text bytes in one reply: the rest of MCONSOLE_MAX_DATA is the NUL. */
#define MCONSOLE_MAX_CHUNK	(MCONSOLE_MAX_DATA - 1)

#define MCONSOLE_REQ_HDR	12	/* magic, version, len */
#define MCONSOLE_REPLY_HDR	12	/* err, more, len */
#define MCONSOLE_REQ_SIZE	(MCONSOLE_REQ_HDR + MCONSOLE_MAX_DATA)
#define MCONSOLE_REPLY_SIZE	(MCONSOLE_REPLY_HDR + MCONSOLE_MAX_DATA)

/* The notify datagram (mconsole=notify:PATH): a header of 16 bytes. */
#define MCONSOLE_NOTIFY_HDR	16
#define MCONSOLE_NOTIFY_SIZE	(MCONSOLE_NOTIFY_HDR + MCONSOLE_MAX_DATA)

enum mconsole_notify_type {
	MCONSOLE_SOCKET = 0,
	MCONSOLE_PANIC = 1,
	MCONSOLE_HANG = 2,
	MCONSOLE_USER_NOTIFY = 3,
};

/* What a server answers, as text, to a request without the magic. */
#define MCONSOLE_V0_ANSWER \
	"ERR Version 0 mconsole clients are not supported by this driver"

struct mconsole_request {
	uint32_t magic;
	uint32_t version;
	uint32_t len;			/* command bytes, without a NUL */
	char data[MCONSOLE_MAX_DATA];	/* NUL-terminated at len */
};

struct mconsole_reply {
	uint32_t err;			/* 0: OK; else an error (maybe -errno) */
	uint32_t more;			/* 1: more replies follow */
	uint32_t len;			/* text bytes + 1 (the NUL) */
	char data[MCONSOLE_MAX_DATA];	/* NUL-terminated text */
};

/* Results of mconsole_decode_request() besides 0, in the server's order. */
enum mconsole_req_status {
	MCONSOLE_REQ_OK = 0,
	MCONSOLE_REQ_SHORT,	/* shorter than the header: ignore it */
	MCONSOLE_REQ_BADMAGIC,	/* a "version 0" client */
	MCONSOLE_REQ_TOOBIG,	/* len >= MCONSOLE_MAX_DATA */
	MCONSOLE_REQ_TRUNCATED,	/* len is beyond the datagram */
	MCONSOLE_REQ_BADVERSION,/* decoded, but not version 2 */
};

/*
 * mconsole_encode_request: a request for the command CMD (LEN bytes, no NUL
 * needed) into BUF of SIZE bytes, NUL-padded to the full
 * MCONSOLE_REQ_SIZE as the usual client sends it. Returns the datagram's
 * length, or -1 if the command is too long (>= MCONSOLE_MAX_DATA) or BUF
 * too small.
 */
int mconsole_encode_request(void *buf, size_t size, const char *cmd,
			    size_t len);

/*
 * mconsole_decode_request: checks the datagram BUF of N bytes and fills
 * REQ (data NUL-terminated at len). Returns an mconsole_req_status; REQ is
 * complete for MCONSOLE_REQ_OK and MCONSOLE_REQ_BADVERSION.
 */
int mconsole_decode_request(const void *buf, size_t n,
			    struct mconsole_request *req);

/*
 * mconsole_encode_reply: one reply datagram into BUF (at least
 * MCONSOLE_REPLY_SIZE bytes) with TEXT's first LEN bytes (at most
 * MCONSOLE_MAX_CHUNK). Returns the datagram's length, or -1.
 */
int mconsole_encode_reply(void *buf, size_t size, uint32_t err, bool more,
			  const char *text, size_t len);

/*
 * mconsole_decode_reply: checks the datagram BUF of N bytes and fills REP.
 * Returns 0, or -1 with *WHY (if WHY is not NULL) saying what is wrong:
 * a short or oversize datagram, a length that disagrees with the
 * datagram's, a missing final NUL or a "more" flag other than 0 or 1.
 * The text may hold NULs (a /proc file's contents): it is rep->len - 1
 * bytes. A version 0 answer (raw text) is recognised as such.
 */
int mconsole_decode_reply(const void *buf, size_t n,
			  struct mconsole_reply *rep, const char **why);

/*
 * mconsole_encode_notify: a notify datagram of TYPE with LEN bytes of DATA
 * (truncated to MCONSOLE_MAX_DATA) into BUF. Returns its length, or -1.
 */
int mconsole_encode_notify(void *buf, size_t size, uint32_t type,
			   const void *data, size_t len);

#endif /* MCONSOLE_H */
