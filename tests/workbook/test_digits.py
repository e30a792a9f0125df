#!/usr/bin/env python3
"""The 15-significant-digit limit at its edge (docs/robustness.md).

tests/e2e/cases/2079-amount-15-and-16-digits holds 1234567890123.45 (15
significant digits: a spreadsheet number keeps it exactly) and
12345678901234.56 (16: it does not). The first is an ordinary Ledger row
whose converted amount is a formula; the second keeps its exact text in the
Note column, its converted amount is grantrec's value, and the Findings
sheet carries an amount-beyond-15-digits finding.
"""
import os
import subprocess
import sys

import openpyxl

binary, case = sys.argv[1], sys.argv[2]
out = os.path.abspath("digits.xlsx")
p = subprocess.run([binary, "reconcile", os.path.join(case, "grant.ini"),
                    "-o", out, "-q"], capture_output=True, text=True)
if p.returncode != 0:
    sys.exit(f"grantrec exited {p.returncode}: {p.stderr}")
wb = openpyxl.load_workbook(out)
ledger = wb["Ledger"]
head = [c.value for c in ledger[1]]
col = {name: i for i, name in enumerate(head)}
rows = list(ledger.iter_rows(min_row=2, values_only=True))
fifteen, sixteen = rows[0], rows[1]
failures = []
if fifteen[col["Amount"]] != 1234567890123.45:
    failures.append(f"15 digits: amount cell {fifteen[col['Amount']]!r}")
if not str(fifteen[col["Converted (EUR)"]]).startswith("="):
    failures.append("15 digits: the converted amount should be a formula")
if fifteen[col["Note"]]:
    failures.append(f"15 digits: unexpected note {fifteen[col['Note']]!r}")
note = sixteen[col["Note"]] or ""
if "exact amount 12345678901234.56" not in note:
    failures.append(f"16 digits: the exact text is not beside it: {note!r}")
if str(sixteen[col["Converted (EUR)"]]).startswith("="):
    failures.append("16 digits: the converted amount should be a value")
codes = [r[1] for r in wb["Findings"].iter_rows(values_only=True)]
if "amount-beyond-15-digits" not in codes:
    failures.append("no amount-beyond-15-digits on the Findings sheet")
if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)
print("15 digits exact as a number; 16 digits kept as exact text, with a finding")
