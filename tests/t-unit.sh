# Unit tests of host-side parts that run without the kernel: each
# tests/unit/NAME_test.c is linked with the host objects (os/, the systrap
# platform, the stub) and run as the unprivileged user; NAME_guest.c, if
# present, is built as a freestanding static guest and passed as argv[1].
# The program prints PASS or FAIL: reason as its last line.
# timeout: 120
. "$TESTS/lib.sh"

objs=$(ls "$BUILD"/obj/platform/systrap/*.o "$BUILD"/obj/os/*.o \
	"$BUILD"/obj/stub_blob.o 2>/dev/null | grep -v '/os/main\.o$')
# Objects of a sanitizer build (make SAN=...) need its run-time libraries.
san=
# shellcheck disable=SC2086
undef=$(nm -u $objs 2>/dev/null)
case $undef in *__asan_*) san=address ;; esac
case $undef in *__ubsan_*) san=${san:+$san,}undefined ;; esac
[ -n "$san" ] && san=-fsanitize=$san
for src in "$TESTS"/unit/*_test.c; do
	[ -e "$src" ] || continue
	unit=$(basename "$src" _test.c)
	name=unit-$unit
	dir=$SCRATCH/$unit
	mkdir -p "$dir"
	if [ ! -f "$BUILD/obj/stub_blob.o" ]; then
		fail "$name" "the host objects did not build"
		continue
	fi
	guest=
	if [ -f "$TESTS/unit/${unit}_guest.c" ]; then
		guest=$dir/guest
		if ! gcc -static -nostdlib -O2 -fno-stack-protector \
			-o "$guest" "$TESTS/unit/${unit}_guest.c" > "$dir/cc.log" 2>&1; then
			fail "$name" "the guest did not compile: $(grep -m1 error "$dir/cc.log")"
			continue
		fi
	fi
	# shellcheck disable=SC2086
	if ! gcc -std=gnu17 -O2 -g -Wall -I"$TESTS/../include" -D_GNU_SOURCE -pthread $san \
		-o "$dir/test" "$src" $objs -lz > "$dir/cc.log" 2>&1; then
		fail "$name" "did not link: $(grep -m1 -e error -e undefined "$dir/cc.log")"
		continue
	fi
	chmod -R a+rX "$dir"
	timeout -k 2 30 $RUNAS "$dir/test" $guest > "$dir/out" 2>&1 < /dev/null
	rc=$?
	last=$(grep -v '^$' "$dir/out" | tail -n 1)
	if [ $rc = 0 ] && [ "$last" = PASS ]; then
		pass "$name"
	else
		fail "$name" "$(rc_text $rc), last line '$last'"
		note "$dir/out"
	fi
done
exit 0
