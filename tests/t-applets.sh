# Busybox applets (tests/applets.sh) in our kernel and on the host in a
# chroot of the same tree: the outputs must match line by line.
# timeout: 150
. "$TESTS/lib.sh"

img=$SCRATCH/root
mkdir -p "$img"
rootfs_etc "$img"
cp "$TESTS/applets.sh" "$img/applets.sh"
cat > "$img/init" <<EOT
$INIT_HEAD
echo "=== applets begin"
/bin/sh /applets.sh 2>&1
echo "=== applets end"
poweroff -f
EOT
mkimage "$img" "$SCRATCH/initrd.gz" || { fail applets "cannot build the image"; exit 0; }

# ash reports a killed background job ("Terminated", "Killed") only when
# the SIGCHLD beats the next command, on Linux as here: those lines are not
# compared.
jobmsg_filter() { grep -v -x -E 'Terminated|Killed'; }

# extract LOG: the lines between the markers, without carriage returns and
# kernel messages.
extract()
{
	tr -d '\r' < "$1" | sed -n '/^=== applets begin$/,/^=== applets end$/p' |
		sed '1d;$d' | grep -v "$KMSG" | jobmsg_filter
}

# The host run: private mount, UTS and pid namespaces (so that pid 1
# is the chroot's shell, as init is in the guest), with /proc, /sys, /tmp
# and the host's /dev (a tmpfs made in a user namespace could not hold
# usable device nodes) mounted into the tree. As root, or else in a user
# namespace as its root.
host=$SCRATCH/host.out
[ "$(id -u)" = 0 ] && userns= || userns=-r
if ! unshare $userns -m -u -p -f true 2> "$SCRATCH/host.err"; then
	skip applets "no namespaces for the host's chroot run here: $(head -n1 "$SCRATCH/host.err")"
	exit 0
fi
unshare $userns -m -u -p -f --propagation private sh -c '
	t=$1
	mount --rbind /dev "$t/dev" &&
	mount -t tmpfs tmpfs "$t/tmp" &&
	mount -t proc proc "$t/proc" &&
	{ mount -t sysfs sysfs "$t/sys" 2>/dev/null || true; } &&
	exec chroot "$t" /bin/sh -c "/bin/sh /applets.sh 2>&1"
' sh "$img" < /dev/null 2> "$SCRATCH/host.err" | jobmsg_filter > "$host"
if ! grep -q '^== done$' "$host"; then
	fail applets "the host (chroot) run did not complete: $(head -c 200 "$SCRATCH/host.err")"
	note "$host"
	exit 0
fi
n=$(grep -c . "$host")

have_kernel applets || exit 0
boot 90 "$SCRATCH/log" mem=32M initrd="$SCRATCH/initrd.gz"
extract "$SCRATCH/log" > "$SCRATCH/guest.out"

# One result per section ("== name" lines), so that one missing facility
# (say /proc) does not hide the rest.
sections=$(sed -n 's/^== //p' "$host")
for sec in $sections; do
	[ "$sec" = done ] && continue
	sed -n "/^== $sec\$/,/^== /p" "$host" | sed '$d' > "$SCRATCH/h.$sec"
	sed -n "/^== $sec\$/,/^== /p" "$SCRATCH/guest.out" | sed '$d' > "$SCRATCH/g.$sec"
	n=$(($(wc -l < "$SCRATCH/h.$sec") - 1))
	if [ ! -s "$SCRATCH/g.$sec" ]; then
		fail "applets-$sec" "section missing from the guest's output ($(rc_text "$BOOT_RC"))"
	elif diff -u "$SCRATCH/h.$sec" "$SCRATCH/g.$sec" > "$SCRATCH/diff.$sec"; then
		pass "applets-$sec ($n lines identical)"
	else
		first=$(grep -m1 '^[-+][^-+]' "$SCRATCH/diff.$sec")
		nd=$(grep -c '^[-+][^-+]' "$SCRATCH/diff.$sec")
		fail "applets-$sec" "$nd lines differ from the host's, first: $first"
		cat "$SCRATCH/diff.$sec" >&2
	fi
done
if grep -q '^== done$' "$SCRATCH/guest.out" && [ "$BOOT_RC" = 0 ]; then
	pass applets-poweroff
else
	fail applets-poweroff "the script did not finish or the kernel did not power off cleanly ($(rc_text "$BOOT_RC"))"
	note "$SCRATCH/log"
fi
