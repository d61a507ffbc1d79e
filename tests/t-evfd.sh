# Followers of a growing file, as people use them: busybox `tail -f`
# (which polls) and coreutils `tail -f` (the host's, dynamic: it follows
# with inotify on a local filesystem and sleeps in select), each following
# a file another process appends to. The coreutils one must hold an
# inotify fd (anon_inode:inotify in /proc/PID/fd) while it follows.
# timeout: 120
. "$TESTS/lib.sh"

have_kernel evfd-tail || exit 0
if [ ! -x /usr/bin/tail ] || ! ldd /usr/bin/tail > /dev/null 2>&1; then
	skip evfd-tail "no dynamic /usr/bin/tail on the host"
	exit 0
fi
root=$SCRATCH/root
mkdir -p "$root/usr/bin" "$root/lib64" "$root/lib/x86_64-linux-gnu"
cp /usr/bin/tail "$root/usr/bin/cutail"
for lib in $(ldd /usr/bin/tail | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p'); do
	cp "$lib" "$root/lib/x86_64-linux-gnu/"
done
cp /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
cat > "$root/init" <<EOT
$INIT_HEAD
cd /tmp
echo one > log
tail -f log > bb.out 2>&1 &
bb=\$!
/usr/bin/cutail -f log > cu.out 2>&1 &
cu=\$!
# appended by another process once both are following
i=0
while [ \$i -lt 100 ] && ! [ -s cu.out -a -s bb.out ]; do
	sleep 0.1; i=\$((i + 1))
done
sh -c 'echo two >> log; echo three >> log'
want="one two three "
i=0
while [ \$i -lt 200 ]; do
	b=\$(tr '\n' ' ' < bb.out); c=\$(tr '\n' ' ' < cu.out)
	[ "\$b" = "\$want" ] && [ "\$c" = "\$want" ] && break
	sleep 0.1; i=\$((i + 1))
done
echo "=== busybox:" \$(cat bb.out)
echo "=== coreutils:" \$(cat cu.out)
echo "=== inotify: \$(ls -l /proc/\$cu/fd | grep -c 'anon_inode:inotify')"
kill \$bb \$cu
poweroff -f
EOT
mkimage "$root" "$SCRATCH/initrd.gz" || { fail evfd-tail "cannot build the image"; exit 0; }
boot 60 "$SCRATCH/log" mem=32M initrd="$SCRATCH/initrd.gz"

check()
{
	got=$(tr -d '\r' < "$SCRATCH/log" | sed -n "s/^=== $1: //p")
	if [ "$got" = "$2" ]; then
		pass "evfd-tail-$1"
	else
		fail "evfd-tail-$1" "expected '$2', got '$got' ($(rc_text "$BOOT_RC"))"
		note "$SCRATCH/log"
	fi
}
check busybox "one two three"
check coreutils "one two three"
check inotify 1
exit 0
