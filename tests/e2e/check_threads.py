#!/usr/bin/env python3
"""The ledger files are read on two threads when they are large enough
(src/input/ledger.c), and merged in grant.ini order. The result must not depend
on it: the bundled grant (2.3 MB of ledgers, five members, so read on two
threads by default) reconciled with GRANTREC_THREADS=1 and =2 gives the
same JSON, the same workbook and the same terminal summary, byte for byte;
and so does a grant whose ledgers have errors (the messages, in the same
order, and the exit status).
"""
import os
import shutil
import subprocess
import sys
import tempfile

binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
failures = []


def run(threads, ini, tmp):
    """Runs in a fresh folder, with the same output names each time (the
    summary names them), and returns what came out."""
    outdir = tempfile.mkdtemp(dir=tmp)
    env = dict(os.environ, LC_ALL="C", GRANTREC_THREADS=str(threads),
               SOURCE_DATE_EPOCH="1700000000")
    proc = subprocess.run([binary, "reconcile", os.path.abspath(ini),
                           "--json", "out.json", "-o", "out.xlsx"],
                          capture_output=True, env=env, cwd=outdir,
                          timeout=600)
    files = {}
    for name in ("json", "xlsx"):
        p = os.path.join(outdir, "out." + name)
        if os.path.exists(p):
            with open(p, "rb") as f:
                files[name] = f.read()
    return proc.returncode, proc.stdout, proc.stderr, files


with tempfile.TemporaryDirectory() as tmp:
    ini = os.path.join(root, "ledgers", "grant.ini")
    one = run(1, ini, tmp)
    two = run(2, ini, tmp)
    if one[0] != 0:
        failures.append(f"bundled grant: exit {one[0]}: {one[2].decode()}")
    for what, a, b in (("exit status", one[0], two[0]),
                       ("summary", one[1], two[1]),
                       ("messages", one[2], two[2])):
        if a != b:
            failures.append(f"bundled grant: {what} differs between one "
                            f"and two threads")
    for name in ("json", "xlsx"):
        if one[3].get(name) is None or one[3].get(name) != two[3].get(name):
            failures.append(f"bundled grant: the {name} differs between one "
                            f"and two threads")

    # The same grant with a bad amount in two members' files: the errors
    # come from both threads and must be reported in grant.ini order.
    bad = os.path.join(tmp, "bad")
    shutil.copytree(os.path.join(root, "ledgers"), bad)
    broken = 0
    for dirpath, _, names in sorted(os.walk(bad)):
        for name in sorted(names):
            if not name.endswith(".csv") or "fx" in dirpath or broken >= 2:
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                lines = f.read().split(b"\n")
            if len(lines) < 1000:
                continue
            # Line 500 loses its separators: a wrong field count.
            lines[499] = b"not a ledger line"
            with open(path, "wb") as f:
                f.write(b"\n".join(lines))
            broken += 1
    if broken < 2:
        failures.append(f"only {broken} ledger files broken")
    one = run(1, os.path.join(bad, "grant.ini"), tmp)
    two = run(2, os.path.join(bad, "grant.ini"), tmp)
    if one[0] != 2:
        failures.append(f"broken grant: exit {one[0]}, expected 2")
    if one[2].count(b"error:") < 2:
        failures.append(f"broken grant: expected two errors, got "
                        f"{one[2].decode()}")
    if (one[0], one[2]) != (two[0], two[2]):
        failures.append("broken grant: messages or exit status differ "
                        f"between one and two threads:\n{one[2].decode()}\n"
                        f"---\n{two[2].decode()}")
    if one[3] or two[3]:
        failures.append("broken grant: an output file was written")

for f in failures:
    print("FAIL:", f)
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
