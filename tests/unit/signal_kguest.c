/*
 * The guest of signal_ktest: raw system calls, no libc. Checks what a
 * handler sees (arguments, siginfo, ucontext, stack, FPU) and what comes
 * back after rt_sigreturn; exits 0, or the line number of the first
 * failed check.
 */
typedef unsigned long u64;

#define SIGILL	4
#define SIGUSR1	10
#define SIGSEGV	11
#define SIGUSR2	12
#define SA_SIGINFO	0x4
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_NODEFER	0x40000000

static long sc(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c),
			 "r"(r10) : "rcx", "r11", "memory");
	return r;
}

#define CHECK(c) do { if (!(c)) sc(231, __LINE__, 0, 0, 0); } while (0)

struct ksa {
	void *handler;
	u64 flags;
	void *restorer;
	u64 mask;
};

struct siginfo {
	int signo, errno_, code, pad;
	union {
		struct { int pid; unsigned uid; } kill;
		struct { u64 addr; } fault;
	};
	char rest[96];
};

struct sigctx {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	unsigned short cs, gs, fs, ss;
	u64 err, trapno, oldmask, cr2, fpstate, reserved[8];
};

struct ucontext {
	u64 flags, link;
	struct { u64 sp; int flags, pad; u64 size; } stack;
	struct sigctx mc;
	u64 sigmask;
};

extern void restorer(void);
__asm__(".text\nrestorer:\n\tmov $15, %eax\n\tsyscall\n\thlt");

static volatile int hits, depth, maxdepth;
static volatile u64 seen_mxcsr, seen_rsp;
static volatile u64 fault_addr;
static char altstack[16384] __attribute__((aligned(16)));

extern char recover[], bad_insn[];

static void handler(int sig, struct siginfo *si, struct ucontext *uc)
{
	unsigned int mx;
	char here;

	__asm__ volatile("stmxcsr %0" : "=m"(mx));
	seen_mxcsr = mx;
	seen_rsp = (u64)&here;
	if (++depth > maxdepth)
		maxdepth = depth;
	hits++;
	CHECK(si->signo == sig);
	if (sig == SIGUSR1 || sig == SIGUSR2) {
		CHECK(si->code == 0);		/* SI_USER */
		CHECK(si->kill.pid == 1);
		CHECK(uc->mc.rax == 0);		/* kill's result */
		CHECK(uc->mc.cs == 0x33);
		CHECK(uc->mc.fpstate && !(uc->mc.fpstate & 63));
		CHECK(uc->mc.fpstate > (u64)uc);
		CHECK(uc->flags & 2);		/* UC_SIGCONTEXT_SS */
	}
	if (sig == SIGUSR1 && hits == 1) {
		/* clobber: none of this may leak out of the handler */
		mx |= 0x6000;
		__asm__ volatile("ldmxcsr %0\n\tpcmpeqd %%xmm8, %%xmm8"
				 : : "m"(mx) : "xmm8");
	}
	if (sig == SIGUSR2) {
		/* SA_NODEFER: a nested one comes in at once */
		if (hits == 1)
			sc(62, 1, SIGUSR2, 0, 0);
	}
	if (sig == SIGSEGV) {
		fault_addr = si->fault.addr;
		CHECK(si->code == 1);			/* SEGV_MAPERR */
		CHECK(uc->mc.cr2 == si->fault.addr);
		CHECK(uc->mc.trapno == 14);
		uc->mc.rip = (u64)recover;
	}
	if (sig == SIGILL) {
		CHECK(si->fault.addr == (u64)bad_insn);
		CHECK(uc->mc.rip == (u64)bad_insn);
		uc->mc.rip += 2;
		uc->mc.rbx = 0x1234;		/* comes back in rbx */
	}
	depth--;
}

static void set(int sig, u64 flags)
{
	struct ksa a = { (void *)handler, flags | SA_SIGINFO | SA_RESTORER,
			 (void *)restorer, 0 };

	CHECK(sc(13, sig, (long)&a, 0, 8) == 0);
}

void _start(void)
{
	u64 in = 0x0123456789abcdefUL, out = 0, rbx;
	unsigned int mx = 0x1f80 | 0x2000, mxafter = 0;
	struct { u64 sp; int flags, pad; u64 size; } ss;
	u64 mask;

	/* basic delivery, FPU and MXCSR preserved, handler starts clean */
	set(SIGUSR1, 0);
	__asm__ volatile("ldmxcsr %[mx]\n\tmovq %[in], %%xmm8\n\t"
			 "mov $62, %%eax\n\tmov $1, %%edi\n\tmov $10, %%esi\n\t"
			 "syscall\n\t"
			 "movq %%xmm8, %[out]\n\tstmxcsr %[mxa]"
			 : [out] "=m"(out), [mxa] "=m"(mxafter)
			 : [in] "r"(in), [mx] "m"(mx)
			 : "rax", "rdi", "rsi", "rcx", "r11", "xmm8", "memory");
	CHECK(hits == 1);
	CHECK(out == in);
	CHECK(mxafter == mx);
	CHECK((seen_mxcsr & 0x6000) == 0);
	/* the frame sits below the red zone, call-aligned */
	CHECK(((u64)&in - seen_rsp) > 128);

	/* the mask is back, SIGUSR1 is not left blocked */
	CHECK(sc(14, 0, 0, (long)&mask, 8) == 0);
	CHECK(mask == 0);

	/* SA_NODEFER: nested */
	hits = 0;
	maxdepth = 0;
	set(SIGUSR2, SA_NODEFER);
	sc(62, 1, SIGUSR2, 0, 0);
	CHECK(hits == 2 && maxdepth == 2);

	/* alternate stack */
	ss.sp = (u64)altstack;
	ss.flags = 0;
	ss.size = sizeof(altstack);
	CHECK(sc(131, (long)&ss, 0, 0, 0) == 0);
	set(SIGUSR1, SA_ONSTACK);
	hits = 0;
	sc(62, 1, SIGUSR1, 0, 0);
	CHECK(hits == 1);
	CHECK(seen_rsp >= (u64)altstack &&
	      seen_rsp < (u64)altstack + sizeof(altstack));

	/* a fault, recovered by editing rip in the frame */
	set(SIGSEGV, 0);
	hits = 0;
	__asm__ volatile("movl $1, 0x18\n.globl recover\nrecover:" ::: "memory");
	CHECK(hits == 1 && fault_addr == 0x18);

	/* ud2: edited rip and rbx come back through rt_sigreturn */
	set(SIGILL, 0);
	hits = 0;
	__asm__ volatile("xor %%ebx, %%ebx\n.globl bad_insn\nbad_insn: ud2\n"
			 "mov %%rbx, %0" : "=r"(rbx) : : "rbx");
	CHECK(hits == 1 && rbx == 0x1234);

	sc(231, 0, 0, 0, 0);
	for (;;)
		;
}
