# The default image on a terminal: a pty driven by tests/interactive.py
# (prompt, a command, ^C, ^Z with jobs/fg/bg, poweroff -f and exit 0).
# timeout: 120
. "$TESTS/lib.sh"

have_kernel interactive || exit 0
image=$DEFAULT_IMAGE
if [ ! -f "$image" ]; then
	fail interactive "no default image (scripts/mkinitramfs.sh failed)"
	exit 0
fi
mkdir -p "$SCRATCH/home" "$SCRATCH/tmp"
chmod 1777 "$SCRATCH/home" "$SCRATCH/tmp"
cd "$SCRATCH" && HOME=$SCRATCH/home TMPDIR=$SCRATCH/tmp \
	python3 "$TESTS/interactive.py" "$SCRATCH/console.log" -- \
	$RUNAS "$KERNEL" mem=32M initrd="$image"
note "$SCRATCH/console.log"
