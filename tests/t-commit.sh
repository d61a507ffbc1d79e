# mem=32M is a limit: tests/guest/commit.c asks for 100 MB (one mapping, brk,
# touched 1 MB chunks) and must be refused. Guest only: natively the host
# has the memory.
# timeout: 60
. "$TESTS/lib.sh"

if [ ! -x "$GUEST_BIN/commit" ]; then
	fail commit "tests/guest/commit.c did not compile"
	exit 0
fi
have_kernel commit || exit 0
guest_image "$SCRATCH/root" "$SCRATCH/initrd.gz" commit "" ||
	{ fail commit "cannot build the image"; exit 0; }
boot 45 "$SCRATCH/log" mem=32M initrd="$SCRATCH/initrd.gz"
why=$(guest_verdict "$SCRATCH/log" commit)
if [ -z "$why" ]; then
	pass commit
else
	fail commit "$why"
	note "$SCRATCH/log"
fi
