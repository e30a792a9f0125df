#!/usr/bin/env bash
# The end-to-end runs under valgrind memcheck: no error, no definite leak
# (docs/robustness.md).
#
#   tests/faults/valgrind.sh GRANTREC SOURCE_DIR [CASE...]
#
# Runs each case of tests/e2e/cases with the arguments and the exit code of
# its expect.json (default: 0001-0005, 4001-4013 and a few that end in an
# input error), then the bundled grant with --no-workbook, all under
#   valgrind --error-exitcode=99 --leak-check=full
#            --errors-for-leak-kinds=definite
# A memcheck error or a definite leak makes valgrind exit 99; any exit code
# other than the case's own fails too. Exit 77 (skipped) when valgrind is
# missing or the binary is built with AddressSanitizer, which valgrind
# cannot run.
set -uo pipefail

bin=$(realpath "$1")
src=$(realpath "$2")
shift 2
cases_dir=$src/tests/e2e/cases

if ! command -v valgrind >/dev/null; then
	echo "SKIP: valgrind is not installed (apt-get install valgrind)"
	exit 77
fi
if grep -q __asan_init "$bin" 2>/dev/null; then
	echo "SKIP: $bin is built with AddressSanitizer (GRANTREC_SANITIZE=ON); valgrind cannot run it"
	exit 77
fi

if [ $# -eq 0 ]; then
	set -- $(cd "$cases_dir" && ls -d 000[1-5]-* 400[1-9]-* 401[0-3]-* \
		1006-* 1014-* 2044-* 2047-* 2049-* 2>/dev/null)
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/grantrec-vg-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

vg=(valgrind -q --error-exitcode=99 --leak-check=full
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
	--track-origins=yes --num-callers=30)
failed=0
ran=0

run_case() { # name dir expected-exit args...
	local name=$1 dir=$2 want=$3
	shift 3
	local log="$scratch/$ran.log"
	(cd "$dir" && LC_ALL=C "${vg[@]}" "$bin" "$@" >/dev/null 2>"$log")
	local rc=$?
	ran=$((ran + 1))
	if [ "$rc" -eq 99 ] || grep -q "definitely lost\|Invalid \|uninitialised\|Mismatched" "$log"; then
		echo "FAIL $name: memcheck reports (exit $rc)"
		sed 's/^/    /' "$log" | head -60
		failed=$((failed + 1))
	elif [ "$rc" -ne "$want" ]; then
		echo "FAIL $name: exit $rc, expected $want"
		sed 's/^/    /' "$log" | tail -20
		failed=$((failed + 1))
	else
		echo "ok $name (exit $rc)"
	fi
}

for c in "$@"; do
	dir=$cases_dir/$c
	if [ ! -f "$dir/expect.json" ]; then
		echo "FAIL $c: no such case"
		failed=$((failed + 1))
		continue
	fi
	mapfile -t args < <(python3 - "$dir/expect.json" "$scratch" <<'EOF'
import json, sys
e = json.load(open(sys.argv[1], encoding="utf-8"))
args = [a.replace("{out}", sys.argv[2]) for a in e["args"]]
# The workbook writer (libxlsxwriter) is not under test here.
if args and args[0] == "reconcile" and "--no-workbook" not in args:
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "--output"):
            skip = True
            continue
        out.append(a)
    args = out + ["--no-workbook"]
print(e.get("exit", 0))
print("\n".join(args))
EOF
	)
	want=${args[0]}
	run_case "$c" "$dir" "$want" "${args[@]:1}"
done
run_case bundled-grant "$src/ledgers" 0 reconcile grant.ini --no-workbook --json -

echo "$ran runs under valgrind, $failed failed"
[ "$failed" -eq 0 ]
