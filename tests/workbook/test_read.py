"""The workbook of a grant, read back with openpyxl.

usage: test_read.py GRANTREC GRANT_INI

Sheet names and order; the key cells are formulas (read with
data_only=False) whose cached values (data_only=True) equal the JSON
figures to the cent: totals, every member, every budget line, country and
quarter; the Ledger has one row per input line with real date cells; the
input manifest is in the custom document properties.
"""
import datetime
import os
import re
import sys
import zipfile
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wbtest  # noqa: E402
from wbtest import fail, is_formula, same_cents  # noqa: E402

binary, ini = sys.argv[1], sys.argv[2]
out = os.path.abspath("read.xlsx")
data = wbtest.reconcile(binary, ini, out)
formulas, cached = wbtest.load(out)
checked = 0


def expect_formula(sheet, ref, figure, what, prefix=None):
    """Cell `ref` holds a formula whose cached value is `figure`."""
    global checked
    f = formulas[sheet][ref].value
    v = cached[sheet][ref].value
    if not is_formula(f):
        fail("%s!%s (%s) is not a formula: %r" % (sheet, ref, what, f))
    if prefix and not any(f.startswith(p) for p in prefix):
        fail("%s!%s (%s) is %s, expected %s..." % (sheet, ref, what, f,
                                                   " or ".join(prefix)))
    if figure is None:
        if v not in (None, ""):
            fail("%s!%s (%s): cached %r, expected empty" % (sheet, ref, what, v))
    elif not same_cents(v, figure):
        fail("%s!%s (%s): cached %r, JSON says %s" % (sheet, ref, what, v,
                                                       figure))
    checked += 1


def rows_by(sheet, *cols):
    """{(values of cols...): row number} over a sheet."""
    ws = formulas[sheet]
    found = {}
    for row in ws.iter_rows(min_row=1):
        key = tuple(row[c].value for c in cols)
        found.setdefault(key, row[0].row)
    return found


def col_of(sheet, header_row, title):
    for c in formulas[sheet][header_row]:
        if c.value == title:
            return c.column_letter
    fail("%s: no column %r in row %d" % (sheet, title, header_row))


# ---- sheets ------------------------------------------------------------------
names = formulas.sheetnames
ledgers = wbtest.ledger_sheets(formulas)
expected = (wbtest.SHEETS_BEFORE_LEDGER + ledgers + wbtest.SHEETS_AFTER_LEDGER)
if names != expected or not ledgers or ledgers[0] != "Ledger":
    fail("sheets are %r, expected %r" % (names, expected))
for i, n in enumerate(ledgers[1:], start=2):
    if n != "Ledger (%d)" % i:
        fail("ledger sheet %d is named %r" % (i, n))
for n in names:
    if len(n) > 31 or re.search(r"[\[\]:*?/\\]", n):
        fail("sheet name %r breaks Excel's rules" % n)

# ---- Summary: the key figures ---------------------------------------------------
t = data["totals"]
labels = rows_by("Summary", 0)
key_figures = [
    ("Budget", t["budget"]), ("Actual", t["actual"]),
    ("Variance (actual - budget)", t["variance"]),
    ("Variance %", t["variance_pct"]),
    ("Received from the donor", t["received"]),
    ("Outstanding tranches", t["outstanding"]),
    ("Passed on to members", t["disbursed"]),
    ("Still to come from the donor", data["funds"]["claimable"]),
    ("Over the ceiling", t["over_ceiling"]),
    ("Outside the period (listed, not counted)", t["outside_period"]),
    ("Ledger total (counted lines)", t["actual"]),
]
for label, figure in key_figures:
    if (label,) not in labels:
        fail("Summary has no row %r" % label)
    expect_formula("Summary", "B%d" % labels[(label,)], figure, label)
# Each key figure links to the sheet that details it.
for label in ("Budget", "Actual", "Received from the donor"):
    cell = formulas["Summary"]["C%d" % labels[(label,)]]
    if not cell.hyperlink or not (cell.hyperlink.location or "").endswith("!A1"):
        fail("Summary: %r has no link to its sheet" % label)
# The rounding difference is a value: the exact unrounded sum is not a
# spreadsheet figure.
rd = cached["Summary"]["B%d" % labels[("Rounding difference",)]].value
if Decimal(repr(rd)) != Decimal(t["rounding_difference"]):
    fail("rounding difference %r, JSON says %s" % (rd, t["rounding_difference"]))
# The grant's parameters.
g = data["grant"]
if cached["Summary"]["B12"].value != g["rounding"]:
    fail("Summary B12 states rounding %r" % cached["Summary"]["B12"].value)
for ref, day in (("B8", g["start"]), ("B9", g["end"]), ("B15", data["period"]["as_of"])):
    v = cached["Summary"][ref].value
    if not isinstance(v, datetime.datetime) or v.date().isoformat() != day:
        fail("Summary %s is %r, expected the date %s" % (ref, v, day))

# Cross-checks: each a formula that evaluates to OK.
for c in data["checks"]:
    row = labels.get((c["check"],))
    if not row:
        fail("Summary has no cross-check %r" % c["check"])
    expect_formula("Summary", "B%d" % row, c["left"], c["check"] + " left")
    expect_formula("Summary", "C%d" % row, c["right"], c["check"] + " right")
    f = formulas["Summary"]["D%d" % row].value
    v = cached["Summary"]["D%d" % row].value
    if not is_formula(f) or (c["ok"] and v != "OK"):
        fail("cross-check %r: %r cached %r" % (c["check"], f, v))

# The inputs, on the Summary and in the custom document properties.
with zipfile.ZipFile(out) as z:
    custom = z.read("docProps/custom.xml").decode("utf-8")
summary_text = [[c.value for c in row] for row in formulas["Summary"].iter_rows()]
for item in data["inputs"]:
    if item["sha256"] not in custom or "file=%s" % item["file"] not in custom:
        fail("custom properties lack %s" % item["file"])
    if not any(r[1] == item["file"] and r[3] == item["sha256"]
               and r[2] == item["lines"] for r in summary_text):
        fail("Summary lacks the input %s" % item["file"])
if 'name="grantrec version"' not in custom:
    fail("custom properties lack the grantrec version")

# ---- Budget vs Actual ------------------------------------------------------------
bva = "Budget vs Actual"
rows = rows_by(bva, 0, 1)
for b in data["budget_lines"]:
    row = rows.get((b["member"], b["budget_line"]))
    if not row:
        fail("%s has no row for %s / %s" % (bva, b["member"], b["budget_line"]))
    what = "%s %s" % (b["member"], b["budget_line"])
    if not same_cents(cached[bva]["C%d" % row].value, b["budget"]):
        fail("%s budget %r, JSON %s" % (what, cached[bva]["C%d" % row].value,
                                        b["budget"]))
    expect_formula(bva, "D%d" % row, b["actual"], what + " actual",
                   ("=SUMIFS(", "=SUMPRODUCT("))
    expect_formula(bva, "E%d" % row, b["variance"], what + " variance")
    expect_formula(bva, "F%d" % row, b["variance_pct"], what + " variance %")
    above = cached[bva]["G%d" % row].value or ""
    if above != ("yes" if b["over_threshold"] else ""):
        fail("%s above threshold %r" % (what, above))
for m in data["members"]:
    row = rows.get((m["id"], "Subtotal"))
    expect_formula(bva, "C%d" % row, m["budget"], m["id"] + " budget",
                   ("=SUBTOTAL(9,",))
    expect_formula(bva, "D%d" % row, m["actual"], m["id"] + " actual",
                   ("=SUBTOTAL(9,",))
    expect_formula(bva, "E%d" % row, m["variance"], m["id"] + " variance")
    expect_formula(bva, "F%d" % row, m["variance_pct"], m["id"] + " variance %")
row = rows[("Total", None)]
expect_formula(bva, "C%d" % row, t["budget"], "total budget", ("=SUBTOTAL(9,",))
expect_formula(bva, "D%d" % row, t["actual"], "total actual", ("=SUBTOTAL(9,",))

# ---- Funds -------------------------------------------------------------------
rows = rows_by("Funds", 0)
for m in data["members"]:
    row = rows[(m["id"],)]   # the first row of the member: the members table
    expect_formula("Funds", "D%d" % row, m["budget"], m["id"] + " budget")
    expect_formula("Funds", "E%d" % row, m["actual"], m["id"] + " actual",
                   ("=SUMIFS(", "=SUMPRODUCT("))
    expect_formula("Funds", "F%d" % row, m["disbursed"], m["id"] + " disbursed")
    expect_formula("Funds", "G%d" % row, m["position"], m["id"] + " position")
for k, tr in enumerate(data["tranches"]):
    st = cached["Funds"]["C%d" % (rows[("Tranche",)] + 1 + k)].value
    if st != tr["status"]:
        fail("tranche %s status %r, JSON %s" % (tr["tranche"], st, tr["status"]))

# ---- Countries -----------------------------------------------------------------
total = col_of("Countries", 4, "Total")
rows = rows_by("Countries", 0)
for c in data["countries"]:
    label = c["country"] or "(no country)"
    expect_formula("Countries", "%s%d" % (total, rows[(label,)]), c["actual"],
                   "country " + label)
    for m in data["members"]:
        col = col_of("Countries", 4, m["id"])
        f = formulas["Countries"]["%s%d" % (col, rows[(label,)])].value
        if not (f.startswith("=SUMIFS(") or f.startswith("=SUMPRODUCT(")):
            fail("Countries %s/%s is %r" % (label, m["id"], f))
expect_formula("Countries", "%s%d" % (total, rows[("Total",)]), t["actual"],
               "countries total")

# ---- Quarters ----------------------------------------------------------------
total = col_of("Quarters", 4, "Total")
rows = rows_by("Quarters", 0)
running = {m["id"]: Decimal(0) for m in data["members"]}
for q in data["quarters"]:
    row = rows[(q["label"],)]
    expect_formula("Quarters", "%s%d" % (total, row), q["actual"],
                   "quarter " + q["label"])
    for mid, figure in q["members"].items():
        expect_formula("Quarters", "%s%d" % (col_of("Quarters", 4, mid), row),
                       figure, "quarter %s %s" % (q["label"], mid),
                       ("=SUMIFS(", "=SUMPRODUCT("))
        running[mid] += Decimal(figure)
        expect_formula("Quarters", "%s%d" % (
            col_of("Quarters", 4, mid + " cumulative"), row),
            str(running[mid]), "cumulative %s %s" % (q["label"], mid))

# ---- Ledger ------------------------------------------------------------------
ledger_inputs = [i for i in data["inputs"] if i["role"].startswith("ledger")]
input_lines = 0
for i in ledger_inputs:
    with open(os.path.join(os.path.dirname(ini), i["file"]), "rb") as f:
        input_lines += sum(1 for raw in f.read().splitlines()[1:] if raw.strip())
rows = 0
counted = Decimal(0)
for n in ledgers:
    fs, cs = formulas[n], cached[n]
    if fs.freeze_panes != "A2" or not fs.auto_filter.ref:
        fail("%s: header not frozen or no autofilter" % n)
    head = [c.value for c in fs[1]]
    want = ["Member", "Source file", "Source line", "Voucher", "Date",
            "Country", "Budget line", "Description", "Amount", "Currency",
            "Rate"]
    if head[:11] != want:
        fail("%s header %r" % (n, head))
    for r in range(2, fs.max_row + 1):
        date = cs.cell(r, 5).value
        if not isinstance(date, datetime.datetime):
            fail("%s!E%d is not a date cell: %r" % (n, r, date))
        if not isinstance(fs.cell(r, 9).value, (int, float)):
            fail("%s!I%d amount is not a number" % (n, r))
        for col in (1, 4, 7, 8):
            v = fs.cell(r, col).value
            if v is not None and fs.cell(r, col).data_type != "s":
                fail("%s %s%d: text stored as %s" % (n, "ABCDEFGH"[col - 1], r,
                                                     fs.cell(r, col).data_type))
        if cs.cell(r, 13).value == "yes":
            counted += Decimal(repr(cs.cell(r, 12).value))
        rows += 1
if rows != input_lines:
    fail("the Ledger has %d rows, the inputs %d lines" % (rows, input_lines))
if counted != Decimal(t["actual"]):
    fail("counted Ledger lines add up to %s, actual is %s" % (counted, t["actual"]))

print("OK: %d sheets, %d key cells checked, %d ledger rows"
      % (len(names), checked, rows))
