# Bad input on the command line or in the initrd: one line on stderr naming
# the problem, exit status 2, no file created anywhere the kernel could
# write (its cwd, HOME, TMPDIR). Also --version and --help.
# timeout: 100
. "$TESTS/lib.sh"

good=$SCRATCH/good.gz
img=$SCRATCH/root
mkdir -p "$img"
printf '#!/bin/sh\npoweroff -f\n' > "$img/init"
mkimage "$img" "$good" || { fail badinput "cannot build the image"; exit 0; }
zcat "$good" > "$SCRATCH/good.cpio"

# Corrupt images.
python3 - "$SCRATCH" <<'EOT'
import random, sys, gzip
d = sys.argv[1]
rnd = random.Random(1234)
open(d + "/random.img", "wb").write(bytes(rnd.randrange(256) for _ in range(65536)))
gz = open(d + "/good.gz", "rb").read()
open(d + "/truncated.gz", "wb").write(gz[:len(gz) // 2])
cpio = bytearray(open(d + "/good.cpio", "rb").read())
# The third entry's header: its file size field becomes non-hex.
off = 0
for _ in range(2):
    namesize = int(cpio[off + 94:off + 102], 16)
    filesize = int(cpio[off + 54:off + 62], 16)
    off = (off + 110 + namesize + 3) & ~3
    off = (off + filesize + 3) & ~3
assert cpio[off:off + 6] == b"070701"
cpio[off + 54:off + 62] = b"zzzzzzzz"
open(d + "/badheader.cpio", "wb").write(cpio)
open(d + "/badheader.gz", "wb").write(gzip.compress(bytes(cpio), mtime=0))
# A header that claims more data than the archive holds.
cpio = bytearray(open(d + "/good.cpio", "rb").read())
cpio[54:62] = b"7fffffff"
open(d + "/hugesize.cpio", "wb").write(cpio)
open(d + "/empty.img", "wb").close()
EOT

run=$SCRATCH/run

# bad NAME EXPECT ARG...: the kernel with ARG... must fail as described;
# EXPECT is a fixed string its stderr line must contain.
bad()
{
	_name=badinput-$1
	_expect=$2
	shift 2
	if ! have_kernel "$_name"; then
		return
	fi
	rm -rf "$run"
	mkdir -p "$run"
	chmod 1777 "$run"
	( SCRATCH=$run && cd "$run" &&
	  run_group 5 "$SCRATCH/../out" "$SCRATCH/../err" $RUNAS "$KERNEL" "$@" &&
	  exit $RUN_RC )
	_rc=$?
	_lines=$(wc -l < "$SCRATCH/err")
	_files=$(cd "$run" && find . -mindepth 1 ! -path ./home ! -path ./tmp | head -n 3 | tr '\n' ' ')
	if [ $_rc != 2 ]; then
		fail "$_name" "$(rc_text $_rc), expected 2 (stderr: $(head -c 200 "$SCRATCH/err" | tr '\n' '|'))"
	elif [ "$_lines" != 1 ] || [ -n "$(tail -c 1 "$SCRATCH/err")" ]; then
		fail "$_name" "expected one line on stderr, got $_lines: $(head -c 200 "$SCRATCH/err" | tr '\n' '|')"
	elif ! grep -qF -e "$_expect" "$SCRATCH/err"; then
		fail "$_name" "stderr does not mention '$_expect': $(head -c 200 "$SCRATCH/err")"
	elif [ -s "$SCRATCH/out" ]; then
		fail "$_name" "wrote to stdout: $(head -c 100 "$SCRATCH/out" | tr '\n' '|')"
	elif [ -n "$_files" ]; then
		fail "$_name" "created files: $_files"
	else
		pass "$_name"
	fi
}

bad unknown-option frobnicate=1 mem=32M initrd="$good" frobnicate=1
bad unknown-word frobnicate mem=32M initrd="$good" frobnicate
bad mem-suffix mem=12Q mem=12Q initrd="$good"
bad mem-empty "mem=" mem= initrd="$good"
bad mem-negative mem=-1M mem=-1M initrd="$good"
bad mem-overflow mem=99999999999999999999G mem=99999999999999999999G initrd="$good"
bad initrd-missing "$SCRATCH/nonexistent.gz" mem=32M initrd="$SCRATCH/nonexistent.gz"
bad initrd-empty-name "initrd=" mem=32M initrd=
bad initrd-directory "$SCRATCH" mem=32M initrd="$SCRATCH"
bad initrd-empty-file "$SCRATCH/empty.img" mem=32M initrd="$SCRATCH/empty.img"
bad initrd-random "$SCRATCH/random.img" mem=32M initrd="$SCRATCH/random.img"
bad initrd-truncated-gz "$SCRATCH/truncated.gz" mem=32M initrd="$SCRATCH/truncated.gz"
bad initrd-bad-header "$SCRATCH/badheader.cpio" mem=32M initrd="$SCRATCH/badheader.cpio"
bad initrd-bad-header-gz "$SCRATCH/badheader.gz" mem=32M initrd="$SCRATCH/badheader.gz"
bad initrd-huge-size "$SCRATCH/hugesize.cpio" mem=32M initrd="$SCRATCH/hugesize.cpio"
bad ubd-bad-flag "flag letter" mem=32M initrd="$good" ubd0x=x
bad ubd-range "out of range" mem=32M initrd="$good" ubd16=x
bad ubd-letter-range "out of range" mem=32M initrd="$good" ubdq=x
bad ubd-number "parse device number" mem=32M initrd="$good" ubd-1=x
bad ubd-global "expected 'sync'" mem=32M initrd="$good" ubd=x
bad ubd-no-equals "Missing '='" mem=32M initrd="$good" ubd0r
bad ubd-too-many-flags "Too many flags" mem=32M initrd="$good" ubd0rrrrrrr=x
bad ubd-no-file "Missing file name" mem=32M initrd="$good" ubd0=
bad ubd-d-and-cow "both 'd' and a cow file" mem=32M initrd="$good" ubd0d=a.cow,b.img
bad ubd-twice "already configured" mem=32M initrd="$good" ubd0=x ubda=y
bad con-bad-channel con0=bogus:1 mem=32M initrd="$good" con0=bogus:1
bad mconsole-option "mconsole=bogus" mem=32M initrd="$good" mconsole=bogus
bad mconsole-notify-empty "mconsole=notify:" mem=32M initrd="$good" mconsole=notify:
bad umid-dotdot "umid=.." mem=32M initrd="$good" umid=..
bad umid-slash "umid=a/b" mem=32M initrd="$good" umid=a/b
bad uml-dir-empty "uml_dir=" mem=32M initrd="$good" uml_dir=

# --version: one line, status 0. --help: starts with "User Mode Linux v".
if have_kernel version; then
	timeout -k 2 10 $RUNAS "$KERNEL" --version > "$SCRATCH/out" 2> "$SCRATCH/err" < /dev/null
	rc=$?
	if [ $rc = 0 ] && [ "$(wc -l < "$SCRATCH/out")" = 1 ] &&
	   grep -q '^[0-9][0-9.]*' "$SCRATCH/out" && [ ! -s "$SCRATCH/err" ]; then
		pass version
	else
		fail version "$(rc_text $rc), stdout: $(head -c 100 "$SCRATCH/out" | tr '\n' '|')"
	fi
fi
if have_kernel help; then
	timeout -k 2 10 $RUNAS "$KERNEL" --help > "$SCRATCH/out" 2> "$SCRATCH/err" < /dev/null
	rc=$?
	if [ $rc = 0 ] && head -n1 "$SCRATCH/out" | grep -q '^User Mode Linux v' &&
	   grep -q 'mem=' "$SCRATCH/out" && [ ! -s "$SCRATCH/err" ]; then
		pass help
	else
		fail help "$(rc_text $rc), first line: $(head -n1 "$SCRATCH/out")"
	fi
fi
