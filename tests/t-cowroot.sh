# COW files under an ext4 root, as the HowTo uses them: boot
# ubd0=a.cow,base.img, change files, halt; base.img's checksum is
# unchanged; boot again with the COW file alone and see the changes; two
# instances with their own COW files over one backing image run at the same
# time; uml_moo merges, and the merged image passes e2fsck and holds the
# changes.
# timeout: 300
. "$TESTS/lib.sh"

have_kernel cowroot || exit 0
W=$SCRATCH/w
tree=$W/tree
mkdir -p "$W"
rootfs_busybox "$tree" || { fail cowroot "cannot build the tree"; exit 0; }
mkdir -p "$tree/data"
echo base > "$tree/data/base"
# The kernel passes name=value words of its command line to init's
# environment: STEP says what this boot does, TAG names the instance.
cat > "$tree/init" <<'EOT'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
export PATH
mount -t proc proc /proc
mount -o remount,rw / || echo REMOUNT-FAILED
case $STEP in
write)
	echo "READY $TAG"
	sleep 2
	echo "written by $TAG" > "/data/$TAG"
	rm /data/base
	;;
read)
	echo "READ $(cat /data/$TAG 2>/dev/null) BASE $(cat /data/base 2>/dev/null || echo gone)"
	;;
esac
sync
poweroff -f
EOT
chmod 755 "$tree/init"
base=$W/base.img
if ! mkrootfs_ext4 "$tree" "$base" 32M; then
	fail cowroot "cannot make the ext4 image"
	exit 0
fi
chmod 644 "$base"
chmod 777 "$W"
sum0=$(sha256sum < "$base")
kboot()	# LOG ARGS...
{
	_l=$1
	shift
	boot 60 "$_l" mem=64M root=/dev/ubda init=/init "$@"
}
line() { tr -d '\r' < "$1" | grep "^$2" | head -n 1; }

# --- change files through a COW, the backing image untouched ----------------
kboot "$W/a1.log" ubd0="$W/a.cow,$base" STEP=write TAG=A
why=
[ "$BOOT_RC" = 0 ] || why="the first boot ended with $(rc_text "$BOOT_RC")"
[ -z "$why" ] && [ ! -s "$W/a.cow" ] && why="no COW file was made"
[ -z "$why" ] && [ "$(sha256sum < "$base")" != "$sum0" ] &&
	why="base.img changed"
kboot "$W/a2.log" ubd0="$W/a.cow" STEP=read TAG=A
[ -z "$why" ] && [ "$(line "$W/a2.log" READ)" != "READ written by A BASE gone" ] &&
	why="the second boot with the COW alone read '$(line "$W/a2.log" READ)'"
if [ -z "$why" ]; then
	pass cowroot-changes
else
	fail cowroot-changes "$why"
	note "$W/a1.log"
fi

# --- two instances over one backing image at once ---------------------------
( kboot "$W/b.log" ubd0="$W/b.cow,$base" STEP=write TAG=B; echo "$BOOT_RC" > "$W/b.rc" ) &
for _ in $(seq 1 150); do
	grep -q '^READY B' "$W/b.log" 2> /dev/null && break
	sleep 0.2
done
( kboot "$W/c.log" ubd0="$W/c.cow,$base" STEP=write TAG=C; echo "$BOOT_RC" > "$W/c.rc" ) &
for _ in $(seq 1 150); do
	grep -q '^READY C' "$W/c.log" 2> /dev/null && break
	sleep 0.2
done
# B sleeps 2 s after READY: it must still be running when C is ready.
overlap=no
[ ! -e "$W/b.rc" ] && grep -q '^READY C' "$W/c.log" 2> /dev/null && overlap=yes
wait
kboot "$W/b2.log" ubd0="$W/b.cow" STEP=read TAG=B
kboot "$W/c2.log" ubd0="$W/c.cow" STEP=read TAG=C
why=
[ "$overlap" = yes ] || why="the two instances did not run at the same time"
[ -z "$why" ] && [ "$(cat "$W/b.rc")" != 0 ] && why="instance B: $(rc_text "$(cat "$W/b.rc")")"
[ -z "$why" ] && [ "$(cat "$W/c.rc")" != 0 ] && why="instance C: $(rc_text "$(cat "$W/c.rc")")"
[ -z "$why" ] && [ "$(line "$W/b2.log" READ)" != "READ written by B BASE gone" ] &&
	why="B's COW reads '$(line "$W/b2.log" READ)'"
[ -z "$why" ] && [ "$(line "$W/c2.log" READ)" != "READ written by C BASE gone" ] &&
	why="C's COW reads '$(line "$W/c2.log" READ)'"
[ -z "$why" ] && [ "$(sha256sum < "$base")" != "$sum0" ] && why="base.img changed"
if [ -z "$why" ]; then
	pass cowroot-two-instances
else
	fail cowroot-two-instances "$why"
fi

# --- uml_moo: the merged image is clean and holds A's changes ---------------
why=
if ! "$BUILD/uml_moo" "$W/a.cow" "$W/merged.img" > "$W/moo.log" 2>&1; then
	why="uml_moo failed: $(tail -1 "$W/moo.log")"
elif ! e2fsck -fn "$W/merged.img" > "$W/fsck.log" 2>&1; then
	why="e2fsck: $(tail -1 "$W/fsck.log")"
elif [ "$(debugfs -R 'cat /data/A' "$W/merged.img" 2> /dev/null)" != "written by A" ]; then
	why="the merged image does not hold /data/A"
elif debugfs -R 'stat /data/base' "$W/merged.img" 2>&1 | grep -q 'Inode:'; then
	why="the merged image still has /data/base"
elif [ "$(sha256sum < "$base")" != "$sum0" ]; then
	why="base.img changed"
fi
if [ -z "$why" ]; then
	pass cowroot-moo
else
	fail cowroot-moo "$why"
fi
