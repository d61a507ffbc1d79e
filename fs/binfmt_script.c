// SPDX-License-Identifier: GPL-2.0
/*
 * "#!" scripts: the interpreter named on the first line runs with the
 * script's path as an argument, as on Linux: "#!interp [one-arg]"; the
 * argument is everything after the first run of blanks, blanks trimmed.
 */
#include "kern/kernel.h"
#include "kern/exec.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

int load_script(struct linux_binprm *bprm)
{
	char line[BINPRM_BUF_SIZE];
	char *p, *end, *interp, *arg = NULL;
	const char *args[3];
	size_t n;
	int nargs = 0, r;

	if (bprm->buf_len < 2 || bprm->buf[0] != '#' || bprm->buf[1] != '!')
		return -ENOEXEC;
	n = bprm->buf_len - 2;
	memcpy(line, bprm->buf + 2, n);
	line[n] = 0;
	end = memchr(line, '\n', n);
	if (!end) {
		/* Linux refuses a line that does not fit: ENOEXEC. */
		if (n == sizeof(line) - 2)
			return -ENOEXEC;
		end = line + n;
	}
	*end = 0;
	while (end > line && blank(end[-1]))
		*--end = 0;
	for (p = line; blank(*p); p++)
		;
	if (!*p)
		return -ENOEXEC;
	interp = p;
	while (*p && !blank(*p))
		p++;
	if (*p) {
		*p++ = 0;
		while (blank(*p))
			p++;
		if (*p)
			arg = p;
	}
	args[nargs++] = interp;
	if (arg)
		args[nargs++] = arg;
	args[nargs++] = bprm->filename;
	r = bprm_replace_argv0(bprm, args, nargs);
	if (r < 0)
		return r;
	r = bprm_open(bprm, interp);
	if (r < 0)
		return r;
	return search_binary_handler(bprm);
}
