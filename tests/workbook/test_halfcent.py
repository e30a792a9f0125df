"""A grant whose converted amounts land exactly on half-cents, under both
rounding rules, with the expected figures worked out by hand below.

usage: test_halfcent.py GRANTREC HALFCENT_FOLDER

Under half-up each converted amount is a ROUND formula (half away from
zero); under half-even it is grantrec's value and the Summary says so.
Either way the cached values are the hand-computed cents, and every total
is a formula. (test_recalc.py recalculates both with LibreOffice.)
"""
import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wbtest  # noqa: E402
from wbtest import fail, is_formula, same_cents  # noqa: E402

binary, folder = sys.argv[1], sys.argv[2]

# Each ledger line: (voucher, exact EUR value, half-up, half-even).
# Rates: daily USD 2, GBP 0.8 (EUR = amount / rate); beta's transfer
# average is 200/100 = 2 before 2024-06-01 and (200+120)/(100+100) = 1.6
# from then on.
LINES = [
    # alpha, fx = daily
    ("A-01", "0.625", "0.63", "0.62"),     # 1.25 USD / 2
    ("A-02", "-0.625", "-0.63", "-0.62"),  # -1.25 USD / 2: ties away from 0
    ("A-03", "0.375", "0.38", "0.38"),     # 0.75 USD / 2: 8 is even
    ("A-04", "1.675", "1.68", "1.68"),     # 3.35 USD / 2
    ("A-05", "1.225", "1.23", "1.22"),     # 2.45 USD / 2
    ("A-06", "0.025", "0.03", "0.02"),     # 0.02 GBP / 0.8
    ("A-07", "12.625", "12.63", "12.62"),  # 10.10 GBP / 0.8
    ("A-08", "0.125", "0.13", "0.12"),     # EUR 0.125, three decimals
    ("A-09", "-2.675", "-2.68", "-2.68"),  # EUR -2.675 (not exact in binary)
    ("A-10", "100.00", "100.00", "100.00"),
    # beta, fx = transfer-average
    ("B-01", "0.625", "0.63", "0.62"),     # 1.25 USD / 2
    ("B-02", "-0.125", "-0.13", "-0.12"),  # -0.25 USD / 2
    ("B-03", "0.625", "0.63", "0.62"),     # 1.00 USD / 1.6
    ("B-04", "0.125", "0.13", "0.12"),     # 0.20 USD / 1.6
    ("B-05", "-0.025", "-0.03", "-0.02"),  # -0.04 USD / 1.6
    ("B-06", "1.25", "1.25", "1.25"),      # 2.00 USD / 1.6
    ("B-07", "5.00", "5.00", "5.00"),      # EUR, 2025-01-05: not counted
]

# Budget lines (alpha O1: A-01..03, 06, 08..10; alpha O2: A-04, 05, 07;
# beta O1: B-01..06), by hand:
#   half-up   alpha O1 = 0.63 - 0.63 + 0.38 + 0.03 + 0.13 - 2.68 + 100.00 = 97.86
#             alpha O2 = 1.68 + 1.23 + 12.63                              = 15.54
#             beta  O1 = 0.63 - 0.13 + 0.63 + 0.13 - 0.03 + 1.25          =  2.48
#             actual   = 97.86 + 15.54 + 2.48                             = 115.88
#   half-even alpha O1 = 0.62 - 0.62 + 0.38 + 0.02 + 0.12 - 2.68 + 100.00 = 97.84
#             alpha O2 = 1.68 + 1.22 + 12.62                              = 15.52
#             beta  O1 = 0.62 - 0.12 + 0.62 + 0.12 - 0.02 + 1.25          =  2.47
#             actual   = 97.84 + 15.52 + 2.47                             = 115.83
# The exact unrounded actual is 113.375 + 2.475 = 115.85, so the rounding
# difference is +0.03 (half-up) and -0.02 (half-even). Budget 130.00, so
# the variance is -14.12 and -14.17. Funds: 100.00 received, 20.00 passed
# on to beta; alpha (lead) keeps 80.00: positions 80.00 - 113.40 = -33.40
# and 20.00 - 2.48 = 17.52 (half-up), -33.36 and 17.53 (half-even).
EXPECTED = {
    "half-up": {
        "lines": {("alpha", "O1 Services"): "97.86",
                  ("alpha", "O2 Advocacy"): "15.54",
                  ("beta", "O1 Services"): "2.48"},
        "members": {"alpha": ("113.40", "-33.40"), "beta": ("2.48", "17.52")},
        "actual": "115.88", "variance": "-14.12", "rounding": "0.03",
    },
    "half-even": {
        "lines": {("alpha", "O1 Services"): "97.84",
                  ("alpha", "O2 Advocacy"): "15.52",
                  ("beta", "O1 Services"): "2.47"},
        "members": {"alpha": ("113.36", "-33.36"), "beta": ("2.47", "17.53")},
        "actual": "115.83", "variance": "-14.17", "rounding": "-0.02",
    },
}

for rule, want in EXPECTED.items():
    ini = os.path.join(folder, "grant-%s.ini" % rule)
    out = os.path.abspath("%s.xlsx" % rule)
    data = wbtest.reconcile(binary, ini, out)
    formulas, cached = wbtest.load(out)
    if data["grant"]["rounding"] != rule:
        fail("%s: the grant says rounding %s" % (ini, data["grant"]["rounding"]))
    # The hand-computed figures agree with grantrec's JSON ...
    t = data["totals"]
    if (t["actual"], t["variance"]) != (want["actual"], want["variance"]):
        fail("%s: JSON actual %s variance %s" % (rule, t["actual"], t["variance"]))
    if Decimal(t["rounding_difference"]) != Decimal(want["rounding"]):
        fail("%s: rounding difference %s" % (rule, t["rounding_difference"]))
    # ... and with the workbook's cached values.
    ledger = formulas["Ledger"]
    seen = {}
    for r in range(2, ledger.max_row + 1):
        voucher = ledger.cell(r, 4).value
        seen[voucher] = r
    index = 2 if rule == "half-up" else 3
    for line in LINES:
        r = seen.get(line[0])
        if not r:
            fail("%s: no Ledger row for %s" % (rule, line[0]))
        f = ledger.cell(r, 12).value
        v = cached["Ledger"].cell(r, 12).value
        if not same_cents(v, line[index]):
            fail("%s: %s converted %r, expected %s (exact %s)"
                 % (rule, line[0], v, line[index], line[1]))
        currency = ledger.cell(r, 10).value
        amount_scale = len(line[1].split(".")[1]) if currency == "EUR" else None
        if rule == "half-up":
            # A formula: ROUND of the amount over the rate, or of sent /
            # received for a transfer average; the amount itself in EUR.
            if not is_formula(f):
                fail("half-up: %s converted is a value, not a formula" % line[0])
            if currency != "EUR" and not f.startswith("=ROUND("):
                fail("half-up: %s converted is %s" % (line[0], f))
            if line[0].startswith("B-0") and currency != "EUR" and "FX!" not in f:
                fail("half-up: transfer-average %s does not use the FX sums: %s"
                     % (line[0], f))
        else:
            # Half-even: grantrec's value, except the plain EUR amounts.
            if currency != "EUR" or amount_scale > 2:
                if is_formula(f):
                    fail("half-even: %s converted is a formula %s" % (line[0], f))
    rows = {}
    for row in formulas["Budget vs Actual"].iter_rows(min_row=5):
        rows.setdefault((row[0].value, row[1].value), row[0].row)
    for key, figure in want["lines"].items():
        ref = "D%d" % rows[key]
        if not is_formula(formulas["Budget vs Actual"][ref].value) or \
                not same_cents(cached["Budget vs Actual"][ref].value, figure):
            fail("%s: Budget vs Actual %s %s is %r / %r, expected %s" % (
                rule, key, ref, formulas["Budget vs Actual"][ref].value,
                cached["Budget vs Actual"][ref].value, figure))
    funds = {}
    for row in formulas["Funds"].iter_rows(min_row=6, max_row=7):
        funds[row[0].value] = row[0].row
    for mid, (actual, position) in want["members"].items():
        for col, figure in (("E", actual), ("G", position)):
            ref = "%s%d" % (col, funds[mid])
            if not is_formula(formulas["Funds"][ref].value) or \
                    not same_cents(cached["Funds"][ref].value, figure):
                fail("%s: Funds %s %s is %r, expected %s" % (
                    rule, mid, ref, cached["Funds"][ref].value, figure))
    summary = {}
    for row in formulas["Summary"].iter_rows():
        summary.setdefault(row[0].value, row[0].row)
    for label, figure in (("Actual", want["actual"]),
                          ("Variance (actual - budget)", want["variance"]),
                          ("Outside the period (listed, not counted)", "5.00")):
        ref = "B%d" % summary[label]
        if not is_formula(formulas["Summary"][ref].value) or \
                not same_cents(cached["Summary"][ref].value, figure):
            fail("%s: Summary %s is %r, expected %s" % (
                rule, label, cached["Summary"][ref].value, figure))
    # The Summary states the rule, and how the amounts are computed.
    if cached["Summary"]["B12"].value != rule:
        fail("%s: Summary B12 says %r" % (rule, cached["Summary"]["B12"].value))
    text = " ".join(str(c.value) for row in formulas["Summary"].iter_rows()
                    for c in row if isinstance(c.value, str))
    phrase = ("is the formula ROUND(amount / rate, 2)" if rule == "half-up"
              else "no function that rounds half to even")
    if phrase not in text:
        fail("%s: the Summary does not say %r" % (rule, phrase))
    print("%s: %d lines and the totals match the hand-computed cents"
          % (rule, len(LINES)))
print("OK")
