# The Debian userland (issue 5): the debootstrapped bookworm image of
# tests/lib.sh's debian_image (sysvinit, python3, perl, gcc), booted through
# a COW file of the test's own with init=/bin/bash running a script from a
# second disk. Python with threads, subprocess, AF_UNIX, json and sqlite3;
# perl; bash pipelines, process substitution and here-documents; gcc
# compiling and running a program; dpkg -i and -r of a package and
# apt-cache; sort of a 50 MB file; tar and gzip of /usr; find / -xdev equal
# to the host's count over the same tree; mkfs.ext4 on a disk in the guest;
# script(1) on a pty; procps and util-linux (free, ps, df, lsblk,
# findmnt). Then sysvinit boots to the login prompt.
# timeout: 1200
. "$TESTS/lib.sh"

have_kernel debian || exit 0
if ! command -v debootstrap > /dev/null && [ ! -x /usr/sbin/debootstrap ]; then
	skip debian "debootstrap is not installed (scripts/deps.sh)"
	exit 0
fi
if ! debian_image; then
	fail debian "the Debian image could not be built: $(tail -2 "$BUILD/debian/mkimage.log" | tr '\n' ' ')"
	exit 0
fi
W=$SCRATCH/w
mkdir -p "$W/disk"
chmod 777 "$W"

# A package to install: built here with dpkg-deb, carried on the script disk.
pkg=$W/pkg
mkdir -p "$pkg/DEBIAN" "$pkg/usr/share/uml-test"
echo "installed by dpkg in the guest" > "$pkg/usr/share/uml-test/hello"
cat > "$pkg/DEBIAN/control" <<'EOT'
Package: uml-test
Version: 1.0
Architecture: all
Maintainer: UML tests <root@localhost>
Description: a package the Debian test installs and removes
EOT
dpkg-deb -Zgzip --root-owner-group --build "$pkg" "$W/disk/uml-test.deb" > /dev/null ||
	{ fail debian "dpkg-deb failed"; exit 0; }

cat > "$W/disk/test.sh" <<'EOT'
#!/bin/bash
# Runs as init (pid 1) in the Debian guest; every check prints one line.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -o remount,rw /
# Before anything is written: what the host counts over the same image.
echo "RESULT find $(find / -xdev | wc -l)"
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# What Debian's init scripts make in /dev, for bash's <(...).
ln -sf /proc/self/fd /dev/fd
cd /tmp
ok() { echo "RESULT $1 ${2:-ok}"; }

python3 - <<'PY' && ok python
import json, socket, sqlite3, subprocess, threading
out = []
def work(i):
    out.append(i * i)
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
[t.start() for t in ts]
[t.join() for t in ts]
assert sorted(out) == [i * i for i in range(8)]
assert subprocess.run(["echo", "sub"], capture_output=True, text=True).stdout == "sub\n"
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
a.sendall(json.dumps({"k": [1, 2]}).encode())
assert json.loads(b.recv(100)) == {"k": [1, 2]}
db = sqlite3.connect("/tmp/t.db")
db.execute("create table t (x integer)")
db.executemany("insert into t values (?)", [(i,) for i in range(1000)])
db.commit()
assert db.execute("select sum(x) from t").fetchone()[0] == 499500
PY

[ "$(perl -e 'my %h = map { $_ => $_ ** 2 } 1..10; print $h{7}')" = 49 ] && ok perl

b1=$(printf 'c\na\nb\n' | sort | tr -d '\n')
b2=$(cat <(echo proc) <(echo subst))
b3=$(cat <<HERE
here $b1
HERE
)
[ "$b1" = abc ] && [ "$b2" = "proc
subst" ] && [ "$b3" = "here abc" ] && ok bash

cat > /tmp/hello.c <<'C'
#include <stdio.h>
int main(void) { printf("compiled %d\n", 6 * 7); return 0; }
C
gcc -O2 -o /tmp/hello /tmp/hello.c && [ "$(/tmp/hello)" = "compiled 42" ] && ok gcc

dpkg -i /mnt/uml-test.deb > /tmp/dpkg.log 2>&1 &&
	[ "$(cat /usr/share/uml-test/hello)" = "installed by dpkg in the guest" ] &&
	dpkg -l uml-test | grep -q '^ii' &&
	dpkg -r uml-test >> /tmp/dpkg.log 2>&1 && [ ! -e /usr/share/uml-test/hello ] &&
	ok dpkg || echo "RESULT dpkg $(tail -1 /tmp/dpkg.log)"
apt-cache policy bash | grep -q 'Installed: ' && ok apt-cache

seq 1 6500000 | awk '{ print ($1 * 7919) % 6500000 }' > /tmp/big
size=$(stat -c %s /tmp/big)
[ "$size" -gt 50000000 ] && [ "$(sort -n /tmp/big | md5sum)" = "$(seq 0 6499999 | md5sum)" ] &&
	ok sort "$size"
rm -f /tmp/big

tar czf /tmp/usr.tgz /usr 2> /dev/null
[ "$(tar tzf /tmp/usr.tgz | wc -l)" = "$(find /usr | wc -l)" ] && ok tar
rm -f /tmp/usr.tgz

mkfs.ext4 -q /dev/ubdc && mkdir -p /mnt2 && mount /dev/ubdc /mnt2 &&
	echo data > /mnt2/f && umount /mnt2 && ok mkfs

t=$(script -qc tty /dev/null | tr -d '\r')
case $t in /dev/pts/[0-9]*) ok script ;; *) echo "RESULT script $t" ;; esac

free -m | grep -q '^Mem: *1024 ' && ps -e | grep -q ' bash$' &&
	df / | grep -q '^/dev/root .* /$' && lsblk | grep -q '^ubda  *98:0 .* disk /$' &&
	findmnt -n / | grep -q '^/  *.*ext4' && ok procps

sync
echo RESULT end
poweroff -f
EOT
chmod 755 "$W/disk/test.sh"
/sbin/mkfs.ext4 -q -d "$W/disk" "$W/disk.img" 32M > /dev/null 2>&1 ||
	{ fail debian "cannot make the script disk"; exit 0; }
truncate -s 64M "$W/blank.img"
chmod 666 "$W/disk.img" "$W/blank.img"

boot 900 "$W/log" mem=1G ubd0="$W/root.cow,$DEBIAN_IMAGE" ubd1r="$W/disk.img" \
	ubd2="$W/blank.img" root=/dev/ubda init=/bin/bash -- -c \
	'mount -o ro -t ext4 /dev/ubdb /mnt && exec /bin/bash /mnt/test.sh'
tr -d '\r' < "$W/log" > "$W/out"
result() { sed -n "s/^RESULT $1 //p" "$W/out" | head -n 1; }
if ! grep -q '^RESULT end' "$W/out"; then
	fail debian-boot "the test script did not finish ($(rc_text "$BOOT_RC"))"
	note "$W/log"
fi
for c in python perl bash gcc dpkg apt-cache tar mkfs script procps; do
	r=$(result "$c")
	if [ "$r" = ok ]; then
		pass "debian-$c"
	else
		fail "debian-$c" "${r:-no result}"
	fi
done
r=$(result sort)
case $r in
[0-9]*) pass "debian-sort ($r bytes)" ;;
*) fail debian-sort "${r:-no result}" ;;
esac
# find / -xdev in the guest against the same image extracted on the host
# (the guest's /dev is devtmpfs, mounted over the image's /dev).
rm -rf "$W/extract"
mkdir -p "$W/extract"
debugfs -R "rdump / $W/extract" "$DEBIAN_IMAGE" > /dev/null 2>&1
want=$(( $(find "$W/extract" | wc -l) - $(find "$W/extract/dev" -mindepth 1 | wc -l) ))
rm -rf "$W/extract"
r=$(result find)
if [ "$r" = "$want" ]; then
	pass debian-find
else
	fail debian-find "the guest counts ${r:-nothing}, the host $want"
fi
[ "$BOOT_RC" = 0 ] || fail debian-poweroff "the kernel ended with $(rc_text "$BOOT_RC")"
e2fsck -fn "$W/disk.img" > /dev/null 2>&1 || fail debian-fsck "the script disk is not clean"

# --- login: getty on the console, root logs in and out, then poweroff ------
rm -f "$W/login.cow"
run_group 300 "$W/login.out" "$W/login.err" python3 "$TESTS/login.py" \
	"$W/login.log" -- $RUNAS "$KERNEL" mem=256M \
	ubd0="$W/login.cow,$DEBIAN_IMAGE" root=/dev/ubda
cat "$W/login.out"
# A disk root starts at /sbin/init: /init belongs to an initramfs only.
if grep -q 'Run /sbin/init as init process' "$W/login.log" &&
	! grep -q 'Failed to execute /init' "$W/login.log"; then
	pass debian-init-search
else
	fail debian-init-search "the kernel did not go straight to /sbin/init"
fi
if grep -q '^PASS debian-login-poweroff' "$W/login.out"; then
	# The disk as poweroff left it: the COW merged onto a copy of the image.
	if "$BUILD/uml_moo" "$W/login.cow" "$W/merged.img" > /dev/null 2>&1 &&
		e2fsck -fn "$W/merged.img" > "$W/fsck.log" 2>&1; then
		pass debian-login-fsck
	else
		fail debian-login-fsck "the disk is not clean after poweroff: $(tail -1 "$W/fsck.log")"
	fi
	rm -f "$W/merged.img"
fi
