"""The quarterly cycle in the workbook (docs/workbook.md, docs/quarterly.md):
the quarter beside the cumulative figures, the burn rate and forecast with
the chart's projection, the exchange-rate bridge, the Changes sheet and the
declared figures, against figures worked out by hand.

usage: test_quarterly.py GRANTREC CASES_FOLDER REPO

CASES_FOLDER holds the end-to-end grants (tests/e2e/cases); their
expect.json `worked` notes give the figures used below. REPO is the source
tree: its bundled grant, with the Q3 archive of docs/quarterly.md section
10, checks the Changes sheet on real books.
"""
import datetime
import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wbtest  # noqa: E402
from wbtest import fail, is_formula, same_cents  # noqa: E402

binary, cases, repo = sys.argv[1], sys.argv[2], sys.argv[3]
checked = 0


class Book:
    """A workbook read back: formulas and cached values."""

    def __init__(self, case, name, options):
        ini = os.path.join(cases, case, "grant.ini") if case else \
            os.path.join(repo, "ledgers", "grant.ini")
        self.path = os.path.abspath(name + ".xlsx")
        self.data = wbtest.reconcile(binary, ini, self.path, extra=options)
        self.f, self.v = wbtest.load(self.path)
        self.name = name

    def cell(self, sheet, ref):
        return self.f[sheet][ref].value, self.v[sheet][ref].value

    def formula(self, sheet, ref, figure, what, contains=()):
        """`ref` is a formula cached at `figure` (decimal text, or None for
        an empty text), and its text holds each of `contains`."""
        global checked
        f, v = self.cell(sheet, ref)
        where = "%s: %s!%s (%s)" % (self.name, sheet, ref, what)
        if not is_formula(f):
            fail("%s is not a formula: %r" % (where, f))
        for c in contains:
            if c not in f:
                fail("%s is %s, without %r" % (where, f, c))
        if figure is None:
            if v not in (None, ""):
                fail("%s: cached %r, expected empty" % (where, v))
        elif isinstance(figure, str) and not figure[:1].isdigit() and \
                figure[:1] != "-":
            if v != figure:
                fail("%s: cached %r, expected %r" % (where, v, figure))
        elif not same_cents(v, figure):
            fail("%s: cached %r, expected %s" % (where, v, figure))
        checked += 1

    def value(self, sheet, ref, want, what):
        """`ref` holds the value `want` (not a formula)."""
        global checked
        f, v = self.cell(sheet, ref)
        where = "%s: %s!%s (%s)" % (self.name, sheet, ref, what)
        if is_formula(f):
            fail("%s is a formula, expected a value: %r" % (where, f))
        if isinstance(want, str) and want[:1].isdigit() and "." in want:
            ok = same_cents(v, want)
        elif isinstance(want, datetime.date):
            ok = isinstance(v, datetime.datetime) and v.date() == want
        else:
            ok = v == want
        if not ok:
            fail("%s: %r, expected %r" % (where, v, want))
        checked += 1

    def row_of(self, sheet, col, text, after=1):
        """The first row at or after `after` whose column `col` (a letter)
        holds `text`."""
        ws = self.f[sheet]
        for r in range(after, ws.max_row + 1):
            if ws["%s%d" % (col, r)].value == text:
                return r
        fail("%s: %s has no %r in column %s" % (self.name, sheet, text, col))

    def col_of(self, sheet, row, text):
        """The column (letter) whose cell in `row` starts with `text`."""
        for c in self.f[sheet][row]:
            if isinstance(c.value, str) and c.value.startswith(text):
                return c.column_letter
        fail("%s: %s row %d has no header %r" % (self.name, sheet, row, text))


def day(text):
    return datetime.date.fromisoformat(text)


# ---- --quarter: the quarter beside the cumulative figures -------------------
# 4004-quarter-two, worked: Q2 = 2022-04-01..06-30; as of its end actual
# 260.00 (l 100 + 50 + 70 = 220.00, m 40 USD / 2 = 20.00 + 50 USD / 2.5 =
# 20.00: 40.00); Q2 alone l 70.00, m 20.00: 90.00; nothing received or
# passed on in Q2.
# The same books with --quarter 1 (2022-01-01..03-31), by hand: l 100.00 +
# 50.00 = 150.00, m 40 USD / 2 = 20.00: 170.00; T1 (600.00) received on
# 2022-01-05 and 100.00 passed on to m on 2022-01-10, so in Q1 m was given
# 100.00 and the lead kept 600.00 - 100.00 = 500.00.
QUARTERS = {
    "2": {"head": "Q2, 2022-04-01 to 2022-06-30", "to": "2022-06-30",
          "from": "2022-04-01",
          "lines": {"l": ("220.00", "70.00"), "m": ("40.00", "20.00")},
          "total": ("260.00", "90.00"),
          "disbursed": {"l": ("500.00", "0.00"), "m": ("100.00", "0.00")},
          "received_q": "0.00", "passed_q": "0.00"},
    "1": {"head": "Q1, 2022-01-01 to 2022-03-31", "to": "2022-03-31",
          "from": "2022-01-01",
          "lines": {"l": ("150.00", "150.00"), "m": ("20.00", "20.00")},
          "total": ("170.00", "170.00"),
          "disbursed": {"l": ("500.00", "500.00"),
                        "m": ("100.00", "100.00")},
          "received_q": "600.00", "passed_q": "100.00"},
}
for q, want in QUARTERS.items():
    b = Book("4004-quarter-two", "quarter-" + q, ["--quarter", q])
    quarter = "Q" + q
    # The Summary names the quarter's dates.
    b.value("Summary", "B16", quarter, "quarter")
    b.value("Summary", "B17", day(want["from"]), "QuarterFrom")
    b.value("Summary", "B18", day(want["to"]), "QuarterTo")
    dn = b.f.defined_names
    names = {d.name: d.attr_text for d in
             (dn.definedName if hasattr(dn, "definedName") else dn.values())}
    if names.get("QuarterFrom") != "Summary!$B$17" or \
            names.get("QuarterTo") != "Summary!$B$18":
        fail("defined names: %r" % names)
    # Budget vs Actual: headers say which quarter and to which date.
    bva = "Budget vs Actual"
    cum = b.col_of(bva, 4, "Actual, cumulative to " + want["to"])
    qc = b.col_of(bva, 4, "Actual in " + want["head"])
    if (cum, qc) != ("D", "E"):
        fail("Budget vs Actual: actual in %s, quarter in %s" % (cum, qc))
    if b.f[bva]["F4"].value != "Variance":
        fail("Budget vs Actual: variance not in F: %r" % b.f[bva]["F4"].value)
    for m, (actual, in_q) in want["lines"].items():
        r = b.row_of(bva, "A", m, 5)
        b.formula(bva, "D%d" % r, actual, m + " cumulative", ("SUMIFS(",))
        b.formula(bva, "E%d" % r, in_q, m + " in the quarter",
                  ('">="&QuarterFrom', '"<="&QuarterTo', '"yes"'))
        b.formula(bva, "F%d" % r, str(Decimal(actual) -
                                      Decimal(b.data["members"][0 if m == "l"
                                                               else 1]
                                              ["budget"])),
                  m + " variance", ("D%d-C%d" % (r, r),))
        sub = b.row_of(bva, "B", "Subtotal", r)
        b.formula(bva, "E%d" % sub, in_q, m + " subtotal in the quarter",
                  ("SUBTOTAL(9,",))
    total = b.row_of(bva, "A", "Total", 5)
    b.formula(bva, "D%d" % total, want["total"][0], "total cumulative")
    b.formula(bva, "E%d" % total, want["total"][1], "total in the quarter",
              ("SUBTOTAL(9,",))
    # Funds: actual and disbursed in the quarter beside the cumulative.
    head = [c.value for c in b.f["Funds"][5]]
    if head[4] != "Actual, cumulative to " + want["to"] or \
            head[5] != "Actual in " + want["head"] or \
            head[6] != "Disbursed, cumulative to " + want["to"] or \
            head[7] != "Disbursed in " + want["head"]:
        fail("Funds headers %r" % head)
    for m, (disb, disb_q) in want["disbursed"].items():
        r = b.row_of("Funds", "A", m, 6)
        b.formula("Funds", "F%d" % r, want["lines"][m][1],
                  m + " actual in the quarter", ("QuarterFrom",))
        b.formula("Funds", "G%d" % r, disb, m + " disbursed")
        b.formula("Funds", "H%d" % r, disb_q, m + " disbursed in the quarter")
        position = Decimal(disb) - Decimal(want["lines"][m][0])
        b.formula("Funds", "I%d" % r, str(position), m + " position",
                  ("G%d-E%d" % (r, r),))
    r = b.row_of("Funds", "A", "Total", 6)
    b.formula("Funds", "F%d" % r, want["total"][1], "total in the quarter",
              ("SUM(",))
    r = b.row_of("Funds", "A", "Received in " + want["head"])
    b.formula("Funds", "D%d" % r, want["received_q"], "received in quarter",
              ('"received"', '">="&QuarterFrom'))
    r = b.row_of("Funds", "A", "Passed on in " + want["head"])
    b.formula("Funds", "D%d" % r, want["passed_q"], "passed on in quarter",
              ('">="&QuarterFrom', '"<="&QuarterTo'))
    # Countries: the quarter's total beside the cumulative one.
    if b.v["Countries"]["B3"].value != "Actual, cumulative to " + want["to"] \
            or b.v["Countries"]["E3"].value != want["head"] or \
            b.v["Countries"]["E4"].value != "Total in " + quarter:
        fail("Countries headers %r %r %r" % (b.v["Countries"]["B3"].value,
                                             b.v["Countries"]["E3"].value,
                                             b.v["Countries"]["E4"].value))
    b.formula("Countries", "E5", want["total"][1], "no country, quarter",
              ("QuarterFrom",))
    b.formula("Countries", "E6", want["total"][1], "total, quarter", ("SUM(",))
    # The key figures of the quarter.
    for label, figure in (("Actual in quarter " + quarter, want["total"][1]),
                          ("Received from the donor in " + quarter,
                           want["received_q"]),
                          ("Passed on to members in " + quarter,
                           want["passed_q"])):
        b.formula("Summary", "B%d" % b.row_of("Summary", "A", label), figure,
                  label)


# ---- burn rate and forecast, and the projection on the Charts ----------------
# 4001-as-of-march, worked: elapsed 90 of 365 days = 24.66 %; the window
# 2022-01-01..03-31 (90 days) holds all 170.00: burn 56.67 a month;
# projected 170.00 + 170.00 x 275 / 90 = 689.44, -31.06 % against 1000.00;
# l: 150 + 150 x 275/90 = 608.33 (-13.10 %, off); m: 20 + 20 x 275/90 =
# 81.11 (-72.96 %, off). Spent: l 150/700 = 21.43 %, m 20/300 = 6.67 %,
# total 17.00 %; burn l 50.00, m 6.67.
b = Book("4001-as-of-march", "as-of", ["--as-of", "2022-03-31"])
S = "Summary"
for label, figure in (("Days in the period", 365), ("Days elapsed", 90),
                      ("Days remaining", 275), ("Days in the window", 90),
                      ("Days in three whole months", 90)):
    r = b.row_of(S, "A", label)
    f, v = b.cell(S, "B%d" % r)
    if not is_formula(f) or v != figure:
        fail("as-of: %s is %r cached %r, expected %d" % (label, f, v, figure))
b.formula(S, "B%d" % b.row_of(S, "A", "Period elapsed (%)"), "24.66",
          "elapsed %")
for label, figure in (("Window from", "2022-01-01"), ("Window to",
                                                        "2022-03-31")):
    r = b.row_of(S, "A", label)
    f, v = b.cell(S, "B%d" % r)
    if not is_formula(f) or v.date() != day(figure):
        fail("as-of: %s is %r cached %r" % (label, f, v))
head = b.row_of(S, "D", "Spent %")
FORECAST = {
    "l": ("700.00", "150.00", "21.43", "150.00", "50.00", "608.33", "-13.10",
          "yes"),
    "m": ("300.00", "20.00", "6.67", "20.00", "6.67", "81.11", "-72.96",
          "yes"),
    "Total": ("1000.00", "170.00", "17.00", "170.00", "56.67", "689.44",
              "-31.06", "yes"),
}
for who, figures in FORECAST.items():
    r = b.row_of(S, "A", who, head + 1)
    for col, figure, what in zip("BCDEFGHI", figures, (
            "budget", "actual", "spent %", "last three months", "per month",
            "projected", "projected vs budget %", "off budget")):
        contains = ()
        if what == "last three months" and who != "Total":
            contains = ("SUMIFS(", '"yes"')
        if what == "per month":
            contains = ("ROUND(E%d*" % r,)
        b.formula(S, "%s%d" % (col, r), figure, "%s %s" % (who, what),
                  contains)
# The chart's table: the projection from the as-of month to the end.
ch = b.f["Charts"]
if ch["H4"].value != "Projection":
    fail("Charts: no Projection column: %r" % ch["H4"].value)
months = {ch["A%d" % r].value: r for r in range(5, ch.max_row + 1)
          if ch["A%d" % r].value}
if "2022-12" not in months or "2022-04" not in months:
    fail("Charts: the months do not reach the end date: %r" % sorted(months))
b.formula("Charts", "H%d" % months["2022-03"], "170.00", "projection start",
          ("E%d" % months["2022-03"],))
b.formula("Charts", "H%d" % months["2022-12"], "689.44", "projection end",
          ("Summary!",))
for mo in ("2022-04", "2022-11"):
    if ch["H%d" % months[mo]].value is not None or \
            ch["D%d" % months[mo]].value is not None:
        fail("Charts: %s holds %r" % (mo, ch["H%d" % months[mo]].value))
with __import__("zipfile").ZipFile(b.path) as z:
    charts = [z.read(n).decode() for n in z.namelist()
              if n.startswith("xl/charts/chart")]
if not any("Projection to the end date" in c and 'dispBlanksAs val="span"' in c
           for c in charts):
    fail("no chart has the projection series joined across blank months")
# Without a stated date, or at the end, nothing is projected.
b2 = Book("4001-as-of-march", "final", [])
if any(c.value == "Burn rate and forecast (EUR)" for c in b2.f[S]["A"]) or \
        b2.f["Charts"]["H4"].value is not None:
    fail("a forecast without a stated as-of date")


# ---- the exchange-rate bridge -------------------------------------------------
# 4013-fx-effect, worked: actual 100 USD / 2 = 50.00 + 10.00 EUR + 25 BRL /
# 5 = 5.00: 65.00; at the planning rate 100 USD / 2.5 = 40.00, EUR as is,
# BRL without a planning rate stays 5.00: 55.00; rate effect 65.00 - 55.00
# = 10.00, spending effect 55.00 - 45.00 = 10.00; 45 + 10 + 10 = 65.00.
b = Book("4013-fx-effect", "fx-effect", [])
r = b.row_of(S, "A", "Actual at the planning rates")
b.formula(S, "B%d" % r, "55.00", "at the planning rates", ("FX!",))
b.formula(S, "B%d" % (r + 1), "45.00", "budget")
b.formula(S, "B%d" % (r + 2), "10.00", "spending effect",
          ("B%d-B%d" % (r, r + 1),))
if b.f[S]["A%d" % (r + 2)].value != "+ Spending effect" or \
        b.f[S]["A%d" % (r + 3)].value != "+ Rate effect" or \
        b.f[S]["A%d" % (r + 4)].value != "= Actual":
    fail("the bridge's rows: %r" % [b.f[S]["A%d" % k].value
                                   for k in range(r, r + 5)])
b.formula(S, "B%d" % (r + 3), "10.00", "rate effect")
b.formula(S, "B%d" % (r + 4), "65.00", "= actual",
          ("B%d+B%d+B%d" % (r + 1, r + 2, r + 3),))
b.formula(S, "C%d" % (r + 4), "OK", "the bridge checks against actual",
          ("ROUND(",))
actual_row = b.row_of(S, "A", "Actual")
if "B%d" % actual_row not in b.f[S]["C%d" % (r + 4)].value:
    fail("the bridge's check does not refer to Actual (B%d)" % actual_row)
fx = "FX"
head = b.row_of(fx, "C", "Actual at the planning rates")
mrow = b.row_of(fx, "A", "m", head + 1)
b.formula(fx, "B%d" % mrow, "45.00", "m budget", ("Funds!",))
b.value(fx, "C%d" % mrow, "55.00", "m at the planning rates")
b.formula(fx, "D%d" % mrow, "10.00", "m spending effect",
          ("C%d-B%d" % (mrow, mrow),))
b.formula(fx, "E%d" % mrow, "10.00", "m rate effect",
          ("F%d-C%d" % (mrow, mrow),))
b.formula(fx, "F%d" % mrow, "65.00", "m actual", ("Funds!",))
for col, figure in zip("BCDEF", ("45.00", "55.00", "10.00", "10.00",
                                 "65.00")):
    b.formula(fx, "%s%d" % (col, mrow + 1), figure, "bridge total", ("SUM(",))
r = b.row_of(fx, "A", "USD", mrow + 2)
if b.v[fx]["B%d" % r].value != 2.5 or b.v[fx]["D%d" % r].value != 2:
    fail("planning rate of USD: %r, line %r" % (b.v[fx]["B%d" % r].value,
                                                b.v[fx]["D%d" % r].value))
link = b.f[fx]["A3"].hyperlink
if not link or link.location != "FX!A%d" % (head - 2):
    fail("FX: no link from the top to the bridge: %r" % link)


# ---- declared figures ---------------------------------------------------------
# 4012-declared, worked: l reported 150.00 for Q1 and the ledger gives
# 100.00 + 50.00 = 150.00; m reported 25.00, the ledger 40 USD / 2 = 20.00:
# a difference of 5.00; Q9 is no quarter, so it is not listed.
b = Book("4012-declared", "declared", [])
Q = "Quarters"
head = b.row_of(Q, "D", "Declared")
for who, line, declared, ledger, diff in (("l", 2, "150.00", "150.00", "0.00"),
                                          ("m", 3, "25.00", "20.00", "5.00")):
    r = b.row_of(Q, "B", who, head + 1)
    b.value(Q, "A%d" % r, "Q1", who + " quarter")
    b.value(Q, "C%d" % r, line, who + " line")
    b.value(Q, "D%d" % r, declared, who + " declared")
    b.formula(Q, "E%d" % r, ledger, who + " ledger")
    q1 = b.row_of(Q, "A", "Q1")
    if b.f[Q]["E%d" % r].value not in ("=D%d" % q1, "=E%d" % q1):
        fail("declared %s: ledger is %r, not the Q1 cell" % (
            who, b.f[Q]["E%d" % r].value))
    b.formula(Q, "F%d" % r, diff, who + " difference", ("D%d-E%d" % (r, r),))
if b.f[Q]["A%d" % (head + 3)].value == "Q9":
    fail("the unknown quarter Q9 is listed")


# ---- --previous: the Changes sheet ------------------------------------------------
# 4011-restatement, worked: the previous books reported Q1 (to 2022-03-31)
# at 10.00 + 20.00 + 30 USD / 2 = 15.00 + 5.00 = 50.00. Now V2 (20.00) is
# gone, V3 is 32 USD = 16.00 (was 15.00), V5 (7.00, 2022-03-25) arrived
# late, V6 (2022-04-10) is new activity: Q1 restated 10 + 16 + 5 + 7 =
# 38.00, -12.00; the lines' effects 7.00 - 20.00 + 1.00 = -12.00 too.
case = os.path.join(cases, "4011-restatement")
b = Book("4011-restatement", "previous",
         ["--previous", os.path.join(case, "previous", "grant.ini")])
want = (wbtest.SHEETS_BEFORE_LEDGER[:5] + ["Changes", "FX", "Ledger"]
        + wbtest.SHEETS_AFTER_LEDGER)
if b.f.sheetnames != want:
    fail("sheets %r, expected %r" % (b.f.sheetnames, want))
C = "Changes"
r = b.row_of(C, "A", "Q1", 5)
b.value(C, "B%d" % r, "m", "restated member")
b.value(C, "E%d" % r, "50.00", "Q1 reported")
b.formula(C, "F%d" % r, "38.00", "Q1 restated", ("Quarters!",))
b.formula(C, "G%d" % r, "-12.00", "Q1 difference", ("F%d-E%d" % (r, r),))
LINES = [  # kind, voucher, side, amount, currency, converted, effect, line
    ("late booking", "V5", "now", 7, "EUR", "7.00", "7.00", 5),
    ("removed", "V2", "before", 20, "EUR", "20.00", "-20.00", 3),
    ("changed", "V3", "before", 30, "USD", "15.00", None, 4),
    ("changed", "V3", "now", 32, "USD", "16.00", "1.00", 3),
]
first = b.row_of(C, "A", "late booking")
for k, (kind, voucher, side, amount, cur, conv, effect, line) in \
        enumerate(LINES):
    r = first + k
    got = [b.v[C]["%s%d" % (col, r)].value for col in "ABCDGHKMN"]
    if got != [kind, "m", voucher, side, amount, cur, "yes", "m.csv", line]:
        fail("Changes row %d: %r" % (r, got))
    if side == "now":
        b.formula(C, "J%d" % r, conv, voucher + " converted now", ("Ledger!",))
        b.formula(C, "K%d" % r, "yes", voucher + " counted now", ("Ledger!",))
    else:
        b.value(C, "J%d" % r, conv, voucher + " converted before")
    if effect:
        b.formula(C, "L%d" % r, effect, voucher + " effect on actual")
    elif b.f[C]["L%d" % r].value is not None:
        fail("Changes row %d: an effect on the before row" % r)
if b.v[C]["O%d" % (first + 3)].value != "amount, converted amount":
    fail("what changed: %r" % b.v[C]["O%d" % (first + 3)].value)
if b.v[C]["I%d" % (first + 2)].value != 2:
    fail("V3's rate before: %r" % b.v[C]["I%d" % (first + 2)].value)
b.formula(C, "I%d" % (first + 3), "2", "V3's rate now", ("Ledger!",))
b.formula(C, "L%d" % (first + 4), "-12.00", "net effect", ("SUM(",))
for label, figure in (("Late bookings", 1), ("Removed lines", 1),
                      ("Changed lines", 1)):
    r = b.row_of(S, "A", label)
    f, v = b.cell(S, "B%d" % r)
    if not is_formula(f) or "COUNTIFS(Changes!" not in f or v != figure:
        fail("Summary %s: %r cached %r" % (label, f, v))
    if not (b.f[S]["C%d" % r].hyperlink.location or "").startswith("'Changes'"):
        fail("Summary %s has no link to Changes" % label)
b.value(S, "B%d" % b.row_of(S, "A", "New lines after it"), 1, "new lines")
b.value(S, "B%d" % b.row_of(S, "A", "Reported to"), day("2022-03-31"),
        "reported to")
b.formula(S, "B%d" % b.row_of(S, "A", "Reported quarters restated, net (EUR)"),
          "-12.00", "net restatement", ("SUM(Changes!",))
if b.v[S]["B%d" % b.row_of(S, "A", "The previous report's grant.ini")].value \
        != "previous/grant.ini":
    fail("the previous grant.ini is not named relative to this grant's folder")


# ---- the bundled grant at Q4, against its Q3 archive (docs/quarterly.md) ---------
# Section 5: fag's seven lines of 14 February came late (1,339.46), the
# office rent of 850.00 booked twice was deleted, and FAG-B21-0347 was
# corrected from 3303.61 to 3033.61 THB (86.85 to 79.75, -7.10): fag's Q3
# was reported at 173,785.23 and is restated at 174,267.59, +482.36 =
# 1,339.46 - 850.00 - 7.10. Every other quarter and member is unchanged.
archive = wbtest.make_q3_archive(repo, os.getcwd())
b = Book(None, "bundled-q4", ["--quarter", "4", "--previous", archive])
head = b.row_of(C, "E", "Reported")
restated = 0
for r in range(head + 1, b.row_of(C, "A", "Kind")):
    q, m = b.v[C]["A%d" % r].value, b.v[C]["B%d" % r].value
    if m is None:   # the blank row and the lines' title
        continue
    restated += 1
    diff = "482.36" if (q, m) == ("Q3", "fag") else "0.00"
    b.formula(C, "G%d" % r, diff, "%s %s difference" % (q, m))
    if (q, m) == ("Q3", "fag"):
        b.value(C, "E%d" % r, "173785.23", "fag Q3 reported")
        b.formula(C, "F%d" % r, "174267.59", "fag Q3 restated")
if restated != 15:
    fail("%d quarters restated, expected Q1 to Q3 for 5 members" % restated)
kinds = [b.v[C]["A%d" % r].value for r in range(b.row_of(C, "A", "Kind") + 1,
                                                b.f[C].max_row + 1)]
if kinds.count("late booking") != 7 or kinds.count("removed") != 1 or \
        kinds.count("changed") != 2:
    fail("Changes lists %r" % kinds)
r = b.row_of(C, "A", "removed")
b.value(C, "J%d" % r, "850.00", "the rent removed")
b.formula(C, "L%d" % r, "-850.00", "the rent's effect")
r = b.row_of(C, "A", "changed")
b.value(C, "G%d" % r, "3303.61", "FAG-B21-0347 before")
b.value(C, "J%d" % r, "86.85", "FAG-B21-0347 converted before")
b.value(C, "G%d" % (r + 1), "3033.61", "FAG-B21-0347 now")
b.formula(C, "J%d" % (r + 1), "79.75", "FAG-B21-0347 converted now")
b.formula(C, "L%d" % (r + 1), "-7.10", "FAG-B21-0347 effect")
if b.v[C]["N%d" % (r + 1)].value != 1741:
    fail("FAG-B21-0347 is not fag.csv line 1741")
late = sum(Decimal(repr(b.v[C]["L%d" % k].value))
           for k in range(b.row_of(C, "A", "late booking"), r)
           if b.v[C]["A%d" % k].value == "late booking")
if late != Decimal("1339.46"):
    fail("the late bookings add up to %s, not 1,339.46" % late)
b.formula(C, "L%d" % b.row_of(C, "A", "Total", r), "482.36", "net effect")
b.formula(S, "B%d" % b.row_of(S, "A", "Reported quarters restated, net (EUR)"),
          "482.36", "net restatement")

print("OK: %d cells checked against hand-worked figures" % checked)
