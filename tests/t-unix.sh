# Busybox programs that talk over AF_UNIX sockets in our kernel: syslogd
# receives logger's messages on /dev/log (datagrams, a filesystem name on
# devtmpfs), and netstat -x lists the sockets from /proc/net/unix.
# timeout: 120
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
exit 0
