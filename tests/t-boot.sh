# The default image boots: its /init is replaced by one that prints a marker
# and powers off. The kernel must exit 0 and log the usual boot lines.
# timeout: 60
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
