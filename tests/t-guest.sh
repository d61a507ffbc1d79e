# Guest conformance: every tests/guest/*.c program (except those with a test
# of their own) runs natively first (on a pty if it needs a terminal) (Linux is the oracle: a program failing
# there is SKIPped, not hidden), then inside our kernel with mem=32M; its
# output must end with PASS.
# timeout: 400
. "$TESTS/lib.sh"

# verdict NAME LOG PROG: PASS or FAIL from PROG's output in LOG.
verdict()
{
	why=$(guest_verdict "$2" "$3")
	if [ -z "$why" ]; then
		pass "$1"
	else
		fail "$1" "$why"
		note "$2"
	fi
}

# Programs that have a test of their own (t-escape.sh, t-commit.sh, t-ubd.sh,
# t-sysfuzz.sh).
own="escape commit sysfuzz blkdev"
count=0

for src in "$TESTS"/guest/*.c; do
	[ -e "$src" ] || continue
	prog=$(basename "$src" .c)
	case " $own " in *" $prog "*) continue ;; esac
	name=guest-$prog
	count=$((count + 1))
	if [ ! -x "$GUEST_BIN/$prog" ]; then
		fail "$name" "did not compile (see $GUEST_BIN/$prog.log)"
		continue
	fi
	dir=$SCRATCH/$prog
	mkdir -p "$dir/native"
	chmod 1777 "$dir/native"
	tty=
	pty=
	if needs_tty "$src"; then
		tty=tty
		pty="python3 $TESTS/ptyrun.py"
	fi
	( cd "$dir/native" && timeout -k 2 30 $pty $RUNAS "$GUEST_BIN/$prog" ) \
		> "$dir/native.out" 2>&1 < /dev/null
	rc=$?
	last=$(grep -v '^$' "$dir/native.out" | tail -n 1)
	if [ $rc != 0 ] || [ "$last" != PASS ]; then
		skip "$name" "fails natively ($(rc_text $rc), last line '$last'): fix the test"
		continue
	fi
	have_kernel "$name" || continue
	if ! guest_image "$dir/root" "$dir/initrd.gz" "$prog" "" $tty; then
		fail "$name" "cannot build the image"
		continue
	fi
	boot${tty:+_pty} 30 "$dir/log" mem=32M initrd="$dir/initrd.gz"
	verdict "$name" "$dir/log" "$prog"
done
[ $count = 0 ] && skip guest "no programs in tests/guest/ yet"

# The same kernel pinned to one host CPU, where every hand-over between a
# guest thread and its kernel thread is a host context switch: the
# programs that lean hardest on hand-overs (interrupts, threads, futexes,
# fork, exec).
for prog in process signals timers mmap patch; do
	dir=$SCRATCH/$prog
	[ -f "$dir/initrd.gz" ] || continue
	run_group 60 "$dir/log-1cpu" "$dir/log-1cpu" taskset -c 0 \
		$RUNAS "$KERNEL" mem=32M initrd="$dir/initrd.gz"
	verdict "guest-$prog-1cpu" "$dir/log-1cpu" "$prog"
done

# The other way of waiting (UML_WAIT=pause, kept to compare with) must
# stay correct too.
dir=$SCRATCH/process
if [ -f "$dir/initrd.gz" ]; then
	run_group 60 "$dir/log-pause" "$dir/log-pause" $RUNAS \
		env UML_WAIT=pause "$KERNEL" mem=32M initrd="$dir/initrd.gz"
	verdict guest-process-pause "$dir/log-pause" process
fi

# System call sites rewritten to skip the trap (platform/systrap/patch.c):
# patch.c's seven sites all are; with UML_PATCH=0 none is, and all still
# works.
dir=$SCRATCH/patch
if [ -f "$dir/initrd.gz" ]; then
	got=$(sed -n 's/^patched sites: \([0-9]*\).*/\1/p' "$dir/log" | tail -n 1)
	if [ "$got" = 7 ]; then
		pass guest-patch-engaged
	else
		fail guest-patch-engaged "patched sites: '$got', want 7"
	fi
	run_group 60 "$dir/log-off" "$dir/log-off" $RUNAS \
		env UML_PATCH=0 "$KERNEL" mem=32M initrd="$dir/initrd.gz"
	verdict guest-patch-off "$dir/log-off" patch
	if ! grep -q '^patched sites: 0' "$dir/log-off"; then
		fail guest-patch-off-none "UML_PATCH=0 still rewrote sites"
	else
		pass guest-patch-off-none
	fi
fi
exit 0
