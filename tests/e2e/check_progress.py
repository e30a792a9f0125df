#!/usr/bin/env python3
"""The progress line (src/cli/progress_line.c): shown to a person at a
terminal, never in a pipe, under CI or with -q, and always wiped.

1. Standard error a pipe (as here, and in CI): the bundled grant writes
   nothing on it.
2. Standard error a terminal (a pseudo-terminal) with CI set, or with -q:
   nothing either.
3. GRANTREC_PROGRESS=1 draws it even in a pipe, from the first report:
   every stage appears in order, each redraw starts with a carriage
   return, and what is left at the end is a blank line ending in "\\r", so
   the terminal shows nothing of it.
"""
import os
import pty
import re
import subprocess
import sys
import tempfile

binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
ini = os.path.abspath(os.path.join(root, "ledgers", "grant.ini"))
failures = []


def env(**extra):
    e = {k: v for k, v in os.environ.items()
         if k not in ("CI", "GRANTREC_PROGRESS")}
    e.update(LC_ALL="C", **extra)
    return e


def on_pty(args, environment):
    """Runs with standard error on a pseudo-terminal; returns its bytes."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=slave,
                            env=environment, cwd=tmp)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait()
    os.close(master)
    return proc.returncode, out


with tempfile.TemporaryDirectory() as tmp:
    run = [binary, "reconcile", ini, "-o", "out.xlsx", "--json", "out.json"]
    proc = subprocess.run(run, capture_output=True, env=env(), cwd=tmp)
    if proc.returncode != 0 or proc.stderr:
        failures.append(f"pipe: exit {proc.returncode}, stderr "
                        f"{proc.stderr[:200]!r}, expected nothing")

    for label, extra, args in (("CI=true", {"CI": "true"}, run),
                               ("-q", {}, run + ["-q"])):
        code, err = on_pty(args, env(**extra))
        if code != 0 or err:
            failures.append(f"terminal with {label}: exit {code}, stderr "
                            f"{err[:200]!r}, expected nothing")

    proc = subprocess.run(run, capture_output=True,
                          env=env(GRANTREC_PROGRESS="1"), cwd=tmp)
    err = proc.stderr.decode()
    if proc.returncode != 0:
        failures.append(f"forced: exit {proc.returncode}: {err}")
    draws = [d for d in err.split("\r") if d.strip()]
    stages = []
    for d in draws:
        m = re.match(r"grantrec: (.+?)(?: \d+%|\.\.\.) \(\d+ s\) *$", d)
        if not m:
            failures.append(f"forced: a redraw that is not a progress line: "
                            f"{d!r}")
            continue
        if not stages or stages[-1] != m.group(1):
            stages.append(m.group(1))
    want = ["reading the ledgers", "reconciling", "writing the workbook",
            "compressing the workbook"]
    if stages != want:
        failures.append(f"forced: stages {stages}, expected {want}")
    if not err.endswith("\r") or err.rstrip("\r").split("\r")[-1].strip():
        failures.append(f"forced: the line is not wiped at the end: "
                        f"{err[-80:]!r}")
    if "\n" in err:
        failures.append("forced: a newline on standard error")

for f in failures:
    print("FAIL:", f)
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
