# Ptys and the kernel log from the shell, as a Debian userland uses them:
# devpts mounted with the usual options (/proc/mounts shows them), the
# host's util-linux `script` (a dynamic binary, with the host's libc)
# running a command on a new pty (skipped if a system call it needs is
# missing; tests/guest/pty.c runs tty(1) the same way), and busybox dmesg showing the boot log,
# a message written to /dev/kmsg, clearing (-c) and the console level (-n).
# tests/guest/pty.c, sysvipc.c and kmsg.c check the details.
# timeout: 60
. "$TESTS/lib.sh"
have_kernel pty || exit 0

img=$SCRATCH/root
mkdir -p "$img/lib64" "$img/lib/x86_64-linux-gnu" "$img/usr/bin"
have_script=
if [ -x /usr/bin/script ] &&
	ldd /usr/bin/script 2>/dev/null | grep -q 'libc.so.6' &&
	[ "$(ldd /usr/bin/script | grep -c '=>')" = 1 ]; then
	cp /usr/bin/script "$img/usr/bin/script"
	cp /lib64/ld-linux-x86-64.so.2 "$img/lib64/"
	cp /lib/x86_64-linux-gnu/libc.so.6 "$img/lib/x86_64-linux-gnu/"
	have_script=1
fi
cat > "$img/init" <<EOT
$INIT_HEAD
mkdir -p /dev/pts
mount -t devpts -o gid=5,mode=620,ptmxmode=000 devpts /dev/pts
echo "mounts: \$(grep ' /dev/pts ' /proc/mounts)"
if [ -x /usr/bin/script ]; then
	echo "script: \$(script -qc tty /dev/null < /dev/null | tr -d '\r')"
	echo "script-stty: \$(script -qc 'stty -a' /dev/null < /dev/null | tr -d '\r' | grep -o 'icanon' | head -n 1)"
fi
echo "dmesg-boot: \$(dmesg | grep -c 'Linux version')"
echo '<4>pty-test-message' > /dev/kmsg
echo "dmesg-kmsg: \$(dmesg | grep -c 'pty-test-message')"
dmesg -c > /dev/null
echo "dmesg-cleared: \$(dmesg | grep -c 'Linux version')"
dmesg -n 1
echo "printk: \$(cut -f1 /proc/sys/kernel/printk)"
poweroff -f
EOT
mkimage "$img" "$SCRATCH/initrd.gz" || { fail pty "cannot build the image"; exit 0; }
boot 30 "$SCRATCH/log" mem=32M initrd="$SCRATCH/initrd.gz"
out=$SCRATCH/out
tr -d '\r' < "$SCRATCH/log" > "$out"

# check NAME PATTERN WHY: the output has a line matching PATTERN.
check()
{
	if grep -q -e "$2" "$out"; then
		pass "$1"
	else
		fail "$1" "$3 ($(grep -m1 "^${2%%:*}:" "$out" || echo 'no line'); $(rc_text "$BOOT_RC"))"
		note "$SCRATCH/log"
	fi
}

check pty-mount '^mounts: devpts /dev/pts devpts rw,relatime,gid=5,mode=620,ptmxmode=000 0 0$' \
	"devpts options in /proc/mounts"
if [ -n "$have_script" ] && grep -q '^script: .*Function not implemented' "$out"; then
	# util-linux script needs signalfd(2) and epoll as well
	skip pty-script "script(1) met a system call this kernel lacks: $(grep -m1 'Function not implemented' "$out")"
elif [ -n "$have_script" ]; then
	check pty-script '^script: /dev/pts/0$' "script -c tty did not print /dev/pts/0"
	check pty-script-termios '^script-stty: icanon$' "the pty's termios"
else
	skip pty-script "no /usr/bin/script with only libc on the host"
fi
check dmesg-boot '^dmesg-boot: 1$' "dmesg does not show 'Linux version'"
check dmesg-kmsg '^dmesg-kmsg: 1$' "a /dev/kmsg write is not in dmesg"
check dmesg-clear '^dmesg-cleared: 0$' "dmesg -c did not clear"
check dmesg-level '^printk: 1$' "dmesg -n 1 did not set the console level"
exit 0
