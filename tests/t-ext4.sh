# ext2/ext3/ext4 over libext2fs on ubd disks: an image made by mkfs.ext4 -d
# booted as root (ubd0=IMG root=/dev/ubda), changed by the guest (write,
# rename, delete, hard link, chmod, symlink, mkdir, xattrs, a sparse file
# past 4 GiB, thousands of entries, mmap, exec), then checked on the host
# after the halt with e2fsck -fn and debugfs; sync reaching the host while
# the guest runs; ext2 and ext3; a second disk mounted, unmounted and
# remounted read-only; corrupt images refused; a fuzz of metadata bytes.
# timeout: 600
. "$TESTS/lib.sh"
have_kernel ext4 || exit 0
PATH=$PATH:/sbin:/usr/sbin
if ! command -v mkfs.ext4 > /dev/null || ! command -v debugfs > /dev/null; then
	skip ext4 "no e2fsprogs (mkfs.ext4, debugfs)"
	exit 0
fi

# tree DIR: busybox, the fsops program and some files to change.
tree()
{
	rootfs_busybox "$1" && rootfs_etc "$1" && rm -f "$1/init" &&
	cp "$GUEST_BIN/fsops" "$1/fsops" &&
	mkdir -p "$1/data" && echo kept > "$1/data/keep" &&
	echo renamed > "$1/data/old" && echo deleted > "$1/data/del"
}

# mkimg TYPE DIR IMG SIZE: a filesystem made from DIR, writable by the user.
mkimg()
{
	rm -f "$3"
	# shellcheck disable=SC2086
	"mkfs.$1" -q -F $MKFS_OPTS -d "$2" "$3" "$4" > /dev/null 2>&1 &&
	chmod 666 "$3"
}

dbg() { debugfs -R "$1" "$2" 2>/dev/null; }

fsck_clean()
{
	e2fsck -fn "$1" > "$1.fsck" 2>&1 && return 0
	note "$1.fsck"
	return 1
}

# --- root ext4: changes, then the host's view ------------------------------
root=$SCRATCH/root
tree "$root" || { fail ext4 "cannot build the tree"; exit 0; }
cat > "$root/t" <<'EOT'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
mount -t proc proc /proc
grep ' / ' /proc/mounts
mount -o remount,rw / || echo "remount failed"
cd /data
mv old new && rm del && ln keep keep2 && chmod 600 keep && ln -s keep sl &&
	mkdir dir && echo inside > dir/f && /fsops setx keep user.test hello &&
	echo changes-done
long=/data/$(printf 'x%.0s' $(seq 1 100))
ln -s "$long" slowlink && [ "$(readlink slowlink)" = "$long" ] &&
	echo slow-symlink-ok
dd if=/dev/zero of=sparse bs=1 count=1 seek=5368709120 2>/dev/null
mkdir big && i=0 && while [ $i -lt 2000 ]; do : > big/e$i; i=$((i+1)); done
mkdir /w && cd /w && /fsops
cd /
echo "exec-from-ext4: $(/bin/busybox echo ok)"
poweroff -f
EOT
chmod 755 "$root/t"
img=$SCRATCH/root.img
if ! mkimg ext4 "$root" "$img" 256M; then
	fail ext4 "mkfs.ext4 -d failed"
	exit 0
fi
boot 120 "$SCRATCH/log" mem=64M ubd0="$img" root=/dev/ubda init=/t
log=$SCRATCH/log
why=
has_line "$log" 'VFS: Mounted root (ext4 filesystem) readonly on device 98:0' ||
	why="no 'VFS: Mounted root (ext4 filesystem) readonly' line"
has_line "$log" '^/dev/root / ext4 ro' || why="${why:+$why; }/proc/mounts has no ro ext4 root"
has_line "$log" changes-done || why="${why:+$why; }the changes failed in the guest"
has_line "$log" 'exec-from-ext4: ok' || why="${why:+$why; }no exec from ext4"
has_line "$log" slow-symlink-ok || why="${why:+$why; }a slow symlink reads back wrong"
[ "$BOOT_RC" = 0 ] || why="${why:+$why; }$(rc_text "$BOOT_RC")"
if [ -z "$why" ]; then pass ext4-root-boot; else fail ext4-root-boot "$why"; note "$log"; fi

last=$(tr -d '\r' < "$log" | grep -v "$KMSG" | grep -e '^PASS$' -e '^FAIL' | tail -n 1)
if [ "$last" = PASS ]; then pass ext4-fsops; else fail ext4-fsops "${last:-no verdict}"; fi

if fsck_clean "$img"; then pass ext4-fsck; else fail ext4-fsck "e2fsck -fn is not clean after the halt"; fi

why=
ls=$(dbg "ls /data" "$img")
for n in new keep keep2 sl dir sparse big; do
	echo "$ls" | grep -q "[0-9] *([0-9]*) $n " || why="${why:+$why; }no /data/$n"
done
for n in old del; do
	echo "$ls" | grep -q "[0-9] *([0-9]*) $n " && why="${why:+$why; }/data/$n still there"
done
[ "$(dbg 'cat /data/new' "$img")" = renamed ] || why="${why:+$why; }/data/new's content"
[ "$(dbg 'cat /data/dir/f' "$img")" = inside ] || why="${why:+$why; }/data/dir/f's content"
st=$(dbg 'stat /data/keep' "$img")
echo "$st" | grep -q 'Mode:  0600' || why="${why:+$why; }chmod 600 not on disk"
echo "$st" | grep -q 'Links: 2' || why="${why:+$why; }keep has not 2 links"
dbg 'stat /data/sl' "$img" | grep -q 'Fast link dest: "keep"' ||
	why="${why:+$why; }the symlink"
st=$(dbg 'stat /data/slowlink' "$img")
{ echo "$st" | grep -q 'Size: 106' && ! echo "$st" | grep -q 'Fast link'; } ||
	why="${why:+$why; }the slow symlink on disk"
dbg 'ea_list /data/keep' "$img" | grep -q 'user.test.*hello' ||
	why="${why:+$why; }the xattr user.test"
dbg 'stat /data/sparse' "$img" | grep -q 'Size: 5368709121' ||
	why="${why:+$why; }the sparse file's size"
n=$(dbg 'ls /data/big' "$img" | tr ' ' '\n' | grep -c '^e[0-9]')
[ "$n" = 2000 ] || why="${why:+$why; }/data/big has $n entries, not 2000"
if [ -z "$why" ]; then pass ext4-debugfs; else fail ext4-debugfs "$why"; fi

# --- sync reaches the host file while the guest runs -------------------------
cat > "$root/t" <<'EOT'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
mount -t proc proc /proc
mount -o remount,rw /
exec 3> /synced
echo synced-data >&3
sync
echo sync-marker
sleep 8
exec 3>&-
poweroff -f
EOT
if mkimg ext4 "$root" "$img" 64M; then
	slog=$SCRATCH/sync.log
	# shellcheck disable=SC2086
	timeout -k 3 40 $RUNAS "$KERNEL" mem=32M ubd0="$img" root=/dev/ubda \
		init=/t < /dev/null > "$slog" 2>&1 &
	kpid=$!
	i=0
	while [ $i -lt 300 ] && ! grep -q '^sync-marker' "$slog"; do
		sleep 0.1
		i=$((i + 1))
	done
	seen=$(dbg 'cat /synced' "$img")
	wait $kpid
	if [ "$seen" = synced-data ]; then
		pass ext4-sync
	else
		fail ext4-sync "after sync the host saw '$seen' in the image"
		note "$slog"
	fi
else
	fail ext4-sync "mkfs failed"
fi

# --- ext2 and ext3 ------------------------------------------------------------
cat > "$root/t" <<'EOT'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
mount -t proc proc /proc
grep ' / ' /proc/mounts
mount -o remount,rw /
mkdir /w && cd /w && /fsops
poweroff -f
EOT
# (and ext4 with inline data: small files and directories in the inode)
for t in ext2 ext3 ext4-inline; do
	img2=$SCRATCH/$t.img
	MKFS_OPTS=
	type=$t
	[ $t = ext4-inline ] && type=ext4 MKFS_OPTS="-O inline_data"
	if ! mkimg "$type" "$root" "$img2" 256M; then
		fail "$t" "mkfs.$type $MKFS_OPTS failed"
		continue
	fi
	MKFS_OPTS=
	boot 120 "$SCRATCH/$t.log" mem=64M ubd0="$img2" root=/dev/ubda \
		rootfstype=$type init=/t
	last=$(tr -d '\r' < "$SCRATCH/$t.log" | grep -v "$KMSG" | grep -e '^PASS$' -e '^FAIL' | tail -n 1)
	if [ "$last" != PASS ]; then
		fail "$t" "fsops: ${last:-no verdict} ($(rc_text "$BOOT_RC"))"
		note "$SCRATCH/$t.log"
	elif ! has_line "$SCRATCH/$t.log" "^/dev/root / $type ro"; then
		fail "$t" "not mounted as $type"
	elif ! fsck_clean "$img2"; then
		fail "$t" "e2fsck -fn is not clean after the halt"
	else
		pass "$t"
	fi
done

# --- a second disk: mount, umount, remount read-only; a corrupt one ----------
cat > "$root/t" <<'EOT'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
mount -t proc proc /proc
mount -t ext4 /dev/ubdb /mnt && echo second > /mnt/f && umount /mnt &&
	echo "step1 ok"
mount -t ext4 -o ro /dev/ubdb /mnt && cat /mnt/f &&
	{ touch /mnt/g 2>/dev/null && echo "ro write succeeded" || echo "ro refused"; } &&
	grep /mnt /proc/mounts && umount /mnt && echo "step2 ok"
mount -t ext4 /dev/ubdb /mnt && echo more > /mnt/f2 &&
	mount -o remount,ro /mnt && ! touch /mnt/g 2>/dev/null &&
	mount -o remount,rw /mnt && echo again >> /mnt/f2 && umount /mnt &&
	echo "step3 ok"
mount -t ext4 /dev/ubdc /mnt 2>&1 || echo "corrupt refused"
mount -t ext4 /dev/ubdb /mnt &&
	{ dd if=/dev/zero of=/mnt/fill bs=64k 2>&1 | grep -q 'No space left' &&
	  echo "full: ENOSPC"; } && rm /mnt/fill && umount /mnt
poweroff -f
EOT
img3=$SCRATCH/second.img
img4=$SCRATCH/corrupt.img
mkimg ext4 "$root" "$img" 64M && mkdir -p "$SCRATCH/empty" &&
	mkimg ext4 "$SCRATCH/empty" "$img3" 32M &&
	mkimg ext4 "$SCRATCH/empty" "$img4" 32M &&
	printf '\000\000' | dd of="$img4" bs=1 seek=1080 conv=notrunc 2>/dev/null
boot 60 "$SCRATCH/second.log" mem=32M ubd0="$img" ubd1="$img3" ubd2="$img4" \
	root=/dev/ubda init=/t
sl=$SCRATCH/second.log
why=
has_line "$sl" '^step1 ok' || why="mount, write, umount"
has_line "$sl" '^second' || why="${why:+$why; }the file after remount"
has_line "$sl" '^ro refused' || why="${why:+$why; }a write on a ro mount"
has_line "$sl" '^/dev/ubdb /mnt ext4 ro' || why="${why:+$why; }ro in /proc/mounts"
has_line "$sl" '^step2 ok' || why="${why:+$why; }umount of the ro mount"
has_line "$sl" '^step3 ok' || why="${why:+$why; }remount ro and rw"
[ "$(dbg 'cat /f2' "$img3" | tr '\n' ' ')" = "more again " ] ||
	why="${why:+$why; }the file written around the remounts"
[ "$BOOT_RC" = 0 ] || why="${why:+$why; }$(rc_text "$BOOT_RC")"
[ "$(dbg 'cat /f' "$img3")" = second ] || why="${why:+$why; }not on the second disk"
has_line "$sl" '^full: ENOSPC' || why="${why:+$why; }filling the disk did not end in ENOSPC"
fsck_clean "$img3" || why="${why:+$why; }e2fsck -fn not clean after filling it"
if [ -z "$why" ]; then pass ext4-second-disk; else fail ext4-second-disk "$why"; note "$sl"; fi
# (mount(8) asks for silence: Linux then logs nothing either)
if has_line "$sl" '^corrupt refused' &&
   has_line "$sl" 'mounting /dev/ubdc on /mnt failed: Invalid argument'; then
	pass ext4-corrupt-refused
else
	fail ext4-corrupt-refused "a disk with a broken superblock was not refused with a message"
fi

# TRIM: with -o discard, deleting a file shrinks the host file's blocks.
cat > "$root/t" <<'EOT'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
mount -t proc proc /proc
if [ -e /mnt/../data/rmbig ]; then
	mount -t ext4 -o discard /dev/ubdb /mnt && rm /mnt/big && umount /mnt &&
		echo trim-removed
else
	mount -t ext4 /dev/ubdb /mnt &&
		dd if=/dev/zero of=/mnt/big bs=1M count=16 2>/dev/null &&
		umount /mnt && echo trim-written
fi
poweroff -f
EOT
rm -f "$root/data/rmbig"
img5=$SCRATCH/trim.img
mkimg ext4 "$root" "$img" 64M && mkimg ext4 "$SCRATCH/empty" "$img5" 64M
boot 60 "$SCRATCH/trim1.log" mem=32M ubd0="$img" ubd1="$img5" root=/dev/ubda init=/t
used1=$(du -k "$img5" | cut -f1)
touch "$root/data/rmbig"
mkimg ext4 "$root" "$img" 64M
boot 60 "$SCRATCH/trim2.log" mem=32M ubd0="$img" ubd1="$img5" root=/dev/ubda init=/t
used2=$(du -k "$img5" | cut -f1)
rm -f "$root/data/rmbig"
echo "trim: $used1 KiB used after the write, $used2 KiB after the removal" >&2
if has_line "$SCRATCH/trim1.log" '^trim-written' &&
   has_line "$SCRATCH/trim2.log" '^trim-removed' &&
   [ $((used1 - used2)) -ge 12000 ] && fsck_clean "$img5"; then
	pass ext4-discard
else
	fail ext4-discard "host blocks $used1 KiB -> $used2 KiB after rm with -o discard"
	note "$SCRATCH/trim2.log"
fi

# A root that cannot be mounted: Linux's panic message, an exit, no hang.
boot 30 "$SCRATCH/noroot.log" mem=32M ubd0="$img4" root=/dev/ubda
if [ "$BOOT_RC" != 0 ] && [ "$BOOT_RC" != 124 ] && [ "$BOOT_RC" != 137 ] &&
   has_line "$SCRATCH/noroot.log" 'VFS: Unable to mount root fs on unknown-block(98,0)'; then
	pass ext4-root-unmountable
else
	fail ext4-root-unmountable "$(rc_text "$BOOT_RC")"
	note "$SCRATCH/noroot.log"
fi

# --- fuzz: flipped metadata bytes on a second disk ---------------------------
# Seeded; each run mounts the damaged disk read-write, lists and reads all of
# it and makes a change. The kernel must power off normally every time: the
# mount succeeds or is refused, nothing crashes or hangs.
cat > "$root/t" <<'EOT'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
if mount -t ext4 /dev/ubdb /mnt 2>/dev/null; then
	ls -laR /mnt > /dev/null 2>&1
	find /mnt -type f -exec cat {} + > /dev/null 2>&1
	echo new > /mnt/d/new 2>/dev/null; rm -f /mnt/f1 2>/dev/null
	mkdir /mnt/nd 2>/dev/null; mv /mnt/d /mnt/nd/ 2>/dev/null
	umount /mnt 2>/dev/null
	echo fuzz-mounted
else
	echo fuzz-refused
fi
poweroff -f
EOT
fz=$SCRATCH/fuzztree
mkdir -p "$fz/d/e"
for i in 1 2 3 4 5; do echo "file $i" > "$fz/f$i"; done
seq 1 3000 > "$fz/d/big"
ln -s f1 "$fz/link"
mkimg ext4 "$root" "$img" 64M
fbase=$SCRATCH/fuzz-base.img
ok=0 bad=0 mounted=0
for variant in csum nocsum; do
	opts="-b 1024 -N 64 -O ^resize_inode,^has_journal"
	[ $variant = nocsum ] && opts="$opts,^metadata_csum"
	rm -f "$fbase"
	# shellcheck disable=SC2086
	mkfs.ext4 -q -F $opts -d "$fz" "$fbase" 2M > /dev/null 2>&1 || { bad=$((bad + 1)); continue; }
	for seed in $(seq 1 20); do
		f=$SCRATCH/fuzz.img
		cp "$fbase" "$f" && chmod 666 "$f"
		python3 - "$f" "$seed$variant" <<'EOPY'
import random, sys
path, seed = sys.argv[1], sys.argv[2]
r = random.Random(seed)
with open(path, 'r+b') as f:
	data = bytearray(f.read())
	# superblock, descriptors, bitmaps, inode table, first directories
	for _ in range(r.randint(1, 24)):
		i = r.randrange(1024, 40 * 1024)
		data[i] ^= 1 << r.randrange(8)
	f.seek(0)
	f.write(data)
EOPY
		boot 40 "$SCRATCH/fuzz.log" mem=32M ubd0="$img" ubd1="$f" \
			root=/dev/ubda init=/t
		if [ "$BOOT_RC" = 0 ] && has_line "$SCRATCH/fuzz.log" '^fuzz-\(mounted\|refused\)'; then
			ok=$((ok + 1))
			has_line "$SCRATCH/fuzz.log" '^fuzz-mounted' && mounted=$((mounted + 1))
		else
			bad=$((bad + 1))
			cp "$f" "$SCRATCH/fuzz-fail-$seed$variant.img"
			cp "$SCRATCH/fuzz.log" "$SCRATCH/fuzz-fail-$seed$variant.log"
			echo "fuzz seed $seed$variant: $(rc_text "$BOOT_RC")" >&2
			note "$SCRATCH/fuzz.log"
		fi
	done
done
echo "fuzz: $ok runs ok ($mounted mounted), $bad bad" >&2
if [ $bad = 0 ] && [ $ok -gt 0 ]; then
	pass ext4-fuzz
else
	fail ext4-fuzz "$bad of $((ok + bad)) runs crashed or hung (images kept as fuzz-fail-*.img)"
fi
exit 0
