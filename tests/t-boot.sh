# The default image boots: its /init is replaced by one that prints a marker
# and powers off. The kernel must exit 0 and log the usual boot lines.
# timeout: 90
. "$TESTS/lib.sh"
have_kernel boot || exit 0

img=$SCRATCH/root
mkdir -p "$img"
rootfs_etc "$img"
cat > "$img/init" <<EOT
$INIT_HEAD
echo "boot-marker: \$(uname -s) pid \$\$"
poweroff -f
echo "boot-marker: poweroff returned \$?"
EOT
mkimage "$img" "$SCRATCH/initrd.gz" || { fail boot "cannot build the image"; exit 0; }

boot 30 "$SCRATCH/log" mem=32M initrd="$SCRATCH/initrd.gz"
log=$SCRATCH/log
why=
has_line "$log" 'Linux version [0-9]' || why="no 'Linux version' line"
has_line "$log" 'Kernel command line: .*mem=32M' ||
	why="${why:+$why; }no 'Kernel command line:' line"
has_line "$log" 'Run /init as init process' ||
	why="${why:+$why; }no 'Run /init as init process' line"
has_line "$log" 'boot-marker: Linux pid 1' ||
	why="${why:+$why; }/init did not run as pid 1"
[ "$BOOT_RC" = 0 ] || why="${why:+$why; }$(rc_text "$BOOT_RC")"
if [ -z "$why" ]; then
	pass boot
else
	fail boot "$why"
	note "$log"
fi

# The default image itself (make run's), with init=/bin/sh -c poweroff: it
# must unpack and exec a busybox applet given on the command line.
if [ -f "$DEFAULT_IMAGE" ]; then
	boot 30 "$SCRATCH/log2" mem=32M initrd="$DEFAULT_IMAGE" \
		rdinit=/sbin/poweroff -- -f
	if [ "$BOOT_RC" = 0 ] && has_line "$SCRATCH/log2" 'Run /sbin/poweroff as init process'; then
		pass boot-default-image
	else
		fail boot-default-image "rdinit=/sbin/poweroff -f: $(rc_text "$BOOT_RC")"
		note "$SCRATCH/log2"
	fi
else
	fail boot-default-image "scripts/mkinitramfs.sh failed"
fi

# The default disk (make run's: ubd0=rootfs.img root=/dev/ubda), a copy of
# it: the kernel mounts it read-only, busybox init's rcS remounts it
# read-write, a shell command runs, the image is clean afterwards.
if [ -f "$DEFAULT_DISK" ]; then
	disk=$SCRATCH/disk.img
	cp --sparse=always "$DEFAULT_DISK" "$disk" && chmod 666 "$disk"
	boot 30 "$SCRATCH/log3" mem=32M ubd0="$disk" root=/dev/ubda \
		init=/bin/sh -- -c 'mount -t proc proc /proc && mount -o remount,rw / && echo disk-marker > /marker && poweroff -f'
	why=
	has_line "$SCRATCH/log3" 'VFS: Mounted root (ext4 filesystem) readonly on device 98:0' ||
		why="no 'VFS: Mounted root (ext4 filesystem) readonly' line"
	[ "$BOOT_RC" = 0 ] || why="${why:+$why; }$(rc_text "$BOOT_RC")"
	if [ -z "$why" ] && ! PATH=$PATH:/sbin e2fsck -fn "$disk" > "$SCRATCH/fsck" 2>&1; then
		why="e2fsck -fn is not clean afterwards"
		note "$SCRATCH/fsck"
	fi
	if [ -z "$why" ] && [ "$(PATH=$PATH:/sbin debugfs -R 'cat /marker' "$disk" 2>/dev/null)" != disk-marker ]; then
		why="the file written in the guest is not in the image"
	fi
	if [ -z "$why" ]; then
		pass boot-default-disk
	else
		fail boot-default-disk "$why"
		note "$SCRATCH/log3"
	fi
else
	fail boot-default-disk "scripts/mkrootfs.sh failed"
fi
