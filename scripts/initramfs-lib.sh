# Shell functions shared by scripts/mkinitramfs.sh and the test suite to
# build busybox root trees and pack them as reproducible initramfs images.
# Source it; it defines functions only.

BUSYBOX=${BUSYBOX:-/bin/busybox}
# Every file in an image gets this mtime, so the same inputs give the same
# bytes (the archive is compared and cached by content).
IMAGE_EPOCH=${SOURCE_DATE_EPOCH:-946684800}

# rootfs_busybox DIR: the directory skeleton, busybox and one symlink per
# applet (absolute targets, so the tree also works under chroot).
rootfs_busybox()
{
	_d=$1
	mkdir -p "$_d" || return 1
	for _s in bin sbin usr/bin usr/sbin dev proc sys tmp root etc home \
		  mnt var/run var/log; do
		mkdir -p "$_d/$_s" || return 1
	done
	chmod 1777 "$_d/tmp"
	chmod 700 "$_d/root"
	cp "$BUSYBOX" "$_d/bin/busybox" || return 1
	chmod 755 "$_d/bin/busybox"
	"$BUSYBOX" --list-full | while read -r _a; do
		case $_a in
		bin/busybox|'') continue ;;
		esac
		mkdir -p "$_d/$(dirname "$_a")"
		# Relative, so that nothing following a link from the host side
		# (cp onto an applet's path, say) can reach the host's busybox.
		_up=$(echo "$_a" | sed 's|[^/]*/|../|g; s|[^/]*$||')
		ln -sfn "${_up}bin/busybox" "$_d/$_a"
	done
	# The console and /dev/null before devtmpfs is mounted, as in Linux's
	# built-in initramfs; only root can make device nodes on the host.
	if [ "$(id -u)" = 0 ]; then
		[ -e "$_d/dev/console" ] || mknod -m 600 "$_d/dev/console" c 5 1
		[ -e "$_d/dev/null" ] || mknod -m 666 "$_d/dev/null" c 1 3
	fi
}

# rootfs_etc DIR: /etc of the default image: root and a non-root user.
rootfs_etc()
{
	_d=$1
	mkdir -p "$_d/etc/init.d" "$_d/home/user"
	cat > "$_d/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
user:x:1000:1000:User:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
	cat > "$_d/etc/shadow" <<'EOF'
root::19000:0:99999:7:::
daemon:*:19000:0:99999:7:::
user::19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
EOF
	chmod 640 "$_d/etc/shadow"
	cat > "$_d/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
tty:x:5:
users:x:100:user
user:x:1000:
nogroup:x:65534:
EOF
	echo uml > "$_d/etc/hostname"
	cat > "$_d/etc/hosts" <<'EOF'
127.0.0.1	localhost
127.0.1.1	uml
EOF
	cat > "$_d/etc/profile" <<'EOF'
export PATH=/sbin:/usr/sbin:/bin:/usr/bin
export HOME=${HOME:-/root}
export TERM=${TERM:-vt100}
if [ "$(id -u)" = 0 ]; then
	PS1='\u@\h:\w# '
else
	PS1='\u@\h:\w$ '
fi
export PS1
EOF
	cat > "$_d/etc/fstab" <<'EOF'
proc	/proc	proc	defaults	0 0
sysfs	/sys	sysfs	defaults	0 0
devtmpfs	/dev	devtmpfs	defaults	0 0
devpts	/dev/pts	devpts	gid=5,mode=620,ptmxmode=000	0 0
tmpfs	/dev/shm	tmpfs	nosuid,nodev,mode=1777	0 0
EOF
	# The shell runs on tty0 (con0, the same line as /dev/console) so that
	# it gets a controlling terminal and job control: /dev/console itself
	# never becomes one.
	cat > "$_d/etc/inittab" <<'EOF'
::sysinit:/etc/init.d/rcS
tty0::respawn:-/bin/sh
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/umount -a -r
EOF
	# What busybox init runs first, on a disk root as after /init: the
	# pseudo filesystems (once; ptys on /dev/pts, POSIX shared memory on
	# /dev/shm), the root read-write (the kernel mounts it read-only), the
	# hostname.
	cat > "$_d/etc/init.d/rcS" <<'EOF'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
export PATH
mounted() { grep -q "^[^ ]* $1 " /proc/mounts 2>/dev/null; }
mounted /proc || mount -t proc proc /proc
mounted /sys || mount -t sysfs sysfs /sys
mounted /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mounted /dev/pts || mount -t devpts -o gid=5,mode=620,ptmxmode=000 devpts /dev/pts
mounted /dev/shm || mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs /dev/shm
mount -o remount,rw /
hostname -F /etc/hostname
EOF
	chmod 755 "$_d/etc/init.d/rcS"
	cat > "$_d/init" <<'EOF'
#!/bin/sh
# First process of the default image: the pseudo filesystems (ptys on
# /dev/pts, POSIX shared memory on /dev/shm), the hostname, then busybox
# init (/etc/inittab).
PATH=/sbin:/usr/sbin:/bin:/usr/bin
export PATH
mount -t proc proc /proc
mount -t sysfs sysfs /sys
grep -q '^[^ ]* /dev ' /proc/mounts 2>/dev/null ||
	mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=000 devpts /dev/pts
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs /dev/shm
hostname -F /etc/hostname
chown 1000:1000 /home/user
# No tty0 node (devtmpfs missing): fall back to init's own console.
[ -c /dev/tty0 ] || sed -i 's/^tty0::/::/' /etc/inittab
exec /sbin/init "$@"
EOF
	chmod 755 "$_d/init"
}

# mkrootfs_ext4 DIR OUT SIZE: DIR as an ext4 image of SIZE (sparse), made
# by mkfs.ext4 -d without mounting anything. Every file belongs to root
# (debugfs fixes the owners of a tree copied by an unprivileged user) but
# /home/user, which is the user's.
mkrootfs_ext4()
{
	_d=$1
	_out=$2
	rm -f "$_out"
	find "$_d" -exec touch -h -d "@$IMAGE_EPOCH" {} + || return 1
	E2FSPROGS_FAKE_TIME=$IMAGE_EPOCH mkfs.ext4 -q -F -b 4096 -I 256 -L uml-root \
		-U 5ee0c0de-0000-4000-8000-000000000001 \
		-E root_owner=0:0,hash_seed=5ee0c0de-0000-4000-8000-000000000002 \
		-d "$_d" "$_out" "$3" > /dev/null || return 1
	{
		if [ "$(id -u)" != 0 ]; then
			( cd "$_d" && find . -mindepth 1 ) | sed 's|^\.||' |
				while read -r _p; do
					echo "sif \"$_p\" uid 0"
					echo "sif \"$_p\" gid 0"
				done
		fi
		[ -d "$_d/home/user" ] &&
			echo 'sif /home/user uid 1000' &&
			echo 'sif /home/user gid 1000'
	} > "$_out.cmds"
	debugfs -w -f "$_out.cmds" "$_out" > /dev/null 2>&1 || return 1
	rm -f "$_out.cmds"
}

# pack_cpio DIR OUT: DIR as a gzipped newc archive, every file owned by
# root, fixed mtimes, sorted names: the same tree always gives the same bytes.
pack_cpio()
{
	_d=$1
	_out=$2
	find "$_d" -exec touch -h -d "@$IMAGE_EPOCH" {} + || return 1
	( cd "$_d" && find . -mindepth 1 | LC_ALL=C sort |
	  cpio --quiet -o -H newc -R 0:0 --reproducible ) |
		gzip -n -9 > "$_out.tmp" || { rm -f "$_out.tmp"; return 1; }
	mv "$_out.tmp" "$_out"
}
