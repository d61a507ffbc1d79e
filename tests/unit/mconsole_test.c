/*
 * The mconsole wire protocol library (tools/lib/mconsole.c): round trips,
 * the limits, and random datagrams, which must be refused or decoded
 * without reading past their end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../../tools/lib/mconsole.c"

static int failed;

#define CHECK(c) do { if (!(c)) { printf("FAIL: %s (line %d)\n", #c, \
	__LINE__); failed = 1; } } while (0)

int main(void)
{
	unsigned char buf[MCONSOLE_REPLY_SIZE + 64];
	struct mconsole_request req;
	struct mconsole_reply rep;
	char big[MCONSOLE_MAX_DATA + 1];
	const char *why;
	int n;

	n = mconsole_encode_request(buf, sizeof(buf), "version", 7);
	CHECK(n == MCONSOLE_REQ_SIZE);
	CHECK(mconsole_decode_request(buf, n, &req) == MCONSOLE_REQ_OK);
	CHECK(req.len == 7 && !strcmp(req.data, "version"));
	CHECK(mconsole_decode_request(buf, 12 + 7, &req) == MCONSOLE_REQ_OK);
	CHECK(mconsole_decode_request(buf, 12 + 6, &req) ==
	      MCONSOLE_REQ_TRUNCATED);
	CHECK(mconsole_decode_request(buf, 3, &req) == MCONSOLE_REQ_SHORT);
	memset(big, 'x', sizeof(big));
	CHECK(mconsole_encode_request(buf, sizeof(buf), big, 512) == -1);
	CHECK(mconsole_encode_request(buf, sizeof(buf), big, 511) > 0);
	CHECK(mconsole_decode_request(buf, MCONSOLE_REQ_SIZE, &req) ==
	      MCONSOLE_REQ_OK && req.len == 511);
	buf[8] = 0; buf[9] = 2;		/* len = 512 */
	CHECK(mconsole_decode_request(buf, MCONSOLE_REQ_SIZE, &req) ==
	      MCONSOLE_REQ_TOOBIG);
	mconsole_encode_request(buf, sizeof(buf), "go", 2);
	buf[4] = 3;
	CHECK(mconsole_decode_request(buf, 14, &req) ==
	      MCONSOLE_REQ_BADVERSION && !strcmp(req.data, "go"));
	buf[0] = 0;
	CHECK(mconsole_decode_request(buf, 14, &req) == MCONSOLE_REQ_BADMAGIC);

	n = mconsole_encode_reply(buf, sizeof(buf), 5, true, "abc", 3);
	CHECK(n == 16);
	CHECK(mconsole_decode_reply(buf, n, &rep, &why) == 0);
	CHECK(rep.err == 5 && rep.more == 1 && rep.len == 4 &&
	      !strcmp(rep.data, "abc"));
	CHECK(mconsole_decode_reply(buf, n - 1, &rep, &why) == -1);
	CHECK(mconsole_encode_reply(buf, sizeof(buf), 0, false, big, 512) == -1);
	n = mconsole_encode_reply(buf, sizeof(buf), 0, false, big, 511);
	CHECK(n == MCONSOLE_REPLY_SIZE);
	CHECK(mconsole_decode_reply(buf, n, &rep, &why) == 0 && rep.len == 512);
	n = mconsole_encode_reply(buf, sizeof(buf), 0, false, "", 0);
	CHECK(n == 13 && mconsole_decode_reply(buf, n, &rep, &why) == 0);
	n = mconsole_encode_reply(buf, sizeof(buf), 0, false, "a\0b", 3);
	CHECK(mconsole_decode_reply(buf, n, &rep, &why) == 0 && rep.len == 4);

	n = mconsole_encode_notify(buf, sizeof(buf), MCONSOLE_PANIC, "x", 2);
	CHECK(n == 18);

	/*
	 * Random datagrams, each at the very end of a page followed by an
	 * inaccessible one: any read past the datagram faults.
	 */
	long pg = 4096;
	unsigned char *map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(map != MAP_FAILED && !mprotect(map + pg, pg, PROT_NONE));
	srand(1);
	int ok = 0;
	for (int i = 0; i < 200000 && !failed; i++) {
		size_t len = rand() % (MCONSOLE_REPLY_SIZE + 40);
		unsigned char *p = map + pg - len;

		for (size_t j = 0; j < len; j++)
			p[j] = rand();
		if (len >= 12 && (i & 1)) {	/* often plausible headers */
			p[4] = rand() & 1; p[5] = p[6] = p[7] = 0;
			uint32_t l = len - 12 + (rand() % 3) - 1;
			memcpy(p + 8, &l, 4);
			if (rand() & 1 && len > 12)
				p[len - 1] = 0;
		}
		if (mconsole_decode_reply(p, len, &rep, &why) == 0) {
			ok++;
			CHECK(rep.len == len - 12 && rep.more <= 1 &&
			      rep.data[rep.len - 1] == 0);
		}
		mconsole_decode_request(p, len, &req);
	}
	CHECK(ok > 0);
	if (!failed)
		printf("PASS\n");
	return failed;
}
