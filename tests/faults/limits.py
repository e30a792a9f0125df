#!/usr/bin/env python3
"""Every stated limit tested at its edge (docs/robustness.md, "Limits").

    limits.py GRANTREC [NAME...]        (limits.py --list for the names)

Each check writes a small grant into a scratch folder, at the limit and
one step past it, and states what must happen: accepted with the exact
figure, or refused with exit 2 and a message that names the file, the line
and the limit. The limits themselves are the constants in the code:
GR_CSV_MAX_LINE (src/input/csvread.h), GR_DEC_MAX_INT_DIGITS and the decimals
per column (include/grantrec/decimal.h, src/input/ledger.c), GR_DATE_MIN_YEAR /
GR_DATE_MAX_YEAR (include/grantrec/date.h), GR_DIAGS_KEEP
(include/grantrec/diag.h) and inih's 200-byte line (grant.ini).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MAX_LINE = 8 * 1024 * 1024
HEADER = "date,amount,currency,budget_line,voucher,country,description\n"


def grant(folder, members=("m",), ledgers=None, start="2022-01-01",
          end="2022-12-31", extra=()):
    os.makedirs(folder, exist_ok=True)
    ini = ["[grant]", "name = Limits", "currency = EUR", "amount = 1000.00",
           f"start = {start}", f"end = {end}"] + list(extra) + [
           "budget = budget.csv",
           "tranches = tranches.csv", "daily_rates = rates.csv", ""]
    for i, m in enumerate(members):
        ledger = (ledgers or {}).get(m, f"{m}.csv")
        ini += [f"[member {m}]", f"role = {'lead' if i == 0 else 'member'}",
                f"ledger = {ledger}", "fx = daily", ""]
    with open(os.path.join(folder, "grant.ini"), "w") as f:
        f.write("\n".join(ini))
    with open(os.path.join(folder, "budget.csv"), "w") as f:
        f.write("member,budget_line,amount\n")
        for m in members:
            f.write(f"{m},Ops,1.00\n")
    with open(os.path.join(folder, "tranches.csv"), "w") as f:
        f.write("tranche,amount,due,received\nT1,1000.00,2022-01-01,2022-01-01\n")
    with open(os.path.join(folder, "rates.csv"), "w") as f:
        f.write("date,currency,rate\n")


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def run(binary, folder, *extra):
    p = subprocess.run([binary, "reconcile", "grant.ini", "--no-workbook",
                        "--json", "-"] + list(extra), cwd=folder,
                       env=dict(os.environ, LC_ALL="C"), capture_output=True,
                       timeout=240)
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode < 0 or "Sanitizer" in err or "runtime error" in err:
        raise AssertionError(f"crashed (exit {p.returncode}):\n{err[-2000:]}")
    doc = None
    if p.returncode == 0:
        doc = json.loads(out)
    return p.returncode, doc, err


def expect_ok(binary, folder, actual, **checks):
    rc, doc, err = run(binary, folder)
    if rc != 0:
        raise AssertionError(f"expected exit 0, got {rc}:\n{err[-1500:]}")
    if doc["totals"]["actual"] != actual:
        raise AssertionError(f"actual {doc['totals']['actual']}, expected {actual}")
    for key, want in checks.items():
        got = key(doc) if callable(key) else None
        if got != want:
            raise AssertionError(f"{key}: {got!r}, expected {want!r}")
    return doc


def expect_refused(binary, folder, *texts):
    rc, _, err = run(binary, folder)
    if rc != 2:
        raise AssertionError(f"expected exit 2, got {rc}:\n{err[-1500:]}")
    for t in texts:
        if t not in err:
            raise AssertionError(f"stderr lacks {t!r}:\n{err[-1500:]}")
    return err


# ---- the limits ------------------------------------------------------------


def line_8mib(binary, root):
    """A physical line of 8 MiB (terminator included) is read; one byte more
    is refused, naming the line. Fields stay within their own 1 MiB limit:
    the line is spread over nine extra columns, which are ignored."""
    extra = [f"x{i}" for i in range(9)]
    header = HEADER.rstrip("\n") + "," + ",".join(extra) + "\n"
    for size, ok in ((MAX_LINE, True), (MAX_LINE + 1, False)):
        folder = os.path.join(root, f"line-{size}")
        grant(folder)
        start = "2022-01-10,1.00,EUR,Ops,V1,,"
        room = size - len(start) - 1 - len(extra)   # the LF ends the line
        fields = [room // len(extra)] * len(extra)
        fields[-1] += room - sum(fields)
        assert max(fields) <= 1024 * 1024
        line = start + "d" + "".join("," + "x" * n for n in fields[:-1]) + \
            "," + "x" * (fields[-1] - 1) + "\n"
        assert len(line) == size, (len(line), size)
        write(os.path.join(folder, "m.csv"), header + line +
              "2022-01-11,2.00,EUR,Ops,V2,,y" + "," * len(extra) + "\n")
        if ok:
            expect_ok(binary, folder, "3.00")
        else:
            expect_refused(binary, folder, "m.csv:2: error",
                           f"a line longer than {MAX_LINE} bytes")


def amount_digits(binary, root):
    """18 integer digits (and 6 decimals in a ledger) are read exactly; 19
    digits, or 7 decimals, are refused."""
    folder = os.path.join(root, "digits-ok")
    grant(folder)
    write(os.path.join(folder, "m.csv"), HEADER +
          "2022-01-10,999999999999999999.99,EUR,Ops,V1,,\n"
          "2022-01-11,999999999999999999.99,EUR,Ops,V2,,\n"
          "2022-01-12,0.000005,EUR,Ops,V3,,\n")
    # two 18-digit amounts add up to 19 digits: a total may be longer than
    # any one amount; 0.000005 EUR (6 decimals) rounds to 0.00
    expect_ok(binary, folder, "1999999999999999999.98")
    for name, value, why in (
            ("digits-19", "1000000000000000000.00",
             "at most 18 digits before the decimal mark"),
            ("decimals-7", "1.0000001", "at most 6 decimals")):
        folder = os.path.join(root, name)
        grant(folder)
        write(os.path.join(folder, "m.csv"),
              HEADER + f"2022-01-10,{value},EUR,Ops,V1,,\n")
        expect_refused(binary, folder, "m.csv:2: error", why)


def years(binary, root):
    """Dates from 1900-01-01 to 2199-12-31 are read; the days just outside
    are refused."""
    folder = os.path.join(root, "years-ok")
    grant(folder)
    write(os.path.join(folder, "m.csv"), HEADER +
          "1900-01-01,1.00,EUR,Ops,V1,,\n2199-12-31,2.00,EUR,Ops,V2,,\n"
          "2022-06-01,4.00,EUR,Ops,V3,,\n")
    doc = expect_ok(binary, folder, "4.00")
    if doc["totals"]["outside_period"] != "3.00":
        raise AssertionError(f"outside_period {doc['totals']['outside_period']}")
    for name, d in (("year-1899", "1899-12-31"), ("year-2200", "2200-01-01")):
        folder = os.path.join(root, name)
        grant(folder)
        write(os.path.join(folder, "m.csv"),
              HEADER + f"{d},1.00,EUR,Ops,V1,,\n")
        expect_refused(binary, folder, "m.csv:2: error",
                       "a year between 1900 and 2199")


def messages_200(binary, root):
    """At most 200 messages are printed; the others are counted, never
    dropped silently."""
    folder = os.path.join(root, "messages")
    grant(folder)
    write(os.path.join(folder, "m.csv"), HEADER + "".join(
        f"2022-01-10,x{i},EUR,Ops,V{i},,\n" for i in range(250)))
    err = expect_refused(binary, folder, "m.csv:201: error",
                         "... and 50 more errors not shown")
    shown = sum(1 for l in err.splitlines() if ": error: " in l)
    if shown != 200:
        raise AssertionError(f"{shown} messages shown, expected 200")


def many_members(binary, root):
    """300 members, each with its own ledger: no limit below that."""
    folder = os.path.join(root, "members")
    members = [f"m{i:03d}" for i in range(300)]
    grant(folder, members)
    for i, m in enumerate(members):
        write(os.path.join(folder, f"{m}.csv"),
              HEADER + f"2022-01-10,{i}.01,EUR,Ops,V{i},,\n")
    total = sum(i * 100 + 1 for i in range(300))
    doc = expect_ok(binary, folder, f"{total // 100}.{total % 100:02d}")
    if len(doc["members"]) != 300:
        raise AssertionError(f"{len(doc['members'])} members in the JSON")


def many_files(binary, root):
    """A ledger folder of 500 files is read whole; a `ledger =` list is
    bounded by grant.ini's 198-character line, and says so."""
    folder = os.path.join(root, "files")
    grant(folder, ledgers={"m": "exports/"})
    os.makedirs(os.path.join(folder, "exports"))
    for i in range(500):
        write(os.path.join(folder, "exports", f"{i:04d}.csv"),
              HEADER + f"2022-01-10,1.00,EUR,Ops,V{i},,\n")
    doc = expect_ok(binary, folder, "500.00")
    inputs = [x for x in doc["inputs"] if x["role"].startswith("ledger")]
    if len(inputs) != 500:
        raise AssertionError(f"{len(inputs)} ledger files listed")
    folder = os.path.join(root, "long-list")
    names = [f"q{i:02d}.csv" for i in range(40)]    # 40 x 9 > 198 characters
    grant(folder, ledgers={"m": ", ".join(names)})
    for n in names:
        write(os.path.join(folder, n), HEADER)
    expect_refused(binary, folder, "grant.ini:",
                   "line longer than 198 characters")


def grant_ini_decimals(binary, root):
    """grant.ini: a threshold of 4 decimals and an amount of 2 are read;
    one more decimal is refused, naming the line."""
    folder = os.path.join(root, "ini-ok")
    grant(folder, extra=["threshold = 12.3456"])
    write(os.path.join(folder, "m.csv"), HEADER + "2022-01-10,1.00,EUR,Ops,V1,,\n")
    doc = expect_ok(binary, folder, "1.00")
    if doc["grant"]["threshold"] != "12.3456":
        raise AssertionError(f"threshold {doc['grant']['threshold']}")
    for name, key, value, why in (
            ("threshold-5", "threshold", "12.34567", "at most 4 decimals"),
            ("amount-3", "amount", "1000.005", "at most 2 decimals")):
        folder = os.path.join(root, name)
        grant(folder, extra=[f"{key} = {value}"] if key == "threshold" else [])
        if key == "amount":
            path = os.path.join(folder, "grant.ini")
            with open(path) as f:
                text = f.read().replace("amount = 1000.00", f"amount = {value}")
            write(path, text)
        write(os.path.join(folder, "m.csv"), HEADER)
        expect_refused(binary, folder, "grant.ini:", why)


def rate_decimals(binary, root):
    """A rate of 12 decimals is read exactly; 13 are refused."""
    for name, rate, ok in (("rate-12", "1.000000000001", True),
                           ("rate-13", "1.0000000000001", False)):
        folder = os.path.join(root, name)
        grant(folder)
        write(os.path.join(folder, "rates.csv"),
              f"date,currency,rate\n2022-01-01,USD,{rate}\n")
        # 1000000000001 USD / 1.000000000001 = 1000000000000 EUR exactly
        write(os.path.join(folder, "m.csv"),
              HEADER + "2022-01-10,1000000000001,USD,Ops,V1,,\n")
        if ok:
            expect_ok(binary, folder, "1000000000000.00")
        else:
            expect_refused(binary, folder, "rates.csv:2: error",
                           "at most 12 decimals")


CHECKS = {
    "line-8mib": line_8mib,
    "amount-digits": amount_digits,
    "years": years,
    "messages-200": messages_200,
    "members-300": many_members,
    "files-500": many_files,
    "grant-ini-decimals": grant_ini_decimals,
    "rate-decimals": rate_decimals,
}


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CHECKS))
        return 0
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or list(CHECKS)
    failed = 0
    root = tempfile.mkdtemp(prefix="grantrec-limits-")
    try:
        for name in names:
            try:
                CHECKS[name](binary, root)
                print(f"ok {name}: {CHECKS[name].__doc__.split(chr(10))[0]}")
            except AssertionError as e:
                failed += 1
                print(f"FAIL {name}: {e}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
