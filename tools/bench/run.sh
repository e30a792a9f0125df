#!/usr/bin/env bash
# grantrec's benchmark (issue 6; docs/performance.md).
#
#   tools/bench/run.sh [--10m] [--runs K] [--ci] [other options: --help]
#
# Builds grantrec and the floor programs in Release mode in build-bench/
# (-DGRANTREC_BENCH=ON), installs what is missing (Debian packages time,
# ledger, hledger; only as root, and not with --no-install), generates the
# synthetic grants (cached under build-bench/data/N), then runs every program
# K times (3) at 10k, 100k and 1M lines (and 10M with --10m) and prints one
# table. Progress goes to stderr when it is a terminal; --ci (or CI set, or
# stderr not a terminal) prints none. Exit status 1 when some figures
# disagree, 2 on a usage or build error.
#
# It is never run by .ci/run: a full run takes most of an hour (hledger
# alone needs minutes at 1M lines).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

install=1
build=build-bench
args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--no-install) install=0 ;;
	--build) build=$2; args+=("$1" "$2"); shift ;;
	--build=*) build=${1#--build=}; args+=("$1") ;;
	-h|--help) python3 tools/bench/bench.py --help; exit 0 ;;
	*) args+=("$1") ;;
	esac
	shift
done

missing=()
for p in time ledger hledger; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$install" = 1 ] && [ "$(id -u)" = 0 ]; then
		echo "run.sh: installing ${missing[*]}" >&2
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${missing[@]}" >/dev/null
	else
		echo "run.sh: not installed: ${missing[*]} (the table will say so)" >&2
	fi
fi

mkdir -p "$build"
if ! { cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
	-DGRANTREC_BENCH=ON && cmake --build "$build" -j"$(nproc)"; } >"$build/bench-build.log" 2>&1; then
	cat "$build/bench-build.log" >&2
	echo "run.sh: the build failed" >&2
	exit 2
fi

exec python3 tools/bench/bench.py "${args[@]}"
