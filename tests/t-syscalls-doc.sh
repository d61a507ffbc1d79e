# docs/syscalls.md is generated (make syscalls-doc); this checks that the
# committed table matches the source and the kernel that was built, so the
# published state of every system call stays true.
# timeout: 60
. "$TESTS/lib.sh"

have_kernel syscalls-doc || exit 0
out=$SCRATCH/syscalls.md
if ! (cd "$TESTS/.." && scripts/syscall-report.sh "$BUILD/uapi/asm/unistd_64.h" \
	"$BUILD/linux") > "$out" 2> "$SCRATCH/syscalls.err"; then
	fail syscalls-doc "the report script failed: $(head -1 "$SCRATCH/syscalls.err")"
elif ! cmp -s "$out" "$TESTS/../docs/syscalls.md"; then
	fail syscalls-doc "docs/syscalls.md is stale: run 'make syscalls-doc' ($(diff "$TESTS/../docs/syscalls.md" "$out" | grep -c '^[<>]') lines differ)"
elif ! grep -q '| 39 | getpid | implemented |' "$out" ||
	! grep -q '| 101 | ptrace | ENOSYS |' "$out"; then
	fail syscalls-doc "the table does not have the expected rows"
else
	pass syscalls-doc
fi
