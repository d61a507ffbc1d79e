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
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev 2>/dev/null'

# mkimage DIR OUT: DIR (which holds the test's /init and files) completed
# with busybox and its applets, packed into the initramfs OUT.
mkimage()
{
	rootfs_busybox "$1" && chmod 755 "$1/init" && pack_cpio "$1" "$2"
}

# boot SECS LOG ARG...: runs the kernel as the unprivileged user with its
# stdin on /dev/null, output in LOG, killed (with every guest process, which
# stay in its process group) after SECS seconds. Sets BOOT_RC; a hang gives
# 124 or 137. The kernel's cwd, HOME and TMPDIR are in SCRATCH.
boot()
{
	_secs=$1
	_log=$2
	shift 2
	mkdir -p "$SCRATCH/home" "$SCRATCH/tmp"
	chmod 1777 "$SCRATCH/home" "$SCRATCH/tmp"
	( cd "$SCRATCH" && HOME=$SCRATCH/home TMPDIR=$SCRATCH/tmp \
		timeout -k 3 "$_secs" $RUNAS "$KERNEL" "$@" \
		< /dev/null > "$_log" 2>&1 )
	BOOT_RC=$?
	return 0
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
