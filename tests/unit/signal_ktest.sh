#!/bin/sh
# Builds and runs tests/unit/signal_ktest.c: the signal code against the
# real systrap platform and a real guest (signal_kguest.c).
# Usage: tests/unit/signal_ktest.sh [BUILD]   (after `make`, which may fail to link)
set -e
B=${1:-build}
CC=${CC:-gcc}
GCCINC=$($CC -print-file-name=include)
KFLAGS="-std=gnu17 -O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare
	-nostdinc -isystem $GCCINC -I$B/uapi -Iinclude -I$B/gen -ffreestanding
	-fbuiltin -D__KERNEL_SIDE__ -fno-common"
$CC $KFLAGS -c tests/unit/signal_ktest.c -o $B/signal_ktest.o
$CC -static -nostdlib -O2 -fno-stack-protector -o $B/signal_kguest \
	tests/unit/signal_kguest.c
OBJS="$B/obj/kernel/signal.o $B/obj/kernel/sigcalls.o $B/obj/arch/x86/signal.o
	$B/obj/lib/string.o $B/obj/platform/systrap/*.o"
for o in $B/obj/os/*.o; do
	[ "$o" = "$B/obj/os/main.o" ] || OBJS="$OBJS $o"
done
$CC -pthread -o $B/signal_ktest $B/signal_ktest.o $OBJS $B/obj/stub_blob.o -lz
exec $B/signal_ktest $B/signal_kguest
