"""Text from the ledgers stays text, safe and whole where it can be.

usage: test_text.py GRANTREC

A generated grant (wbtest.make_hostile_grant) whose ledgers hold
descriptions and vouchers that look like formulas (= + - @), control
characters, a description longer than a cell holds, OOXML "_xHHHH_"
escapes, budget lines with SUMIFS wildcards and operators (* ? ~ = <),
labels that differ only in case and a label longer than a criterion may
be. The Ledger is cut into sheets of four lines (GRANTREC_XLSX_LEDGER_ROWS,
a test hook) so that it continues on Ledger (2), (3), (4) and every sum
must cover them all. (test_recalc.py hostile recalculates it.)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openpyxl.utils.escape import unescape  # noqa: E402
import wbtest  # noqa: E402
from wbtest import fail, is_formula, same_cents  # noqa: E402

binary = sys.argv[1]
ini = wbtest.make_hostile_grant(os.path.abspath("grant"))
out = os.path.abspath("text.xlsx")
data = wbtest.reconcile(binary, ini, out,
                        env={"GRANTREC_XLSX_LEDGER_ROWS": "4"})
formulas, cached = wbtest.load(out)

ledgers = wbtest.ledger_sheets(formulas)
lines = wbtest.HOSTILE_LINES
want = ["Ledger"] + ["Ledger (%d)" % i for i in range(2, (len(lines) + 3) // 4 + 1)]
if ledgers != want:
    fail("ledger sheets %r, expected %r" % (ledgers, want))
if formulas.sheetnames[-2:] != ["Findings", "Charts"]:
    fail("sheets end with %r" % formulas.sheetnames[-2:])

# The Ledger rows, in input order (member m1's file, then m2's).
rows = []
for n in ledgers:
    ws = formulas[n]
    if ws.max_row > 5:
        fail("%s has %d rows, at most 4 lines expected" % (n, ws.max_row - 1))
    for r in range(2, ws.max_row + 1):
        rows.append([ws.cell(r, c) for c in range(1, 15)])
ordered = [l for l in lines if l[0] == "m1"] + [l for l in lines if l[0] == "m2"]
if len(rows) != len(ordered):
    fail("%d Ledger rows for %d input lines" % (len(rows), len(ordered)))


def text(cell):
    """The text as a spreadsheet shows it (OOXML escapes decoded)."""
    return unescape(cell.value) if isinstance(cell.value, str) else cell.value


for cells, line in zip(rows, ordered):
    voucher, country, budget_line, desc = line[2], line[4], line[3], line[7]
    for cell in (cells[3], cells[5], cells[6], cells[7]):
        if cell.value is not None and cell.data_type != "s":
            fail("%s: stored as %r (%s), not as text" % (cell.coordinate,
                                                         cell.value,
                                                         cell.data_type))
    if text(cells[3]) != voucher:
        fail("voucher %r read back as %r" % (voucher, text(cells[3])))
    if (text(cells[5]) or "") != country:
        fail("country %r read back as %r" % (country, text(cells[5])))
    if text(cells[6]) != budget_line:
        fail("budget line %r read back as %r" % (budget_line, text(cells[6])))
    got = text(cells[7]) or ""
    note = text(cells[13]) or ""
    if desc == wbtest.LONG_DESCRIPTION:
        if not (len(got) <= 32767 and got.endswith("\u2026")
                and desc.startswith(got[:-1])):
            fail("the long description was not cut to a cell (%d)" % len(got))
        if "cut" not in note:
            fail("the cut description has no note: %r" % note)
    elif "\x01" in desc:
        if got != "ctrl\u2401char\u241fhere" or "replaced" not in note:
            fail("control characters read back as %r, note %r" % (got, note))
    elif got != desc:
        fail("description %r read back as %r" % (desc, got))

# The writer's notes are on Findings.
notes = [r for r in formulas["Findings"].iter_rows(values_only=True)
         if r[1] == "workbook-text"]
if len(notes) < 2 or not any("cut from" in r[4] for r in notes) or \
        not any("replaced" in r[4] for r in notes):
    fail("Findings lacks the workbook-text notes: %r" % notes)

# Sums over the ledger: labels SUMIFS cannot tell apart use EXACT().
bva = formulas["Budget vs Actual"]
by_label = {}
for row in bva.iter_rows(min_row=5):
    if row[1].value not in (None, "Subtotal"):
        by_label[(row[0].value, unescape(row[1].value))] = row[0].row
for b in data["budget_lines"]:
    r = by_label[(b["member"], b["budget_line"])]
    f = bva["D%d" % r].value
    v = cached["Budget vs Actual"]["D%d" % r].value
    if not is_formula(f) or not same_cents(v, b["actual"]):
        fail("%s %r actual: %r cached %r, JSON %s" % (b["member"],
             b["budget_line"], f, v, b["actual"]))
    for n in ledgers[1:]:
        if "'%s'!" % n not in f:
            fail("%r does not sum %s: %s" % (b["budget_line"], n, f))
    exact = b["budget_line"].lower() == "audit" or len(b["budget_line"]) > 250 \
        or "_x0042_" in b["budget_line"]
    if exact != f.startswith("=SUMPRODUCT(--EXACT("):
        fail("%r: %s" % (b["budget_line"], f[:80]))
for label, crit in (("Travel*", '"=Travel~*"'), ("=Sum", '"==Sum"'),
                    ("<Costs>", '"=<Costs>"'), ("Rent ~ office", '"=Rent ~~ office"'),
                    ("Question?", '"=Question~?"')):
    r = next(k for k in by_label if k[1] == label)
    if crit not in bva["D%d" % by_label[r]].value:
        fail("%r: criterion %s missing from %s" % (label, crit,
                                                    bva["D%d" % by_label[r]].value))
# Countries that differ only in case, or are empty.
countries = {}
for row in formulas["Countries"].iter_rows(min_row=5):
    countries[row[0].value] = row[0].row
for c in data["countries"]:
    label = c["country"] or "(no country)"
    ref = "%s%d" % ("D", countries[label])
    if not same_cents(cached["Countries"][ref].value, c["actual"]):
        fail("country %r total %r, JSON %s" % (label,
                                                cached["Countries"][ref].value,
                                                c["actual"]))
print("OK: %d ledger rows on %d sheets; texts, notes and sums as expected"
      % (len(rows), len(ledgers)))
