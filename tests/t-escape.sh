# Isolation: tests/guest/escape.c tries to reach the host (host paths, the
# kernel's host pid, the stub's own syscall instruction). Every attempt must
# be refused, the host file it tries to create must not exist afterwards and
# the kernel must live on to power off cleanly.
# timeout: 90
. "$TESTS/lib.sh"

if [ ! -x "$GUEST_BIN/escape" ]; then
	fail escape "tests/guest/escape.c did not compile"
	exit 0
fi
# Natively first (no stub: ordinary calls only), as the unprivileged user,
# on paths that do not exist and pid 1, which it may not signal.
timeout -k 2 20 $RUNAS "$GUEST_BIN/escape" "$SCRATCH/nonexistent/a" \
	"$SCRATCH/nonexistent/b" 1 > "$SCRATCH/native.out" 2>&1 < /dev/null
rc=$?
if [ $rc != 0 ] || [ "$(tail -n 1 "$SCRATCH/native.out")" != PASS ]; then
	skip escape "fails natively ($(rc_text $rc)): $(tail -n 1 "$SCRATCH/native.out")"
	exit 0
fi
have_kernel escape || exit 0

hostdir=$SCRATCH/hostonly
mkdir -p "$hostdir"
chmod 1777 "$hostdir"
echo "host secret" > "$hostdir/secret"
chmod 644 "$hostdir/secret"
created=$hostdir/created
victim=$hostdir/victim
echo victim > "$victim"
chmod 666 "$victim"

guest_image "$SCRATCH/root" "$SCRATCH/initrd.gz" escape \
	"'$hostdir/secret' '$created' \"\$KPID\"" ||
	{ fail escape "cannot build the image"; exit 0; }
# The kernel's own pid goes on its command line (KPID=, handed to /init as
# an environment variable): sh execs setpriv, which execs the kernel.
run_group 45 "$SCRATCH/log" "$SCRATCH/log" sh -c 'exec "$@" KPID=$$' sh \
	$RUNAS "$KERNEL" mem=32M initrd="$SCRATCH/initrd.gz"
BOOT_RC=$RUN_RC

why=$(guest_verdict "$SCRATCH/log" escape)
if [ -e "$created" ]; then
	why="the guest created $created on the host${why:+; $why}"
fi
if [ "$(cat "$victim" 2>/dev/null)" != victim ] ||
   [ "$(cat "$hostdir/secret" 2>/dev/null)" != "host secret" ]; then
	why="host files were changed${why:+; $why}"
fi
if [ -z "$why" ] && ! guest_output "$SCRATCH/log" escape | grep -q '^raw: gadget at'; then
	why="the stub's code was not found from the guest: the raw attempts did not run"
fi
if [ -z "$why" ]; then
	pass "escape ($(guest_output "$SCRATCH/log" escape | grep -c '^refused:') attempts refused)"
else
	fail escape "$why"
	note "$SCRATCH/log"
fi
