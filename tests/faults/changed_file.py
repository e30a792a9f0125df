#!/usr/bin/env python3
"""A ledger file that changes between the two readings.

The Ledger sheet reads the ledger files a second time for the
descriptions (src/input/ledger.c, gr_ledger_descriptions). If a file's bytes are
not those the figures were computed from, the workbook must not be
written. To change a file between two readings inside one run, member b's
ledger is a named pipe: the first time grantrec opens it, it gets the
case's b.csv; the second time, the same file with one description edited
(the figures unchanged). Expected: exit 2 (an input changed), the message
naming b's file and both SHA-256s, no workbook and no JSON.
Then the same with the same bytes both times: the run succeeds, which
shows the pipe itself is not the problem.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

binary, case = os.path.abspath(sys.argv[1]), sys.argv[2]
failures = []


def serve(fifo, contents):
    """Writes each of `contents` to one opening of the pipe. A writer that
    opened the pipe again while grantrec still held it open from the first
    reading would add to that reading: so it waits a second first, while
    grantrec (a few microseconds on this grant) reads to the end, closes
    and goes on until its second opening waits for the writer."""
    for k, data in enumerate(contents):
        if k:
            time.sleep(1.0)
        with open(fifo, "wb") as f:
            f.write(data)


def run(tmp, first, second):
    work = tempfile.mkdtemp(dir=tmp)
    for name in os.listdir(case):
        if name not in ("b.csv", "expect.json"):
            shutil.copy(os.path.join(case, name), work)
    fifo = os.path.join(work, "b.csv")
    os.mkfifo(fifo)
    writer = threading.Thread(target=serve, args=(fifo, [first, second]),
                              daemon=True)
    writer.start()
    proc = subprocess.run([binary, "reconcile", "grant.ini", "-o", "w.xlsx",
                           "--json", "r.json", "-q"], cwd=work,
                          capture_output=True, timeout=60,
                          env=dict(os.environ, LC_ALL="C",
                                   GRANTREC_THREADS="1"))
    if writer.is_alive():
        # grantrec did not open the pipe a second time: unblock the writer.
        try:
            with open(fifo, "rb") as f:
                f.read()
        except OSError:
            pass
    outputs = sorted(n for n in os.listdir(work)
                     if n.endswith((".xlsx", ".json")) or n.startswith(".")
                     and "tmp" in n)
    return proc, outputs


with open(os.path.join(case, "b.csv"), "rb") as f:
    original = f.read()
header, first_line, rest = original.split(b"\n", 2)
edited = header + b"\n" + first_line + b" (edited)\n" + rest
if edited == original or first_line.count(b",") != header.count(b","):
    sys.exit("the case's b.csv is not what this test expects")

with tempfile.TemporaryDirectory() as tmp:
    proc, outputs = run(tmp, original, edited)
    err = proc.stderr.decode()
    if proc.returncode != 2:
        failures.append(f"changed: exit {proc.returncode}, expected 2: {err}")
    want = [hashlib.sha256(original).hexdigest(),
            hashlib.sha256(edited).hexdigest()]
    if "b.csv" not in err or not all(h in err for h in want) \
            or "changed while grantrec was running" not in err:
        failures.append(f"changed: the message should name b.csv and both "
                        f"SHA-256s ({want}): {err}")
    if outputs:
        failures.append(f"changed: files left behind: {outputs}")

    proc, outputs = run(tmp, original, original)
    if proc.returncode != 0:
        failures.append(f"unchanged: exit {proc.returncode}: "
                        f"{proc.stderr.decode()}")
    if outputs != ["r.json", "w.xlsx"]:
        failures.append(f"unchanged: outputs {outputs}")

for f in failures:
    print("FAIL:", f)
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
