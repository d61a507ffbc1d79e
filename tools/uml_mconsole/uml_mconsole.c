/*
 * uml_mconsole: the management console client of a UML instance.
 *
 *   uml_mconsole UMID|SOCKET [command ...]
 *
 * With a command, sends it (words joined by spaces), prints the answer as
 * "OK text" or "ERR text" and exits with the error code the kernel gave
 * (truncated to 8 bits, 1 if that would be 0). Without, reads commands at a
 * "(name) " prompt until EOF. Output, messages and the socket lookup follow
 * Debian's uml-utilities client so that scripts written for it work.
 *
 * Unlike that client, a reply that does not parse is reported as an error
 * rather than printed, and a silent kernel is given up on after
 * $UML_MCONSOLE_TIMEOUT seconds (default 60, 0 waits for ever).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "mconsole.h"

#if defined(HAVE_LIBEDIT)
#include <editline/readline.h>
#elif defined(HAVE_READLINE)
#include <readline/history.h>
#include <readline/readline.h>
#endif

/* The prompt shows this many characters of the name at most. */
#define NAME_SHOWN 10

static struct sockaddr_un target;	/* empty sun_path: no instance found */
static char shown_name[NAME_SHOWN + 1] = "[None]";
static long uml_pid = -1;
static int timeout_ms = 60000;

static void usage(FILE *f)
{
	fprintf(f, "Usage : uml_mconsole socket-name [command]\n");
}

static void help(void)
{
	usage(stdout);
	printf("\n"
"Talks to the management console of a running UML instance. socket-name is\n"
"a umid (looked up as ~/.uml/UMID/mconsole, then /tmp/uml/UMID/mconsole) or\n"
"the path of the mconsole socket (needed with uml_dir=). With a command,\n"
"sends it, prints \"OK reply\" or \"ERR reply\" and exits with the kernel's\n"
"error code; without, reads commands at a prompt. The kernel's commands are\n"
"listed by \"help\"; local ones are quit, switch <socket-name>,\n"
"log -f <filename>, mconsole-version and int.\n"
"\n"
"Environment: UML_MCONSOLE_TIMEOUT, seconds to wait for a reply\n"
"(default 60, 0 for ever).\n");
}

/* The pid file sits next to the socket: <uml_dir><umid>/pid. */
static void read_pid(const char *sock)
{
	char path[PATH_MAX], buf[32], *slash, *end;
	FILE *f;
	size_t n;
	long v;

	uml_pid = -1;
	slash = strrchr(sock, '/');
	if (slash)
		snprintf(path, sizeof(path), "%.*s/pid", (int)(slash - sock),
			 sock);
	else
		snprintf(path, sizeof(path), "pid");
	f = fopen(path, "r");
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (end != buf && !errno && v > 0)
		uml_pid = v;
}

/* One candidate socket path: taken if it exists (as Debian's client). */
static int try_socket(const char *file, const char *name)
{
	struct stat st;

	if (stat(file, &st) < 0) {
		fprintf(stderr, "Warning: couldn't stat file: %s - %s\n", file,
			strerror(errno));
		return -1;
	}
	if (strlen(file) >= sizeof(target.sun_path)) {
		fprintf(stderr, "Warning: socket path too long: %s\n", file);
		return -1;
	}
	memset(&target, 0, sizeof(target));
	target.sun_family = AF_UNIX;
	strcpy(target.sun_path, file);
	snprintf(shown_name, sizeof(shown_name), "%s", name);
	read_pid(file);
	return 0;
}

/*
 * Finds the socket of NAME: ~/.uml/NAME/mconsole, the legacy
 * /tmp/uml/NAME/mconsole, then NAME as a path. A name already under one of
 * those directories skips that candidate.
 */
static int lookup(const char *name)
{
	char dir[PATH_MAX], file[PATH_MAX];
	const char *home = getenv("HOME");

	if (home) {
		snprintf(dir, sizeof(dir), "%s/.uml", home);
		if (strncmp(name, dir, strlen(dir)) &&
		    snprintf(file, sizeof(file), "%s/%s/mconsole", dir,
			     name) < (int)sizeof(file) &&
		    !try_socket(file, name))
			return 0;
	}
	if (strncmp(name, "/tmp/uml/", 9)) {
		snprintf(file, sizeof(file), "/tmp/uml/%s/mconsole", name);
		if (!try_socket(file, name))
			return 0;
	}
	return try_socket(name, name);
}

static int wait_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int r;

	do {
		r = poll(&pfd, 1, timeout_ms > 0 ? timeout_ms : -1);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		perror("poll");
		return -1;
	}
	if (r == 0) {
		fprintf(stderr, "No reply from '%s' within %d s\n",
			target.sun_path, timeout_ms / 1000);
		return -1;
	}
	return 0;
}

/*
 * Reads the replies to one request until the last. Returns 0 with the
 * concatenated text in *OUT (LEN bytes, NUL-terminated) and the first
 * non-zero error code in *ERR, or -1 if the kernel could not be heard.
 */
static int receive(int fd, char **out, size_t *outlen, uint32_t *err)
{
	unsigned char buf[MCONSOLE_REPLY_SIZE + 1];
	struct mconsole_reply rep;
	const char *why;
	size_t len = 0;
	char *text = NULL, *t;
	ssize_t n;

	*err = 0;
	do {
		if (wait_readable(fd) < 0)
			goto fail;
		/* One byte more than a reply can be, to see oversize ones. */
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			perror("recvmsg");
			goto fail;
		}
		if (mconsole_decode_reply(buf, n > (ssize_t)sizeof(buf) ?
					  sizeof(buf) : (size_t)n, &rep,
					  &why) < 0) {
			fprintf(stderr, "Bad reply from '%s': %s\n",
				target.sun_path, why);
			goto fail;
		}
		t = realloc(text, len + rep.len);
		if (!t) {
			perror("realloc failed");
			goto fail;
		}
		text = t;
		memcpy(text + len, rep.data, rep.len);
		len += rep.len - 1;
		if (!*err)
			*err = rep.err;
	} while (rep.more);
	*out = text;
	*outlen = len;
	return 0;
fail:
	free(text);
	return -1;
}

static int send_request(int fd, const char *cmd, int passfd)
{
	unsigned char buf[MCONSOLE_REQ_SIZE];
	size_t len = strlen(cmd);
	struct iovec iov;
	struct msghdr msg = { .msg_name = &target,
			      .msg_namelen = sizeof(target),
			      .msg_iov = &iov, .msg_iovlen = 1 };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} ctl;
	int n;

	/* As the usual client does, a long command is cut, not refused. */
	if (len > MCONSOLE_MAX_CHUNK)
		len = MCONSOLE_MAX_CHUNK;
	n = mconsole_encode_request(buf, sizeof(buf), cmd, len);
	iov.iov_base = buf;
	iov.iov_len = n;
	if (passfd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.b;
		msg.msg_controllen = sizeof(ctl.b);
		ctl.h.cmsg_level = SOL_SOCKET;
		ctl.h.cmsg_type = SCM_RIGHTS;
		ctl.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&ctl.h), &passfd, sizeof(int));
	}
	if (sendmsg(fd, &msg, 0) < 0) {
		fprintf(stderr, "Sending command to '%s' : %s\n",
			target.sun_path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Sends CMD (with the descriptor PASSFD if >= 0), prints the answer.
 * Returns the kernel's error code, or 1 when there was no usable answer.
 */
static uint32_t transact(int fd, const char *cmd, int passfd)
{
	char *text;
	size_t len;
	uint32_t err;

	if (send_request(fd, cmd, passfd) < 0)
		return 1;
	if (receive(fd, &text, &len, &err) < 0)
		return 1;
	fputs(err ? "ERR " : "OK ", stdout);
	fwrite(text, 1, len, stdout);
	putchar('\n');
	fflush(stdout);
	free(text);
	return err;
}

/*
 * The file names of "config ubdN=cow,backing" are relative to the client's
 * directory, not to the kernel's: make them absolute (the directory
 * resolved, the last component kept). On failure, the name is kept.
 */
static void absolutize(char *to, size_t size, const char *from)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(from, '/');

	snprintf(to, size, "%s", from);
	if (!*from)
		return;
	if (!slash) {
		if (!getcwd(real, sizeof(real))) {
			perror("absolutize : unable to get cwd");
			return;
		}
		if (snprintf(to, size, "%s/%s", real, from) >= (int)size)
			snprintf(to, size, "%s", from);
		return;
	}
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - from), from);
	if (!realpath(*dir ? dir : "/", real)) {
		fprintf(stderr, "absolutize : Can't cd to '%s', %s\n", dir,
			strerror(errno));
		return;
	}
	if (!strcmp(real, "/"))
		real[0] = '\0';
	if (snprintf(to, size, "%s%s", real, slash) >= (int)size)
		snprintf(to, size, "%s", from);
}

/* CMD with the ubd file names made absolute, in NEW (SIZE bytes). */
static const char *fix_filenames(const char *cmd, char *new, size_t size)
{
	char cow[PATH_MAX], backing[PATH_MAX], name1[PATH_MAX];
	const char *p = cmd + 6, *eq, *comma;

	if (strncmp(cmd, "config", 6))
		return cmd;
	while (isspace((unsigned char)*p))
		p++;
	if (strncmp(p, "ubd", 3))
		return cmd;
	eq = strchr(p, '=');
	if (!eq)
		return cmd;
	comma = strchr(eq + 1, ',');
	if (comma) {
		snprintf(name1, sizeof(name1), "%.*s",
			 (int)(comma - eq - 1), eq + 1);
		absolutize(cow, sizeof(cow), name1);
		absolutize(backing, sizeof(backing), comma + 1);
		snprintf(new, size, "%.*s=%s,%s", (int)(eq - cmd), cmd, cow,
			 backing);
	} else {
		absolutize(backing, sizeof(backing), eq + 1);
		snprintf(new, size, "%.*s=%s", (int)(eq - cmd), cmd, backing);
	}
	return new;
}

static uint32_t kernel_cmd(int fd, const char *cmd)
{
	char fixed[3 * PATH_MAX];

	return transact(fd, fix_filenames(cmd, fixed, sizeof(fixed)), -1);
}

static const char local_help[] =
	"Additional local mconsole commands:\n"
	"    quit - Quit mconsole\n"
	"    switch <socket-name> - Switch control to the given machine\n"
	"    log -f <filename> - use contents of <filename> as UML log messages\n"
	"    mconsole-version - version of this mconsole program\n"
	"    int  - Interrupt UML session\n";

static const char *skip_word(const char *cmd, size_t n)
{
	cmd += n;
	while (isspace((unsigned char)*cmd))
		cmd++;
	return cmd;
}

/*
 * log TEXT: the kernel logs each request as one message, so long text goes
 * in pieces that fit a request with "log " before them, and a final "\n"
 * ends the line if the text did not.
 */
static uint32_t log_cmd(int fd, const char *cmd)
{
	const size_t max = MCONSOLE_MAX_DATA - sizeof("log ") - 1;
	char buf[MCONSOLE_MAX_DATA];
	const char *p = skip_word(cmd, 3);
	bool newline = false;
	uint32_t err = 0, e;

	if (!strncmp(p, "-f", 2)) {
		int in;
		ssize_t n;

		p = skip_word(p, 2);
		in = open(p, O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			fprintf(stderr, "opening file: %s\n", strerror(errno));
			exit(1);
		}
		memcpy(buf, "log ", 4);
		while ((n = read(in, buf + 4, max)) > 0) {
			buf[4 + n] = '\0';
			e = kernel_cmd(fd, buf);
			err = err ? err : e;
			newline = buf[4 + n - 1] == '\n';
		}
		if (n < 0) {
			fprintf(stderr, "reading file: %s\n", strerror(errno));
			exit(1);
		}
		close(in);
	} else {
		size_t len = strlen(p), chunk;

		while (len > 0) {
			chunk = len < max ? len : max;
			snprintf(buf, sizeof(buf), "log %.*s", (int)chunk, p);
			e = kernel_cmd(fd, buf);
			err = err ? err : e;
			newline = p[chunk - 1] == '\n';
			len -= chunk;
			p += chunk;
		}
	}
	if (!newline) {
		e = kernel_cmd(fd, "log \n");
		err = err ? err : e;
	}
	return err;
}

/* umlfs FD: a request that carries the descriptor FD along. */
static uint32_t umlfs_cmd(int fd, const char *cmd)
{
	const char *p = skip_word(cmd, 5);
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(p, &end, 0);
	if (*end || end == p || errno || v > INT_MAX) {
		printf("ERR Failed to parse file descriptor\n");
		return (uint32_t)-EINVAL;
	}
	return transact(fd, cmd, (int)v);
}

/* Runs one command line; returns its error code (0 for local commands). */
static uint32_t issue(int fd, char *cmd)
{
	size_t n = strlen(cmd);

	while (n > 0 && isspace((unsigned char)cmd[n - 1]))
		cmd[--n] = '\0';

	if (!strncmp(cmd, "quit", 4))
		exit(0);
	if (!strncmp(cmd, "help", 4)) {
		kernel_cmd(fd, cmd);
		fputs(local_help, stdout);
		return 0;
	}
	if (!strncmp(cmd, "switch", 6)) {
		const char *name = skip_word(cmd, 6);

		if (lookup(name) < 0)
			return 1;
		printf("Switched to '%s'\n", name);
		return 0;
	}
	if (!strncmp(cmd, "log", 3))
		return log_cmd(fd, cmd);
	if (!strncmp(cmd, "umlfs", 5))
		return umlfs_cmd(fd, cmd);
	if (!strncmp(cmd, "mconsole-version", 16)) {
		printf("uml_mconsole client version %u\n", MCONSOLE_VERSION);
		return 0;
	}
	if (!strncmp(cmd, "int", 3)) {
		if (uml_pid == -1)
			printf("Cannot determine the PID of your UML session, "
			       "not sending signal.\n");
		else if (kill(uml_pid, SIGINT) < 0)
			fprintf(stderr, "kill %ld: %s\n", uml_pid,
				strerror(errno));
		return 0;
	}
	return kernel_cmd(fd, cmd);
}

/*
 * A line at the prompt. On a terminal, with line editing when built with
 * it. Otherwise the prompt and the line read are echoed to stdout, which is
 * what Debian's readline-based client prints, so that transcripts match.
 */
static char *read_line(const char *prompt)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

#if defined(HAVE_LIBEDIT) || defined(HAVE_READLINE)
	if (isatty(STDIN_FILENO)) {
		line = readline(prompt);
		if (line && *line)
			add_history(line);
		return line;
	}
#endif
	fputs(prompt, stdout);
	fflush(stdout);
	n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[n - 1] = '\0';
	if (!isatty(STDIN_FILENO))
		printf("%s\n", line);
	return line;
}

int main(int argc, char **argv)
{
	struct sockaddr_un here;
	const char *env;
	char *cmd, prompt[sizeof(shown_name) + 4];
	uint32_t err;
	size_t len;
	int fd;

	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help();
		return 0;
	}
	env = getenv("UML_MCONSOLE_TIMEOUT");
	if (env && *env) {
		char *end;
		long s = strtol(env, &end, 10);

		if (*end || s < 0 || s > INT_MAX / 1000) {
			fprintf(stderr, "uml_mconsole: bad UML_MCONSOLE_TIMEOUT"
				" '%s'\n", env);
			return 1;
		}
		timeout_ms = (int)s * 1000;
	}
	/*
	 * If no candidate exists, the target stays without an address family
	 * and sending fails with EINVAL, as with Debian's client.
	 */
	lookup(argv[1]);

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	/*
	 * The kernel answers to the sender's address, so bind one: an
	 * abstract name made of our pid, as the usual client does.
	 */
	memset(&here, 0, sizeof(here));
	here.sun_family = AF_UNIX;
	snprintf(here.sun_path + 1, sizeof(here.sun_path) - 1, "%5d",
		 (int)getpid());
	if (bind(fd, (struct sockaddr *)&here, sizeof(here)) < 0) {
		perror("bind");
		return 1;
	}

	if (argc > 2) {
		len = 0;
		for (int i = 2; i < argc; i++)
			len += strlen(argv[i]) + 1;
		cmd = malloc(len + 1);
		if (!cmd) {
			perror("malloc");
			return 1;
		}
		cmd[0] = '\0';
		for (int i = 2; i < argc; i++) {
			strcat(cmd, argv[i]);
			if (i + 1 < argc)
				strcat(cmd, " ");
		}
		err = issue(fd, cmd);
		free(cmd);
		/* A status of 0 must not hide an error such as 256. */
		return err ? ((err & 0xff) ? (int)(err & 0xff) : 1) : 0;
	}

	for (;;) {
		snprintf(prompt, sizeof(prompt), "(%s) ", shown_name);
		cmd = read_line(prompt);
		if (!cmd)
			break;
		issue(fd, cmd);
		fflush(stdout);
		free(cmd);
	}
	printf("\n");
	return 0;
}
