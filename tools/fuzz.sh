#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for SECONDS each and prints,
# per target, the executions, the coverage reached and the result.
#
#   tools/fuzz.sh SECONDS [TARGET...]
#
#   FUZZ_BUILD=build-fuzz   the build folder (configured here with clang
#                           and -DGRANTREC_FUZZ=ON when it does not exist)
#   FUZZ_JOBS=2             targets run at the same time
#   FUZZ_ARGS=...           extra libFuzzer flags, e.g. -max_len=65536
#
# Targets: amount date csv ledger rates tables grant_ini (all by default).
# Each target starts from its seed corpus (tests/fuzz/corpus/<target>, only
# read) plus what earlier runs found (FUZZ_BUILD/fuzz-work/<target>, kept
# between runs). A crash, leak, sanitizer report, timeout (10 s for one
# input) or broken invariant stops that target; the input that caused it
# is saved in FUZZ_BUILD/fuzz-artifacts/<target>/ and the log in
# FUZZ_BUILD/fuzz-logs/<target>.log. Minimise it and keep it as a
# regression (docs/robustness.md):
#
#   FUZZ_BUILD/fuzz/fuzz_<target> -minimize_crash=1 -runs=100000 <artifact>
#   cp <minimised> tests/fuzz/regressions/<target>/<short-name>
#
# Exit status: 0 when every target ran its time without a finding, 1 when
# any target found something, 2 on a usage or build error.
set -uo pipefail

cd "$(dirname "$0")/.."
if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ]; then
	echo "usage: tools/fuzz.sh SECONDS [TARGET...]" >&2
	exit 2
fi
seconds=$1
shift
all_targets=(amount date csv ledger rates tables grant_ini)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
build=${FUZZ_BUILD:-build-fuzz}
jobs=${FUZZ_JOBS:-2}
extra=${FUZZ_ARGS:-}

for t in "${targets[@]}"; do
	if [ ! -f "tests/fuzz/fuzz_$t.c" ]; then
		echo "fuzz.sh: no target '$t' (known: ${all_targets[*]})" >&2
		exit 2
	fi
done

if [ ! -f "$build/CMakeCache.txt" ]; then
	cc=${CC:-$(command -v clang || command -v clang-14 || true)}
	if [ -z "$cc" ]; then
		echo "fuzz.sh: clang is needed (apt-get install clang)" >&2
		exit 2
	fi
	CC=$cc cmake -S . -B "$build" -DGRANTREC_FUZZ=ON -DBUILD_TESTING=OFF \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
fi
cmake --build "$build" -j"$jobs" $(printf -- '--target fuzz_%s ' "${targets[@]}") \
	>/dev/null || { echo "fuzz.sh: build failed" >&2; exit 2; }

mkdir -p "$build/fuzz-logs" "$build/fuzz-artifacts" "$build/fuzz-work"

run_one() {
	local t=$1
	local work="$build/fuzz-work/$t" art="$build/fuzz-artifacts/$t/"
	local log="$build/fuzz-logs/$t.log"
	mkdir -p "$work" "$art"
	local dict=()
	[ -f "tests/fuzz/dict/$t.dict" ] && dict=(-dict="tests/fuzz/dict/$t.dict")
	# shellcheck disable=SC2086
	"$build/fuzz/fuzz_$t" "$work" "tests/fuzz/corpus/$t" \
		-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art" "${dict[@]}" $extra \
		>"$log" 2>&1
	echo $? >"$log.rc"
}

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
echo "fuzz.sh: ${#targets[@]} target(s), $seconds s each, $jobs at a time, started $started"
echo "         $(clang --version 2>/dev/null | head -1)"
running=0
for t in "${targets[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	echo "  started $t at $(date -u +%H:%M:%S)"
	run_one "$t" &
	running=$((running + 1))
done
wait

status=0
printf '\n%-10s %12s %8s %8s %10s %9s  %s\n' target executions exec/s cov features corpus result
for t in "${targets[@]}"; do
	log="$build/fuzz-logs/$t.log"
	rc=$(cat "$log.rc" 2>/dev/null || echo "?")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -z "$execs" ] && execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: ' | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<<"$last")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | head -1)
	if [ "$rc" = 0 ] && [ -z "$artifact" ]; then
		result=ok
	else
		result="FOUND (exit $rc) ${artifact:-see $log}"
		status=1
	fi
	printf '%-10s %12s %8s %8s %10s %9s  %s\n' "$t" "${execs:-?}" \
		"${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
echo "finished $(date -u +%Y-%m-%dT%H:%M:%SZ); logs in $build/fuzz-logs/"
exit $status
