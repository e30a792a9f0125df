#!/usr/bin/env bash
# grantrec's one entry point for a fresh Debian 12 machine (run as root):
#
#   bash tools/build.sh run    install what is missing, build, reconcile the
#                              bundled grant (ledgers/grant.ini)
#   bash tools/build.sh test   install what is missing, build, run the whole
#                              test suite, then again under ASan + UBSan
#
# Packages are installed only when missing (apt-get update first). Nothing
# else is downloaded.
set -euo pipefail

cd "$(dirname "$0")/.."
mode=${1:-run}

build_packages=(gcc make cmake pkg-config libgmp-dev libcsv-dev
	libxlsxwriter-dev libinih-dev libjansson-dev libssl-dev libxml2-dev
	libzip-dev)
test_packages=(check python3 python3-openpyxl libreoffice-calc-nogui
	poppler-utils valgrind libxml2-utils)

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed" || printf '%s\n' "$p"
	done
}

install_missing() {
	local need
	need=$(missing "$@")
	[ -z "$need" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "grantrec: missing Debian packages:" $need >&2
		echo "run as root, or: apt-get install -y" $need >&2
		exit 2
	fi
	echo "== installing:" $need
	apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $need >/dev/null
}

configure_and_build() {
	local dir=$1
	shift
	cmake -S . -B "$dir" -DGRANTREC_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j"$(nproc)"
}

case "$mode" in
run)
	install_missing "${build_packages[@]}"
	configure_and_build build -DBUILD_TESTING=OFF
	./build/grantrec reconcile ledgers/grant.ini
	;;
test)
	install_missing "${build_packages[@]}" "${test_packages[@]}"
	configure_and_build build -DBUILD_TESTING=ON
	(cd build && ctest --output-on-failure -j"$(nproc)")
	echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer"
	configure_and_build build-asan -DBUILD_TESTING=ON -DGRANTREC_SANITIZE=ON \
		-DCMAKE_BUILD_TYPE=Debug
	(cd build-asan && CK_FORK=no ASAN_OPTIONS=detect_leaks=1 \
		ctest --output-on-failure -j"$(nproc)" -LE slow)
	;;
*)
	echo "usage: bash tools/build.sh run|test" >&2
	exit 2
	;;
esac
