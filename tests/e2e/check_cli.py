#!/usr/bin/env python3
"""The command line itself: help, version, usage errors, exit codes, the
man page naming every option, and `check` writing nothing."""
import os
import re
import subprocess
import sys
import tempfile

binary, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []


def run(*args, cwd=root):
    p = subprocess.run([binary, *args], capture_output=True, cwd=cwd,
                       env=dict(os.environ, LC_ALL="C"), timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def expect(what, cond):
    if not cond:
        failures.append(what)


code, out, err = run("--version")
expect("--version prints the version", code == 0 and re.match(r"grantrec \d+\.\d+\.\d+\n$", out))
for cmd in ([], ["reconcile"], ["check"]):
    code, out, err = run(*cmd, "--help")
    expect(f"{cmd} --help exits 0 with usage", code == 0 and out.startswith("usage: grantrec"))
code, out, err = run("frobnicate")
expect("unknown command: exit 2 and a message", code == 2 and "unknown command 'frobnicate'" in err)
code, out, err = run("reconcile", "--bogus")
expect("unknown option: exit 2", code == 2 and "Try 'grantrec --help'" in err)
code, out, err = run()
expect("no command: exit 2", code == 2 and "no command given" in err)
code, out, err = run("check", "-o", "x.xlsx")
expect("check refuses -o", code == 2)
code, out, err = run("reconcile", "a.ini", "b.ini")
expect("two grant.ini: exit 2", code == 2 and "more than one grant.ini" in err)

# check: validates everything, writes nothing, exit 0 on the bundled grant
with tempfile.TemporaryDirectory() as tmp:
    code, out, err = run("check", os.path.join(root, "ledgers/grant.ini"), cwd=tmp)
    expect(f"check on the bundled grant exits 0 (got {code}: {err})", code == 0)
    expect("check writes no file", os.listdir(tmp) == [])
    expect("check says nothing was written", "nothing written" in out)
    code, out, err = run("check", os.path.join(root, "ledgers/grant.ini"), "--strict", cwd=tmp)
    expect("check --strict exits 1 on a grant with findings", code == 1)

# The man page names every long option of --help.
code, out, err = run("reconcile", "--help")
options = set(re.findall(r"--([a-z][a-z-]+)", out))
man = os.path.join(root, "docs/grantrec.1")
if os.path.exists(man):
    text = open(man, encoding="utf-8").read().replace("\\-", "-")
    for opt in sorted(options):
        expect(f"docs/grantrec.1 documents --{opt}", f"--{opt}" in text)
else:
    failures.append("docs/grantrec.1 is missing")

if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)
print(f"cli: all checks hold ({len(options)} options documented)")
