# Debian's own procps, util-linux and coreutils programs (the host's
# binaries, dynamically linked, with their libraries) read /proc and /sys
# in the guest the way they do on Linux: ps, top, free, uptime, w, vmstat,
# pgrep, pmap, df, findmnt, mount, nproc, id, stat.
# timeout: 180
. "$TESTS/lib.sh"

have_kernel hosttools || exit 0
root=$SCRATCH/root
rootfs_busybox "$root" || { fail hosttools "cannot build the tree"; exit 0; }
missing=
for b in ps top free uptime w vmstat pgrep pmap df findmnt mount nproc id stat; do
	p=$(command -v "$b" 2>/dev/null) || { missing="$missing $b"; continue; }
	# The busybox link of the same name goes: these are the real ones.
	rm -f "$root/bin/$b" "$root/usr/bin/$b" "$root/sbin/$b" "$root/usr/sbin/$b"
	cp -L "$p" "$root/usr/bin/$b"
	for l in $(ldd "$p" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$l")"
		[ -e "$root$l" ] || cp -L "$l" "$root$l"
	done
done
if [ -n "$missing" ]; then
	skip hosttools "not on the host:$missing (Debian packages procps, util-linux, coreutils)"
	exit 0
fi
mkdir -p "$root/lib/terminfo"
cp -r /lib/terminfo/. "$root/lib/terminfo/" 2>/dev/null
rm -f "$root/etc/passwd" "$root/etc/group"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
cat > "$root/init" <<EOT
$INIT_HEAD
mount -t tmpfs -o size=10M "scratch space" /tmp
sleep 300 &
export TERM=linux
# busybox sh runs its own applets first: name the real programs.
for c in "ps -ef" "ps -eLf" "top -b -n1" "free -m" "uptime" "w" "vmstat" \
	"pgrep sleep" "pmap 1" "df -h" "findmnt" "mount" "nproc" "id" "stat -f /tmp"; do
	echo "=== \$c"
	/usr/bin/\$c 2>&1
	echo "=== rc \$?"
done
poweroff -f
EOT
# (not mkimage: it would put the busybox links back over the real programs)
chmod 755 "$root/init"
pack_cpio "$root" "$SCRATCH/initrd.gz" || { fail hosttools "cannot build the image"; exit 0; }
boot 120 "$SCRATCH/log" mem=256M initrd="$SCRATCH/initrd.gz"
tr -d '\r' < "$SCRATCH/log" > "$SCRATCH/out"

# out CMD: what CMD printed; its status must be 0.
out()
{
	sed -n "\\|^=== $1\$|,\\|^=== rc |p" "$SCRATCH/out" | sed '1d'
}
check()
{
	name=$1 cmd=$2 pattern=$3
	o=$(out "$cmd")
	if ! printf '%s\n' "$o" | grep -q '^=== rc 0$'; then
		fail "hosttools-$name" "'$cmd' failed: $(printf '%s\n' "$o" | head -2 | tr '\n' ' ') ($(rc_text "$BOOT_RC"))"
	elif ! printf '%s\n' "$o" | grep -q -e "$pattern"; then
		fail "hosttools-$name" "'$cmd' printed no line matching '$pattern': $(printf '%s\n' "$o" | head -3 | tr '\n' '|')"
	else
		pass "hosttools-$name"
	fi
}
check ps "ps -ef" '^root  *1  *0 .*/init'
check ps-threads "ps -eLf" 'sleep 300'
check top "top -b -n1" '^Tasks: *[0-9]* total'
check free "free -m" '^Mem: *256 '
check uptime "uptime" 'load average: '
check w "w" 'USER.*TTY'
check vmstat "vmstat" '^ *[0-9]* *[0-9]* *0 '
check pgrep "pgrep sleep" '^[0-9][0-9]*$'
check pmap "pmap 1" 'busybox'
check df "df -h" '^scratch space  *10M .* /tmp$'
check findmnt "findmnt" '/tmp  *scratch space  *tmpfs  *rw'
check mount "mount" '^proc on /proc type proc'
check nproc "nproc" "^$(nproc)\$"
check id "id" '^uid=0(root) gid=0(root)'
check stat-f "stat -f /tmp" 'Type: tmpfs'
