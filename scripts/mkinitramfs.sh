#!/bin/sh
# scripts/mkinitramfs.sh BUILD_DIR: the default image, BUILD_DIR/initramfs.cpio.gz:
# Debian's busybox-static with a symlink per applet, a small /etc, and /init
# (pseudo filesystems, hostname, then busybox init with a shell on the
# console). Rebuilt only when its inputs change.
set -e

BUILD=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/initramfs-lib.sh"

out=$BUILD/initramfs.cpio.gz
stamp=$BUILD/initramfs.stamp
mkdir -p "$BUILD"

# The inputs: these scripts, the busybox binary, and whether device nodes can
# be made (root).
key=$( { cat "$here/mkinitramfs.sh" "$here/initramfs-lib.sh" "$BUSYBOX";
	 echo "epoch=$IMAGE_EPOCH root=$([ "$(id -u)" = 0 ] && echo y)"; } |
	sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
	exit 0
fi

tree=$BUILD/initramfs-root
rm -rf "$tree"
umask 022
rootfs_busybox "$tree"
rootfs_etc "$tree"
pack_cpio "$tree" "$out"
echo "$key" > "$stamp"
echo "  IMAGE    $out ($(wc -c < "$out") bytes)"
