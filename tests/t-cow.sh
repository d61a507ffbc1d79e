# The COW tools (uml_mkcow, uml_moo; host only): output and messages equal
# to Debian's uml-utilities on the same inputs, merges of a COW file written
# by the real UML (Debian's user-mode-linux), -d and -b, errors, and a fuzz
# of hostile headers under ASan.
# timeout: 180
. "$TESTS/lib.sh"

TOP=$(cd "$TESTS/.." && pwd)
MKCOW=$BUILD/uml_mkcow
MOO=$BUILD/uml_moo
DEB_MKCOW=/usr/bin/uml_mkcow
DEB_MOO=/usr/bin/uml_moo
UML=/usr/bin/linux
W=$SCRATCH/w
mkdir -p "$W"

if [ ! -x "$MKCOW" ] || [ ! -x "$MOO" ]; then
	fail cow-tools "build/uml_mkcow or build/uml_moo did not build"
	exit 0
fi
have_deb=1
[ -x "$DEB_MKCOW" ] && [ -x "$DEB_MOO" ] || have_deb=0

# A helper that writes sectors into a COW file as the format says: data at
# data_offset + n * sectorsize, then the sector's bit.
cat > "$W/cowput.py" <<'EOF'
import struct, sys
cow, sector, byte = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 0)
with open(cow, "r+b") as f:
    h = f.read(4128)
    size, ss, align = struct.unpack(">QII", h[12:28])
    up = lambda v, a: (v + a - 1) // a * a
    bmo = up(4128, align)
    bml = (up(size, ss) // ss + 7) // 8
    data = up(bmo + bml, align)
    f.seek(data + sector * ss)
    f.write(bytes([byte]) * ss)
    f.seek(bmo + sector // 8)
    b = f.read(1)
    f.seek(bmo + sector // 8)
    f.write(bytes([(b[0] if b else 0) | 1 << (sector % 8)]))
EOF

# run_tool TOOL DIR OUT ARGS...: runs TOOL in DIR; stdout, stderr, status
# and every file of DIR (contents with DIR's own name masked, size, mode)
# into OUT.
run_tool()
{
	_t=$1
	_d=$2
	_o=$3
	shift 3
	(cd "$_d" && "$_t" "$@" > "$_o.stdout" 2> "$_o.stderr"
	 echo "status $?" > "$_o"
	 for _f in *; do
		[ -f "$_f" ] || continue
		echo "file $_f $(stat -c '%s %a' -- "$_f")"
		sed "s|$_d|WD|g" -- "$_f" | md5sum
	 done >> "$_o")
	for _s in stdout stderr; do
		sed "s|$_d|WD|g; s|$_t|TOOL|g; s|$(basename "$_t")|TOOL|g" \
			"$_o.$_s" >> "$_o"
	done
}

# --- uml_mkcow: byte-identical to Debian's ----------------------------------
if [ $have_deb = 1 ]; then
	why=
	n=0
	for args in "a.cow base.img" "-f a.cow base.img" "new.cow base.img" \
		"-f new.cow base.img" "" "-f" "x.cow" "b.cow nonexist" \
		"c.cow /nonexistent-dir/x" "d.cow ./sub/../base.img" \
		"e.cow /cow-test-missing.img" "f.cow base.img extra" \
		"/nonexistent/g.cow base.img" "h.cow sub/" "-f a.cow a.cow" \
		"i.cow empty.img" "-x base.img"; do
		n=$((n + 1))
		for k in deb our; do
			d=$W/mk$n$k
			mkdir -p "$d/sub"
			truncate -s 1024000 "$d/base.img"
			: > "$d/empty.img"
			touch -d @1000000000 "$d/base.img" "$d/empty.img" "$d/sub"
			printf 'old contents\n' > "$d/a.cow"
		done
		# shellcheck disable=SC2086
		run_tool "$DEB_MKCOW" "$W/mk${n}deb" "$W/mk$n.deb" $args
		# shellcheck disable=SC2086
		run_tool "$MKCOW" "$W/mk${n}our" "$W/mk$n.our" $args
		sed -i 's/mk[0-9]*\(deb\|our\)/DIR/g' "$W/mk$n.deb" "$W/mk$n.our"
		if ! cmp -s "$W/mk$n.deb" "$W/mk$n.our"; then
			why="${why:+$why; }'uml_mkcow $args' differs"
			diff "$W/mk$n.deb" "$W/mk$n.our" >&2
		fi
	done
	if [ -z "$why" ]; then
		pass cow-mkcow-like-debian
	else
		fail cow-mkcow-like-debian "$why"
	fi
else
	skip cow-mkcow-like-debian "uml-utilities not installed"
fi

# --- a COW with data (written by our helper) --------------------------------
d=$W/data
mkdir -p "$d"
# Not a multiple of the sector size: the partial tail sector is not merged.
truncate -s 1048700 "$d/base.img"
printf 'base' | dd of="$d/base.img" bs=1 seek=3000 conv=notrunc 2> /dev/null
printf 'more' | dd of="$d/base.img" bs=1 seek=700000 conv=notrunc 2> /dev/null
"$MKCOW" "$d/a.cow" "$d/base.img"
for s in 0 5 6 1367 2047; do
	python3 "$W/cowput.py" "$d/a.cow" $s 0x5a || fail cow-put "helper failed"
done
python3 "$W/cowput.py" "$d/a.cow" 7 0	# a zeroed sector over a non-zero one
printf 'base' | dd of="$d/base.img" bs=1 seek=3600 conv=notrunc 2> /dev/null
touch -d @1100000000 "$d/base.img"
# The header recorded the older mtime: fix it up for the edit just made.
python3 -c "
import struct, sys
with open(sys.argv[1], 'r+b') as f:
    f.seek(8); f.write(struct.pack('>I', 1100000000))" "$d/a.cow"
"$MOO" "$d/a.cow" "$d/our.img" 2> "$d/err"
rc=$?
# The expected image, built independently.
python3 - "$d" <<'EOF' > "$d/pyerr" 2>&1
import sys
d = sys.argv[1]
img = bytearray(open(d + "/base.img", "rb").read())
img = img[:len(img) // 512 * 512]
for s in (0, 5, 6, 1367, 2047):
    img[s * 512:(s + 1) * 512] = b"\x5a" * 512
img[7 * 512:8 * 512] = bytes(512)
open(d + "/want.img", "wb").write(img)
EOF
if [ $rc = 0 ] && cmp -s "$d/our.img" "$d/want.img"; then
	pass cow-moo-merge
else
	fail cow-moo-merge "status $rc, $(head -c 200 "$d/err") $(cmp "$d/our.img" "$d/want.img" 2>&1)"
fi
# Sparse: far fewer blocks than the length.
blocks=$(stat -c %b "$d/our.img")
if [ "$blocks" -lt 200 ]; then
	pass cow-moo-sparse
else
	fail cow-moo-sparse "$blocks blocks allocated for 1 MiB of mostly zeros"
fi
if [ $have_deb = 1 ]; then
	"$DEB_MOO" "$d/a.cow" "$d/deb.img" 2>> "$d/err"
	if cmp -s "$d/deb.img" "$d/our.img"; then
		pass cow-moo-like-debian
	else
		fail cow-moo-like-debian "Debian's uml_moo merges a COW file of ours differently"
	fi
	# -d in place, on copies with the same mtime; -d then -b, the real
	# tool's order.
	for k in deb our; do
		cp "$d/base.img" "$d/b-$k.img"
		touch -d @1100000000 "$d/b-$k.img"
	done
	"$DEB_MOO" -d -b "$d/b-deb.img" "$d/a.cow"
	"$MOO" -d -b "$d/b-our.img" "$d/a.cow"
	rc=$?
	# -d keeps the partial tail sector of the backing file.
	head -c 1048576 "$d/b-our.img" > "$d/b-our.head"
	if [ $rc = 0 ] && cmp -s "$d/b-deb.img" "$d/b-our.img" &&
		cmp -s "$d/b-our.head" "$d/want.img"; then
		pass cow-moo-d-b
	else
		fail cow-moo-d-b "status $rc; in-place merge differs"
	fi
else
	skip cow-moo-like-debian "uml-utilities not installed"
	skip cow-moo-d-b "uml-utilities not installed"
fi

# --- a COW written by the real UML ------------------------------------------
d=$W/uml
if [ ! -x "$UML" ] || [ $have_deb = 0 ]; then
	skip cow-real-uml "user-mode-linux or uml-utilities not installed"
elif ! command -v mkfs.ext4 > /dev/null || ! command -v e2fsck > /dev/null; then
	skip cow-real-uml "e2fsprogs not installed"
else
	mkdir -p "$d/root/bin" "$d/root/proc" "$d/root/dev"
	cp /bin/busybox "$d/root/bin/busybox"
	cat > "$d/root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox echo hello from uml > /hello.txt
/bin/busybox dd if=/dev/urandom of=/rand.bin bs=1k count=300 2>/dev/null
/bin/busybox sync
/bin/busybox echo COW-INIT-DONE
/bin/busybox poweroff -f
EOF
	chmod 755 "$d/root/init"
	truncate -s 8M "$d/base.img"
	# No journal: the merge must be clean without a journal replay.
	mkfs.ext4 -q -O ^has_journal -d "$d/root" "$d/base.img"
	chmod 644 "$d/base.img"
	chmod 777 "$d"
	run_group 60 "$d/log" "$d/log" $RUNAS "$UML" mem=64M \
		"ubd0=$d/a.cow,$d/base.img" root=/dev/ubda rw init=/init \
		con0=fd:0,fd:1 con=null
	if ! grep -q COW-INIT-DONE "$d/log" || [ ! -s "$d/a.cow" ]; then
		fail cow-real-uml "the real UML did not write its COW file ($(rc_text $RUN_RC))"
		note "$d/log"
	else
		"$MOO" "$d/a.cow" "$d/our.img" 2> "$d/err"
		rc=$?
		"$DEB_MOO" "$d/a.cow" "$d/deb.img"
		e2fsck -fn "$d/our.img" > "$d/fsck" 2>&1
		fsck=$?
		got=$(debugfs -R 'cat /hello.txt' "$d/our.img" 2> /dev/null)
		if [ $rc != 0 ]; then
			fail cow-real-uml "uml_moo: status $rc: $(head -c 200 "$d/err")"
		elif ! cmp -s "$d/our.img" "$d/deb.img"; then
			fail cow-real-uml "the merge differs from Debian's uml_moo's"
		elif [ $fsck != 0 ]; then
			fail cow-real-uml "e2fsck -fn: status $fsck"
			note "$d/fsck"
		elif [ "$got" != "hello from uml" ]; then
			fail cow-real-uml "/hello.txt in the merge: '$got'"
		else
			pass cow-real-uml
		fi
	fi
fi

# --- errors: the same messages and statuses as Debian's ---------------------
d=$W/err
mkdir -p "$d"
truncate -s 1024000 "$d/base.img"
touch -d @1000000000 "$d/base.img"
"$MKCOW" "$d/a.cow" "$d/base.img"
cp "$d/base.img" "$d/other.img"
cp "$d/base.img" "$d/big.img"
truncate -s 1024512 "$d/big.img"
touch -d @1000000000 "$d/big.img"
head -c 100 "$d/a.cow" > "$d/short.cow"
if [ $have_deb = 1 ]; then
	why=
	n=0
	for args in "" "a.cow" "-d" "-b" "-b base.img" "-d a.cow extra" \
		"a.cow out.img extra" "missing.cow out.img" \
		"-b missing.img a.cow out.img" "-b other.img a.cow out.img" \
		"-b big.img a.cow out.img" "base.img out.img" \
		"short.cow out.img" "a.cow /nonexistent/out.img" \
		"-b base.img -d a.cow" "-d -b other.img a.cow"; do
		n=$((n + 1))
		# Debian's tool crashes on a lone -d: only ours is run there.
		if [ "$args" = "-d" ]; then
			# shellcheck disable=SC2086
			(cd "$d" && "$MOO" $args > /dev/null 2>&1)
			[ $? = 1 ] || why="${why:+$why; }'uml_moo -d' is not a usage error"
			continue
		fi
		# shellcheck disable=SC2086
		(cd "$d" && "$DEB_MOO" $args > "$d/$n.deb" 2>&1; echo "status $?" >> "$d/$n.deb")
		rm -f "$d/out.img"
		# shellcheck disable=SC2086
		(cd "$d" && "$MOO" $args > "$d/$n.our" 2>&1; echo "status $?" >> "$d/$n.our")
		rm -f "$d/out.img"
		sed -i "s|$DEB_MOO|TOOL|g; s|$MOO|TOOL|g" "$d/$n.deb" "$d/$n.our"
		if ! cmp -s "$d/$n.deb" "$d/$n.our"; then
			why="${why:+$why; }'uml_moo $args' differs"
			diff "$d/$n.deb" "$d/$n.our" >&2
		fi
	done
	# -b names a file whose mtime differs: refused.
	touch -d @1000000001 "$d/other.img"
	(cd "$d" && "$DEB_MOO" -b other.img a.cow out.img > "$d/m.deb" 2>&1)
	(cd "$d" && "$MOO" -b other.img a.cow out.img > "$d/m.our" 2>&1)
	rc=$?
	if [ $rc != 1 ] || ! cmp -s "$d/m.deb" "$d/m.our"; then
		why="${why:+$why; }mtime mismatch: status $rc, $(cat "$d/m.our")"
	fi
	if [ -z "$why" ]; then
		pass cow-moo-errors
	else
		fail cow-moo-errors "$why"
	fi
else
	skip cow-moo-errors "uml-utilities not installed"
fi

# --- fuzz: hostile headers, under ASan if it builds -------------------------
d=$W/fuzz
mkdir -p "$d"
fmoo=$MOO
if gcc -std=gnu17 -O1 -g -D_GNU_SOURCE -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -I"$TOP/tools/lib" -o "$d/moo-asan" \
	"$TOP"/tools/uml_moo/*.c "$TOP"/tools/lib/*.c > "$d/cc.log" 2>&1; then
	fmoo=$d/moo-asan
fi
truncate -s 65536 "$d/base.img"
touch -d @1000000000 "$d/base.img"
python3 - "$d" <<'EOF'
import random, struct, sys
d = sys.argv[1]
r = random.Random(4242)
base = (d + "/base.img").encode()
def rnd32():
    return r.choice([0, 1, 2, 3, 511, 512, 513, 4096, 0x80000000,
                     0xffffffff, r.getrandbits(32)])
def rnd64():
    return r.choice([0, 65536, 65535, 1 << 63, (1 << 64) - 1,
                     r.getrandbits(64), r.getrandbits(20)])
for i in range(300):
    v = r.choice([1, 2, 3, 3, 3, 4, 0])
    be = v != 1 and r.random() < 0.8
    o = ">" if be else "<"
    h = struct.pack(o + "II", 0x4F4F4F4D, v)
    path = base if r.random() < 0.7 else bytes(r.getrandbits(8) for _ in range(r.randrange(300)))
    mt = 1000000000 if r.random() < 0.7 else rnd32()
    size = 65536 if r.random() < 0.6 else rnd64()
    if v == 1:
        h += path[:255].ljust(256, b"\0") + struct.pack("<IQI", mt, size, rnd32())
    elif v == 2:
        h += path[:4095].ljust(4096, b"\0") + struct.pack(">IQI", mt, size, rnd32())
    elif r.random() < 0.3:
        h += struct.pack(">QQIII", mt, size, rnd32(), rnd32(), 0) + path[:4095].ljust(4100, b"\0")
    else:
        h += struct.pack(">IQIII", mt, size, rnd32(), rnd32(), 0) + path[:4095].ljust(4096, b"\0")
    h = bytearray(h)
    for _ in range(r.randrange(4)):
        h[r.randrange(len(h))] = r.getrandbits(8)
    if r.random() < 0.3:
        h = h[:r.randrange(len(h) + 1)]
    tail = bytes(r.getrandbits(8) for _ in range(r.choice([0, 100, 9000])))
    open("%s/f%03d.cow" % (d, i), "wb").write(bytes(h) + tail)
EOF
why=
for f in "$d"/f*.cow; do
	ASAN_OPTIONS=exitcode=99:detect_leaks=0 UBSAN_OPTIONS=exitcode=99 \
		timeout 10 "$fmoo" "$f" "$d/out.img" > "$d/out" 2> "$d/errout"
	rc=$?
	if [ $rc != 0 ] && [ $rc != 1 ]; then
		why="$(basename "$f"): status $rc"
		cat "$d/errout" >&2
		break
	fi
	ASAN_OPTIONS=exitcode=99:detect_leaks=0 UBSAN_OPTIONS=exitcode=99 \
		timeout 10 "$fmoo" -d -b "$d/base.img" "$f" > "$d/out" 2> "$d/errout"
	rc=$?
	if [ $rc != 0 ] && [ $rc != 1 ]; then
		why="-d $(basename "$f"): status $rc"
		cat "$d/errout" >&2
		break
	fi
	rm -f "$d/base.img"
	truncate -s 65536 "$d/base.img"
	touch -d @1000000000 "$d/base.img"
done
if [ -z "$why" ]; then
	pass "cow-fuzz$([ "$fmoo" = "$MOO" ] || echo -asan)"
else
	fail cow-fuzz "$why"
fi
exit 0
