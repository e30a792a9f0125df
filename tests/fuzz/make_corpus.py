#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus, tests/fuzz/corpus/<target>/, from the
hostile-input catalogue (tests/e2e/cases) and the first lines of the bundled
grant (ledgers/, fx-rates/).

    python3 tests/fuzz/make_corpus.py            # rewrite the corpus
    python3 tests/fuzz/make_corpus.py --check    # only report its size

Each seed starts with the bytes that choose the target's mode or profile
(see the comment at the top of each fuzz_<target>.c) followed by the file
or text. Seeds are cut to 4 KiB at a line end, so libFuzzer keeps its
default -max_len; identical seeds are written once, named by a hash of
their content. The whole corpus stays well under 300 KB.
"""
import configparser
import csv
import hashlib
import io
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(ROOT, "tests", "e2e", "cases")
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")
LIMIT = 4096

DELIMS = {"comma": 0, "semicolon": 1, "tab": 2, "pipe": 3}
DELIM_CHARS = [",", ";", "\t", "|"]
THOUSANDS_POINT = ["none", "comma", "space", "apostrophe"]
THOUSANDS_COMMA = ["none", "point", "space", "apostrophe"]
DATE_FORMATS = ["YYYY-MM-DD", "DD-MM-YYYY", "DD/MM/YYYY", "MM/DD/YYYY",
                "DD.MM.YYYY"]
COLUMN_SETS = [
    ["date", "amount", "currency", "budget_line", "voucher", "country",
     "description"],
    ["Boekdatum", "Bedrag", "Valuta", "Budgetpost", "Boekstuk", "Land",
     "Omschrijving"],
    ["Fecha", "Importe", "Moneda", "Partida", "Comprobante", "País",
     "Descripción"],
    ["Posting Date", "Amount", "Currency", "Budget Line", "Document No",
     "Country", "Description"],
    ["Datum", "Bedrag", "Valuta", "Begrotingsregel", "Factuurnr", "Land",
     "Omschrijving"],
]
COLUMN_KEYS = ["col.date", "col.amount", "col.currency", "col.budget_line",
               "col.voucher", "col.country", "col.description"]
GROUP_MARKS = {"none": 0, "point": 1, "comma": 2, "space": 3, "apostrophe": 4}


def cut(data):
    if len(data) <= LIMIT:
        return data
    end = max(data.rfind(b"\n", 0, LIMIT), data.rfind(b"\r", 0, LIMIT))
    return data[:end + 1] if end > 0 else data[:LIMIT]


class Corpus:
    def __init__(self):
        self.seeds = {}

    def add(self, target, data):
        data = cut(data)
        name = hashlib.sha1(data).hexdigest()[:16]
        self.seeds.setdefault(target, {})[name] = data

    def write(self):
        total = 0
        for target, seeds in sorted(self.seeds.items()):
            folder = os.path.join(OUT, target)
            os.makedirs(folder, exist_ok=True)
            for old in os.listdir(folder):
                os.remove(os.path.join(folder, old))
            for name, data in sorted(seeds.items()):
                with open(os.path.join(folder, name), "wb") as f:
                    f.write(data)
                total += len(data)
            print(f"{target}: {len(seeds)} seeds")
        print(f"total {total} bytes")


def read_ini(path):
    """grant.ini as inih reads it, well enough for picking seeds."""
    cp = configparser.ConfigParser(interpolation=None, strict=False,
                                   inline_comment_prefixes=(";",))
    cp.optionxform = str
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            cp.read_string(f.read())
    except configparser.Error:
        return None
    return cp


def profile_bytes(sec):
    delim = DELIMS.get(sec.get("delimiter", "comma"), 0)
    dec = 1 if sec.get("decimal", "point") == "comma" else 0
    marks = THOUSANDS_COMMA if dec else THOUSANDS_POINT
    th = sec.get("thousands", "none")
    th = marks.index(th) if th in marks else 0
    df = sec.get("date_format", "YYYY-MM-DD")
    df = DATE_FORMATS.index(df) if df in DATE_FORMATS else 0
    enc = 1 if sec.get("encoding", "utf-8") == "windows-1252" else 0
    names = [sec.get(k, COLUMN_SETS[0][i]) for i, k in enumerate(COLUMN_KEYS)]
    cols = COLUMN_SETS.index(names) if names in COLUMN_SETS else 0
    return bytes([delim | dec << 2 | th << 3, df | enc << 3, cols])


def style_byte(decimal_comma, group_name, max_scale):
    """fuzz_amount's byte 0 for a style (group as a grant.ini word)."""
    g = GROUP_MARKS[group_name]
    return bytes([(1 if decimal_comma else 0) | g << 1 | max_scale << 4])


def member_seeds(corpus, case_dir, sec):
    prefix = profile_bytes(sec)
    ledger = sec.get("ledger", "")
    for entry in [e.strip() for e in ledger.split(",") if e.strip()]:
        path = os.path.normpath(os.path.join(case_dir, entry))
        files = []
        if os.path.isdir(path):
            files = [os.path.join(path, n) for n in sorted(os.listdir(path))
                     if n.endswith(".csv")]
        elif os.path.isfile(path):
            files = [path]
        for p in files:
            with open(p, "rb") as f:
                data = f.read(LIMIT * 2)
            corpus.add("ledger", prefix + data)
            corpus.add("csv", bytes([prefix[0] & 3 | (prefix[1] >> 3 & 1) << 2])
                       + data)
            amount_and_date_seeds(corpus, data, sec)


def amount_and_date_seeds(corpus, data, sec):
    """The amount and date fields of a ledger, each with its style."""
    enc = "cp1252" if sec.get("encoding") == "windows-1252" else "utf-8-sig"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return
    delim = DELIM_CHARS[DELIMS.get(sec.get("delimiter", "comma"), 0)]
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    except csv.Error:
        return
    if not rows:
        return
    header = [h.strip() for h in rows[0]]
    names = [sec.get(k, COLUMN_SETS[0][i]) for i, k in enumerate(COLUMN_KEYS)]
    dec = sec.get("decimal", "point") == "comma"
    th = sec.get("thousands", "none")
    df = sec.get("date_format", "YYYY-MM-DD")
    df = DATE_FORMATS.index(df) if df in DATE_FORMATS else 0
    for row in rows[1:6]:
        if names[1] in header and header.index(names[1]) < len(row):
            value = row[header.index(names[1])]
            corpus.add("amount", style_byte(dec, th if th in GROUP_MARKS
                                            else "none", 6)
                       + value.encode("utf-8"))
        if names[0] in header and header.index(names[0]) < len(row):
            value = row[header.index(names[0])]
            corpus.add("date", bytes([df, 3]) + value.encode("utf-8"))


def case_seeds(corpus, case_dir):
    ini_path = os.path.join(case_dir, "grant.ini")
    if not os.path.isfile(ini_path):
        return
    with open(ini_path, "rb") as f:
        corpus.add("grant_ini", f.read())
    cp = read_ini(ini_path)
    if cp is None:
        return
    if cp.has_section("grant"):
        g = cp["grant"]
        for key, sel in (("daily_rates", 0), ("monthly_rates", 1),
                         ("transfers", 2), ("budget_rates", 3)):
            p = os.path.join(case_dir, g.get(key, "") or "-")
            if g.get(key) and os.path.isfile(p):
                with open(p, "rb") as f:
                    corpus.add("rates", bytes([sel]) + f.read(LIMIT * 2))
        for key, sel in (("budget", 0), ("tranches", 1), ("disbursements", 2),
                         ("comments", 3), ("declared", 4)):
            p = os.path.join(case_dir, g.get(key, "") or "-")
            if g.get(key) and os.path.isfile(p):
                with open(p, "rb") as f:
                    corpus.add("tables", bytes([sel]) + f.read(LIMIT * 2))
    for name in cp.sections():
        if name.startswith("member"):
            member_seeds(corpus, case_dir, cp[name])


HAND_AMOUNTS = [
    # (decimal comma?, thousands, decimals allowed, text): the catalogue's
    # amount cases (tests/e2e/cases/2010-2025) and the bundled styles
    (False, "none", 6, "-1.00"), (False, "none", 6, "(1.00)"),
    (False, "none", 6, "1.00-"), (False, "none", 6, "€1.00"),
    (False, "none", 6, "EUR 1.00"), (False, "none", 6, "1e5"),
    (False, "none", 6, "NaN"), (False, "none", 6, "Infinity"),
    (False, "none", 6, "-0"), (False, "none", 6, "-0.00"),
    (False, "none", 6, "0x10"), (False, "none", 6, ""),
    (False, "none", 6, "1 000"), (False, "none", 6, "1.2.3"),
    (False, "none", 6, "(1.00"), (False, "none", 6, "--1"),
    (False, "none", 6, "-1-"), (False, "none", 6,
                                "123456789012345678901234567890"),
    (False, "none", 6, "123456789012345678.123456"),
    (False, "none", 6, "1.1234567"), (False, "none", 2, "10.005"),
    (False, "none", 12, "0.000000000001"), (False, "none", 0, "12"),
    (False, "none", 6, "  12.50  "), (False, "none", 6, "\t1"),
    (False, "none", 6, "1,234.56"), (True, "none", 6, "1.234,56"),
    (True, "point", 6, "88.740,00"), (True, "point", 6, "-29.258,00"),
    (False, "comma", 6, "(1,973.57)"), (False, "comma", 6, "1,08,304.00"),
    (False, "comma", 6, "9,243.02-"), (True, "space", 6, "13 927,61"),
    (True, "space", 6, "13\u00a0927,61"), (True, "space", 6,
                                         "1\u202f234\u202f567,89"),
    (False, "apostrophe", 6, "1'234.50"), (False, "apostrophe", 6,
                                          "1\u2019234.50"),
    (False, "comma", 6, "1,,000"), (False, "comma", 6, ",100"),
    (False, "comma", 6, "100,"), (False, "none", 6, ".5"),
    (False, "none", 6, "1."), (False, "none", 6, "+7"),
    (False, "none", 6, "0.125"), (False, "none", 6, "-0.125"),
    (False, "none", 6, "0.135"), (False, "none", 6, "- 1"),
    (False, "none", 6, "( 1.00 )"), (False, "none", 6, "0012"),
    # 18 digits whose cents round up to a 19-digit figure
    (False, "none", 6, "999999999999999999.997"),
]

HAND_DATES = [
    (0, "2022-02-30"), (1, "31-04-2022"), (0, "2022-13-01"),
    (2, "01/02/2022"), (3, "01/02/2022"), (4, "01.02.2022"),
    (1, "01-02-2022"), (0, ""), (0, "2021-05-17 10:00"), (0, "2021-5-17"),
    (1, "5-1-2021"), (0, "1899-12-31"), (0, "2200-01-01"), (0, "2024-02-29"),
    (0, "2100-02-29"), (0, " 2021-05-17 "), (0, "\t2021-05-17"),
    (5, "2021-05"), (5, "2021-13"), (5, "2021-5"), (1, "05-01-21"),
    (3, "13/01/2021"), (2, "29/02/2000"), (0, "0000-00-00"),
]


def csv_round_trip_seeds(corpus):
    # fuzz_csv's round-trip mode: byte 0 bit 3 set; rows split by 0x1E,
    # fields by 0x1F.
    table = b"\x1f".join([b"date", b"amount", b"note"]) + b"\x1e" + \
        b"\x1f".join([b"2021-01-01", b"1,00", b'say "hi"\nbye']) + b"\x1e" + \
        b"\x1f".join([b"", b"", b""]) + b"\x1e" + b"  " + b"\x1e" + \
        b"\x1f".join([b"\xe9t\xe9", b"\x80", b"x\ry"])
    for b0 in (0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x18, 0x28, 0x48, 0x88, 0x2C):
        corpus.add("csv", bytes([b0, 0]) + table)
        corpus.add("csv", bytes([b0, 1]) + table)


def main():
    corpus = Corpus()
    for name in sorted(os.listdir(CASES)):
        case_dir = os.path.join(CASES, name)
        if os.path.isdir(case_dir):
            case_seeds(corpus, case_dir)
            prev = os.path.join(case_dir, "previous")
            if os.path.isdir(prev):
                case_seeds(corpus, prev)
    # The bundled grant: its grant.ini, the first lines of every file.
    ledgers = os.path.join(ROOT, "ledgers")
    cp = read_ini(os.path.join(ledgers, "grant.ini"))
    with open(os.path.join(ledgers, "grant.ini"), "rb") as f:
        corpus.add("grant_ini", f.read())
    for name in cp.sections():
        if name.startswith("member"):
            sec = cp[name]
            with open(os.path.join(ledgers, sec["ledger"]), "rb") as f:
                head = b"".join(f.readlines()[:8])
            corpus.add("ledger", profile_bytes(sec) + head)
            pb = profile_bytes(sec)
            corpus.add("csv", bytes([pb[0] & 3 | (pb[1] >> 3 & 1) << 2]) + head)
            amount_and_date_seeds(corpus, head, sec)
    for fname, sel in (("daily.csv", 0), ("monthly.csv", 1),
                       ("transfers.csv", 2), ("budget-rates.csv", 3)):
        with open(os.path.join(ROOT, "fx-rates", fname), "rb") as f:
            corpus.add("rates", bytes([sel]) + b"".join(f.readlines()[:12]))
    for fname, sel in (("budget.csv", 0), ("tranches.csv", 1),
                       ("disbursements.csv", 2), ("comments.csv", 3)):
        with open(os.path.join(ledgers, fname), "rb") as f:
            corpus.add("tables", bytes([sel]) + b"".join(f.readlines()[:10]))
    for dec, th, scale, text in HAND_AMOUNTS:
        corpus.add("amount", style_byte(dec, th, scale) + text.encode("utf-8"))
    for layout, text in HAND_DATES:
        corpus.add("date", bytes([layout, 3]) + text.encode("utf-8"))
    csv_round_trip_seeds(corpus)
    if "--check" in sys.argv:
        total = sum(len(d) for s in corpus.seeds.values() for d in s.values())
        print(f"{total} bytes in {sum(len(s) for s in corpus.seeds.values())} seeds")
        return 0
    corpus.write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
