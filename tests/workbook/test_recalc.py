"""LibreOffice recalculates every formula of a workbook; each recalculated
value equals the value grantrec cached, to the cent (texts exactly).

usage: test_recalc.py GRANTREC bundled|halfcent|case GRANT_INI [OPTION...]
       test_recalc.py GRANTREC bundled-previous GRANT_INI [OPTION...]
       test_recalc.py GRANTREC hostile

OPTIONs go to grantrec reconcile (--as-of DATE, --quarter Q, --previous
INI). bundled-previous compares the bundled grant with its Q3 archive, made
as docs/quarterly.md section 10 makes it (the Changes sheet).

The recalculation is forced, not left to the file: LibreOffice runs with a
private profile whose OOXMLRecalcMode is "always", and a canary proves it
happened: a copy of the workbook with one cached value made wrong must
come back with the right value. Skipped (exit 77) when soffice is missing
and cannot be installed.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import openpyxl  # noqa: E402
import wbtest  # noqa: E402
from wbtest import fail, same_cents  # noqa: E402

binary, mode = sys.argv[1], sys.argv[2]
exe = wbtest.soffice()
if not exe:
    print("SKIP: soffice (LibreOffice) is not installed and could not be "
          "installed with apt-get; the recalculation cannot be checked")
    sys.exit(wbtest.SKIP)

env = None
if mode == "hostile":
    ini = wbtest.make_hostile_grant(os.path.abspath("grant"))
    # Four lines per sheet: the ledger continues on Ledger (2), (3), ...
    env = {"GRANTREC_XLSX_LEDGER_ROWS": "4"}
else:
    ini = sys.argv[3]
options = sys.argv[4:]
if mode == "bundled-previous":
    repo = os.path.dirname(os.path.dirname(os.path.abspath(ini)))
    options += ["--previous", wbtest.make_q3_archive(repo, os.getcwd())]
out = os.path.abspath("recalc.xlsx")
data = wbtest.reconcile(binary, ini, out, env=env, extra=options)

# The canary: the Summary's Actual (a formula) cached as 0.
formulas = openpyxl.load_workbook(out)
summary = formulas["Summary"]
row = next(r[0].row for r in summary.iter_rows() if r[0].value == "Actual")
poisoned = os.path.abspath("poisoned.xlsx")
wbtest.poison_cached_value(out, poisoned, "xl/worksheets/sheet1.xml",
                           "B%d" % row, "0")
check = openpyxl.load_workbook(poisoned, data_only=True)["Summary"]
if check["B%d" % row].value != 0:
    fail("the canary was not planted")
canary = wbtest.recalculate(exe, poisoned, os.path.abspath("canary"))
got = openpyxl.load_workbook(canary, data_only=True)["Summary"]["B%d" % row].value
if not same_cents(got, data["totals"]["actual"]):
    fail("LibreOffice did not recalculate: Actual came back as %r, not %s"
         % (got, data["totals"]["actual"]))
print("canary: LibreOffice recalculated Actual from 0 to %r" % got)

# Every formula: recalculated = cached.
recalculated = wbtest.recalculate(exe, out, os.path.abspath("lo"))
n = wbtest.compare_recalculated(out, recalculated, "%s (%s%s)" % (
    mode, ini, "".join(" " + o for o in options)))
if n < 10:
    fail("only %d formulas in the workbook" % n)
print("OK")
