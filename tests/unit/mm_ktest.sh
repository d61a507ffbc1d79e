#!/bin/sh
# Builds and runs tests/unit/mm_ktest.c: mm/ against the real systrap
# platform, with the host's /proc/PID/maps as the oracle.
# Usage: tests/unit/mm_ktest.sh [BUILD]   (after `make`; SAN="-fsanitize=..." as
# given to make for a sanitizer build)
set -e
B=${1:-build}
CC=${CC:-gcc}
GCCINC=$($CC -print-file-name=include)
KFLAGS="$SAN -std=gnu17 -O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare
	-nostdinc -isystem $GCCINC -I$B/uapi -Iinclude -I$B/gen -ffreestanding
	-fbuiltin -D__KERNEL_SIDE__ -fno-common"
$CC $KFLAGS -c tests/unit/mm_ktest.c -o $B/mm_ktest.o
# process_vm_access.o needs tasks: tests/guest/mmap.c covers it.
OBJS="$(ls $B/obj/mm/*.o | grep -v process_vm_access) $B/obj/lib/string.o
	$B/obj/platform/systrap/*.o"
for o in $B/obj/os/*.o; do
	[ "$o" = "$B/obj/os/main.o" ] || OBJS="$OBJS $o"
done
$CC $SAN -pthread -o $B/mm_ktest $B/mm_ktest.o $OBJS $B/obj/stub_blob.o -lz
exec $B/mm_ktest
