#!/bin/sh
# bench/run.sh BUILD_DIR [bench.py options]: what `make bench` runs.
#
# Installs the packages only the benchmarks need (the real UML, gVisor,
# e2fsprogs, gnuplot: scripts/deps.sh bench), then runs bench/bench.py,
# which prints the table and writes BUILD_DIR/bench/results.{txt,csv,json}
# and ratios.png. A package that cannot be installed is not fatal: its
# configuration is reported as FAILED with the reason.

BUILD=${1:-build}
[ $# -gt 0 ] && shift
here=$(cd "$(dirname "$0")" && pwd)

if ! "$here/../scripts/deps.sh" bench; then
	echo "bench: some packages are missing; their configurations will be reported as FAILED" >&2
fi
exec python3 "$here/bench.py" --build "$BUILD" "$@"
