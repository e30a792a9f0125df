"""Shared helpers for the workbook tests (tests/workbook/).

Each test runs the built grantrec, reads the workbook back with openpyxl
and, for the recalculation tests, has LibreOffice recalculate every formula
in a private profile that forces recalculation on load.
"""
import json
import os
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal

import openpyxl

SKIP = 77  # ctest SKIP_RETURN_CODE

SHEETS_BEFORE_LEDGER = ["Summary", "Budget vs Actual", "Funds", "Countries",
                        "Quarters", "FX"]
SHEETS_AFTER_LEDGER = ["Findings", "Charts"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(binary, args, env=None, check=True):
    e = dict(os.environ)
    e.pop("SOURCE_DATE_EPOCH", None)
    if env:
        e.update(env)
    p = subprocess.run([binary] + args, capture_output=True, text=True, env=e)
    if check and p.returncode != 0:
        fail("grantrec %s exited %d\nstdout:\n%s\nstderr:\n%s"
             % (" ".join(args), p.returncode, p.stdout, p.stderr))
    return p


def reconcile(binary, ini, out, env=None, extra=()):
    """Writes the workbook `out` and returns the JSON figures."""
    p = run(binary, ["reconcile", ini, "-o", out, "--json", "-", "--quiet"]
            + list(extra), env=env)
    return json.loads(p.stdout)


def cents(v):
    """A figure (JSON decimal text, or a cell's float) in exact cents."""
    if v is None:
        return None
    if isinstance(v, str):
        return int((Decimal(v) * 100).to_integral_value())
    return int((Decimal(repr(float(v))) * 100).quantize(Decimal(1)))


def same_cents(cell_value, figure):
    """A cached cell value equals a JSON figure to the cent, exactly: the
    cell's double must be the closest double to the figure's decimal."""
    if cell_value is None or isinstance(cell_value, str):
        return False
    return float(cell_value) == float(Decimal(figure))


def load(path):
    """(formulas, cached values) of a workbook."""
    return (openpyxl.load_workbook(path, data_only=False),
            openpyxl.load_workbook(path, data_only=True))


def ledger_sheets(wb):
    return [n for n in wb.sheetnames
            if n == "Ledger" or (n.startswith("Ledger (") and n.endswith(")"))]


def is_formula(v):
    return isinstance(v, str) and v.startswith("=")


# ---- LibreOffice -----------------------------------------------------------

RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice():
    """The soffice binary, installing LibreOffice Calc when missing (as the
    test command may); None when it cannot be had."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe:
        return exe
    if os.environ.get("GRANTREC_NO_INSTALL"):
        return None
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("soffice missing: installing libreoffice-calc with apt-get")
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends",
                        "libreoffice-calc"], capture_output=True)
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(exe, src, workdir):
    """Converts src to xlsx with LibreOffice in a private profile whose
    setting recalculates every formula on load (OOXMLRecalcMode = 0,
    "always"), whatever the file says. Returns the converted path."""
    profile = os.path.join(workdir, "lo-profile")
    os.makedirs(os.path.join(profile, "user"), exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"),
              "w") as f:
        f.write(RECALC_XCU)
    outdir = os.path.join(workdir, "recalculated")
    os.makedirs(outdir, exist_ok=True)
    cmd = [exe, "-env:UserInstallation=file://" + os.path.abspath(profile),
           "--headless", "--norestore", "--convert-to",
           "xlsx:Calc MS Excel 2007 XML", "--outdir", outdir, src]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    out = os.path.join(outdir, os.path.basename(src))
    if p.returncode != 0 or not os.path.exists(out):
        fail("LibreOffice did not convert %s:\n%s\n%s"
             % (src, p.stdout, p.stderr))
    return out


def poison_cached_value(src, dst, sheet_xml, cell_ref, value):
    """Copies src to dst with one formula's cached value replaced, so that a
    recalculation that really happens is seen to happen."""
    import re
    with zipfile.ZipFile(src) as zin, \
            zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == sheet_xml:
                text = data.decode("utf-8")
                pattern = r'(<c r="%s"[^>]*>(?:<f>[^<]*</f>))<v>[^<]*</v>' % cell_ref
                text, n = re.subn(pattern, r"\g<1><v>%s</v>" % value, text)
                if n != 1:
                    fail("could not poison %s in %s" % (cell_ref, sheet_xml))
                data = text.encode("utf-8")
            zout.writestr(item, data)


def _rows(path, data_only):
    """{sheet: row iterator} of a workbook read as a stream (read_only), so
    that a ledger of a million lines is compared without holding it."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    return wb, {n: wb[n].iter_rows() for n in wb.sheetnames}


def _value(row, i):
    if row is None or i >= len(row):
        return None
    return row[i].value


def compare_recalculated(original, recalculated, label):
    """Every formula cell of `original`: LibreOffice's recalculated value
    equals the cached one (numbers to the cent, texts exactly). Returns the
    number of formula cells compared."""
    import itertools
    fw, formulas = _rows(original, False)
    cw, cached = _rows(original, True)
    rw, recalc = _rows(recalculated, True)
    compared = 0
    problems = []
    for name in fw.sheetnames:
        if name not in rw.sheetnames:
            fail("%s: sheet %s is missing after recalculation" % (label, name))
        for frow, crow, rrow in itertools.zip_longest(
                formulas[name], cached[name], recalc[name]):
            if frow is None:
                break
            for i, c in enumerate(frow):
                if not is_formula(c.value):
                    continue
                compared += 1
                want = _value(crow, i)
                got = _value(rrow, i)
                if want is None:
                    want = ""
                if got is None:
                    got = ""
                if isinstance(want, str) or isinstance(got, str):
                    ok = str(want) == str(got)
                elif hasattr(want, "toordinal") or hasattr(got, "toordinal"):
                    ok = want == got   # a date formula: the same day
                else:
                    ok = abs(float(want) - float(got)) < 0.005 - 1e-9
                if not ok:
                    problems.append("%s!%s %s: cached %r, recalculated %r"
                                    % (name, c.coordinate, c.value[:90], want,
                                       got))
    for wb in (fw, cw, rw):
        wb.close()
    if problems:
        fail("%s: %d of %d formulas differ after recalculation:\n  %s"
             % (label, len(problems), compared, "\n  ".join(problems[:40])))
    print("%s: %d formulas recalculated by LibreOffice, all equal to the "
          "cached values" % (label, compared))
    return compared


# ---- a grant with hostile text ----------------------------------------------

LONG_BUDGET_LINE = "Long budget line " + "x" * 290          # > 255: no criterion
LONG_DESCRIPTION = "Very long description " + "y" * 40000   # > 32,767: cut
HOSTILE_LINES = [
    # (member, date, voucher, budget line, country, currency, amount, description)
    ("m1", "2024-02-01", "V-01", "Audit", "Peru", "EUR", "10.00", "=1+1"),
    ("m1", "2024-02-02", "V-02", "audit", "PERU", "EUR", "20.00", "+SUM(A1:A2)"),
    ("m1", "2024-02-03", "=HYPERLINK(\"http://x\")", "Travel*", "", "EUR",
     "30.00", "-5"),
    ("m1", "2024-02-04", "V-04", "=Sum", "Côte d'Ivoire", "USD", "40.00",
     "@cmd"),
    ("m1", "2024-02-05", "V-05", "<Costs>", "ÉCOLE", "USD", "50.00",
     "ctrl\x01char\x1fhere"),
    ("m1", "2024-02-06", "V-06", "Rent ~ office", "école", "EUR", "60.00",
     LONG_DESCRIPTION),
    ("m2", "2024-02-07", "V-07", "Question?", "Peru", "EUR", "70.00",
     "_x0041_ stays literal"),
    ("m2", "2024-02-08", "V-08", LONG_BUDGET_LINE, "Peru", "EUR", "80.00",
     "tab\there"),
    ("m2", "2024-02-09", "V-09", "Line _x0042_ code", "Peru", "EUR", "90.00",
     "two\nlines"),
    ("m2", "2024-02-10", "V-10", "Audit", "Peru", "USD", "1.25",
     "half cent: 0.625"),
    ("m2", "2023-12-31", "V-11", "Audit", "Peru", "EUR", "5.00",
     "before the period"),
    ("m2", "2024-03-01", "V-12", "audit", "", "EUR", "7.00", " leading space"),
    ("m2", "2024-03-02", "V-13", "Audit", "Peru", "EUR", "8.00", ""),
]


def csv_field(s):
    return '"' + s.replace('"', '""') + '"'


def make_hostile_grant(folder):
    """Writes a grant whose labels and texts try every trap of a workbook:
    formulas in text, control characters, over-long text, OOXML escapes,
    SUMIFS wildcards and operators, labels that differ only in case."""
    os.makedirs(folder, exist_ok=True)

    def write(name, text):
        with open(os.path.join(folder, name), "w", encoding="utf-8",
                  newline="") as f:
            f.write(text)

    write("grant.ini", """[grant]
name = Hostile text grant
reference = HOSTILE
currency = EUR
amount = 1000.00
start = 2024-01-01
end = 2024-12-31
rounding = half-up
budget = budget.csv
tranches = tranches.csv
daily_rates = daily.csv

[member m1]
role = lead
ledger = m1.csv
fx = daily

[member m2]
role = member
ledger = m2.csv
fx = daily
""")
    budget = ["member,budget_line,amount"]
    seen = set()
    for line in HOSTILE_LINES:
        key = (line[0], line[3])
        if key not in seen:
            seen.add(key)
            budget.append("%s,%s,100.00" % (line[0], csv_field(line[3])))
    write("budget.csv", "\n".join(budget) + "\n")
    write("tranches.csv", "tranche,amount,due,received\n"
          "1,500.00,2024-01-10,2024-01-10\n")
    write("daily.csv", "date,currency,rate\n2024-01-01,USD,2\n")
    for member in ("m1", "m2"):
        rows = ["date,voucher,budget_line,country,currency,amount,description"]
        for (m, date, voucher, bl, country, cur, amount, desc) in HOSTILE_LINES:
            if m == member:
                rows.append(",".join([date, csv_field(voucher), csv_field(bl),
                                      csv_field(country), cur, amount,
                                      csv_field(desc)]))
        write(member + ".csv", "\n".join(rows) + "\n")
    return os.path.join(folder, "grant.ini")


# ---- the bundled grant's Q3 archive (docs/quarterly.md, section 10) ---------

def _cut_at(path, cut):
    """Keeps the header and the lines dated up to `cut` (YYYY-MM-DD), as the
    awk of docs/quarterly.md does: the date is the first ten bytes, either
    ISO or DD-MM-YYYY / DD/MM/YYYY / DD.MM.YYYY."""
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = [lines[0]]
    for line in lines[1:]:
        d = line[:10].decode("latin-1")
        if not (len(d) >= 5 and d[:4].isdigit() and d[4] == "-"):
            d = d[6:10] + "-" + d[3:5] + "-" + d[0:2]
        if d <= cut:
            out.append(line)
    with open(path, "wb") as f:
        f.write(b"\n".join(out) + b"\n")


def make_q3_archive(repo, dest):
    """The books of the bundled grant as they stood at the Q3 close, with
    the three changes of docs/quarterly.md planted in fag's ledger: its
    lines of 14 February entered late, a typo corrected since, an office
    rent booked twice and deleted since. Returns the archive's grant.ini."""
    archive = os.path.join(dest, "archive", "2022-Q3")
    if os.path.exists(archive):
        shutil.rmtree(archive)
    os.makedirs(archive)
    for folder in ("ledgers", "fx-rates"):
        shutil.copytree(os.path.join(repo, folder),
                        os.path.join(archive, folder))
    ledgers = os.path.join(archive, "ledgers")
    for name in ("tdh.csv", "icco.csv", "plan.csv", "dci.csv",
                 "disbursements.csv"):
        _cut_at(os.path.join(ledgers, name), "2022-02-14")
    fag = os.path.join(ledgers, "fag.csv")
    _cut_at(fag, "2022-02-13")
    with open(fag, "rb") as f:
        text = f.read()
    lines = text.split(b"\n")
    for i, line in enumerate(lines):
        if b",FAG-B21-0347," in line:
            lines[i] = line.replace(b",3033.61,", b",3303.61,")
    text = b"\n".join(lines)
    text += (b"2022-01-31,FAG-B22-0990,Programme management,,EUR,850.00,"
             b"Office rent January\n")
    with open(fag, "wb") as f:
        f.write(text)
    return os.path.join(ledgers, "grant.ini")
