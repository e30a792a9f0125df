"""Two runs on the same inputs give byte-identical workbooks.

usage: test_reproducible.py GRANTREC GRANT_INI HALFCENT_FOLDER

Runs from different working folders, with the grant named by a relative
and by an absolute path, at different times, with and without
SOURCE_DATE_EPOCH, and in another locale when one is installed: no clock,
no path and no locale may reach the file.
"""
import filecmp
import os
import re
import subprocess
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wbtest  # noqa: E402
from wbtest import fail  # noqa: E402

binary, bundled, halfcent = sys.argv[1], sys.argv[2], sys.argv[3]
here = os.getcwd()


def run_in(folder, ini, out, env=None, extra=()):
    os.makedirs(folder, exist_ok=True)
    e = dict(os.environ)
    e.pop("SOURCE_DATE_EPOCH", None)
    e.update(env or {})
    p = subprocess.run([binary, "reconcile", ini, "-o", out, "--quiet"]
                       + list(extra), cwd=folder, env=e,
                       capture_output=True, text=True)
    if p.returncode != 0:
        fail("grantrec in %s: exit %d\n%s" % (folder, p.returncode, p.stderr))
    return os.path.join(folder, out)


def same(a, b, what):
    if not filecmp.cmp(a, b, shallow=False):
        fail("%s: %s and %s differ" % (what, a, b))
    print("%s: identical (%d bytes)" % (what, os.path.getsize(a)))


def created(path):
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode()
    return re.search(r"<dcterms:created[^>]*>([^<]*)<", core).group(1)


# The bundled grant: absolute path from one folder, relative from another.
a = run_in(os.path.join(here, "one"), os.path.abspath(bundled), "w.xlsx")
time.sleep(1.1)   # a clock in the file would now show
rel = os.path.relpath(os.path.abspath(bundled), os.path.join(here, "two", "deeper"))
b = run_in(os.path.join(here, "two", "deeper"), rel, "w.xlsx")
same(a, b, "bundled grant, two folders, relative and absolute path")
data = wbtest.run(binary, ["reconcile", bundled, "--no-workbook", "--json",
                           "-"]).stdout
import json  # noqa: E402
as_of = json.loads(data)["period"]["as_of"]
if created(a) != as_of + "T00:00:00Z":
    fail("created %s, expected the as-of date %s at midnight" % (created(a),
                                                                 as_of))

# SOURCE_DATE_EPOCH decides the creation time, and only that.
c = run_in(os.path.join(here, "sde1"), os.path.abspath(bundled), "w.xlsx",
           {"SOURCE_DATE_EPOCH": "1700000000"})
d = run_in(os.path.join(here, "sde2"), os.path.abspath(bundled), "w.xlsx",
           {"SOURCE_DATE_EPOCH": "1700000000"})
same(c, d, "SOURCE_DATE_EPOCH=1700000000")
if created(c) != "2023-11-14T22:13:20Z":
    fail("SOURCE_DATE_EPOCH=1700000000 gave created %s" % created(c))
# 0 is a valid epoch; libxlsxwriter would read it as "now".
z1 = run_in(os.path.join(here, "zero1"), os.path.abspath(bundled), "w.xlsx",
            {"SOURCE_DATE_EPOCH": "0"})
time.sleep(1.1)
z2 = run_in(os.path.join(here, "zero2"), os.path.abspath(bundled), "w.xlsx",
            {"SOURCE_DATE_EPOCH": "0"})
same(z1, z2, "SOURCE_DATE_EPOCH=0")

# Another locale, when installed (a decimal comma must not reach the XML;
# grantrec never calls setlocale, so this must change nothing).
locales = subprocess.run(["locale", "-a"], capture_output=True,
                         text=True).stdout.split()
wanted = [l for l in locales if l.lower().replace("-", "") in
          ("de_de.utf8", "nl_nl.utf8", "fr_fr.utf8")]
if wanted:
    e = run_in(os.path.join(here, "locale"), os.path.abspath(bundled), "w.xlsx",
               {"LC_ALL": wanted[0], "LANG": wanted[0]})
    same(a, e, "LC_ALL=%s" % wanted[0])
else:
    print("no de_DE/nl_NL/fr_FR locale installed: the locale run is skipped")

# Both half-cent grants, and the hostile one cut into Ledger sheets.
for ini in ("grant-half-up.ini", "grant-half-even.ini"):
    p = os.path.join(halfcent, ini)
    x = run_in(os.path.join(here, "h1"), p, ini + ".xlsx")
    y = run_in(os.path.join(here, "h2"), p, ini + ".xlsx")
    same(x, y, ini)
hostile = wbtest.make_hostile_grant(os.path.join(here, "hostile"))
x = run_in(os.path.join(here, "x1"), hostile, "h.xlsx",
           {"GRANTREC_XLSX_LEDGER_ROWS": "4"})
y = run_in(os.path.join(here, "x2"), hostile, "h.xlsx",
           {"GRANTREC_XLSX_LEDGER_ROWS": "4"})
same(x, y, "hostile grant over four Ledger sheets")

# A quarter against the previous report: the Changes sheet and the Summary
# name the previous grant.ini, given by an absolute path from one folder
# and by a relative one from another. (The grant itself is named the same
# way in both: the core's fx-stale-rate message, on Findings, quotes the
# rate table's path as it was opened.)
case = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(bundled))),
                    "tests", "e2e", "cases", "4011-restatement")
ini, prev = os.path.join(case, "grant.ini"), \
    os.path.join(case, "previous", "grant.ini")
x = run_in(os.path.join(here, "p1"), ini, "p.xlsx",
           extra=["--quarter", "2", "--previous", prev])
deeper = os.path.join(here, "p2", "deeper")
os.makedirs(deeper, exist_ok=True)
y = run_in(deeper, ini, "p.xlsx",
           extra=["--quarter", "2", "--previous", os.path.relpath(prev, deeper)])
same(x, y, "--quarter 2 --previous, absolute and relative paths")
print("OK")
