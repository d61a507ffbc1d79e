#!/bin/sh
# Installs the Debian packages the build and the tests need; with the
# argument "bench", also those only `make bench` needs (gVisor, gnuplot),
# which `make check` never asks for.
# Fast when everything is present: one dpkg-query, no network.
set -e

# uml-utilities and user-mode-linux are the real peers the tests compare
# with (uml_mconsole, uml_moo, uml_mkcow, the real UML kernel).
PKGS="gcc make libc6-dev linux-libc-dev zlib1g-dev busybox-static cpio gzip
python3 util-linux procps passwd coreutils e2fsprogs debootstrap fakeroot
fakechroot libext2fs-dev comerr-dev uml-utilities user-mode-linux"
BENCH_PKGS="runsc gnuplot-nox"
[ "$1" = bench ] && PKGS="$PKGS $BENCH_PKGS"

missing=
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || st=
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing; install them with: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
if ! apt-get install -y -q --no-install-recommends $missing; then
	[ "$1" = bench ] || exit 1
	# One unavailable benchmark peer must not keep the others out.
	for p in $missing; do
		apt-get install -y -q --no-install-recommends "$p" ||
			echo "deps: cannot install $p" >&2
	done
	exit 1
fi
