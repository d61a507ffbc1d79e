#!/bin/sh
# scripts/mkrootfs.sh BUILD_DIR: the default disk image, BUILD_DIR/rootfs.img:
# the same busybox tree as the initramfs (scripts/initramfs-lib.sh) made
# into an ext4 filesystem with mkfs.ext4 -d (no mount, no root needed),
# booted as the HowTo does: linux ubd0=rootfs.img root=/dev/ubda.
# Rebuilt only when its inputs change; a rebuild replaces the changes a
# guest made to the old image.
set -e

BUILD=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/initramfs-lib.sh"

out=$BUILD/rootfs.img
stamp=$BUILD/rootfs.stamp
SIZE=${ROOTFS_SIZE:-256M}
mkdir -p "$BUILD"
PATH=$PATH:/sbin:/usr/sbin

key=$( { cat "$here/mkrootfs.sh" "$here/initramfs-lib.sh" "$BUSYBOX";
	 mkfs.ext4 -V 2>&1 | head -n 1; echo "size=$SIZE"; } |
	sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
	exit 0
fi

tree=$BUILD/rootfs-tree
rm -rf "$tree"
umask 022
rootfs_busybox "$tree"
rootfs_etc "$tree"
# The kernel mounts the disk itself: /init is the initramfs's business.
rm -f "$tree/init"
mkrootfs_ext4 "$tree" "$out.tmp" "$SIZE"
mv "$out.tmp" "$out"
echo "$key" > "$stamp"
echo "  IMAGE    $out ($SIZE, $(du -k "$out" | cut -f1) KiB used)"
