// SPDX-License-Identifier: GPL-2.0
/*
 * System V IPC: message queues (types, MSG_EXCEPT, MSG_NOERROR, MSG_COPY,
 * E2BIG, IPC_NOWAIT, EIDRM for a sleeper), semaphores (SETVAL/GETALL..., SEM_UNDO
 * on exit, GETNCNT, semtimedop's timeout, ERANGE/EFBIG/E2BIG), shared
 * memory (shared across fork, shm_nattch, SHM_RDONLY, IPC_RMID deferred
 * to the last detach), keys (IPC_CREAT, IPC_EXCL, ENOENT), permissions
 * (mode bits; as root, also another user's EACCES and EPERM) and
 * /proc/sysvipc; and POSIX shared memory (shm_open on the tmpfs at
 * /dev/shm, which it mounts as root if nothing is there) shared across
 * processes. The host runs it too: Linux is the oracle.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			printf("check failed (line %d): ", __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

/* the expected failure errno e of call c */
#define FAILS(c, e) ({ errno = 0; long __r = (long)(c); \
		__r == -1 && errno == (e); })

struct msgb {
	long mtype;
	char text[64];
};

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static key_t key_base;

/* A child's exit status (or 128 + signal). */
static int child_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void test_msg(void)
{
	int id = msgget(IPC_PRIVATE, 0600), id2;
	struct msgb m;
	struct msqid_ds ds;
	pid_t pid;
	ssize_t r;

	CHECK(id >= 0, "msgget: %s", strerror(errno));
	for (int t = 1; t <= 3; t++) {
		m.mtype = t;
		snprintf(m.text, sizeof(m.text), "message %d", t);
		CHECK(msgsnd(id, &m, strlen(m.text) + 1, 0) == 0,
		      "msgsnd %d: %s", t, strerror(errno));
	}
	CHECK(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 3 &&
	      ds.msg_cbytes == 30 && ds.msg_lspid == getpid(),
	      "IPC_STAT qnum %lu cbytes %lu", ds.msg_qnum, ds.msg_cbytes);
	r = msgrcv(id, &m, sizeof(m.text), 1, MSG_COPY | IPC_NOWAIT);
	CHECK(r == 10 && m.mtype == 2, "MSG_COPY of the second: %zd %ld", r,
	      m.mtype);
	CHECK(FAILS(msgrcv(id, &m, sizeof(m.text), 3, MSG_COPY | IPC_NOWAIT),
		    ENOMSG), "MSG_COPY past the end: %s", strerror(errno));
	CHECK(FAILS(msgrcv(id, &m, sizeof(m.text), 0, MSG_COPY), EINVAL),
	      "MSG_COPY without IPC_NOWAIT: %s", strerror(errno));
	r = msgrcv(id, &m, sizeof(m.text), 2, 0);
	CHECK(r == 10 && m.mtype == 2 && !strcmp(m.text, "message 2"),
	      "type 2: %zd %ld", r, m.mtype);
	r = msgrcv(id, &m, sizeof(m.text), 1, MSG_EXCEPT);
	CHECK(r == 10 && m.mtype == 3, "MSG_EXCEPT: %zd %ld", r, m.mtype);
	CHECK(FAILS(msgrcv(id, &m, 4, 0, 0), E2BIG), "E2BIG: %s",
	      strerror(errno));
	r = msgrcv(id, &m, 4, -5, MSG_NOERROR);
	CHECK(r == 4 && m.mtype == 1 && !memcmp(m.text, "mess", 4),
	      "MSG_NOERROR: %zd", r);
	CHECK(FAILS(msgrcv(id, &m, sizeof(m.text), 0, IPC_NOWAIT), ENOMSG),
	      "empty: %s", strerror(errno));
	m.mtype = 0;
	CHECK(FAILS(msgsnd(id, &m, 1, 0), EINVAL), "mtype 0: %s",
	      strerror(errno));
	m.mtype = 1;
	CHECK(FAILS(msgsnd(id, &m, 100000, 0), EINVAL), "over msgmax: %s",
	      strerror(errno));
	CHECK(FAILS(msgsnd(id, (void *)8, 1, 0), EFAULT), "bad pointer: %s",
	      strerror(errno));

	/* a full queue: IPC_NOWAIT gives EAGAIN */
	ds.msg_qbytes = 20;
	CHECK(msgctl(id, IPC_SET, &ds) == 0, "IPC_SET: %s", strerror(errno));
	CHECK(msgsnd(id, &m, 20, 0) == 0, "fill: %s", strerror(errno));
	CHECK(FAILS(msgsnd(id, &m, 1, IPC_NOWAIT), EAGAIN), "full: %s",
	      strerror(errno));
	CHECK(msgrcv(id, &m, sizeof(m.text), 0, 0) == 20, "drain");

	/* a sleeping receiver sees the queue go */
	pid = fork();
	if (pid == 0) {
		errno = 0;
		msgrcv(id, &m, sizeof(m.text), 7, 0);
		_exit(errno == EIDRM ? 0 : 1);
	}
	usleep(100000);
	CHECK(msgctl(id, IPC_RMID, NULL) == 0, "IPC_RMID: %s",
	      strerror(errno));
	CHECK(child_status(pid) == 0, "receiver did not get EIDRM");
	CHECK(FAILS(msgsnd(id, &m, 1, 0), EINVAL), "removed queue: %s",
	      strerror(errno));

	/* keys */
	id = msgget(key_base + 1, IPC_CREAT | IPC_EXCL | 0600);
	CHECK(id >= 0, "msgget key: %s", strerror(errno));
	CHECK(FAILS(msgget(key_base + 1, IPC_CREAT | IPC_EXCL | 0600), EEXIST),
	      "IPC_EXCL: %s", strerror(errno));
	id2 = msgget(key_base + 1, 0);
	CHECK(id2 == id, "by key: %d, want %d", id2, id);
	CHECK(FAILS(msgget(key_base + 2, 0), ENOENT), "no key: %s",
	      strerror(errno));
	CHECK(msgctl(id, IPC_RMID, NULL) == 0, "rmid");
}

static void test_sem(void)
{
	int id = semget(IPC_PRIVATE, 3, 0600);
	unsigned short vals[3] = { 1, 2, 3 }, got[3] = { 0 };
	struct sembuf op;
	struct timespec ts = { 0, 50000000 };
	struct semid_ds ds;
	union semun arg;
	pid_t pid;
	int v;

	CHECK(id >= 0, "semget: %s", strerror(errno));
	arg.array = vals;
	CHECK(semctl(id, 0, SETALL, arg) == 0, "SETALL: %s", strerror(errno));
	arg.array = got;
	CHECK(semctl(id, 0, GETALL, arg) == 0 && got[0] == 1 && got[1] == 2 &&
	      got[2] == 3, "GETALL %u %u %u", got[0], got[1], got[2]);
	arg.val = 5;
	CHECK(semctl(id, 1, SETVAL, arg) == 0, "SETVAL");
	CHECK(semctl(id, 1, GETVAL) == 5, "GETVAL %d", semctl(id, 1, GETVAL));
	arg.val = 40000;
	CHECK(FAILS(semctl(id, 1, SETVAL, arg), ERANGE), "SETVAL 40000: %s",
	      strerror(errno));
	CHECK(FAILS(semctl(id, 3, GETVAL), EINVAL), "semnum 3: %s",
	      strerror(errno));
	arg.buf = &ds;
	CHECK(semctl(id, 0, IPC_STAT, arg) == 0 && ds.sem_nsems == 3,
	      "IPC_STAT nsems %lu", ds.sem_nsems);

	op.sem_num = 0;
	op.sem_op = -1;
	op.sem_flg = 0;
	CHECK(semop(id, &op, 1) == 0, "down: %s", strerror(errno));
	CHECK(semctl(id, 0, GETPID) == getpid(), "GETPID");
	op.sem_flg = IPC_NOWAIT;
	CHECK(FAILS(semop(id, &op, 1), EAGAIN), "would block: %s",
	      strerror(errno));
	CHECK(FAILS(semtimedop(id, &op, 1, &ts), EAGAIN), "timeout: %s",
	      strerror(errno));
	op.sem_num = 3;
	CHECK(FAILS(semop(id, &op, 1), EFBIG), "sem_num 3: %s",
	      strerror(errno));
	CHECK(FAILS(semop(id, &op, 0), EINVAL), "nsops 0: %s", strerror(errno));
	{
		static struct sembuf many[501];

		CHECK(FAILS(semop(id, many, 501), E2BIG), "501 ops: %s",
		      strerror(errno));
	}

	/* all or nothing: the second op blocks, the first is not done */
	{
		struct sembuf two[2] = { { 2, -1, 0 }, { 0, -1, IPC_NOWAIT } };

		CHECK(FAILS(semop(id, two, 2), EAGAIN), "pair: %s",
		      strerror(errno));
		CHECK(semctl(id, 2, GETVAL) == 3, "first op undone: %d",
		      semctl(id, 2, GETVAL));
	}

	/* SEM_UNDO: a child's +4 is taken back when it exits */
	pid = fork();
	if (pid == 0) {
		struct sembuf up = { 2, 4, SEM_UNDO };

		_exit(semop(id, &up, 1) == 0 && semctl(id, 2, GETVAL) == 7 ?
		      0 : 1);
	}
	CHECK(child_status(pid) == 0, "child's SEM_UNDO op");
	CHECK(semctl(id, 2, GETVAL) == 3, "after undo: %d",
	      semctl(id, 2, GETVAL));

	/* a sleeper counts in GETNCNT and wakes up when it can go on */
	pid = fork();
	if (pid == 0) {
		struct sembuf down = { 0, -1, 0 };

		_exit(semop(id, &down, 1) == 0 ? 0 : 1);
	}
	for (int i = 0; i < 100 && semctl(id, 0, GETNCNT) != 1; i++)
		usleep(10000);
	CHECK(semctl(id, 0, GETNCNT) == 1, "GETNCNT %d",
	      semctl(id, 0, GETNCNT));
	op.sem_num = 0;
	op.sem_op = 1;
	op.sem_flg = 0;
	CHECK(semop(id, &op, 1) == 0, "up");
	CHECK(child_status(pid) == 0, "sleeper");
	CHECK(semctl(id, 0, GETVAL) == 0, "value %d", semctl(id, 0, GETVAL));

	/* waiting for zero, then the set goes: EIDRM */
	arg.val = 1;
	semctl(id, 1, SETVAL, arg);
	pid = fork();
	if (pid == 0) {
		struct sembuf zero = { 1, 0, 0 };

		errno = 0;
		semop(id, &zero, 1);
		_exit(errno == EIDRM ? 0 : 1);
	}
	for (int i = 0; i < 100 && semctl(id, 1, GETZCNT) != 1; i++)
		usleep(10000);
	CHECK(semctl(id, 1, GETZCNT) == 1, "GETZCNT");
	CHECK(semctl(id, 0, IPC_RMID) == 0, "IPC_RMID: %s", strerror(errno));
	CHECK(child_status(pid) == 0, "sleeper did not get EIDRM");
	v = semctl(id, 0, GETVAL);
	CHECK(v == -1 && errno == EINVAL, "removed set: %d %s", v,
	      strerror(errno));
	CHECK(FAILS(semget(IPC_PRIVATE, 0, 0600), EINVAL), "nsems 0: %s",
	      strerror(errno));
}

static void test_shm(void)
{
	int id = shmget(key_base + 3, 10000, IPC_CREAT | IPC_EXCL | 0600);
	struct shmid_ds ds;
	char *p, *q;
	pid_t pid;

	CHECK(id >= 0, "shmget: %s", strerror(errno));
	CHECK(FAILS(shmget(key_base + 3, 20000, 0600), EINVAL),
	      "larger than the segment: %s", strerror(errno));
	CHECK(shmget(key_base + 3, 5000, 0600) == id, "smaller is fine");
	p = shmat(id, NULL, 0);
	CHECK(p != (void *)-1, "shmat: %s", strerror(errno));
	if (p == (void *)-1)
		return;
	CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_segsz == 10000 &&
	      ds.shm_nattch == 1 && ds.shm_cpid == getpid(),
	      "IPC_STAT size %zu nattch %lu", ds.shm_segsz, ds.shm_nattch);
	strcpy(p, "parent");
	pid = fork();
	if (pid == 0) {
		struct shmid_ds cds;
		int ok = !strcmp(p, "parent") &&
			shmctl(id, IPC_STAT, &cds) == 0 && cds.shm_nattch == 2;

		strcpy(p + 100, "child");
		_exit(ok ? 0 : 1);
	}
	CHECK(child_status(pid) == 0, "child saw the parent's data, nattch 2");
	CHECK(!strcmp(p + 100, "child"), "the child's write: '%s'", p + 100);

	/* a second attach, read-only: writing faults */
	q = shmat(id, NULL, SHM_RDONLY);
	CHECK(q != (void *)-1 && !strcmp(q + 100, "child"), "SHM_RDONLY");
	pid = fork();
	if (pid == 0) {
		q[0] = 'x';
		_exit(0);
	}
	CHECK(child_status(pid) == 128 + SIGSEGV, "write to SHM_RDONLY");
	CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 2,
	      "nattch %lu", ds.shm_nattch);
	CHECK(FAILS(shmdt(q + 1), EINVAL), "shmdt mid-page: %s",
	      strerror(errno));
	CHECK(shmdt(q) == 0, "shmdt: %s", strerror(errno));
	CHECK(FAILS(shmdt(q), EINVAL), "shmdt twice: %s", strerror(errno));

	/* removed while attached: SHM_DEST, key gone, memory still there */
	CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID: %s", strerror(errno));
	CHECK(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & SHM_DEST) &&
	      ds.shm_perm.__key == 0 && ds.shm_nattch == 1,
	      "after IPC_RMID: mode %o key %d nattch %lu",
	      ds.shm_perm.mode, ds.shm_perm.__key, ds.shm_nattch);
	CHECK(FAILS(shmget(key_base + 3, 100, 0600), ENOENT),
	      "key after IPC_RMID: %s", strerror(errno));
	CHECK(!strcmp(p, "parent"), "still mapped");
	CHECK(shmdt(p) == 0, "last shmdt");
	CHECK(FAILS(shmctl(id, IPC_STAT, &ds), EINVAL), "gone: %s",
	      strerror(errno));
	CHECK(FAILS(shmget(IPC_PRIVATE, 0, 0600), EINVAL), "size 0: %s",
	      strerror(errno));
	CHECK(FAILS(shmat(-1, NULL, 0), EINVAL), "shmat -1: %s",
	      strerror(errno));
}

/* Mode bits, and (as root) another user's access. */
static void test_perms(void)
{
	int shm = shmget(IPC_PRIVATE, 4096, 0400);
	int sem = semget(IPC_PRIVATE, 1, 0600);
	struct sembuf op = { 0, 1, 0 };
	pid_t pid;

	CHECK(shm >= 0 && sem >= 0, "get: %s", strerror(errno));
	if (getuid() != 0) {
		/* the owner without write permission */
		CHECK(FAILS(shmat(shm, NULL, 0), EACCES), "0400 shmat rw: %s",
		      strerror(errno));
		CHECK(shmat(shm, NULL, SHM_RDONLY) != (void *)-1,
		      "0400 shmat ro: %s", strerror(errno));
	} else {
		pid = fork();
		if (pid == 0) {
			int bad = 0;

			if (setgid(1000) || setuid(1000))
				_exit(2);
			if (!FAILS(shmat(shm, NULL, SHM_RDONLY), EACCES))
				bad |= 4;
			if (!FAILS(semop(sem, &op, 1), EACCES))
				bad |= 8;
			if (!FAILS(semctl(sem, 0, IPC_RMID), EPERM))
				bad |= 16;
			if (!FAILS(shmctl(shm, IPC_RMID, NULL), EPERM))
				bad |= 32;
			_exit(bad);
		}
		CHECK(child_status(pid) == 0, "another user: status %d",
		      child_status(pid));
	}
	CHECK(shmctl(shm, IPC_RMID, NULL) == 0, "rmid shm");
	CHECK(semctl(sem, 0, IPC_RMID) == 0, "rmid sem");
}

static void test_proc(void)
{
	int id = msgget(IPC_PRIVATE, 0640);
	char line[256], want[64];
	FILE *f = fopen("/proc/sysvipc/msg", "r");
	int found = 0;

	CHECK(f != NULL, "/proc/sysvipc/msg: %s", strerror(errno));
	snprintf(want, sizeof(want), " %d   640 ", id);
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, want))
			found = 1;
	if (f)
		fclose(f);
	CHECK(found, "queue %d not in /proc/sysvipc/msg", id);
	msgctl(id, IPC_RMID, NULL);
	f = fopen("/proc/sys/kernel/msgmax", "r");
	CHECK(f && fgets(line, sizeof(line), f) && atoi(line) == 8192,
	      "msgmax '%s'", line);
	if (f)
		fclose(f);
}

static int write_sysctl(const char *name, const char *val)
{
	char path[96];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	r = fputs(val, f) < 0;
	return fclose(f) || r ? -1 : 0;
}

static void read_sysctl(const char *name, char *buf, size_t len)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	f = fopen(path, "r");
	buf[0] = 0;
	if (f) {
		if (!fgets(buf, (int)len, f))
			buf[0] = 0;
		fclose(f);
	}
}

/*
 * The limits root sets in /proc/sys/kernel apply to new objects. The old
 * values are put back (on Linux they belong to our IPC namespace).
 */
static void test_limits(void)
{
	struct msqid_ds ds;
	char mnb[32], all[32];
	int id;

	read_sysctl("msgmnb", mnb, sizeof(mnb));
	read_sysctl("shmall", all, sizeof(all));

	CHECK(write_sysctl("msgmnb", "100\n") == 0, "write msgmnb: %s",
	      strerror(errno));
	id = msgget(IPC_PRIVATE, 0600);
	CHECK(id >= 0 && msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qbytes == 100,
	      "qbytes %lu with msgmnb 100", ds.msg_qbytes);
	msgctl(id, IPC_RMID, NULL);
	CHECK(write_sysctl("msgmnb", mnb) == 0, "restore msgmnb");
	CHECK(write_sysctl("shmall", "2\n") == 0, "write shmall: %s",
	      strerror(errno));
	CHECK(FAILS(shmget(IPC_PRIVATE, 3 * 4096, 0600), ENOSPC),
	      "over shmall: %s", strerror(errno));
	CHECK(write_sysctl("shmall", all) == 0, "restore shmall");
	CHECK(write_sysctl("msgmax", "-1") < 0, "msgmax -1 accepted");
}

/* shm_open: a tmpfs file, MAP_SHARED by two processes that each open it. */
static void test_posix_shm(void)
{
	char name[64];
	struct statfs sf;
	int fd, st;
	char *p;
	pid_t pid;

	if (getuid() == 0 && (statfs("/dev/shm", &sf) || sf.f_type != 0x01021994)) {
		mkdir("/dev/shm", 01777);
		if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
			  "mode=1777"))
			printf("mount /dev/shm: %s\n", strerror(errno));
	}
	snprintf(name, sizeof(name), "/sysvipc-test-%d", getpid());
	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	CHECK(fd >= 0, "shm_open: %s", strerror(errno));
	if (fd < 0)
		return;
	CHECK(ftruncate(fd, 8192) == 0, "ftruncate");
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	close(fd);
	if (p == MAP_FAILED)
		return;
	pid = fork();
	if (pid == 0) {
		int cfd = shm_open(name, O_RDWR, 0);
		char *q = cfd < 0 ? MAP_FAILED :
			mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED,
			     cfd, 0);

		if (q == MAP_FAILED)
			_exit(1);
		strcpy(q + 4096, "from the child");
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "child: %x", st);
	CHECK(!strcmp(p + 4096, "from the child"), "shared: '%s'", p + 4096);
	CHECK(shm_unlink(name) == 0, "shm_unlink: %s", strerror(errno));
	CHECK(FAILS(shm_open(name, O_RDWR, 0), ENOENT), "after unlink: %s",
	      strerror(errno));
	munmap(p, 8192);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	key_base = (key_t)(0x5a000000 | (getpid() << 4));
	test_msg();
	test_sem();
	test_shm();
	test_perms();
	test_proc();
	test_posix_shm();
	if (getuid() == 0 && access("/proc/sys/kernel/msgmnb", W_OK) == 0)
		test_limits();
	if (failures) {
		printf("FAIL %d checks\n", failures);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
