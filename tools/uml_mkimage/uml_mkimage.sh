#!/bin/sh
# uml_mkimage: builds a bootable Debian disk image for UML, the way the
# UML HowTo's "Creating an image" section does by hand: a sparse raw
# image, debootstrap, the system files the HowTo says to edit (root
# password, fstab with /dev/ubda, hostname, network interfaces for vec0
# and eth0) and a getty on the console, then mkfs.ext4 -d so that nothing
# needs to be mounted.
#
# As root it runs debootstrap directly. As an ordinary user it runs
# debootstrap's fakechroot variant under fakechroot and fakeroot (the file
# owners are recorded by fakeroot and written into the image by mkfs.ext4
# inside the same fakeroot session).
set -eu

prog=uml_mkimage
size=2G
suite=bookworm
mirror=
variant=minbase
packages=
init=sysvinit
hostname=uml
password=
password_set=0
cache=
force=0

usage()
{
	cat <<USAGE
Usage: $prog [options] IMAGE
Builds a Debian image for UML: IMAGE becomes a sparse raw disk holding an
ext4 filesystem with a debootstrapped Debian, ready to boot with
  linux ubd0=IMAGE root=/dev/ubda

Options:
  -s, --size SIZE        image size (default $size; K, M, G, T suffixes)
  -d, --dist SUITE       Debian suite (default $suite)
  -m, --mirror URL       Debian mirror (default: the host's apt source)
  -p, --packages LIST    extra packages, comma-separated
      --variant NAME     debootstrap variant (default $variant; as an
                         ordinary user always fakechroot)
      --init KIND        sysvinit (default), busybox or none
  -H, --hostname NAME    the guest's hostname (default $hostname)
      --root-password PW root's password (default: ask on the terminal)
      --no-root-password root logs in on the console without a password
  -c, --cache DIR        keep the debootstrapped tree in DIR and reuse it
                         when suite, variant and packages are the same
  -f, --force            overwrite IMAGE if it exists
  -h, --help             this text
USAGE
}

die() { echo "$prog: $*" >&2; exit 2; }
step() { echo "$prog: [$1/5] $2"; }

while [ $# -gt 0 ]; do
	case $1 in
	-s|--size) size=${2?}; shift ;;
	-d|--dist) suite=${2?}; shift ;;
	-m|--mirror) mirror=${2?}; shift ;;
	-p|--packages) packages=${2?}; shift ;;
	--variant) variant=${2?}; shift ;;
	--init) init=${2?}; shift ;;
	-H|--hostname) hostname=${2?}; shift ;;
	--root-password) password=${2?}; password_set=1; shift ;;
	--no-root-password) password=; password_set=2 ;;
	-c|--cache) cache=${2?}; shift ;;
	-f|--force) force=1 ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option '$1' (see $prog --help)" ;;
	*) break ;;
	esac
	shift
done
[ $# -eq 1 ] || die "expected one IMAGE argument, got $# (see $prog --help)"
image=$1

# Check everything before touching any file.
case $size in
*[!0-9KMGTkmgt]*|'' ) die "bad size '$size' (a number with K, M, G or T)" ;;
esac
case $init in sysvinit|busybox|none) ;; *) die "bad --init '$init' (sysvinit, busybox or none)" ;; esac
case $hostname in *[!A-Za-z0-9.-]*|'') die "bad hostname '$hostname'" ;; esac
case $packages in *[!A-Za-z0-9.+,:-]*) die "bad package list '$packages'" ;; esac
[ "$force" = 1 ] || [ ! -e "$image" ] || die "'$image' exists (use -f to overwrite it)"
for t in debootstrap mkfs.ext4; do
	command -v "$t" > /dev/null || PATH=$PATH:/usr/sbin:/sbin
	command -v "$t" > /dev/null ||
		die "$t is missing: install Debian's $( [ "$t" = debootstrap ] && echo debootstrap || echo e2fsprogs) package"
done
root=0
[ "$(id -u)" = 0 ] && root=1
if [ "$root" = 0 ]; then
	command -v fakechroot > /dev/null && command -v fakeroot > /dev/null ||
		die "as an ordinary user this needs fakechroot and fakeroot (Debian packages fakechroot, fakeroot); or run it as root"
	variant=fakechroot
fi
if [ -z "$mirror" ]; then
	# The host's own Debian source, as apt sees it (deb822 or one-line).
	mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*debian\/*\)$/\1/p' | head -1)
	[ -n "$mirror" ] || mirror=$(sed -n 's/^deb[[:space:]]\{1,\}\(http[^[:space:]]*debian\/*\)[[:space:]].*/\1/p' \
		/etc/apt/sources.list 2>/dev/null | head -1)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
fi
if [ "$password_set" = 0 ]; then
	[ -t 0 ] || die "no root password given: use --root-password PW or --no-root-password"
	printf 'root password for the image: '
	stty -echo 2>/dev/null || true
	read -r password
	stty echo 2>/dev/null || true
	echo
	password_set=1
fi

include=
case $init in
sysvinit) include=sysvinit-core ;;
busybox) include=busybox ;;
esac
[ -n "$packages" ] && include=${include:+$include,}$packages

work=$(mktemp -d "${TMPDIR:-/tmp}/$prog.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
fr_state=$work/fakeroot.state

# Runs a command as the image's root: directly, or in the fakeroot session.
as_root()
{
	if [ "$root" = 1 ]; then
		"$@"
	else
		touch "$fr_state"
		fakeroot -i "$fr_state" -s "$fr_state" "$@"
	fi
}

signature="$suite $variant $mirror $include"
tree=$work/tree
if [ -n "$cache" ] && [ -f "$cache/.uml_mkimage" ] &&
	[ "$(cat "$cache/.uml_mkimage")" = "$signature" ]; then
	step 1 "reusing the debootstrapped tree in $cache"
	tree=$cache/tree
	[ "$root" = 1 ] || cp "$cache/fakeroot.state" "$fr_state"
else
	step 1 "debootstrap $suite ($variant${include:+, with $include}) from $mirror"
	mkdir -p "$tree"
	set -- --variant="$variant" ${include:+--include="$include"} "$suite" "$tree" "$mirror"
	if [ "$root" = 1 ]; then
		debootstrap "$@" > "$work/debootstrap.log" 2>&1 &
	else
		touch "$fr_state"
		fakechroot fakeroot -i "$fr_state" -s "$fr_state" \
			debootstrap "$@" > "$work/debootstrap.log" 2>&1 &
	fi
	pid=$!
	# Progress: debootstrap's own "I:" lines, as they come.
	tail -n +1 -f "$work/debootstrap.log" --pid=$pid 2>/dev/null |
		sed -u -n 's/^I: \(Retrieving\|Validating\|Extracting\|Installing\|Configuring\|Base\)/  \1/p' |
		awk '/Base system/ || NR % 10 == 1 { print; fflush() }' &
	progress=$!
	status=0
	wait $pid || status=$?
	wait $progress 2>/dev/null || true
	if [ "$status" != 0 ]; then
		echo "$prog: debootstrap failed; its last lines:" >&2
		tail -n 15 "$work/debootstrap.log" >&2
		exit 1
	fi
	if [ "$root" = 0 ]; then
		# fakechroot leaves absolute symlinks pointing into the tree.
		find "$tree" -type l | while read -r l; do
			t=$(readlink "$l")
			case $t in "$tree"/*) ln -sfn "${t#"$tree"}" "$l" ;; esac
		done
	fi
	if [ -n "$cache" ]; then
		rm -rf "$cache"
		mkdir -p "$cache"
		mv "$tree" "$cache/tree"
		tree=$cache/tree
		[ "$root" = 1 ] || cp "$fr_state" "$cache/fakeroot.state"
		echo "$signature" > "$cache/.uml_mkimage"
	fi
fi

step 2 "configuring: hostname $hostname, fstab, network, console getty"
# Work on a copy when the tree is a cache, so the cache stays pristine.
if [ -n "$cache" ]; then
	as_root cp -a "$tree" "$work/image-tree"
	tree=$work/image-tree
fi
conf=$work/conf
mkdir -p "$conf"
echo "$hostname" > "$conf/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' \
	"$hostname" > "$conf/hosts"
cat > "$conf/fstab" <<FSTAB
# <file system> <mount point> <type> <options> <dump> <pass>
/dev/ubda	/	ext4	discard,errors=remount-ro	0	1
proc		/proc	proc	defaults	0	0
tmpfs		/dev/shm	tmpfs	defaults	0	0
FSTAB
cat > "$conf/interfaces" <<IFACES
# UML network devices (see the UML HowTo, "Setting Up UML Networking").
auto lo
iface lo inet loopback

# vector UML network devices
#auto vec0
#iface vec0 inet dhcp

# legacy UML network devices
#auto eth0
#iface eth0 inet dhcp
IFACES
as_root sh -c '
	t=$1 c=$2
	cp "$c/hostname" "$c/hosts" "$c/fstab" "$t/etc/"
	mkdir -p "$t/etc/network"
	cp "$c/interfaces" "$t/etc/network/interfaces"
	chown 0:0 "$t/etc/hostname" "$t/etc/hosts" "$t/etc/fstab" "$t/etc/network/interfaces"
	chmod 644 "$t/etc/hostname" "$t/etc/hosts" "$t/etc/fstab" "$t/etc/network/interfaces"
' sh "$tree" "$conf"

# The console is tty0 (con0): one getty there, no virtual terminals.
case $init in
sysvinit)
	as_root sh -c '
		f=$1/etc/inittab
		sed -i -e "s|^\([1-6]:[0-9]*:respawn:/sbin/getty.*\)|#\1|" "$f"
		grep -q "^0:" "$f" ||
			echo "0:2345:respawn:/sbin/getty --noclear 38400 tty0 linux" >> "$f"
	' sh "$tree"
	;;
busybox)
	as_root sh -c '
		t=$1
		[ -e "$t/sbin/init" ] || ln -s /bin/busybox "$t/sbin/init"
		cat > "$t/etc/inittab" <<TAB
::sysinit:/bin/mount -o remount,rw /
::sysinit:/bin/mount -a
tty0::respawn:/sbin/getty 38400 tty0
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/umount -a -r
TAB
	' sh "$tree"
	;;
esac

step 3 "root password"
if [ "$password_set" = 2 ]; then
	as_root sed -i 's|^root:[^:]*:|root::|' "$tree/etc/shadow"
else
	# Hashed by the guest's own tools, as `chroot /mnt passwd` would.
	if [ "$root" = 1 ]; then
		echo "root:$password" | chroot "$tree" chpasswd
	else
		echo "root:$password" | fakechroot fakeroot -i "$fr_state" -s "$fr_state" \
			chroot "$tree" chpasswd
	fi
fi

step 4 "mkfs.ext4 on a sparse $size image"
rm -f "$image"
truncate -s "$size" "$image" || die "cannot create '$image'"
if ! as_root mkfs.ext4 -q -F -L root -d "$tree" "$image" > "$work/mkfs.log" 2>&1; then
	echo "$prog: mkfs.ext4 failed:" >&2
	cat "$work/mkfs.log" >&2
	rm -f "$image"
	exit 1
fi

step 5 "done: $(du -h "$image" | cut -f1) used of $size"
echo "Boot it with:  linux mem=256M ubd0=$image root=/dev/ubda"
