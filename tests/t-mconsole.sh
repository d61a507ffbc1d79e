# The management console of our kernel: umid directories, the mconsole
# server driven by Debian's uml_mconsole and ours, disk hot-plug, stop/go, cad, reboot,
# halt, the notify socket, a raw-protocol check, a seeded fuzz, and our
# client's answers from our kernel compared with the real UML's.
# timeout: 400
. "$TESTS/lib.sh"

have_kernel mconsole || exit 0
OURS=$BUILD/uml_mconsole
DEBIAN=/usr/bin/uml_mconsole
UDIR=$SCRATCH/home/.uml
mkdir -p "$SCRATCH/home"
chmod 777 "$SCRATCH/home"

# The guest: busybox init, whose inittab answers Ctrl-Alt-Del, and a loop
# printing a counter on the console.
tree=$SCRATCH/tree
mkdir -p "$tree/etc"
cat > "$tree/init" <<EOT
$INIT_HEAD
exec /sbin/init
EOT
cat > "$tree/etc/inittab" <<'EOT'
::sysinit:/etc/rc.test
::ctrlaltdel:/bin/echo CAD-RECEIVED
EOT
cat > "$tree/etc/rc.test" <<'EOT'
#!/bin/sh
( i=0; while :; do i=$((i+1)); echo "COUNT $i"; sleep 0.2; done ) &
# A disk plugged in from the host: mount it, keep it mounted until the
# host says (console log level 5, by "sysrq 5"), then wait for it to go.
( while [ ! -b /dev/ubdb ]; do sleep 0.2; done
  mkdir -p /mnt
  mount -t ext4 /dev/ubdb /mnt || echo DISK-MOUNT-FAILED
  echo "DISK $(cat /mnt/hello)"
  until [ "$(cut -f1 /proc/sys/kernel/printk)" = 5 ]; do sleep 0.2; done
  umount /mnt
  echo DISK-CLOSED
  while [ -b /dev/ubdb ]; do sleep 0.2; done
  echo DISK-GONE ) &
if [ -e /proc/mconsole ]; then
	printf 'hello from the guest' > /proc/mconsole
else
	echo NO-PROC-MCONSOLE
fi
echo MCONSOLE-TEST-READY
EOT
chmod 755 "$tree/etc/rc.test"
img=$SCRATCH/mc.cpio.gz
mkimage "$tree" "$img" || { fail mconsole "cannot build the image"; exit 0; }

KPIDS=
cleanup()
{
	for p in $KPIDS; do
		kill -KILL "$p" 2> /dev/null
	done
	[ -n "$npid" ] && kill "$npid" 2> /dev/null
	[ -n "$upid" ] && kill -KILL "$upid" 2> /dev/null
	rm -rf "$utmp"
}
trap cleanup EXIT

# start LOG ARG...: our kernel in the background as the unprivileged user;
# its timeout's pid in kpid.
start()
{
	_log=$1
	shift
	HOME=$SCRATCH/home TMPDIR=$SCRATCH \
		timeout -k 3 200 $RUNAS "$KERNEL" mem=64M initrd="$img" "$@" \
		< /dev/null > "$_log" 2>&1 &
	kpid=$!
	KPIDS="$KPIDS $kpid"
}

# wait_for LOG PATTERN [COUNT]: until LOG has COUNT (1) lines matching, or
# the kernel is gone, or 60 s.
wait_for()
{
	for _ in $(seq 1 300); do
		[ "$(tr -d '\r' < "$1" | grep -c -e "$2")" -ge "${3:-1}" ] &&
			return 0
		kill -0 "$kpid" 2> /dev/null || return 1
		sleep 0.2
	done
	return 1
}

# mc CLIENT OUT CMD...: one client run as the unprivileged user; sets RC.
mc()
{
	_c=$1
	_out=$2
	shift 2
	HOME=$SCRATCH/home timeout -k 2 30 $RUNAS "$_c" "$@" \
		< /dev/null > "$_out" 2> "$_out.err"
	RC=$?
}

# last_count LOG: the guest's counter as last printed.
last_count()
{
	tr -d '\r' < "$1" | grep '^COUNT ' | tail -n 1 | cut -d' ' -f2
}

# ended KPID: waits (up to 30 s) for the kernel to exit; its status in KRC.
ended()
{
	for _ in $(seq 1 150); do
		kill -0 "$1" 2> /dev/null || break
		sleep 0.2
	done
	if kill -0 "$1" 2> /dev/null; then
		KRC=running
		return 1
	fi
	wait "$1"
	KRC=$?
	return 0
}

# --- boot: the umid directory ----------------------------------------------
log=$SCRATCH/mc1.log
start "$log" umid=mc1
if ! wait_for "$log" MCONSOLE-TEST-READY ||
	! wait_for "$log" "mconsole (version 2) initialized on $UDIR/mc1/mconsole"; then
	fail mconsole-boot "no mconsole at boot ($(rc_text "$?"))"
	note "$log"
	exit 0
fi
sock=$UDIR/mc1/mconsole
kernel_pid=$(cat "$UDIR/mc1/pid" 2> /dev/null)
mode=$(stat -c %a "$UDIR/mc1")
if [ "$mode" = 700 ] && [ -S "$sock" ] && [ -n "$kernel_pid" ] &&
	tr '\0' ' ' < "/proc/$kernel_pid/cmdline" 2> /dev/null | grep -q umid=mc1; then
	pass mconsole-umid-dir
else
	fail mconsole-umid-dir "mode $mode, pid '$kernel_pid', socket $(ls -l "$sock" 2>&1)"
fi

# --- a second instance with the same umid ------------------------------------
HOME=$SCRATCH/home TMPDIR=$SCRATCH timeout -k 3 30 $RUNAS "$KERNEL" \
	mem=64M initrd="$img" umid=mc1 < /dev/null > "$SCRATCH/dup.log" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -q "umid \"mc1\" is already in use by pid $kernel_pid" \
	"$SCRATCH/dup.log" && [ "$(wc -l < "$SCRATCH/dup.log")" = 1 ] &&
	[ -S "$sock" ]; then
	pass mconsole-umid-in-use
else
	fail mconsole-umid-in-use "status $rc: $(head -c 200 "$SCRATCH/dup.log")"
fi

# --- Debian's client and ours ------------------------------------------------
why=
for c in "$DEBIAN" "$OURS"; do
	[ -x "$c" ] || { why="$why; no $c"; continue; }
	n=$(basename "$(dirname "$c")")
	mc "$c" "$SCRATCH/$n-version" mc1 version
	grep -q "^OK Linux .* 6.1.0-uml " "$SCRATCH/$n-version" && [ "$RC" = 0 ] ||
		why="$why; $n version: $(cat "$SCRATCH/$n-version")"
	mc "$c" "$SCRATCH/$n-help" mc1 help
	[ "$(head -n 1 "$SCRATCH/$n-help")" = "OK Commands: " ] ||
		why="$why; $n help: $(head -n 1 "$SCRATCH/$n-help")"
	mc "$c" "$SCRATCH/$n-meminfo" mc1 proc meminfo
	grep -q '^MemTotal: *65536 kB' "$SCRATCH/$n-meminfo" ||
		why="$why; $n proc meminfo: $(head -c 100 "$SCRATCH/$n-meminfo")"
	mc "$c" "$SCRATCH/$n-sysrq" mc1 sysrq s
	grep -q '^OK sysrq: Emergency Sync' "$SCRATCH/$n-sysrq" ||
		why="$why; $n sysrq s: $(head -c 100 "$SCRATCH/$n-sysrq")"
	mc "$c" "$SCRATCH/$n-sysrq-t" mc1 sysrq t
	grep -q '^task:rc.test  *state:S pid:' "$SCRATCH/$n-sysrq-t" ||
		why="$why; $n sysrq t: $(head -c 100 "$SCRATCH/$n-sysrq-t")"
	mc "$c" "$SCRATCH/$n-sysrq-m" mc1 sysrq m
	grep -q '^Mem-Info:' "$SCRATCH/$n-sysrq-m" ||
		why="$why; $n sysrq m: $(head -c 100 "$SCRATCH/$n-sysrq-m")"
	mc "$c" "$SCRATCH/$n-stack" mc1 stack 1
	grep -q '^OK task:init  *state:S pid:1 ' "$SCRATCH/$n-stack" &&
		grep -q '^RIP: [0-9a-f]\{16\} RSP: ' "$SCRATCH/$n-stack" ||
		why="$why; $n stack 1: $(head -c 100 "$SCRATCH/$n-stack")"
	mc "$c" "$SCRATCH/$n-log" mc1 log "hello from $n"
	wait_for "$log" "hello from $n" ||
		why="$why; $n log: not in the kernel log"
	mc "$c" "$SCRATCH/$n-conf" mc1 config con0
	[ "$(cat "$SCRATCH/$n-conf")" = "OK fd:0,fd:1" ] ||
		why="$why; $n config con0: $(cat "$SCRATCH/$n-conf")"
done
cmp -s "$SCRATCH/bin-help" "$SCRATCH/$(basename "$BUILD")-help" ||
	why="$why; the two clients' help differs"
if [ -z "$why" ]; then
	pass mconsole-commands
else
	fail mconsole-commands "${why#; }"
fi

# --- hot-plug a disk with Debian's client, mount it in the guest: refused
# --- while mounted; removed after the unmount --------------------------------
disk=$SCRATCH/disk.img
mkdir -p "$SCRATCH/disktree"
printf 'hello-disk-01234' > "$SCRATCH/disktree/hello"
rm -f "$disk"
/sbin/mkfs.ext4 -q -d "$SCRATCH/disktree" "$disk" 8M > /dev/null 2>&1
chmod 666 "$disk"
: > "$SCRATCH/hp.out"
hp()
{
	mc "$DEBIAN" "$SCRATCH/hp.one" mc1 "$@"
	echo "$(cat "$SCRATCH/hp.one") ($RC)" >> "$SCRATCH/hp.out"
}
hp config "ubd1=$disk"
hp config ubd1
wait_for "$log" "^DISK hello-disk-01234"
hp remove ubd1
hp sysrq 5
wait_for "$log" "^DISK-CLOSED"
hp remove ubd1
wait_for "$log" "^DISK-GONE"
hp remove ubd1
hp sysrq 7
want="OK  (0)|OK $disk (0)|ERR Device is currently open (240)|"
want="${want}OK sysrq: Changing Loglevel|Loglevel set to 5 (0)|OK  (0)|"
want="${want}ERR Device doesn't exist (237)|"
got=$(head -n 7 "$SCRATCH/hp.out" | tr '\n' '|')
if [ "$got" = "$want" ] && grep -q '^DISK-GONE' "$log" &&
	tr -d '\r' < "$log" | grep -q '^DISK hello-disk-01234$'; then
	pass mconsole-ubd-hotplug
else
	fail mconsole-ubd-hotplug "got '$got'"
fi

# cad: init's ctrlaltdel action runs (busybox init made C-A-D soft).
mc "$DEBIAN" "$SCRATCH/cad.out" mc1 cad
if [ "$RC" = 0 ] && wait_for "$log" '^CAD-RECEIVED'; then
	pass mconsole-cad
else
	fail mconsole-cad "status $RC, $(cat "$SCRATCH/cad.out"), no CAD-RECEIVED"
fi

# --- stop and go: the counter stands still, mconsole still answers ----------
mc "$DEBIAN" "$SCRATCH/stop.out" mc1 stop
sleep 0.5
c1=$(last_count "$log")
sleep 2
mc "$OURS" "$SCRATCH/stopped-version.out" mc1 version
vrc=$RC
c2=$(last_count "$log")
mc "$DEBIAN" "$SCRATCH/go.out" mc1 go
grc=$RC
wait_for "$log" "^COUNT $((c2 + 2))\$"
c3=$(last_count "$log")
if [ "$(cat "$SCRATCH/stop.out")" = "OK stopped" ] && [ "$vrc" = 0 ] &&
	[ "$grc" = 0 ] && [ -n "$c1" ] && [ "$c1" = "$c2" ] &&
	[ "$c3" -gt "$c2" ]; then
	pass mconsole-stop-go
else
	fail mconsole-stop-go "stop '$(cat "$SCRATCH/stop.out")', counter $c1 then $c2 while stopped, $c3 after go (version $vrc, go $grc)"
fi

# --- the wire protocol, then a fuzz while the guest counts -------------------
python3 "$TESTS/mconsole_raw.py" proto "$sock" 2>&1
c1=$(last_count "$log")
fz=$(python3 "$TESTS/mconsole_raw.py" fuzz "$sock" 1234 4000 2>&1)
fz2=$(python3 "$TESTS/mconsole_raw.py" fuzz "$sock" 99 4000 2>&1)
wait_for "$log" "^COUNT $((c1 + 20))\$"
c2=$(last_count "$log")
mc "$OURS" "$SCRATCH/fuzz-version.out" mc1 version
if [ "$fz" = ANSWERED ] && [ "$fz2" = ANSWERED ] && [ "$RC" = 0 ] &&
	[ "$c2" -ge $((c1 + 20)) ]; then
	pass mconsole-fuzz
else
	fail mconsole-fuzz "seed 1234: $fz, seed 99: $fz2, version: $RC, counter $c1 -> $c2"
fi

# --- reboot: same pid, the directory and socket made again -------------------
mc "$OURS" "$SCRATCH/reboot.out" mc1 reboot
rrc=$RC
if wait_for "$log" "mconsole (version 2) initialized on $sock" 2 &&
	wait_for "$log" MCONSOLE-TEST-READY 2; then
	mc "$DEBIAN" "$SCRATCH/reboot-version.out" mc1 version
	if [ "$rrc" = 0 ] && [ "$RC" = 0 ] &&
		[ "$(cat "$UDIR/mc1/pid")" = "$kernel_pid" ]; then
		pass mconsole-reboot
	else
		fail mconsole-reboot "status $rrc, then version $RC, pid $(cat "$UDIR/mc1/pid") (was $kernel_pid)"
	fi
else
	fail mconsole-reboot "the kernel did not come back"
	note "$log"
fi

# --- halt: status 0, the umid directory gone ---------------------------------
mc "$DEBIAN" "$SCRATCH/halt.out" mc1 halt
hrc=$RC
if ended "$kpid" && [ "$KRC" = 0 ] && [ "$hrc" = 0 ] &&
	[ "$(cat "$SCRATCH/halt.out")" = "OK " ] && [ ! -e "$UDIR/mc1" ] &&
	[ -d "$UDIR" ]; then
	pass mconsole-halt
else
	fail mconsole-halt "client $hrc '$(cat "$SCRATCH/halt.out")', kernel $KRC, $(ls -a "$UDIR" 2>&1 | tr '\n' ' ')"
	note "$log"
fi

# --- a killed instance's stale directory is reclaimed; notify socket ---------
log2=$SCRATCH/mc2.log
start "$log2" umid=mc2
wait_for "$log2" MCONSOLE-TEST-READY
old=$(cat "$UDIR/mc2/pid" 2> /dev/null)
[ -n "$old" ] && kill -KILL "$old"
ended "$kpid"
nsock=$SCRATCH/notify.sock
python3 "$TESTS/mconsole_raw.py" notify "$nsock" "$SCRATCH/notify.txt" &
npid=$!
for _ in $(seq 1 50); do [ -S "$nsock" ] && break; sleep 0.1; done
if [ -n "$old" ] && [ -f "$UDIR/mc2/pid" ]; then
	start "$log2.2" umid=mc2 "mconsole=notify:$nsock"
	if wait_for "$log2.2" MCONSOLE-TEST-READY; then
		new=$(cat "$UDIR/mc2/pid")
		mc "$OURS" "$SCRATCH/mc2-version.out" mc2 version
		if [ "$new" != "$old" ] && [ "$RC" = 0 ]; then
			pass mconsole-umid-stale
		else
			fail mconsole-umid-stale "pid $old -> $new, version $RC"
		fi
	else
		fail mconsole-umid-stale "the second instance did not boot"
		note "$log2.2"
	fi
else
	fail mconsole-umid-stale "no stale directory after kill -9 (pid '$old')"
fi
# notify_hex TYPE TEXT [NUL]: the datagram expected, as hex: magic,
# version 2, type, len, the text (with its NUL if asked).
notify_hex()
{
	_d=$(printf '%s' "$2" | od -An -tx1 | tr -d ' \n')
	[ -n "$3" ] && _d=${_d}00
	printf 'bebafeca02000000%02x000000%s%s\n' "$1" \
		"$(printf '%08x' $(( ${#_d} / 2 )) |
		   sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')" "$_d"
}
# SOCKET (0) with the socket's path, then USER_NOTIFY (3) with what the
# guest wrote to /proc/mconsole (no NUL); no /proc/mconsole without it.
notify_hex 0 "$UDIR/mc2/mconsole" nul > "$SCRATCH/notify.want"
notify_hex 3 "hello from the guest" >> "$SCRATCH/notify.want"
for _ in $(seq 1 50); do
	[ "$(wc -l < "$SCRATCH/notify.txt")" -ge 2 ] && break
	sleep 0.1
done
if cmp -s "$SCRATCH/notify.want" "$SCRATCH/notify.txt" &&
	grep -q '^NO-PROC-MCONSOLE' "$log"; then
	pass mconsole-notify
else
	fail mconsole-notify "got '$(head -c 300 "$SCRATCH/notify.txt" 2>&1)'"
fi
# sysrq i: every process but init is killed; init lives on.
mc "$OURS" "$SCRATCH/mc2-sysrq-i.out" mc2 sysrq i
irc=$RC
sleep 1
c1=$(last_count "$log2.2")
sleep 2
c2=$(last_count "$log2.2")
mc "$OURS" "$SCRATCH/mc2-stack.out" mc2 stack 1
if [ "$irc" = 0 ] && grep -q 'Kill All Tasks' "$SCRATCH/mc2-sysrq-i.out" &&
	[ -n "$c1" ] && [ "$c1" = "$c2" ] &&
	grep -q '^OK task:init' "$SCRATCH/mc2-stack.out"; then
	pass mconsole-sysrq-kill
else
	fail mconsole-sysrq-kill "status $irc, counter $c1 -> $c2, init: $(head -c 80 "$SCRATCH/mc2-stack.out")"
fi
mc "$OURS" "$SCRATCH/mc2-halt.out" mc2 halt
ended "$kpid"

# --- our client: the real UML's answers and ours ------------------------------
UML=/usr/bin/linux
if [ ! -x "$UML" ] || ! command -v mkfs.ext4 > /dev/null 2>&1; then
	skip mconsole-vs-uml "needs Debian's user-mode-linux and e2fsprogs"
	exit 0
fi
rtree=$SCRATCH/rtree
rootfs_busybox "$rtree"
cat > "$rtree/init" <<'EOT'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
mount -t proc proc /proc
echo MCONSOLE-TEST-READY
while :; do sleep 1; done
EOT
chmod 755 "$rtree/init"
rimg=$SCRATCH/root.ext4
mkfs.ext4 -F -q -d "$rtree" "$rimg" 64M > "$SCRATCH/mkfs.log" 2>&1
chmod 666 "$rimg"
utmp=$(mktemp -d /dev/shm/mconsole-t.XXXXXX 2> /dev/null) || utmp=$SCRATCH/utmp
mkdir -p "$utmp"
chmod 1777 "$utmp"
ulog=$SCRATCH/uml.log
HOME=$SCRATCH/home TMPDIR=$utmp timeout -k 3 120 $RUNAS "$UML" mem=64M \
	ubd0="$rimg" root=/dev/ubda ro init=/init con0=fd:0,fd:1 con=null \
	umid=real < /dev/null > "$ulog" 2>&1 &
upid=$!
log3=$SCRATCH/mc3.log
start "$log3" umid=ours con0=fd:0,fd:1 con=null
kpid_ours=$kpid
kpid=$upid
wait_for "$ulog" MCONSOLE-TEST-READY
kpid=$kpid_ours
wait_for "$log3" MCONSOLE-TEST-READY
if ! [ -S "$UDIR/real/mconsole" ]; then
	fail mconsole-vs-uml "the real UML did not come up"
	note "$ulog"
	exit 0
fi
for who in real ours; do
	: > "$SCRATCH/vs-$who.txt"
	while IFS= read -r c; do
		# shellcheck disable=SC2086
		mc "$OURS" "$SCRATCH/vs.one" "$who" $c
		{
			echo "== $c"
			case $c in
			version) cut -d' ' -f1-2 "$SCRATCH/vs.one" ;;
			*) cat "$SCRATCH/vs.one" ;;
			esac
			echo "status $RC"
		} >> "$SCRATCH/vs-$who.txt"
	done <<'EOC'
version
help
config con0
config con1
config con
config con=null
config foo=bar
remove foo
frobnicate
stop
stop
go
go
log hello from the comparison
proc no-such-file
stack x
stack 0
EOC
done
if cmp -s "$SCRATCH/vs-real.txt" "$SCRATCH/vs-ours.txt"; then
	pass mconsole-vs-uml
else
	fail mconsole-vs-uml "our kernel's answers differ from the real UML's (see stderr)"
	diff "$SCRATCH/vs-real.txt" "$SCRATCH/vs-ours.txt" >&2
fi
mc "$OURS" "$SCRATCH/real-halt.out" real halt

# SIGTERM from the host is a clean exit too: the directory goes.
tpid=$(cat "$UDIR/ours/pid" 2> /dev/null)
[ -n "$tpid" ] && kill -TERM "$tpid"
if ended "$kpid" && [ ! -e "$UDIR/ours" ]; then
	pass mconsole-sigterm
else
	fail mconsole-sigterm "kernel $KRC, $(ls -a "$UDIR" 2>&1 | tr '\n' ' ')"
fi
exit 0
