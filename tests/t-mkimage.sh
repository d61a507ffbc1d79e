# build/uml_mkimage, the Debian image builder: bad options refused with
# status 2 and no file touched; a bookworm image (debootstrap, cached under
# build/debian) that e2fsck finds clean, sparse, with the system files the
# HowTo says to edit: hostname, fstab on /dev/ubda, a getty on the console
# (tty0), root's password.
# timeout: 900
. "$TESTS/lib.sh"

MKIMAGE=$BUILD/uml_mkimage
W=$SCRATCH/w
mkdir -p "$W"
if [ ! -x "$MKIMAGE" ]; then
	fail mkimage "build/uml_mkimage was not built"
	exit 0
fi

# --- bad input: status 2, one line, nothing created or changed --------------
bad=0
for args in "-s 12Q $W/a.img" "--bogus $W/a.img" "--init upstart $W/a.img" \
	"-H bad_host! $W/a.img" "-p pkg;rm $W/a.img" "--no-root-password"; do
	# shellcheck disable=SC2086
	"$MKIMAGE" --no-root-password $args > "$W/out" 2> "$W/err" < /dev/null
	rc=$?
	if [ "$rc" != 2 ] || [ -e "$W/a.img" ] || [ "$(wc -l < "$W/err")" -gt 1 ]; then
		fail mkimage-badargs "'$args' gave status $rc: $(head -1 "$W/err")"
		bad=1
	fi
done
echo keep > "$W/exists.img"
"$MKIMAGE" --no-root-password "$W/exists.img" > /dev/null 2> "$W/err" < /dev/null
rc=$?
if [ "$rc" != 2 ] || [ "$(cat "$W/exists.img")" != keep ] ||
	! grep -q "exists" "$W/err"; then
	fail mkimage-badargs "an existing image was not refused (status $rc)"
	bad=1
fi
"$MKIMAGE" "$W/pw.img" > /dev/null 2> "$W/err" < /dev/null
if [ $? != 2 ] || [ -e "$W/pw.img" ] || ! grep -q "password" "$W/err"; then
	fail mkimage-badargs "no password and no terminal was not refused"
	bad=1
fi
[ "$bad" = 0 ] && pass mkimage-badargs

# --- a real image ----------------------------------------------------------
if ! command -v debootstrap > /dev/null && [ ! -x /usr/sbin/debootstrap ]; then
	skip mkimage-debian "debootstrap is not installed (scripts/deps.sh)"
	exit 0
fi
if ! debian_image; then
	fail mkimage-debian "uml_mkimage failed: $(tail -3 "$BUILD/debian/mkimage.log" | tr '\n' ' ')"
	exit 0
fi
img=$DEBIAN_IMAGE
dbg() { /sbin/debugfs -R "$1" "$img" 2> /dev/null; }
why=
e2fsck -fn "$img" > "$W/fsck" 2>&1 || why="e2fsck is not clean: $(tail -1 "$W/fsck")"
[ -z "$why" ] && [ "$(dbg 'cat /etc/hostname')" != uml-debian ] &&
	why="hostname is '$(dbg 'cat /etc/hostname')'"
[ -z "$why" ] && ! dbg 'cat /etc/fstab' | grep -q '^/dev/ubda[[:space:]]*/[[:space:]]*ext4' &&
	why="no /dev/ubda root in fstab"
[ -z "$why" ] && ! dbg 'cat /etc/inittab' | grep -q '^0:.*getty.* tty0' &&
	why="no getty on tty0 in inittab"
[ -z "$why" ] && ! dbg 'cat /etc/shadow' | grep -q '^root::' &&
	why="root has a password despite --no-root-password"
[ -z "$why" ] && ! dbg 'stat /usr/bin/python3' | grep -q 'Type: \(regular\|symlink\)' &&
	why="python3 (from -p) is not in the image"
[ -z "$why" ] && ! dbg 'stat /usr/bin/passwd' | grep -q 'User: *0 *Group: *0' &&
	why="/usr/bin/passwd is not owned by root"
used=$(du -k "$img" | cut -f1)
[ -z "$why" ] && [ "$used" -ge $((4 * 1024 * 1024)) ] &&
	why="the image is not sparse ($used KiB used)"
if [ -n "$why" ]; then
	fail mkimage-debian "$why"
else
	pass mkimage-debian
fi
