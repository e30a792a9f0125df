#!/usr/bin/env python3
"""Out of memory, at every allocation of a whole run (docs/robustness.md).

    oom.py GRANTREC CASE_DIR [--cap N] [--every K] [-- ARGS...]

Runs grantrec in CASE_DIR with ARGS (default: reconcile grant.ini -o
{out}/w.xlsx --quiet; "{out}" is an empty scratch folder) and
GRANTREC_FAIL_ALLOC_AT=N for N = 1, 2, 3, ... (every K-th N with --every)
until ten runs in a row behave exactly like the run without the hook (the
run then makes fewer than N allocations) or N passes the cap. Each run
must:

  * end by itself: no signal, no sanitizer report, no timeout;
  * either behave exactly like the run without the hook (same exit code,
    same stderr, same files written: a failure the code could absorb),
  * or exit 3 (GR_E_SYSTEM; GMP's failures exit 3 from the allocation
    hook) with "out of memory" on stderr, and leave {out} empty: no output
    file, no temporary file.

Not covered, by construction: allocations inside libxlsxwriter, iconv,
OpenSSL, jansson, inih and the C library, which do not go through the
core's allocator (libcsv and GMP do: the reader and util.c hand them the
hook).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile


def run(binary, case, out, n, argv):
    args = [binary] + [a.replace("{out}", out) for a in argv]
    env = dict(os.environ, LC_ALL="C", SOURCE_DATE_EPOCH="1700000000")
    env.pop("GRANTREC_FAIL_ALLOC_AT", None)
    if n:
        env["GRANTREC_FAIL_ALLOC_AT"] = str(n)
    try:
        p = subprocess.run(args, cwd=case, env=env, capture_output=True,
                           timeout=120)
    except subprocess.TimeoutExpired:
        return None, "", "timeout"
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def snapshot(out):
    files = {}
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), "rb") as f:
            files[name] = f.read()
    return files


def clear(out):
    for name in os.listdir(out):
        p = os.path.join(out, name)
        shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("case")
    ap.add_argument("args", nargs="*", help="grantrec's arguments")
    ap.add_argument("--cap", type=int, default=5000)
    ap.add_argument("--every", type=int, default=1)
    args = ap.parse_args()
    argv = args.args or ["reconcile", "grant.ini", "-o", "{out}/w.xlsx",
                         "--quiet"]
    binary = os.path.abspath(args.binary)
    case = os.path.abspath(args.case)
    before_case = sorted(os.listdir(case))
    out = tempfile.mkdtemp(prefix="grantrec-oom-")
    problems = []
    try:
        ref_rc, _, ref_err = run(binary, case, out, 0, argv)
        if ref_rc is None or ref_rc < 0 or ref_rc == 3:
            print(f"the run without the hook fails (exit {ref_rc}):\n{ref_err}")
            return 1
        print(f"grantrec {' '.join(argv)}: exit {ref_rc} without the hook")
        reference = snapshot(out)
        clear(out)
        n = 0
        in_a_row = 0
        failing = 0
        last_failing = 0
        messages = {}
        while in_a_row < 10 and n < args.cap:
            n += args.every
            rc, _, err = run(binary, case, out, n, argv)
            left = snapshot(out)
            clear(out)
            where = f"GRANTREC_FAIL_ALLOC_AT={n}"
            if rc is None or rc < 0:
                problems.append(f"{where}: {'hangs' if rc is None else f'killed by signal {-rc}'}"
                                f"\n{err[-1500:]}")
            elif "Sanitizer" in err or "runtime error" in err:
                problems.append(f"{where}: sanitizer report (exit {rc})\n"
                                f"{err[-2500:]}")
            elif rc == ref_rc and err == ref_err:
                in_a_row += 1
                if left != reference:
                    problems.append(f"{where}: exit {rc} as without the hook, "
                                    f"but the outputs differ: {sorted(left)}")
                continue
            else:
                in_a_row = 0
                failing += 1
                last_failing = n
                first = err.strip().splitlines()[0] if err.strip() else ""
                messages[first] = messages.get(first, 0) + 1
                if rc != 3:
                    problems.append(f"{where}: exit {rc}, expected 3\n{err[-800:]}")
                if "out of memory" not in err:
                    problems.append(f"{where}: no 'out of memory' on stderr:\n"
                                    f"{err[-800:]}")
                if left:
                    problems.append(f"{where}: exit {rc} but files were left "
                                    f"in the output folder: {sorted(left)}")
            if len(problems) >= 20:
                break
        after_case = sorted(os.listdir(case))
        if after_case != before_case:
            problems.append(f"files appeared in the case folder: "
                            f"{sorted(set(after_case) - set(before_case))}")
        print(f"{failing} runs with a failed allocation (N up to {last_failing}"
              f"{', every ' + str(args.every) if args.every > 1 else ''}); "
              f"stopped at N={n}")
        if n >= args.cap and in_a_row < 10:
            problems.append(f"still failing at the cap N={args.cap}")
        for m, count in sorted(messages.items(), key=lambda x: -x[1])[:8]:
            print(f"  {count:5d} x {m}")
        # Only the first few problems of each kind, with their N.
        for p in problems[:20]:
            print("FAIL " + p)
        if problems:
            print(f"{len(problems)} problem(s)")
            return 1
        print("ok: every failed allocation ended in exit 3, 'out of memory', "
              "and nothing written")
        return 0
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
