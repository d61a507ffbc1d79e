# AF_UNIX in our kernel. Busybox programs that talk over unix sockets:
# syslogd receives logger's messages on /dev/log (datagrams, a filesystem
# name on devtmpfs), and netstat -x lists the sockets from /proc/net/unix.
# Then tests/unixdiff/unixdiff.c (random socket operations from fixed
# seeds, every result printed) runs natively and in the guest: the outputs
# must be the same, line by line.
# timeout: 240
. "$TESTS/lib.sh"

img=$SCRATCH/root
mkdir -p "$img"
rootfs_etc "$img"
cat > "$img/init" <<EOT
$INIT_HEAD
echo "=== unix begin"
syslogd -n -O /tmp/messages &
i=0
while [ ! -S /dev/log ] && [ \$i -lt 100 ]; do usleep 50000; i=\$((i + 1)); done
echo "dev-log: \$(stat -c %F /dev/log)"
logger -t unixtest "hello over /dev/log"
logger -t unixtest -p daemon.err "second message"
i=0
while ! grep -q "second message" /tmp/messages 2>/dev/null && [ \$i -lt 100 ]; do
	usleep 50000; i=\$((i + 1))
done
grep -o 'unixtest: .*' /tmp/messages | sed 's/^/log: /'
grep -q 'daemon.err unixtest: second' /tmp/messages && echo "priority: ok"
netstat -xa | grep -q '/dev/log\$' && echo "netstat: /dev/log listed"
kill %1
wait
echo "=== unix end"
poweroff -f
EOT
mkimage "$img" "$SCRATCH/initrd.gz" || { fail unix-syslog "cannot build the image"; exit 0; }
have_kernel unix-syslog || exit 0
boot 60 "$SCRATCH/log" mem=32M initrd="$SCRATCH/initrd.gz"
out=$(tr -d '\r' < "$SCRATCH/log" | sed -n '/^=== unix begin$/,/^=== unix end$/p' |
	grep -v "$KMSG")

check()
{
	if printf '%s\n' "$out" | grep -q -x -e "$2"; then
		pass "$1"
	else
		fail "$1" "no line '$2' ($(rc_text "$BOOT_RC"))"
		note "$SCRATCH/log"
	fi
}
check unix-devlog-socket 'dev-log: socket'
check unix-syslog-first 'log: unixtest: hello over /dev/log'
check unix-syslog-second 'log: unixtest: second message'
check unix-syslog-priority 'priority: ok'
check unix-netstat 'netstat: /dev/log listed'

# --- the differential run ------------------------------------------------
bin=$SCRATCH/bin
mkdir -p "$bin"
if ! gcc -static -O2 -o "$bin/unixdiff" "$TESTS/unixdiff/unixdiff.c" \
	> "$SCRATCH/gcc.log" 2>&1; then
	fail unix-diff "did not compile (see $SCRATCH/gcc.log)"
	exit 0
fi
chmod -R a+rX "$bin"
( cd "$SCRATCH" && timeout -k 2 60 $RUNAS "$bin/unixdiff" 4000 1 ) \
	> "$SCRATCH/native.out" 2>&1 < /dev/null
if [ "$(tail -n 1 "$SCRATCH/native.out")" != done ]; then
	skip unix-diff "does not run natively: $(tail -n 1 "$SCRATCH/native.out")"
	exit 0
fi
GUEST_BIN=$bin guest_image "$SCRATCH/diffroot" "$SCRATCH/diff.gz" unixdiff \
	"4000 1" || { fail unix-diff "cannot build the image"; exit 0; }
boot 120 "$SCRATCH/difflog" mem=64M initrd="$SCRATCH/diff.gz"
guest_output "$SCRATCH/difflog" unixdiff > "$SCRATCH/guest.out"
if cmp -s "$SCRATCH/native.out" "$SCRATCH/guest.out"; then
	pass "unix-diff ($(grep -c . "$SCRATCH/native.out") lines identical)"
else
	first=$(diff "$SCRATCH/native.out" "$SCRATCH/guest.out" |
		sed -n '2p;4p' | tr '\n' ' ')
	fail unix-diff "outputs differ ($(rc_text "$BOOT_RC")): $first"
	note "$SCRATCH/difflog"
fi
exit 0
