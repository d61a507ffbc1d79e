# The benchmark program of `make bench` (bench/ubench.c) works: run once
# natively and once in our kernel with tiny counts (-q), it must measure
# every figure and end with PASS. Speed is not checked here (make bench).
# timeout: 120
. "$TESTS/lib.sh"

BENCH_SRC=$TESTS/../bench
NFIG=15		# figures ubench measures

ub=$SCRATCH/ubench
tr=$SCRATCH/bench-true
if ! gcc -static -O2 -pthread -Wall -Wextra -o "$ub" "$BENCH_SRC/ubench.c" \
	> "$SCRATCH/gcc.log" 2>&1 ||
   ! gcc -static -nostdlib -O2 -Wall -Wextra -o "$tr" \
	"$BENCH_SRC/bench-true.c" >> "$SCRATCH/gcc.log" 2>&1; then
	fail bench-build "gcc failed: $(grep -m1 error "$SCRATCH/gcc.log")"
	exit 0
fi
chmod 755 "$ub" "$tr"

# verdict FILE: nothing if FILE (ubench's output) ends with PASS after
# NFIG results; else the reason.
verdict()
{
	_n=$(grep -c '^RESULT ' "$1")
	_last=$(grep -v '^$' "$1" | tail -n 1)
	if [ "$_last" != PASS ]; then
		echo "no PASS line (last: '$_last'; $(grep -m1 '^ERROR' "$1"))"
	elif [ "$_n" != $NFIG ]; then
		echo "$_n figures measured, want $NFIG"
	fi
}

# Natively (Linux is the oracle), as the unprivileged user.
mkdir -p "$SCRATCH/native"
chmod 1777 "$SCRATCH/native"
run_group 60 "$SCRATCH/native.out" "$SCRATCH/native.err" $RUNAS "$ub" -q \
	-d "$SCRATCH/native/work" -x "$tr" -b "$BUSYBOX"
why=$(verdict "$SCRATCH/native.out")
[ "$RUN_RC" = 0 ] || why="${why:-PASS, but} $(rc_text "$RUN_RC")"
if [ -n "$why" ]; then
	skip bench-ours "fails natively: fix bench/ubench.c"
	fail bench-native "$why"
	note "$SCRATCH/native.out"
	exit 0
fi
pass bench-native

# In our kernel, from an initramfs, the way make bench runs it.
have_kernel bench-ours || exit 0
img=$SCRATCH/root
mkdir -p "$img"
cp "$ub" "$tr" "$img/"
cat > "$img/init" <<EOT
$INIT_HEAD
echo "=== ubench begin"
/ubench -q -d /tmp/ubench 2>&1
echo "=== ubench exit \$?"
poweroff -f
EOT
mkimage "$img" "$SCRATCH/initrd.gz" || { fail bench-ours "cannot build the image"; exit 0; }
boot 60 "$SCRATCH/log" mem=128M initrd="$SCRATCH/initrd.gz"
guest_output "$SCRATCH/log" ubench > "$SCRATCH/ours.out"
why=$(verdict "$SCRATCH/ours.out")
if [ -z "$why" ]; then
	why=$(guest_verdict "$SCRATCH/log" ubench)
fi
if [ -z "$why" ]; then
	pass bench-ours
else
	fail bench-ours "$why"
	note "$SCRATCH/log"
fi
exit 0
