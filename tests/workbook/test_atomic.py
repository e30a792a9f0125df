"""A run that fails leaves an existing workbook untouched and no temporary
file behind.

usage: test_atomic.py GRANTREC HALFCENT_FOLDER

1. A bad line at the end of the last ledger: exit 2, the file unchanged.
2. The writer itself fails midway: the core's allocation hook
   (GRANTREC_FAIL_ALLOC_AT, docs/testing.md) makes the Nth allocation fail
   at points spread over the writer's own allocations, including GMP's,
   which end the process with exit(3): exit 3, the file unchanged.
3. A folder that does not exist: exit 3, a message naming the path.
Each time no temporary file (".<name>.XXXXXX") may remain in the folder.
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wbtest import fail  # noqa: E402

binary, halfcent = sys.argv[1], sys.argv[2]
work = os.path.abspath("grant")
shutil.copytree(halfcent, work)
ini = os.path.join(work, "grant-half-up.ini")
out_dir = os.path.abspath("out")
os.makedirs(out_dir)
target = os.path.join(out_dir, "book.xlsx")
KNOWN = b"the previous workbook, which a failed run must leave alone\n"


def reset():
    for name in os.listdir(out_dir):
        os.unlink(os.path.join(out_dir, name))
    with open(target, "wb") as f:
        f.write(KNOWN)


def run(args, env=None):
    e = dict(os.environ)
    e.pop("GRANTREC_FAIL_ALLOC_AT", None)
    e.update(env or {})
    return subprocess.run([binary] + args, capture_output=True, text=True,
                          env=e)


def untouched(what):
    with open(target, "rb") as f:
        if f.read() != KNOWN:
            fail("%s: the existing workbook was changed" % what)
    left = sorted(n for n in os.listdir(out_dir) if n != "book.xlsx")
    if left:
        fail("%s: left behind in the folder: %r" % (what, left))


# 0. The run works, and replaces the file, when nothing goes wrong.
reset()
p = run(["reconcile", ini, "-o", target, "--quiet"])
if p.returncode != 0:
    fail("a good run exited %d: %s" % (p.returncode, p.stderr))
with open(target, "rb") as f:
    if f.read(2) != b"PK":
        fail("a good run did not replace the file with a workbook")
if sorted(os.listdir(out_dir)) != ["book.xlsx"]:
    fail("a good run left %r" % os.listdir(out_dir))

# 1. A bad line at the end of the last ledger.
reset()
with open(os.path.join(work, "beta.csv"), "a") as f:
    f.write("2024-13-45,B-99,O1 Services,Peru,USD,not-a-number,bad line\n")
p = run(["reconcile", ini, "-o", target])
if p.returncode != 2:
    fail("a bad ledger line: exit %d, expected 2\n%s" % (p.returncode, p.stderr))
if "beta.csv:9" not in p.stderr:
    fail("the error does not name beta.csv line 9: %s" % p.stderr)
untouched("bad ledger line")
print("bad line at the end of the last ledger: exit 2, file untouched")
shutil.copy(os.path.join(halfcent, "beta.csv"), os.path.join(work, "beta.csv"))


# 2. Failures inside the writer. The allocations of a run are counted by
# finding the first N at which the hook no longer fires (bisection).
def allocations(args):
    lo, hi = 1, 1
    while run(args, {"GRANTREC_FAIL_ALLOC_AT": str(hi)}).returncode != 0:
        lo, hi = hi, hi * 2
    while lo + 1 < hi:   # the run fails at lo and succeeds at hi
        mid = (lo + hi) // 2
        if run(args, {"GRANTREC_FAIL_ALLOC_AT": str(mid)}).returncode != 0:
            lo = mid
        else:
            hi = mid
    return lo


reset()
before = allocations(["reconcile", ini, "--no-workbook", "--quiet"])
reset()
total = allocations(["reconcile", ini, "-o", target, "--quiet"])
if total <= before:
    fail("the writer makes no allocation through the hook (%d, %d)"
         % (before, total))
points = sorted({before + 1 + (total - before - 1) * k // 8 for k in range(9)})
for n in points:
    reset()
    p = run(["reconcile", ini, "-o", target, "--quiet"],
            {"GRANTREC_FAIL_ALLOC_AT": str(n)})
    if p.returncode != 3:
        fail("allocation %d of %d failing: exit %d, expected 3\n%s"
             % (n, total, p.returncode, p.stderr))
    if "out of memory" not in p.stderr:
        fail("allocation %d failing: no 'out of memory' message: %s"
             % (n, p.stderr))
    untouched("allocation %d of %d failing" % (n, total))
print("writer failing at allocations %s (of %d-%d): exit 3, file untouched"
      % (points, before + 1, total))

# 3. A folder that does not exist.
p = run(["reconcile", ini, "-o", os.path.join(out_dir, "no", "such.xlsx")])
if p.returncode != 3 or "no/such.xlsx" not in p.stderr:
    fail("a missing folder: exit %d, %s" % (p.returncode, p.stderr))
untouched("missing folder")
print("a missing folder: exit 3 with the path in the message")
print("OK")
