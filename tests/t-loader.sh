# The ELF loader with the cases busybox does not exercise: dynamic PIE and
# non-PIE programs through the host's own ld.so and libc, a static PIE, ld.so
# run as a program, "#!" scripts with an argument, and a program its user
# may execute but not read.
# timeout: 120
. "$TESTS/lib.sh"

have_kernel loader || exit 0
src=$TESTS/loader/loader.c
bin=$SCRATCH/bin
mkdir -p "$bin"
gcc -O2 -pthread -fPIE -pie -o "$bin/dyn_pie" "$src" &&
gcc -O2 -pthread -no-pie -o "$bin/dyn_nopie" "$src" &&
gcc -O2 -pthread -static-pie -o "$bin/static_pie" "$src" ||
	{ fail loader "cannot build tests/loader/loader.c"; exit 0; }
for p in dyn_pie dyn_nopie static_pie; do
	out=$(LOADER_TEST=yes "$bin/$p" 2>&1)
	if [ "$out" != PASS ]; then
		skip "loader-$p" "fails natively: $out"
	fi
done

root=$SCRATCH/root
mkdir -p "$root/bin" "$root/tmp" "$root/lib64" "$root/lib/x86_64-linux-gnu" \
	"$root/sbin" "$root/proc" "$root/sys" "$root/dev"
cp "$bin"/* "$root/bin/"
cp /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
cp /lib/x86_64-linux-gnu/libc.so.6 "$root/lib/x86_64-linux-gnu/"
cp /bin/busybox "$root/bin/busybox"
for a in sh echo chmod cat poweroff sed; do ln -sf busybox "$root/bin/$a"; done
printf '#!/bin/sh -e\necho "script args: $0 $*"\n' > "$root/bin/script"
chmod 755 "$root/bin/script"
cp "$bin/static_pie" "$root/bin/execonly"
chmod 0711 "$root/bin/execonly"
cat > "$root/init" <<'EOT'
#!/bin/sh
export PATH=/bin LOADER_TEST=yes
for p in dyn_pie dyn_nopie static_pie; do
	echo "=== $p: $(/bin/$p 2>&1)"
done
echo "=== ldso: $(/lib64/ld-linux-x86-64.so.2 /bin/dyn_pie 2>&1)"
echo "=== script: $(/bin/script one two)"
echo "=== execonly: $(/bin/static_pie --exec-as-nobody /bin/execonly 2>&1)"
poweroff -f
EOT
chmod 755 "$root/init"
mkimage "$root" "$SCRATCH/initrd.gz" || { fail loader "cannot build the image"; exit 0; }
boot 60 "$SCRATCH/log" mem=32M initrd="$SCRATCH/initrd.gz"

check()
{
	got=$(tr -d '\r' < "$SCRATCH/log" | sed -n "s/^=== $1: //p")
	if [ "$got" = "$2" ]; then
		pass "loader-$1"
	else
		fail "loader-$1" "expected '$2', got '$got' ($(rc_text "$BOOT_RC"))"
	fi
}
check dyn_pie PASS
check dyn_nopie PASS
check static_pie PASS
check ldso PASS
check script "script args: /bin/script one two"
check execonly PASS
