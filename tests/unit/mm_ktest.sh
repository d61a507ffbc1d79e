#!/bin/sh
# Builds and runs tests/unit/mm_ktest.c: mm/ against the real systrap
# platform, with the host's /proc/PID/maps as the oracle.
# Usage: tests/unit/mm_ktest.sh [BUILD]   (after `make`, which may fail to link)
set -e
B=${1:-build}
CC=${CC:-gcc}
GCCINC=$($CC -print-file-name=include)
KFLAGS="-std=gnu17 -O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare
	-nostdinc -isystem $GCCINC -I$B/uapi -Iinclude -I$B/gen -ffreestanding
	-fbuiltin -D__KERNEL_SIDE__ -fno-common"
$CC $KFLAGS -c tests/unit/mm_ktest.c -o $B/mm_ktest.o
OBJS="$B/obj/mm/*.o $B/obj/lib/string.o $B/obj/platform/systrap/*.o"
for o in $B/obj/os/*.o; do
	[ "$o" = "$B/obj/os/main.o" ] || OBJS="$OBJS $o"
done
$CC -pthread -o $B/mm_ktest $B/mm_ktest.o $OBJS $B/obj/stub_blob.o -lz
exec $B/mm_ktest
