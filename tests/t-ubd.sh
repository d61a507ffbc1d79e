# ubd disks: guest reads and writes against host data, block device
# semantics (tests/guest/blkdev.c, also run in the real UML as the oracle),
# odd sizes, sparse images, discard, read-only and sync flags, COW files
# (created, reused, shared by two instances, merged by uml_moo, made by the
# real UML and by uml_mkcow), COW validity and hostile headers, host locks.
# timeout: 420
. "$TESTS/lib.sh"

W=$SCRATCH/w
mkdir -p "$W"
chmod 777 "$W"
MOO=$BUILD/uml_moo
MKCOW=$BUILD/uml_mkcow
DEB_MOO=/usr/bin/uml_moo
DEB_MKCOW=/usr/bin/uml_mkcow
UML=/usr/bin/linux

have_kernel ubd || exit 0
if [ ! -x "$GUEST_BIN/blkdev" ]; then
	fail ubd "tests/guest/blkdev.c did not compile"
	exit 0
fi

# One image for every boot: /init runs the script on the last disk (ubdp,
# given by ubd_boot) between markers, then powers off.
mkdir -p "$W/root"
cp "$GUEST_BIN/blkdev" "$W/root/blkdev"
cat > "$W/root/init" <<EOF
$INIT_HEAD
echo "=== ubd begin"
cat /dev/ubdp > /tmp/cmds.sh
sh /tmp/cmds.sh
echo "=== ubd exit \$?"
poweroff -f
EOF
mkimage "$W/root" "$W/initrd.gz" || { fail ubd "cannot build the image"; exit 0; }

# script NAME TEXT: a script file padded with newlines to whole sectors (a
# disk's last sector reads as zeroes past the end of its file).
script()
{
	printf '%s\n' "$2" > "$W/$1.sh"
	_sz=$(stat -c %s "$W/$1.sh")
	head -c $(( (512 - _sz % 512) % 512 )) /dev/zero | tr '\0' '\n' >> "$W/$1.sh"
	chmod 644 "$W/$1.sh"
}

# ubd_boot NAME SECS 'SCRIPT' ARGS...: boots with SCRIPT on ubdp; the log
# in W/NAME.log, the script's output in W/NAME.out. Sets BOOT_RC.
ubd_boot()
{
	_n=$1
	_secs=$2
	script "$_n" "$3"
	shift 3
	boot "$_secs" "$W/$_n.log" mem=64M initrd="$W/initrd.gz" "$@" \
		ubd15r="$W/$_n.sh"
	sed -n '/^=== ubd begin/,/^=== ubd exit/p' "$W/$_n.log" |
		grep -v "$KMSG" | tr -d '\r' > "$W/$_n.out"
}

# out_has NAME LINE: the script printed exactly LINE.
out_has() { grep -qxF -e "$2" "$W/$1.out"; }

# verdict NAME CHECK WHY: pass, or fail with WHY and the log.
verdict()
{
	if [ "$2" = 0 ]; then
		pass "$1"
	else
		fail "$1" "$3"
		note "$W/$1.log"
	fi
}

# rand FILE BYTES: random contents, world-writable.
rand()
{
	head -c "$2" /dev/urandom > "$1"
	chmod 666 "$1"
}

# --- block device semantics --------------------------------------------------
truncate -s 1M "$W/scratch.img"
truncate -s 64K "$W/ro.img"
chmod 666 "$W/scratch.img" "$W/ro.img"
ubd_boot blkdev 60 '/blkdev /dev/ubdb /dev/ubdc' \
	ubd1="$W/scratch.img" ubd2r="$W/ro.img"
if out_has blkdev PASS; then
	pass ubd-blkdev
else
	fail ubd-blkdev "$(grep -m3 FAIL "$W/blkdev.out" | tr '\n' '|') ($(rc_text $BOOT_RC))"
	note "$W/blkdev.log"
fi

# The same program in the real UML: its expectations are Linux's.
if [ -x "$UML" ] && command -v mkfs.ext4 > /dev/null; then
	u=$W/uml
	mkdir -p "$u/root/bin" "$u/root/proc" "$u/root/sys" "$u/root/dev" \
		"$u/root/tmp" "$u/home"
	cp /bin/busybox "$u/root/bin/busybox"
	cp "$GUEST_BIN/blkdev" "$u/root/blkdev"
	cat > "$u/root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/blkdev /dev/ubdb /dev/ubdc
/bin/busybox poweroff -f
EOF
	chmod 755 "$u/root/init"
	truncate -s 16M "$u/root.img"
	mkfs.ext4 -q -O ^has_journal -d "$u/root" "$u/root.img"
	truncate -s 1M "$u/scratch.img"
	truncate -s 64K "$u/ro.img"
	chmod 666 "$u/root.img" "$u/scratch.img" "$u/ro.img"
	chmod 777 "$u" "$u/home"
	HOME=$u/home TMPDIR=$u/home run_group 60 "$u/log" "$u/log" $RUNAS "$UML" \
		mem=64M ubd0="$u/root.img" ubd1="$u/scratch.img" \
		ubd2r="$u/ro.img" root=/dev/ubda rw init=/init \
		con0=fd:0,fd:1 con=null
	if grep -q '^PASS' "$u/log"; then
		pass ubd-blkdev-real-uml
	else
		fail ubd-blkdev-real-uml "$(grep -m3 FAIL "$u/log" | tr '\n' '|') ($(rc_text $RUN_RC))"
	fi
else
	skip ubd-blkdev-real-uml "user-mode-linux or e2fsprogs not installed"
fi

# --- data: the guest sees the host file, and the host the guest's writes ----
rand "$W/data.img" 4194304
sum=$(md5sum < "$W/data.img" | cut -d' ' -f1)
cp "$W/data.img" "$W/data.want"
python3 - "$W/data.want" <<'EOF'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(1000003)
    f.write(b"from the guest")
EOF
ubd_boot data 60 'md5sum /dev/ubda | cut -d" " -f1
printf "from the guest" | dd of=/dev/ubda bs=1 seek=1000003 conv=notrunc 2>/dev/null
sync
echo done' ubd0="$W/data.img"
if ! out_has data "$sum"; then
	verdict ubd-data 1 "the guest read $(head -n 2 "$W/data.out" | tail -n 1), host $sum"
elif ! out_has data done || [ "$BOOT_RC" != 0 ]; then
	verdict ubd-data 1 "the script did not finish ($(rc_text $BOOT_RC))"
elif [ "$(dd if="$W/data.img" bs=1 skip=1000003 count=14 2>/dev/null)" != "from the guest" ]; then
	verdict ubd-data 1 "the guest's write is not in the host file"
elif ! cmp -s "$W/data.img" "$W/data.want"; then
	verdict ubd-data 1 "the host file changed elsewhere: $(cmp "$W/data.img" "$W/data.want" 2>&1)"
else
	pass ubd-data
fi

# An image whose size is not a multiple of 512: the last sector is
# completed with zeroes, as the real UML does.
rand "$W/odd.img" 1000001
ubd_boot odd 60 'blockdev --getsize64 /dev/ubda
dd if=/dev/ubda bs=512 skip=1953 2>/dev/null | od -v -An -tx1 -j 65 | tr -d " \n"; echo
dd if=/dev/ubda bs=512 count=1953 2>/dev/null | md5sum | cut -d" " -f1' \
	ubd0="$W/odd.img"
want=$(head -c 999936 "$W/odd.img" | md5sum | cut -d' ' -f1)
zeros=$(printf '%0894d' 0)
if out_has odd 1000448 && out_has odd "$want" && out_has odd "$zeros"; then
	pass ubd-odd-size
else
	verdict ubd-odd-size 1 "$(head -c 300 "$W/odd.out" | tr '\n' '|')"
fi

# --- sparse images stay sparse; discard gives blocks back ---------------------
truncate -s 64M "$W/sparse.img"
chmod 666 "$W/sparse.img"
ubd_boot sparse 60 'dd if=/dev/zero of=/dev/ubda bs=64k count=256 2>/dev/null
echo data | dd of=/dev/ubda bs=512 seek=40000 conv=sync 2>/dev/null
sync
echo done' ubd0="$W/sparse.img"
blocks=$(stat -c %b "$W/sparse.img")
size=$(stat -c %s "$W/sparse.img")
if out_has sparse done && [ "$blocks" -lt 512 ] && [ "$size" = 67108864 ]; then
	pass ubd-sparse
else
	verdict ubd-sparse 1 "16 MiB of zeroes written: $blocks blocks allocated, size $size"
fi

rand "$W/trim.img" 8388608
before=$(stat -c %b "$W/trim.img")
ubd_boot trim 60 'blkdiscard -o 1048576 -l 6291456 /dev/ubda && echo discarded
dd if=/dev/ubda bs=1M skip=1 count=6 2>/dev/null | tr -d "\0" | wc -c' \
	ubd0="$W/trim.img"
after=$(stat -c %b "$W/trim.img")
if out_has trim discarded && out_has trim 0 && [ "$after" -lt $((before - 10000)) ]; then
	pass ubd-discard
else
	verdict ubd-discard 1 "allocated blocks $before -> $after; $(tr '\n' '|' < "$W/trim.out")"
fi
ubd_boot notrim 60 'blkdiscard /dev/ubda; echo status $?' ubd0t="$W/trim.img"
if out_has notrim "status 1"; then
	pass ubd-discard-t-flag
else
	verdict ubd-discard-t-flag 1 "blkdiscard on a t disk: $(tr '\n' '|' < "$W/notrim.out")"
fi

# --- read-only: the host file stays as it was ---------------------------------
rand "$W/ro2.img" 65536
sum=$(md5sum < "$W/ro2.img")
ubd_boot ro 60 'echo x | dd of=/dev/ubda conv=notrunc 2>/dev/null; echo status $?
cat /sys/block/ubda/ro' ubd0r="$W/ro2.img"
if out_has ro "status 1" && out_has ro 1 && [ "$(md5sum < "$W/ro2.img")" = "$sum" ]; then
	pass ubd-readonly
else
	verdict ubd-readonly 1 "$(tr '\n' '|' < "$W/ro.out")"
fi

# --- /proc/partitions, /proc/devices, /sys/block, the serial -------------------
ubd_boot proc 60 'cat /proc/partitions
grep -x " 98 ubd" /proc/devices
cat /sys/block/ubdc/serial
ls -l /dev/ubdc | cut -c1-10' ubd0r="$W/ro.img" ubd2="$W/scratch.img,,SERIAL42"
if out_has proc "major minor  #blocks  name" &&
   out_has proc "  98        0         64 ubda" &&
   out_has proc "  98       32       1024 ubdc" &&
   out_has proc "  98      240          0 ubdp" &&
   out_has proc " 98 ubd" && out_has proc SERIAL42 &&
   out_has proc "brw-------"; then
	pass ubd-proc-sysfs
else
	verdict ubd-proc-sysfs 1 "$(tr '\n' '|' < "$W/proc.out")"
fi

# --- MBR partitions (the layout the real UML shows for this table) ---------------
python3 - "$W/part.img" <<'EOF'
import os, struct, sys
def entry(boot, typ, start, nr):
    return struct.pack("<B3sB3sII", boot, b"\0\0\0", typ, b"\0\0\0", start, nr)
def table(entries):
    s = bytearray(512)
    for i, e in enumerate(entries):
        s[446 + 16 * i:446 + 16 * (i + 1)] = e
    s[510:512] = b"\x55\xaa"
    return s
with open(sys.argv[1], "wb") as f:
    f.write(os.urandom(8192 * 512))
    # p1, an extended p2 with two logical partitions, a p3 past the end
    f.seek(0)
    f.write(table([entry(0x80, 0x83, 2048, 2048), entry(0, 0x05, 4096, 2900),
                   entry(0, 0x83, 7000, 5000)]))
    f.seek(4096 * 512)
    f.write(table([entry(0, 0x83, 1, 1000), entry(0, 0x05, 2048, 800)]))
    f.seek(6144 * 512)
    f.write(table([entry(0, 0x83, 1, 700)]))
EOF
chmod 666 "$W/part.img"
p5=$(dd if="$W/part.img" bs=512 skip=4097 count=1000 2> /dev/null | md5sum | cut -d' ' -f1)
ubd_boot part 60 'grep " ubda" /proc/partitions
cat /sys/block/ubda/ubda5/start /sys/block/ubda/ubda5/size
md5sum /dev/ubda5 | cut -d" " -f1
printf "via part" | dd of=/dev/ubda1 bs=512 seek=1 conv=sync,notrunc 2>/dev/null
exec 3< /dev/ubda5
blockdev --rereadpt /dev/ubda 2>/dev/null; echo busy $?
exec 3<&-
dd if=/dev/zero of=/dev/ubda bs=1 seek=462 count=32 conv=notrunc 2>/dev/null
blockdev --rereadpt /dev/ubda; echo reread $?
grep " ubda" /proc/partitions | tr -s " " | tr "\n" "|"; echo' ubd0="$W/part.img"
want="  98        0       4096 ubda
  98        1       1024 ubda1
  98        2          1 ubda2
  98        3        596 ubda3
  98        5        500 ubda5
  98        6        350 ubda6"
if [ "$(grep ' ubda' "$W/part.out" | head -n 6)" != "$want" ]; then
	verdict ubd-partitions 1 "$(tr '\n' '|' < "$W/part.out")"
elif ! out_has part 4097 || ! out_has part 1000 || ! out_has part "$p5"; then
	verdict ubd-partitions 1 "ubda5: $(tr '\n' '|' < "$W/part.out")"
elif [ "$(dd if="$W/part.img" bs=512 skip=2049 count=1 2> /dev/null | head -c 8)" != "via part" ]; then
	verdict ubd-partitions 1 "a write to ubda1 did not land at its start"
elif ! out_has part "busy 1" || ! out_has part "reread 0" ||
     ! out_has part " 98 0 4096 ubda| 98 1 1024 ubda1|"; then
	verdict ubd-partitions 1 "re-reading the table: $(tr '\n' '|' < "$W/part.out")"
else
	pass ubd-partitions
fi

# --- COW ---------------------------------------------------------------------
rand "$W/base.img" 2097152
chmod 644 "$W/base.img"
touch -d @1200000000 "$W/base.img"
bsum=$(md5sum < "$W/base.img")
ubd_boot cow1 60 'printf "cow data" | dd of=/dev/ubda bs=512 seek=7 conv=sync,notrunc 2>/dev/null
printf "more" | dd of=/dev/ubda bs=1 seek=2000000 conv=notrunc 2>/dev/null
md5sum /dev/ubda | cut -d" " -f1' ubd0="$W/a.cow,$W/base.img"
gsum=$(sed -n 2p "$W/cow1.out")
if [ "$BOOT_RC" != 0 ] || [ ! -s "$W/a.cow" ] || [ -z "$gsum" ]; then
	verdict ubd-cow-create 1 "$(rc_text $BOOT_RC); $(tr '\n' '|' < "$W/cow1.out")"
elif [ "$(md5sum < "$W/base.img")" != "$bsum" ]; then
	verdict ubd-cow-create 1 "the backing file changed"
elif ! grep -q 'Creating ".*a.cow" as COW file' "$W/cow1.log"; then
	verdict ubd-cow-create 1 "no 'Creating' message"
else
	pass ubd-cow-create
fi
# Again with the COW alone (the header names the backing file) and with
# both: the changes are there.
ubd_boot cow2 60 'md5sum /dev/ubda | cut -d" " -f1' ubd0="$W/a.cow"
ubd_boot cow3 60 'md5sum /dev/ubda | cut -d" " -f1' ubd0="$W/a.cow,$W/base.img"
if out_has cow2 "$gsum" && out_has cow3 "$gsum"; then
	pass ubd-cow-reuse
else
	verdict ubd-cow-reuse 1 "want $gsum: $(tr '\n' '|' < "$W/cow2.out") $(tr '\n' '|' < "$W/cow3.out")"
fi
# uml_moo (ours and Debian's) merges what the guest saw.
"$MOO" "$W/a.cow" "$W/merged.img" > "$W/moo.err" 2>&1
if [ "$(md5sum < "$W/merged.img" | cut -d' ' -f1)" = "$gsum" ]; then
	pass ubd-cow-moo
else
	fail ubd-cow-moo "the merge is not what the guest saw: $(head -c 200 "$W/moo.err")"
fi
if [ -x "$DEB_MOO" ]; then
	"$DEB_MOO" "$W/a.cow" "$W/merged-deb.img" > "$W/moo.err" 2>&1
	if [ "$(md5sum < "$W/merged-deb.img" | cut -d' ' -f1)" = "$gsum" ]; then
		pass ubd-cow-debian-moo
	else
		fail ubd-cow-debian-moo "Debian's uml_moo: $(head -c 200 "$W/moo.err")"
	fi
else
	skip ubd-cow-debian-moo "uml-utilities not installed"
fi

# Two instances, two COW files over one backing file, at the same time.
script two-b 'printf "instance b" | dd of=/dev/ubda bs=512 seek=1 conv=sync,notrunc 2>/dev/null
sleep 4
dd if=/dev/ubda bs=512 skip=1 count=1 2>/dev/null | tr -d "\0"; echo'
script two-c 'printf "instance c" | dd of=/dev/ubda bs=512 seek=1 conv=sync,notrunc 2>/dev/null
sleep 1
dd if=/dev/ubda bs=512 skip=1 count=1 2>/dev/null | tr -d "\0"; echo'
run_group 60 "$W/two-b.log" "$W/two-b.log" $RUNAS "$KERNEL" mem=64M \
	initrd="$W/initrd.gz" ubd0="$W/b.cow,$W/base.img" ubd15r="$W/two-b.sh" &
sleep 2
boot 60 "$W/two-c.log" mem=64M initrd="$W/initrd.gz" \
	ubd0="$W/c.cow,$W/base.img" ubd15r="$W/two-c.sh"
wait
if tr -d '\r' < "$W/two-b.log" | grep -qx 'instance b' &&
   tr -d '\r' < "$W/two-c.log" | grep -qx 'instance c' &&
   [ "$(md5sum < "$W/base.img")" = "$bsum" ]; then
	pass ubd-cow-two-instances
else
	fail ubd-cow-two-instances "$(grep -m1 -e instance -e linux: "$W/two-b.log") / $(grep -m1 -e instance -e linux: "$W/two-c.log")"
fi

# A COW made by uml_mkcow (ours and Debian's) reads as the backing file.
for k in our deb; do
	t=$MKCOW
	[ $k = deb ] && t=$DEB_MKCOW
	if [ ! -x "$t" ]; then
		skip ubd-cow-mkcow-$k "uml-utilities not installed"
		continue
	fi
	(cd "$W" && "$t" "mk-$k.cow" base.img)
	chmod 666 "$W/mk-$k.cow"
	ubd_boot mk-$k 60 'md5sum /dev/ubda | cut -d" " -f1' ubd0="$W/mk-$k.cow"
	if out_has mk-$k "$(echo "$bsum" | cut -d' ' -f1)"; then
		pass ubd-cow-mkcow-$k
	else
		verdict ubd-cow-mkcow-$k 1 "$(tr '\n' '|' < "$W/mk-$k.out") $(grep -m1 'linux:' "$W/mk-$k.log")"
	fi
done

# A COW file written by the real UML is read by our kernel as the real UML
# left it (its merge by Debian's uml_moo is the reference).
if [ -x "$UML" ] && [ -x "$DEB_MOO" ] && [ -f "$u/root.img" ]; then
	cat > "$u/root/init" <<'EOF'
#!/bin/busybox sh
echo written by the real uml > /hello.txt
/bin/busybox sync
/bin/busybox poweroff -f
EOF
	rm -f "$u/root.img"
	truncate -s 16M "$u/root.img"
	mkfs.ext4 -q -O ^has_journal -d "$u/root" "$u/root.img"
	chmod 644 "$u/root.img"
	HOME=$u/home TMPDIR=$u/home run_group 60 "$u/log2" "$u/log2" $RUNAS "$UML" \
		mem=64M ubd0="$u/real.cow,$u/root.img" root=/dev/ubda rw \
		init=/init con0=fd:0,fd:1 con=null
	"$DEB_MOO" "$u/real.cow" "$u/real-merged.img" > /dev/null 2>&1
	want=$(md5sum < "$u/real-merged.img" | cut -d' ' -f1)
	chmod 666 "$u/real.cow"
	ubd_boot realcow 60 'md5sum /dev/ubda | cut -d" " -f1' ubd0="$u/real.cow"
	if [ ! -s "$u/real.cow" ]; then
		fail ubd-cow-real-uml "the real UML did not write its COW file"
	elif out_has realcow "$want"; then
		pass ubd-cow-real-uml
	else
		verdict ubd-cow-real-uml 1 "want $want: $(tr '\n' '|' < "$W/realcow.out")"
	fi
else
	skip ubd-cow-real-uml "user-mode-linux or uml-utilities not installed"
fi

# --- COW validity and hostile headers ------------------------------------------
# refused NAME EXPECT ARGS...: the boot ends with status 2 and one line
# on stderr with EXPECT.
refused()
{
	_n=$1
	_e=$2
	shift 2
	script "$_n" 'echo booted'
	run_group 30 "$W/$_n.log" "$W/$_n.err" $RUNAS "$KERNEL" mem=64M \
		initrd="$W/initrd.gz" "$@" ubd15r="$W/$_n.sh"
	REFUSED_RC=$RUN_RC
	if [ $RUN_RC != 2 ]; then
		echo "$(rc_text $RUN_RC), expected 2"
	elif [ "$(wc -l < "$W/$_n.err")" != 1 ]; then
		echo "expected one line on stderr: $(head -c 300 "$W/$_n.err" | tr '\n' '|')"
	elif ! grep -qF -e "$_e" "$W/$_n.err"; then
		echo "stderr does not say '$_e': $(head -c 300 "$W/$_n.err")"
	fi
}

cp "$W/a.cow" "$W/v.cow"
csum=$(md5sum < "$W/v.cow")
touch -d @1300000000 "$W/base.img"
why=$(refused mtime "mtime mismatch" ubd0="$W/v.cow,$W/base.img")
[ -z "$why" ] && [ "$(md5sum < "$W/v.cow")" != "$csum" ] && why="the COW file changed"
[ -z "$why" ] && pass ubd-cow-mtime || fail ubd-cow-mtime "$why"
touch -d @1200000000 "$W/base.img"
cp -p "$W/base.img" "$W/base.save"
truncate -s 2097664 "$W/base.img"
touch -d @1200000000 "$W/base.img"
why=$(refused size "Size mismatch" ubd0="$W/v.cow,$W/base.img")
[ -z "$why" ] && pass ubd-cow-size || fail ubd-cow-size "$why"
mv "$W/base.save" "$W/base.img"
# A backing file other than the one recorded, which does not match it
cp -p "$W/base.img" "$W/other.img"
truncate -s 2097664 "$W/other.img"
why=$(refused other "backing file mismatch" ubd0="$W/v.cow,$W/other.img")
[ -z "$why" ] && pass ubd-cow-other-backing || fail ubd-cow-other-backing "$why"

# Corrupt headers: each refused with exit 2, the file untouched.
python3 - "$W" <<'EOF'
import struct, sys, random
d = sys.argv[1]
h = bytearray(open(d + "/v.cow", "rb").read(16384))
def put(name, data):
    open(d + "/bad-" + name + ".cow", "wb").write(data)
put("truncated", bytes(h[:100]))
put("short-v3", bytes(h[:4000]))
b = bytearray(h); b[0:4] = b"XOOM"; put("magic", b)
b = bytearray(h); b[4:8] = struct.pack(">I", 7); put("version", b)
b = bytearray(h); b[24:28] = struct.pack(">I", 0); put("align0", b)
b = bytearray(h); b[24:28] = struct.pack(">I", 3000); put("align", b)
b = bytearray(h); b[20:24] = struct.pack(">I", 0); put("sector0", b)
b = bytearray(h); b[20:24] = struct.pack(">I", 1024); put("sector1024", b)
b = bytearray(h); b[12:20] = struct.pack(">Q", 1 << 62); put("size", b)
b = bytearray(h); b[12:20] = struct.pack(">Q", (1 << 64) - 512); put("size-overflow", b)
b = bytearray(h); b[32:4128] = b"A" * 4096; put("path", b)
# a fuzz: random bytes in the header fields
rnd = random.Random(4)
for i in range(24):
    b = bytearray(h)
    for _ in range(rnd.randrange(1, 6)):
        b[rnd.randrange(0, 40)] = rnd.randrange(256)
    put("fuzz%02d" % i, b)
EOF
chmod 666 "$W"/bad-*.cow
why=
for f in "$W"/bad-*.cow; do
	n=$(basename "$f" .cow)
	s=$(md5sum < "$f")
	case $n in
	bad-fuzz*)
		# a mutation may be harmless (or only switch the backing
		# path): never a crash or a hang, and a refusal is clean
		w=$(refused "$n" "ubd0" ubd0="$f,$W/base.img")
		if [ $REFUSED_RC != 0 ] && [ -n "$w" ]; then
			why="${why:+$why; }$n: $w"
		elif [ $REFUSED_RC = 2 ] && [ "$(md5sum < "$f")" != "$s" ]; then
			why="${why:+$why; }$n: changed though refused"
		fi
		;;
	*)
		w=$(refused "$n" "ubd0" ubd0="$f,$W/base.img")
		[ -n "$w" ] && why="${why:+$why; }$n: $w"
		[ "$(md5sum < "$f")" != "$s" ] && why="${why:+$why; }$n: changed"
		;;
	esac
done
[ -z "$why" ] && pass ubd-cow-bad-headers || fail ubd-cow-bad-headers "$why"

# A moved backing file (same size and mtime) is accepted and recorded.
cp -p "$W/base.img" "$W/moved.img"
cp "$W/a.cow" "$W/sw.cow"
chmod 666 "$W/sw.cow"
ubd_boot switch 60 'md5sum /dev/ubda | cut -d" " -f1' ubd0="$W/sw.cow,$W/moved.img"
if ! out_has switch "$gsum"; then
	verdict ubd-cow-switch-backing 1 "$(tr '\n' '|' < "$W/switch.out")"
elif ! grep -q "Switching backing file to '$W/moved.img'" "$W/switch.log"; then
	verdict ubd-cow-switch-backing 1 "no 'Switching backing file' message"
elif ! grep -qaF "$W/moved.img" "$W/sw.cow"; then
	fail ubd-cow-switch-backing "the header does not record the new path"
else
	pass ubd-cow-switch-backing
fi

# --- host locks ----------------------------------------------------------------
rand "$W/lock.img" 1048576
script hold 'echo holding; sleep 5'
run_group 60 "$W/hold.log" "$W/hold.log" $RUNAS "$KERNEL" mem=64M \
	initrd="$W/initrd.gz" ubd0="$W/lock.img" ubd15r="$W/hold.sh" &
for i in 1 2 3 4 5 6 7 8 9 10; do
	grep -q holding "$W/hold.log" 2> /dev/null && break
	sleep 0.5
done
why=$(refused lock2 "lock.img is locked" ubd0="$W/lock.img")
[ -z "$why" ] && pass ubd-lock || fail ubd-lock "$why"
rm -f "$W/lk.cow"
why=$(refused lock3 "lock.img is locked" ubd0="$W/lk.cow,$W/lock.img")
[ -z "$why" ] && [ -e "$W/lk.cow" ] && why="the COW file was created"
[ -z "$why" ] && pass ubd-lock-cow-backing || fail ubd-lock-cow-backing "$why"
ubd_boot shared 60 'echo shared' ubd0c="$W/lock.img"
if out_has shared shared; then
	pass ubd-lock-c-flag
else
	verdict ubd-lock-c-flag 1 "$(rc_text $BOOT_RC)"
fi
wait
# A POSIX lock (as the real UML takes): the message names its pid.
python3 - "$W/lock.img" "$W/locker" <<'EOF' &
import fcntl, os, sys, time
f = open(sys.argv[1], "r+b")
fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").write(str(os.getpid()))
time.sleep(5)
EOF
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -s "$W/locker" ] && break
	sleep 0.3
done
why=$(refused lock4 "locked by pid $(cat "$W/locker")" ubd0="$W/lock.img")
[ -z "$why" ] && pass ubd-lock-pid || fail ubd-lock-pid "$why"
wait

# --- hot-plug through the management console -----------------------------------
# (with a kernel that has the mconsole server)
if "$KERNEL" --help 2> /dev/null | grep -q '^mconsole=' &&
   [ -x "$BUILD/uml_mconsole" ]; then
	rand "$W/hp.img" 1048576
	hsum=$(md5sum < "$W/hp.img" | cut -d' ' -f1)
	script hp 'echo waiting
i=0; while [ ! -b /dev/ubdb ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
md5sum /dev/ubdb | cut -d" " -f1
exec 3< /dev/ubdb; echo opened; sleep 2; exec 3<&-; echo closed
i=0; while [ -b /dev/ubdb ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
[ -b /dev/ubdb ] || echo gone
i=0; while [ ! -b /dev/ubdc ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done'
	mkdir -p "$SCRATCH/home"
	chmod 1777 "$SCRATCH/home"
	run_group 60 "$W/hp.log" "$W/hp.log" $RUNAS "$KERNEL" mem=64M \
		initrd="$W/initrd.gz" umid=ubdhp ubd15r="$W/hp.sh" &
	mc()
	{
		$RUNAS env HOME="$SCRATCH/home" "$BUILD/uml_mconsole" ubdhp "$@" \
			>> "$W/hp.mc" 2>&1
	}
	waitfor()
	{
		for _i in $(seq 1 50); do
			grep -q "$1" "$W/hp.log" 2> /dev/null && return 0
			sleep 0.2
		done
		return 1
	}
	waitfor waiting
	mc config ubd1="$W/hp.img"
	mc config ubd1
	mc config ubd2="$W/nonexistent.img"
	waitfor opened
	mc remove ubd1
	waitfor closed
	mc remove ubd1
	mc remove ubd1
	# the guest halts once it sees ubdc: not before the last command
	mc config ubd2="$W/hp.img"
	wait
	want="OK |OK $W/hp.img|ERR ubd2: cannot open $W/nonexistent.img: No such file or directory|ERR Device is currently open|OK |ERR Device doesn't exist|OK |"
	got=$(tr '\n' '|' < "$W/hp.mc")
	if [ "$got" != "$want" ]; then
		fail ubd-hotplug "mconsole said '$got'"
	elif ! tr -d '\r' < "$W/hp.log" | grep -qx "$hsum" ||
	     ! grep -q gone "$W/hp.log"; then
		fail ubd-hotplug "the guest did not see the disk come and go"
		note "$W/hp.log"
	else
		pass ubd-hotplug
	fi
else
	skip ubd-hotplug "no management console in this kernel"
fi

# --- sync flag: data written and fsync'd survives a SIGKILL of the kernel ------
truncate -s 1M "$W/sync.img"
chmod 666 "$W/sync.img"
script sync 'printf "synced data" | dd of=/dev/ubda conv=fsync 2>/dev/null
echo written
sleep 30'
$RUNAS "$KERNEL" mem=64M initrd="$W/initrd.gz" ubd0s="$W/sync.img" \
	ubd15r="$W/sync.sh" > "$W/sync.log" 2>&1 < /dev/null &
kpid=$!
for i in $(seq 1 40); do
	grep -q written "$W/sync.log" && break
	sleep 0.25
done
kill -KILL $kpid 2> /dev/null
wait $kpid 2> /dev/null
# the guest's host processes die with the kernel (PDEATHSIG)
if [ "$(head -c 11 "$W/sync.img")" = "synced data" ]; then
	pass ubd-sync-flag
else
	fail ubd-sync-flag "the data is not in the host file after SIGKILL"
fi
exit 0
