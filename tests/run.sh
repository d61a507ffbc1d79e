#!/bin/sh
# tests/run.sh BUILD_DIR: the test suite (what `make check` runs).
#
# Builds the static guest programs (tests/guest/*.c), then runs every
# tests/t-*.sh, each under a time limit, each in its own scratch directory.
# Prints one line per check (PASS name / FAIL name: reason / SKIP name:
# reason) and ends with "N passed, N failed[, N skipped]". Exit status 0 only
# if nothing failed. The kernel always runs as an unprivileged host user:
# when started as root, as the system user $UMLTEST_USER (created if needed).
#
# Environment: TESTS_ONLY="boot applets" runs only t-boot.sh and
# t-applets.sh; KEEP=1 keeps the scratch directories of passing tests.

BUILD=${1:-build}
BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || {
	echo "tests/run.sh: no build directory '$1'" >&2
	exit 2
}
TESTS=$(cd "$(dirname "$0")" && pwd)
KERNEL=$BUILD/linux
GUEST_BIN=$BUILD/guest
BUILD_FAILED=${BUILD_FAILED:-0}
UMLTEST_USER=${UMLTEST_USER:-umltest}
export BUILD TESTS KERNEL GUEST_BIN BUILD_FAILED
export LC_ALL=C
umask 022

results=$(mktemp)
trap 'rm -f "$results"' EXIT INT TERM

# result LINE: prints and records one result line.
result()
{
	echo "$1"
	echo "$1" >> "$results"
}

# --- the unprivileged user -------------------------------------------------
RUNAS=
if [ "$(id -u)" = 0 ]; then
	if ! id "$UMLTEST_USER" > /dev/null 2>&1; then
		useradd -r -M -d /nonexistent -s /usr/sbin/nologin \
			"$UMLTEST_USER" 2>/dev/null ||
			id "$UMLTEST_USER" > /dev/null 2>&1 || {
			echo "tests/run.sh: cannot create user $UMLTEST_USER" >&2
			exit 2
		}
	fi
	RUNAS="setpriv --reuid=$UMLTEST_USER --regid=$UMLTEST_USER --clear-groups --"
fi
export RUNAS

# Scratch space the unprivileged user can write; under the build directory
# unless that user cannot reach it (a checkout in a private home): then in
# /tmp, with copies of the kernel, the default image and the guest programs.
SCRATCH_ROOT=$BUILD/test-scratch
rm -rf "$SCRATCH_ROOT"
mkdir -p "$SCRATCH_ROOT"
[ -n "$RUNAS" ] && chown "$UMLTEST_USER:" "$SCRATCH_ROOT"
# The default image, which some tests boot.
DEFAULT_IMAGE=$BUILD/initramfs.cpio.gz
"$TESTS/../scripts/mkinitramfs.sh" "$BUILD" > /dev/null ||
	result "FAIL image: scripts/mkinitramfs.sh failed"
# The default disk (make run's); tests boot copies of it.
DEFAULT_DISK=$BUILD/rootfs.img
"$TESTS/../scripts/mkrootfs.sh" "$BUILD" > /dev/null ||
	result "FAIL image: scripts/mkrootfs.sh failed"
FALLBACK=
if [ -n "$RUNAS" ] && ! $RUNAS sh -c \
	"test -w '$SCRATCH_ROOT' && test -x '$KERNEL' -o ! -e '$KERNEL'" \
	2>/dev/null; then
	rm -rf "$SCRATCH_ROOT"
	SCRATCH_ROOT=$(mktemp -d /tmp/uml-tests.XXXXXX)
	FALLBACK=1
	chmod 755 "$SCRATCH_ROOT"
	if [ -x "$KERNEL" ]; then
		cp "$KERNEL" "$SCRATCH_ROOT/linux"
		KERNEL=$SCRATCH_ROOT/linux
	fi
	if [ -f "$DEFAULT_IMAGE" ]; then
		cp "$DEFAULT_IMAGE" "$SCRATCH_ROOT/initramfs.cpio.gz"
		DEFAULT_IMAGE=$SCRATCH_ROOT/initramfs.cpio.gz
	fi
	if [ -f "$DEFAULT_DISK" ]; then
		cp --sparse=always "$DEFAULT_DISK" "$SCRATCH_ROOT/rootfs.img"
		DEFAULT_DISK=$SCRATCH_ROOT/rootfs.img
	fi
	chown "$UMLTEST_USER:" "$SCRATCH_ROOT"
fi
export DEFAULT_IMAGE DEFAULT_DISK

# --- the kernel -------------------------------------------------------------
if [ "$BUILD_FAILED" = 1 ] || [ ! -x "$KERNEL" ]; then
	result "FAIL build: $BUILD/linux did not build (see make's output)"
	BUILD_FAILED=1
fi

# --- static guest programs --------------------------------------------------
mkdir -p "$GUEST_BIN"
for src in "$TESTS"/guest/*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	bin=$GUEST_BIN/$name
	if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
		if ! gcc -static -O2 -pthread -Wall -o "$bin" "$src" \
			> "$GUEST_BIN/$name.log" 2>&1; then
			rm -f "$bin"
			result "FAIL build-$name: gcc failed ($(grep -m1 error "$GUEST_BIN/$name.log"))"
		fi
	fi
done
chmod -R a+rX "$GUEST_BIN"
if [ -n "$FALLBACK" ]; then
	cp -r "$GUEST_BIN" "$SCRATCH_ROOT/guest-bin"
	GUEST_BIN=$SCRATCH_ROOT/guest-bin
fi

# --- sanitizers -------------------------------------------------------------
# A kernel built with SAN=-fsanitize=... writes ASan reports into SANDIR
# (one file per process) and UBSan reports on its stderr (log_path is not
# honoured for them when both are linked in), which the tests keep in their
# logs: both are looked for after each test, and a report fails the test
# even if the guest's checks passed. Leaks at poweroff are not errors.
SANPAT='^==[0-9]*==ERROR: \|: runtime error: \|^SUMMARY: [A-Za-z]*Sanitizer'
SANDIR=$SCRATCH_ROOT/sanitizer
mkdir -p "$SANDIR"
chmod 1777 "$SANDIR"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$SANDIR/asan"
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$SANDIR/ubsan"

# --- the tests --------------------------------------------------------------
# Each t-*.sh may declare "# timeout: N" (seconds, default 60) for its whole
# run; the boots inside it have their own, shorter limits.
for t in "$TESTS"/t-*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	name=${name#t-}
	if [ -n "$TESTS_ONLY" ]; then
		case " $TESTS_ONLY " in
		*" $name "*) ;;
		*) continue ;;
		esac
	fi
	limit=$(sed -n 's/^# timeout: *\([0-9][0-9]*\).*/\1/p' "$t" | head -n1)
	limit=${limit:-60}
	SCRATCH=$SCRATCH_ROOT/$name
	mkdir -p "$SCRATCH"
	[ -n "$RUNAS" ] && chown "$UMLTEST_USER:" "$SCRATCH"
	export SCRATCH BUILD_FAILED KERNEL GUEST_BIN
	( cd "$SCRATCH" && timeout -k 5 "$limit" sh "$t" ) \
		> "$SCRATCH/results" 2> "$SCRATCH/stderr" < /dev/null
	rc=$?
	nres=0
	ok=1
	while IFS= read -r line; do
		case $line in
		"PASS "*|"FAIL "*|"SKIP "*)
			result "$line"
			nres=$((nres + 1))
			case $line in "FAIL "*) ok=0 ;; esac
			;;
		esac
	done < "$SCRATCH/results"
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		result "FAIL $name: the test did not finish within ${limit}s"
		ok=0
	elif [ $nres = 0 ]; then
		result "FAIL $name: no result (exit status $rc; see $SCRATCH/stderr)"
		ok=0
	fi
	for f in "$SANDIR"/*; do
		[ -e "$f" ] || continue
		mkdir -p "$SCRATCH/sanitizer"
		mv "$f" "$SCRATCH/sanitizer/"
	done
	what=$(grep -r -h -m1 -a -e "$SANPAT" "$SCRATCH" 2>/dev/null | head -n 1)
	if [ -n "$what" ]; then
		result "FAIL $name-sanitizer: $what (grep -r 'runtime error\|ERROR:' $SCRATCH)"
		ok=0
	fi
	if [ $ok = 1 ] && [ -z "$KEEP" ]; then
		rm -rf "$SCRATCH"
	fi
done
if [ -n "$FALLBACK" ] && [ -z "$KEEP" ] && ! grep -q '^FAIL ' "$results"; then
	rm -rf "$SCRATCH_ROOT"
fi

npass=$(grep -c '^PASS ' "$results")
nfail=$(grep -c '^FAIL ' "$results")
nskip=$(grep -c '^SKIP ' "$results")
if [ "$nskip" -gt 0 ]; then
	echo "$npass passed, $nfail failed, $nskip skipped"
else
	echo "$npass passed, $nfail failed"
fi
[ "$nfail" = 0 ]
