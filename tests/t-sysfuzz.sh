# Robustness: tests/guest/sysfuzz.c makes random system calls from
# disposable children (fixed seeds, about 15 s each), then children that
# scribble over their own stub region while another thread makes system
# calls. Every child must end (SIGKILL at the latest), the kernel must
# still answer afterwards, print no sanitizer report or panic and power
# off cleanly with status 0. A failing child is replayed call by call
# with `sysfuzz -v SEED INDEX` in a guest. Last, a fork bomb under a host
# process limit.
# timeout: 240
. "$TESTS/lib.sh"

SEEDS=${SYSFUZZ_SEEDS:-"1 2 3"}
PER=${SYSFUZZ_SECONDS:-15}

if [ ! -x "$GUEST_BIN/sysfuzz" ]; then
	fail sysfuzz "tests/guest/sysfuzz.c did not compile"
	exit 0
fi

# Natively first, briefly: the harness itself must hold on Linux.
mkdir -p "$SCRATCH/native"
chmod 1777 "$SCRATCH/native"
( cd "$SCRATCH/native" && timeout -k 2 40 $RUNAS "$GUEST_BIN/sysfuzz" 1 20 10 &&
	timeout -k 2 40 $RUNAS "$GUEST_BIN/sysfuzz" smash 1 3 ) \
	> "$SCRATCH/native.out" 2>&1 < /dev/null
rc=$?
if [ $rc != 0 ] || [ "$(tail -n 1 "$SCRATCH/native.out")" != PASS ]; then
	skip sysfuzz "fails natively ($(rc_text $rc)): $(tail -n 1 "$SCRATCH/native.out")"
	exit 0
fi
have_kernel sysfuzz || exit 0

img=$SCRATCH/root
mkdir -p "$img"
cp "$GUEST_BIN/sysfuzz" "$img/sysfuzz"
cat > "$img/init" <<EOT
$INIT_HEAD
cd /tmp
for s in $SEEDS; do
	echo "=== sysfuzz-\$s begin"
	/sysfuzz \$s 10000 $PER 2>&1
	echo "=== sysfuzz-\$s exit \$?"
done
echo "=== smash begin"
/sysfuzz smash 1 10 2>&1
echo "=== smash exit \$?"
poweroff -f
EOT
mkimage "$img" "$SCRATCH/initrd.gz" || { fail sysfuzz "cannot build the image"; exit 0; }

boot 200 "$SCRATCH/log" mem=64M initrd="$SCRATCH/initrd.gz"
log=$SCRATCH/log

# The kernel's own verdict first: it must not have crashed whatever the
# guests did.
kwhy=
if grep -q -a -e 'Kernel panic' "$log"; then
	kwhy="$(grep -m1 -a 'Kernel panic' "$log")"
elif grep -q -a -e ': runtime error: ' -e '==ERROR: ' "$log"; then
	kwhy="sanitizer: $(grep -m1 -a -e ': runtime error: ' -e '==ERROR: ' "$log")"
elif [ "$BOOT_RC" != 0 ]; then
	kwhy="the kernel ended with $(rc_text "$BOOT_RC")"
fi

for s in $SEEDS smash; do
	case $s in
	smash) prog=smash ;;
	*) prog=sysfuzz-$s ;;
	esac
	why=$(guest_verdict "$log" "$prog")
	[ -n "$kwhy" ] && why="${why:+$why; }$kwhy"
	summary=$(guest_output "$log" "$prog" | grep -m1 'children ran')
	if [ -z "$why" ]; then
		pass "$prog (${summary%%;*})"
	else
		fail "$prog" "$why"
	fi
done
[ -n "$kwhy" ] && note "$log"

# A fork bomb under a host process limit a little above what the test user
# already runs: the host refusing a process or a thread must be EAGAIN for
# the guest, never a panic.
user=$(stat -c %U "$SCRATCH")
limit=$(($(ps -L -u "$user" --no-headers 2>/dev/null | wc -l) + 150))
guest_image "$SCRATCH/bomb" "$SCRATCH/bomb.gz" sysfuzz "bomb 2000" ||
	{ fail sysfuzz-bomb "cannot build the image"; exit 0; }
run_group 90 "$SCRATCH/bomb.log" "$SCRATCH/bomb.log" prlimit --nproc="$limit" \
	$RUNAS "$KERNEL" mem=64M initrd="$SCRATCH/bomb.gz"
BOOT_RC=$RUN_RC
why=$(guest_verdict "$SCRATCH/bomb.log" sysfuzz)
if grep -q -a 'Kernel panic' "$SCRATCH/bomb.log"; then
	why="${why:+$why; }$(grep -m1 -a 'Kernel panic' "$SCRATCH/bomb.log")"
fi
if [ -z "$why" ]; then
	pass "sysfuzz-bomb ($(guest_output "$SCRATCH/bomb.log" sysfuzz | grep -m1 '^bomb:'))"
else
	fail sysfuzz-bomb "$why"
	note "$SCRATCH/bomb.log"
fi
exit 0
