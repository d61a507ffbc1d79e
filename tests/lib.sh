# Helpers for the tests (tests/t-*.sh), sourced by each of them.
#
# tests/run.sh exports: BUILD, KERNEL, TESTS (this directory), GUEST_BIN
# (static guest programs), SCRATCH (this test's own empty directory, writable
# by the unprivileged user), RUNAS (the command prefix that drops to that
# user, empty when already unprivileged), BUILD_FAILED (1 if the kernel did
# not build).
#
# A test prints one result line per check on stdout:
#   PASS name | FAIL name: reason | SKIP name: reason
# and anything else (logs, diagnostics) on stderr, which run.sh keeps in
# SCRATCH/stderr.

. "$TESTS/../scripts/initramfs-lib.sh"

# A kernel message on the console ("[    1.234567] ..."): filtered out of
# guest programs' output.
KMSG='^\[ *[0-9][0-9]*\.[0-9]\{6\}\] '

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }

# note FILE: the last lines of a log, on stderr, for whoever reads it.
note()
{
	echo "--- $1 (last 30 lines)" >&2
	tail -n 30 "$1" >&2 2>/dev/null
}

# have_kernel NAME: fails NAME and returns 1 if there is no kernel to test.
have_kernel()
{
	if [ "${BUILD_FAILED:-0}" = 1 ] || [ ! -x "$KERNEL" ]; then
		fail "$1" "the kernel did not build"
		return 1
	fi
	return 0
}

# The usual start of a test's /init: pseudo filesystems, a sane PATH.
INIT_HEAD='#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
export PATH
umask 022
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
grep -q "^[^ ]* /dev " /proc/mounts 2>/dev/null ||
	mount -t devtmpfs devtmpfs /dev 2>/dev/null'

# mkimage DIR OUT: DIR (which holds the test's /init and files) completed
# with busybox and its applets, packed into the initramfs OUT.
mkimage()
{
	rootfs_busybox "$1" && chmod 755 "$1/init" && pack_cpio "$1" "$2"
}

# run_group SECS OUT ERR CMD...: runs CMD under timeout (which makes its own
# process group, and the kernel's guest host processes stay in it), stdin
# on /dev/null, HOME and TMPDIR in SCRATCH. Afterwards whatever is left of
# that process group is killed, so that no guest outlives its test. Sets
# RUN_RC: a hang gives 124 or 137.
run_group()
{
	_secs=$1
	_out=$2
	_err=$3
	shift 3
	mkdir -p "$SCRATCH/home" "$SCRATCH/tmp"
	chmod 1777 "$SCRATCH/home" "$SCRATCH/tmp"
	HOME=$SCRATCH/home TMPDIR=$SCRATCH/tmp \
		timeout -k 3 "$_secs" "$@" < /dev/null > "$_out" 2> "$_err" &
	_pg=$!
	wait $_pg
	RUN_RC=$?
	kill -KILL -- "-$_pg" 2> /dev/null
	return 0
}

# boot SECS LOG ARG...: runs the kernel with ARG... as the unprivileged user,
# output (stdout and stderr) in LOG, killed after SECS seconds. Sets BOOT_RC.
boot()
{
	_secs=$1
	_log=$2
	shift 2
	run_group "$_secs" "$_log" "$_log" $RUNAS "$KERNEL" "$@"
	BOOT_RC=$RUN_RC
}

# boot_pty SECS LOG ARG...: boot, with the kernel's console on a pty (as
# when a person runs it) instead of /dev/null, for programs that use the
# terminal.
boot_pty()
{
	_secs=$1
	_log=$2
	shift 2
	run_group "$_secs" "$_log" "$_log" python3 "$TESTS/ptyrun.py" \
		$RUNAS "$KERNEL" "$@"
	BOOT_RC=$RUN_RC
}

# rc_text RC: a status in words, for FAIL lines.
rc_text()
{
	case $1 in
	124) echo "hung: killed after the timeout" ;;
	137) echo "killed by SIGKILL (hung?)" ;;
	134) echo "aborted (panic?), status 134" ;;
	139) echo "crashed with SIGSEGV" ;;
	*) echo "exit status $1" ;;
	esac
}

# first_match LOG PATTERN: the first line matching, for messages.
has_line() { grep -q -e "$2" "$1"; }

# guest_image DIR OUT PROG 'ARGS' [tty]: an image whose /init runs the
# static program GUEST_BIN/PROG with ARGS (shell words, expanded by /init)
# between markers, then powers off. The program's output and status are in
# the log between "=== PROG begin" and "=== PROG exit N". With "tty", the
# program runs in a session of its own with the console (tty0) as its
# controlling terminal, in the foreground, opened read-write on fds 0-2 as
# a login shell's would be.
guest_image()
{
	mkdir -p "$1"
	cp "$GUEST_BIN/$3" "$1/$3" || return 1
	if [ "$5" = tty ]; then
		_run="t=/dev/tty0; [ -c \$t ] || t=/dev/console
setsid -c /$3 $4 <> \$t >&0 2>&0"
	else
		_run="/$3 $4 2>&1"
	fi
	cat > "$1/init" <<EOT
$INIT_HEAD
cd /tmp
echo "=== $3 begin"
$_run
echo "=== $3 exit \$?"
poweroff -f
EOT
	mkimage "$1" "$2"
}

# needs_tty SRC: whether a guest program wants a terminal at fd 0 (its
# comment says "Needs fd 0 to be ..."): it then runs natively on a pty
# (tests/ptyrun.py) and in the guest on the console.
needs_tty() { grep -q 'Needs fd 0 to be' "$1"; }

# guest_output LOG PROG: the program's output from a boot log.
guest_output()
{
	tr -d '\r' < "$1" | sed -n "/^=== $2 begin\$/,/^=== $2 exit /p" |
		sed '1d;$d' | grep -v "$KMSG"
}

# guest_verdict LOG PROG: checks a guest program's run; prints nothing and
# returns 0 if its last line is PASS, exited 0 and the kernel powered off
# cleanly; else prints the reason.
guest_verdict()
{
	_out=$(guest_output "$1" "$2")
	_last=$(printf '%s\n' "$_out" | grep -v '^$' | tail -n 1)
	if ! grep -q "^=== $2 begin" "$1"; then
		echo "the program did not start ($(rc_text "$BOOT_RC"))"
	elif [ "$_last" != PASS ]; then
		case $_last in
		FAIL*) echo "$_last" ;;
		*) echo "no PASS line (last: '$_last'; $(rc_text "$BOOT_RC"))" ;;
		esac
	elif ! grep -q "^=== $2 exit 0" "$1"; then
		echo "printed PASS but $(tr -d '\r' < "$1" | grep -m1 "^=== $2 exit" || echo 'did not exit')"
	elif [ "$BOOT_RC" != 0 ]; then
		echo "PASS, but then the kernel ended with $(rc_text "$BOOT_RC")"
	fi
}

# The Debian image the Debian-userland tests boot: bookworm, sysvinit,
# passwordless root, with what those tests run. Built once with
# build/uml_mkimage; the debootstrapped tree is cached in BUILD/debian/cache
# (reused while suite and packages are the same) and the image in
# BUILD/debian/bookworm.img (rebuilt when uml_mkimage changes). Tests boot
# it through a COW file of their own so it stays pristine.
DEBIAN_PACKAGES=python3,perl,gcc,libc6-dev,procps,psmisc,bsdextrautils,xz-utils
DEBIAN_IMAGE=$BUILD/debian/bookworm.img
debian_image()
{
	if [ -f "$DEBIAN_IMAGE" ] && [ "$DEBIAN_IMAGE" -nt "$BUILD/uml_mkimage" ]; then
		return 0
	fi
	mkdir -p "$BUILD/debian"
	"$BUILD/uml_mkimage" -f --no-root-password -H uml-debian \
		-p "$DEBIAN_PACKAGES" -c "$BUILD/debian/cache" -s 4G \
		"$DEBIAN_IMAGE.new" > "$BUILD/debian/mkimage.log" 2>&1 &&
		mv "$DEBIAN_IMAGE.new" "$DEBIAN_IMAGE" && chmod 644 "$DEBIAN_IMAGE"
}
