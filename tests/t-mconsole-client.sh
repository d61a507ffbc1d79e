# Our uml_mconsole client (build/uml_mconsole) against the real UML
# (Debian's user-mode-linux) and against a fake server that sends malformed
# replies. Against the real UML, Debian's uml_mconsole runs the same
# commands and the two clients' outputs and exit statuses must be the same.
# timeout: 150
. "$TESTS/lib.sh"

OURS=$BUILD/uml_mconsole
DEBIAN=/usr/bin/uml_mconsole
UML=/usr/bin/linux

if [ ! -x "$OURS" ]; then
	fail mconsole-client "$OURS did not build"
	exit 0
fi

# --- malformed replies from a fake server -----------------------------------
# client SECS OUT CMD...: one client run as the unprivileged user, with its
# HOME in the scratch directory; sets RC.
client()
{
	_secs=$1
	_out=$2
	shift 2
	HOME=$SCRATCH/home timeout -k 2 "$_secs" $RUNAS "$@" \
		< /dev/null > "$_out" 2> "$_out.err"
	RC=$?
}

# fake SOCK MODE: starts the fake server (as the user running the tests:
# python3 may be out of the unprivileged user's reach) in the background,
# its pid in fpid, and waits for its socket, which the client must be able
# to write.
fake()
{
	python3 "$TESTS/mconsole_fake.py" "$1" "$2" 2> "$1.log" &
	fpid=$!
	for _ in $(seq 1 50); do
		[ -S "$1" ] && break
		sleep 0.1
	done
	chmod 666 "$1" 2> /dev/null
}

mkdir -p "$SCRATCH/home"
chmod 777 "$SCRATCH/home"
why=
for mode in short empty badmore badlen zerolen nonul oversize version0 \
	garbage halfgood silent; do
	sock=$SCRATCH/fake-$mode.sock
	fake "$sock" "$mode"
	client 10 "$SCRATCH/fake-$mode.out" \
		env UML_MCONSOLE_TIMEOUT=2 "$OURS" "$sock" version
	kill "$fpid" 2> /dev/null
	wait "$fpid" 2> /dev/null
	out=$SCRATCH/fake-$mode.out
	if [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
		why="${why:+$why; }$mode: the client hung"
	elif [ "$RC" != 1 ]; then
		why="${why:+$why; }$mode: exit status $RC, not 1"
	elif [ -s "$out" ]; then
		why="${why:+$why; }$mode: printed '$(head -c 60 "$out")'"
	elif [ "$mode" = silent ] && ! grep -q '^No reply from' "$out.err"; then
		why="${why:+$why; }silent: no 'No reply' message"
	elif [ "$mode" != silent ] && ! grep -q '^Bad reply from' "$out.err"; then
		why="${why:+$why; }$mode: no 'Bad reply' message"
	fi
done
if [ -z "$why" ]; then
	pass mconsole-client-malformed
else
	fail mconsole-client-malformed "$why"
fi

# A well-formed error in three packets: all the text, ERR, status 237.
sock=$SCRATCH/fake-multi.sock
fake "$sock" multi
client 10 "$SCRATCH/multi.out" env UML_MCONSOLE_TIMEOUT=2 "$OURS" "$sock" x
kill "$fpid" 2> /dev/null
wait "$fpid" 2> /dev/null
want="ERR $(printf '%511s' '' | tr ' ' a)$(printf '%100s' '' | tr ' ' b)"
if [ "$RC" = 237 ] && [ "$(cat "$SCRATCH/multi.out")" = "$want" ]; then
	pass mconsole-client-multipacket
else
	fail mconsole-client-multipacket "status $RC, output '$(head -c 40 "$SCRATCH/multi.out")...'"
fi

# --- the real UML -----------------------------------------------------------
if [ ! -x "$UML" ] || [ ! -x "$DEBIAN" ]; then
	skip mconsole-client-uml "needs Debian's user-mode-linux and uml-utilities"
	exit 0
fi
if ! command -v mkfs.ext4 > /dev/null 2>&1; then
	skip mconsole-client-uml "needs mkfs.ext4 (Debian's e2fsprogs)"
	exit 0
fi

tree=$SCRATCH/tree
rootfs_busybox "$tree" || { fail mconsole-client-uml "no busybox tree"; exit 0; }
cat > "$tree/init" <<'EOT'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
export PATH
mount -t proc proc /proc
echo "MCONSOLE-TEST-READY"
while :; do sleep 1; done
EOT
chmod 755 "$tree/init"
img=$SCRATCH/root.ext4
if ! mkfs.ext4 -F -q -d "$tree" "$img" 64M > "$SCRATCH/mkfs.log" 2>&1; then
	fail mconsole-client-uml "mkfs.ext4 failed: $(tail -n1 "$SCRATCH/mkfs.log")"
	exit 0
fi
chmod 666 "$img"

# The memory file on tmpfs, as the UML HowTo advises.
tmp=$(mktemp -d /dev/shm/mconsole-test.XXXXXX 2> /dev/null) || tmp=$SCRATCH/tmp
mkdir -p "$tmp"
chmod 1777 "$tmp"
udir=$SCRATCH/uml
mkdir -p "$udir"
chmod 777 "$udir"
umid=mct$$
sock=$udir/$umid/mconsole
log=$SCRATCH/uml.log
HOME=$SCRATCH/home TMPDIR=$tmp timeout -k 3 120 $RUNAS "$UML" mem=64M \
	ubd0="$img" root=/dev/ubda ro init=/init con0=fd:0,fd:1 con=null \
	umid="$umid" uml_dir="$udir" < /dev/null > "$log" 2>&1 &
upid=$!
cleanup()
{
	kill -KILL "$upid" 2> /dev/null
	wait "$upid" 2> /dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
for _ in $(seq 1 150); do
	grep -q MCONSOLE-TEST-READY "$log" 2> /dev/null && [ -S "$sock" ] && break
	kill -0 "$upid" 2> /dev/null || break
	sleep 0.2
done
if ! [ -S "$sock" ] || ! grep -q MCONSOLE-TEST-READY "$log"; then
	fail mconsole-client-uml "the real UML did not come up"
	note "$log"
	exit 0
fi

# transcript CLIENT OUT: the same commands, one client run each; every
# output followed by its status. /proc/meminfo's figures change between
# runs, so their digits are dropped.
transcript()
{
	: > "$2"
	while IFS= read -r c; do
		# shellcheck disable=SC2086
		client 20 "$2.one" "$1" "$sock" $c
		echo "== $c" >> "$2"
		case $c in
		"proc meminfo") tr -d "0-9" < "$2.one" | tr -s " " >> "$2" ;;
		*) cat "$2.one" >> "$2" ;;
		esac
		cat "$2.one.err" >> "$2"
		echo "status $RC" >> "$2"
	done <<'EOC'
version
help
proc meminfo
proc version
sysrq ?
stop
stop
version
go
go
log hello from the mconsole test
config ubd0
config con0
config con
config foo=bar
config ubd1=/nonexistent/file
remove ubdx
remove ubd5
remove foo
frobnicate
mconsole-version
EOC
}
transcript "$DEBIAN" "$SCRATCH/debian.txt"
transcript "$OURS" "$SCRATCH/ours.txt"
if cmp -s "$SCRATCH/debian.txt" "$SCRATCH/ours.txt"; then
	pass mconsole-client-uml-commands
else
	fail mconsole-client-uml-commands "outputs differ from Debian's client (see stderr)"
	diff "$SCRATCH/debian.txt" "$SCRATCH/ours.txt" >&2
fi

# The umid is found under $HOME/.uml; the interactive mode on a pipe
# prints what Debian's does (its readline echoes the prompt and the line).
ln -sfn "$udir" "$SCRATCH/home/.uml"
printf 'version\nmconsole-version\nconfig ubd0\n' > "$SCRATCH/lines"
for c in debian ours; do
	[ $c = debian ] && bin=$DEBIAN || bin=$OURS
	HOME=$SCRATCH/home timeout -k 2 20 $RUNAS "$bin" "$umid" \
		< "$SCRATCH/lines" > "$SCRATCH/inter-$c.out" 2>&1
	echo "status $?" >> "$SCRATCH/inter-$c.out"
	HOME=$SCRATCH/home timeout -k 2 20 $RUNAS "$bin" "$umid" version \
		>> "$SCRATCH/inter-$c.out" 2>&1
	echo "status $?" >> "$SCRATCH/inter-$c.out"
done
if cmp -s "$SCRATCH/inter-debian.out" "$SCRATCH/inter-ours.out" &&
	grep -q "^($umid) version" "$SCRATCH/inter-ours.out"; then
	pass mconsole-client-uml-umid-interactive
else
	fail mconsole-client-uml-umid-interactive "outputs differ from Debian's client (see stderr)"
	diff "$SCRATCH/inter-debian.out" "$SCRATCH/inter-ours.out" >&2
fi

# halt: an empty OK, then UML exits 0 and removes its umid directory.
client 20 "$SCRATCH/halt.out" "$OURS" "$sock" halt
hrc=$RC
for _ in $(seq 1 100); do
	kill -0 "$upid" 2> /dev/null || break
	sleep 0.2
done
if kill -0 "$upid" 2> /dev/null; then
	fail mconsole-client-uml-halt "UML still runs after halt (client status $hrc)"
else
	wait "$upid"
	urc=$?
	if [ "$hrc" = 0 ] && [ "$(cat "$SCRATCH/halt.out")" = "OK " ] &&
		[ "$urc" = 0 ] && [ ! -e "$udir/$umid" ]; then
		pass mconsole-client-uml-halt
	else
		fail mconsole-client-uml-halt "client status $hrc, output '$(cat "$SCRATCH/halt.out")', UML status $urc"
		note "$log"
	fi
fi
exit 0
