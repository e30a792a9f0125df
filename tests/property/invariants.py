#!/usr/bin/env python3
"""Property tests: random small grants, reconciled and checked against
invariants and against an independent exact computation (docs/robustness.md).

    invariants.py GRANTREC [--cases N] [--seed S] [--shard I/N] [--case K]
                           [--keep DIR] [--workbook-every M]

Each case is a grant generated from the seed and the case number: 1-4
members, each with its own export dialect (delimiter, decimal and group
marks, date layout, encoding, column names and order, extra columns,
byte-order mark, line ends, quoting), every fx method, amounts with 0-6
decimals in every negative form, half-cent ties, dates inside and outside
the period. For each case:

  1. reconciling it twice gives byte-identical JSON (and, every M cases,
     byte-identical workbooks with SOURCE_DATE_EPOCH set);
  2. the totals by member, budget line, country, quarter and month each add
     up to totals.actual to the cent, and every cross-check is ok;
  3. an exact computation here (Python fractions, the rules of
     docs/formats.md sections 8-10, no code shared with grantrec) gives the
     same actual, outside-period total, rounding difference, and the same
     figure for every member, budget line, country, quarter and month;
  4. shuffling the order of the ledger lines changes no figure;
  5. splitting a member's ledger into several files (ledger = a.csv, b.csv,
     or a folder) changes no figure.

The seed is printed; GRANTREC_PROPERTY_SEED (or --seed) fixes it. A failing
case is kept in a folder whose path is printed, with the command that
reproduces it alone (--case K).
"""
import argparse
import collections
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

# ---- exact helpers (sharing nothing with grantrec) -------------------------


def round_cents(value, rule):
    """value (Fraction, grant currency) -> integer cents by the rule."""
    x = value * 100
    fl = x.numerator // x.denominator
    rem = x - fl
    if rem > Fraction(1, 2):
        return fl + 1
    if rem < Fraction(1, 2):
        return fl
    if rule == "half-even":
        return fl + (fl % 2)
    return fl + 1 if x > 0 else fl  # half away from zero


def cents_str(c):
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


def frac_str(value, places):
    """A rational rounded half away from zero to `places` decimals."""
    scaled = value * 10 ** places
    fl = scaled.numerator // scaled.denominator
    rem = scaled - fl
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and scaled > 0):
        fl += 1
    sign = "-" if fl < 0 else ""
    fl = abs(fl)
    s = str(fl).rjust(places + 1, "0")
    return f"{sign}{s[:-places]}.{s[-places:]}"


def add_months(d, months):
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    m += 1
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last))


# ---- the generator -----------------------------------------------------------

DELIMS = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}
GROUPS = {"point": ".", "comma": ",", "space": " ", "apostrophe": "'"}
DATE_FORMATS = ["YYYY-MM-DD", "DD-MM-YYYY", "DD/MM/YYYY", "MM/DD/YYYY",
                "DD.MM.YYYY"]
CANON = ["date", "amount", "currency", "budget_line", "voucher", "country",
         "description"]
CUSTOM_NAMES = [
    ["Boekdatum", "Bedrag", "Valuta", "Budgetpost", "Boekstuk", "Land",
     "Omschrijving"],
    ["Fecha", "Importe", "Moneda", "Partida", "Comprobante", "País",
     "Descripción"],
    ["Posting Date", "Amount", "Currency", "Budget Line", "Document No",
     "Country", "Description"],
]
CURRENCIES = ["USD", "INR", "IDR", "PHP"]
NICE_RATES = ["1.25", "2", "0.8", "1.6", "4", "0.5", "12.5", "0.25", "1.024",
              "3.2"]
COUNTRIES = ["Peru", "India", "Perú", "Nepal", "", "Brazil", "Côte d'Ivoire"]
LINES = ["Staff", "Travel", "O1 Specialised services", "Audit",
         "Monitoring and evaluation", "Équipement"]
WORDS = ["Salary", "Trip", "Workshop", "Réunion", "fee \"cash\"", "a;b",
         "x|y", "tab\there", "=HYPERLINK(\"http://x\")", "+1", "@sum",
         "line one\nline two", "€ 10", "München", "  padded  "]


class Grant:
    """One generated grant: its files and the expected figures."""

    def __init__(self, rng):
        self.rng = rng
        self.files = {}          # name -> bytes
        self.lines = []          # dicts: member, date, amount (Fraction), ...

    # -- dates and numbers in a member's dialect --------------------------

    def fmt_date(self, d, layout):
        r = self.rng
        if layout == "YYYY-MM-DD":
            return d.isoformat()
        day = f"{d.day:02d}" if r.random() < 0.7 else str(d.day)
        mon = f"{d.month:02d}" if r.random() < 0.7 else str(d.month)
        sep = {"DD-MM-YYYY": "-", "DD/MM/YYYY": "/", "MM/DD/YYYY": "/",
               "DD.MM.YYYY": "."}[layout]
        if layout == "MM/DD/YYYY":
            return f"{mon}{sep}{day}{sep}{d.year:04d}"
        return f"{day}{sep}{mon}{sep}{d.year:04d}"

    def fmt_amount(self, text, prof):
        """text: a plain decimal such as '-1234.500'."""
        r = self.rng
        neg = text.startswith("-")
        if neg:
            text = text[1:]
        ip, _, fp = text.partition(".")
        group = prof["thousands"]
        if group != "none" and r.random() < 0.7 and len(ip) > 3:
            mark = GROUPS[group]
            if group == "space":
                mark = r.choice([" ", " ", "\u00a0"] +
                                ([] if prof["encoding"] == "windows-1252"
                                 else ["\u202f"]))
            elif group == "apostrophe":
                mark = r.choice(["'", "\u2019"])
            if r.random() < 0.3 and len(ip) > 5:   # Indian grouping
                head, tail = ip[:-3], ip[-3:]
                parts = []
                while len(head) > 2:
                    parts.insert(0, head[-2:])
                    head = head[:-2]
                parts.insert(0, head)
                ip = mark.join(p for p in parts if p) + mark + tail
            else:
                parts = []
                while len(ip) > 3:
                    parts.insert(0, ip[-3:])
                    ip = ip[:-3]
                parts.insert(0, ip)
                ip = mark.join(parts)
        dec = "," if prof["decimal"] == "comma" else "."
        body = ip + (dec + fp if fp else "")
        if neg:
            form = r.choice(["-", "()", "trailing"])
            body = ("-" + body if form == "-" else
                    "(" + body + ")" if form == "()" else body + "-")
        elif r.random() < 0.05:
            body = "+" + body
        if r.random() < 0.1:
            body = " " + body + " "
        return body

    # -- tables --------------------------------------------------------------

    def random_rate(self):
        r = self.rng
        if r.random() < 0.5:
            return r.choice(NICE_RATES)
        whole = r.choice([0, 1, 15, 88, 17271])
        return f"{whole}.{r.randrange(1, 10 ** 4):04d}"

    def generate(self):
        r = self.rng
        start = dt.date(2021, 1, 1) + dt.timedelta(days=r.randrange(0, 300))
        months = r.choice([3, 6, 12, 12, 13, 18])
        end = add_months(start, months) - dt.timedelta(days=1)
        self.start, self.end = start, end
        self.rounding = r.choice(["half-up", "half-even"])
        self.quarters = r.choice(["grant", "calendar"])
        nmem = r.randint(1, 4)
        lead = r.randrange(nmem)
        self.members = []
        for i in range(nmem):
            prof = {
                "delimiter": r.choice(list(DELIMS)),
                "decimal": r.choice(["point", "comma"]),
                "date_format": r.choice(DATE_FORMATS),
                "encoding": r.choice(["utf-8", "utf-8", "windows-1252"]),
            }
            marks = ["none"] + [g for g in GROUPS if g != prof["decimal"]]
            prof["thousands"] = r.choice(marks)
            names = CANON if r.random() < 0.4 else r.choice(CUSTOM_NAMES)
            self.members.append({
                "id": f"m{i}", "lead": i == lead,
                "fx": r.choice(["daily", "monthly", "transfer-average"]),
                "profile": prof, "names": names,
                "bom": prof["encoding"] == "utf-8" and r.random() < 0.3,
                "eol": r.choice(["\n", "\r\n", "\r\n", "\r"]),
                "final_eol": r.random() < 0.8,
                "quote_all": r.random() < 0.15,
                "extra": r.random() < 0.5,
            })
        lo = start - dt.timedelta(days=40)
        hi = end + dt.timedelta(days=40)
        self.currencies = r.sample(CURRENCIES, r.randint(1, 3))
        # daily rates from before the earliest line to the latest one
        self.daily = collections.defaultdict(list)   # cur -> [(date, text)]
        for cur in self.currencies:
            d = lo - dt.timedelta(days=r.randrange(0, 5))
            while d <= hi:
                self.daily[cur].append((d, self.random_rate()))
                d += dt.timedelta(days=r.choice([1, 1, 3, 7, 12]))
        # monthly rates for every month of [lo, hi]
        self.monthly = {}
        for cur in self.currencies:
            m = dt.date(lo.year, lo.month, 1)
            while m <= hi:
                self.monthly[(cur, m)] = self.random_rate()
                m = add_months(m, 1)
        # transfers: per member and currency, dated inside the period (the
        # as-of date is the end, so none of them lies after it)
        self.transfers = []      # (date, member, cur, eur text, local text)
        for mem in self.members:
            for cur in self.currencies:
                for _ in range(r.randint(1, 3)):
                    d = start + dt.timedelta(
                        days=r.randrange(0, (end - start).days + 1))
                    eur = f"{r.randint(1, 90000)}.{r.randrange(100):02d}"
                    local = (Fraction(eur) * Fraction(self.random_rate()))
                    local = f"{float(local):.2f}"
                    if Fraction(local) <= 0:
                        local = "1.00"
                    self.transfers.append((d, mem["id"], cur, eur, local))
        self.transfers.sort()
        # budget
        self.budget = []
        for mem in self.members:
            for bl in r.sample(LINES, r.randint(1, 3)):
                self.budget.append((mem["id"], bl,
                                    f"{r.randint(0, 500000)}.{r.randrange(100):02d}"))
        if r.random() < 0.3:
            self.budget.append(("stranger", "Staff", "100.00"))
        # ledger lines
        vouchers = 0
        for mem in self.members:
            for _ in range(r.randint(0 if r.random() < 0.1 else 1, 25)):
                vouchers += 1
                if r.random() < 0.85:
                    d = start + dt.timedelta(
                        days=r.randrange(0, (end - start).days + 1))
                else:
                    d = lo + dt.timedelta(days=r.randrange(0, (hi - lo).days + 1))
                cur = "EUR" if r.random() < 0.3 else r.choice(self.currencies)
                line = {"member": mem["id"], "date": d, "currency": cur,
                        "budget_line": r.choice(LINES),
                        "voucher": f"V{vouchers:05d}",
                        "country": r.choice(COUNTRIES),
                        "description": r.choice(WORDS)}
                line["amount_text"] = self.random_amount(line, mem)
                self.lines.append(line)

    def rate_for(self, line, mem):
        """(Fraction rate) by the documented rules; None for EUR."""
        cur, d = line["currency"], line["date"]
        if cur == "EUR":
            return None
        if mem["fx"] == "daily":
            best = None
            for rd, text in self.daily[cur]:
                if rd <= d:
                    best = text
            return Fraction(best)
        if mem["fx"] == "monthly":
            return Fraction(self.monthly[(cur, dt.date(d.year, d.month, 1))])
        own = [t for t in self.transfers if t[1] == mem["id"] and t[2] == cur]
        upto = [t for t in own if t[0] <= d]
        if not upto:
            first = min(t[0] for t in own)
            upto = [t for t in own if t[0] == first]
        return (sum(Fraction(t[4]) for t in upto) /
                sum(Fraction(t[3]) for t in upto))

    def random_amount(self, line, mem):
        r = self.rng
        rate = self.rate_for(line, mem)
        kind = r.random()
        if kind < 0.25:
            # a half-cent tie after conversion, when the rate allows one
            c = r.randint(-100000, 100000)
            value = Fraction(2 * c + 1, 200) * (rate or 1)
            scaled = value * 10 ** 6
            if scaled.denominator == 1:
                return self.plain(value, 6)
        decimals = r.choice([0, 1, 2, 2, 2, 2, 3, 4, 6])
        whole = r.choice([0, 1, 12, 345, 6789, 12345, 987654, 12345678])
        value = Fraction(r.randint(0, max(whole, 1) * 10 ** decimals),
                         10 ** decimals)
        if r.random() < 0.2:
            value = -value
        return self.plain(value, decimals)

    @staticmethod
    def plain(value, decimals):
        """A Fraction with a finite expansion as text with `decimals`
        decimals at least (trailing zeros dropped beyond them)."""
        neg = value < 0
        value = abs(value)
        scaled = value * 10 ** 6
        assert scaled.denominator == 1
        n = scaled.numerator
        s = str(n).rjust(7, "0")
        ip, fp = s[:-6], s[-6:]
        fp = fp.rstrip("0")
        if len(fp) < decimals:
            fp = fp.ljust(decimals, "0")
        text = ip.lstrip("0") or "0"
        if fp:
            text += "." + fp
        return ("-" if neg and n else "") + text

    # -- writing ---------------------------------------------------------------

    def csv_field(self, text, delim, quote_all):
        if quote_all or any(ch in text for ch in (delim, '"', "\r", "\n")):
            return '"' + text.replace('"', '""') + '"'
        return text

    def ledger_bytes(self, mem, lines):
        prof = mem["profile"]
        delim = DELIMS[prof["delimiter"]]
        names = mem["names"]
        order = list(range(7))
        if mem["extra"]:
            self.rng.shuffle(order)
        header = [names[i] for i in order]
        if mem["extra"]:
            header.insert(1, "Cost centre")
        rows = [header]
        for line in lines:
            values = {
                0: line["date_text"], 1: line["amount_fmt"],
                2: line["currency"] if self.rng.random() < 0.9
                else line["currency"].lower(),
                3: line["budget_line"], 4: line["voucher"],
                5: line["country"], 6: line["description"],
            }
            row = [values[i] for i in order]
            if mem["extra"]:
                row.insert(1, "CC-1")
            rows.append(row)
        eol = mem["eol"]
        out = eol.join(delim.join(self.csv_field(f, delim, mem["quote_all"])
                                  for f in row) for row in rows)
        if mem["final_eol"]:
            out += eol
        if eol == "\r":
            # CR-only files cannot hold an LF, even quoted
            out = out.replace("\n", " ")
        data = out.encode("cp1252" if prof["encoding"] == "windows-1252"
                          else "utf-8")
        return (b"\xef\xbb\xbf" if mem["bom"] else b"") + data

    def render_lines(self):
        """Fixes each line's text once, so that shuffled and split
        versions of the grant hold the very same fields."""
        for line in self.lines:
            mem = self.member(line["member"])
            line["date_text"] = self.fmt_date(line["date"],
                                              mem["profile"]["date_format"])
            line["amount_fmt"] = self.fmt_amount(line["amount_text"],
                                                 mem["profile"])
            if mem["eol"] == "\r":
                line["description"] = line["description"].replace("\n", " ")

    def member(self, mid):
        return next(m for m in self.members if m["id"] == mid)

    def write(self, folder, shuffle=False, split=False):
        r = self.rng
        os.makedirs(folder, exist_ok=True)
        ini = [
            "[grant]", "name = Property grant", "currency = EUR",
            f"amount = {self.amount}",
            f"start = {self.start}", f"end = {self.end}",
            f"threshold = {self.threshold}", f"rounding = {self.rounding}",
            f"quarters = {self.quarters}", "budget = budget.csv",
            "tranches = tranches.csv", "disbursements = disbursements.csv",
            "daily_rates = rates/daily.csv", "monthly_rates = rates/monthly.csv",
            "transfers = rates/transfers.csv", "",
        ]
        for mem in self.members:
            mine = [l for l in self.lines if l["member"] == mem["id"]]
            if shuffle:
                r.shuffle(mine)
            pieces = [mine]
            entry = f"{mem['id']}.csv"
            if split and len(mine) >= 2:
                k = r.randint(2, min(3, len(mine)))
                cuts = sorted(r.sample(range(1, len(mine)), k - 1))
                pieces = [mine[a:b] for a, b in zip([0] + cuts, cuts + [None])]
            if len(pieces) == 1:
                with open(os.path.join(folder, entry), "wb") as f:
                    f.write(self.ledger_bytes(mem, mine))
            elif r.random() < 0.5:
                names = [f"{mem['id']}-{i}.csv" for i in range(len(pieces))]
                for n, p in zip(names, pieces):
                    with open(os.path.join(folder, n), "wb") as f:
                        f.write(self.ledger_bytes(mem, p))
                entry = ", ".join(names)
            else:
                sub = os.path.join(folder, f"{mem['id']}-exports")
                os.makedirs(sub, exist_ok=True)
                for i, p in enumerate(pieces):
                    with open(os.path.join(sub, f"q{i}.csv"), "wb") as f:
                        f.write(self.ledger_bytes(mem, p))
                entry = f"{mem['id']}-exports/"
            prof = mem["profile"]
            ini += [f"[member {mem['id']}]",
                    f"role = {'lead' if mem['lead'] else 'member'}",
                    f"ledger = {entry}", f"fx = {mem['fx']}"]
            ini += [f"{k} = {v}" for k, v in prof.items()]
            if mem["names"] is not CANON:
                ini += [f"col.{c} = {n}" for c, n in zip(CANON, mem["names"])]
            ini.append("")
        with open(os.path.join(folder, "grant.ini"), "w", encoding="utf-8") as f:
            f.write("\n".join(ini))
        os.makedirs(os.path.join(folder, "rates"), exist_ok=True)
        with open(os.path.join(folder, "rates", "daily.csv"), "w") as f:
            f.write("date,currency,rate\n")
            for cur, rows in sorted(self.daily.items()):
                for d, text in rows:
                    f.write(f"{d},{cur},{text}\n")
        with open(os.path.join(folder, "rates", "monthly.csv"), "w") as f:
            f.write("month,currency,rate\n")
            for (cur, m), text in sorted(self.monthly.items()):
                f.write(f"{m.year:04d}-{m.month:02d},{cur},{text}\n")
        with open(os.path.join(folder, "rates", "transfers.csv"), "w") as f:
            f.write("date,member,currency,eur,local\n")
            for d, mid, cur, eur, local in self.transfers:
                f.write(f"{d},{mid},{cur},{eur},{local}\n")
        with open(os.path.join(folder, "budget.csv"), "w") as f:
            f.write("member,budget_line,amount\n")
            for mid, bl, amount in self.budget:
                f.write(f"{mid},{bl},{amount}\n")
        with open(os.path.join(folder, "tranches.csv"), "w") as f:
            f.write("tranche,amount,due,received\n")
            f.write(f"T1,{self.tranche1}.00,{self.start},{self.start}\n")
            # received on the last day: the as-of date is then the end, so
            # every transfer of the period lies on or before it
            f.write(f"T2,{self.tranche2}.00,{self.end},{self.end}\n")
            f.write(f"T3,100.00,{self.end},\n")
        with open(os.path.join(folder, "disbursements.csv"), "w") as f:
            f.write("date,member,amount\n")
            for d, mid, amount in self.disbursements:
                f.write(f"{d},{mid},{amount}\n")

    def finish(self):
        r = self.rng
        self.amount = f"{r.randint(1000, 2000000)}.00"
        self.threshold = r.choice(["10", "0", "12.5", "25"])
        self.tranche1 = r.randint(1, 500000)
        self.tranche2 = r.randint(1, 500000)
        self.disbursements = []
        for mem in self.members:
            if not mem["lead"] and r.random() < 0.7:
                d = self.start + dt.timedelta(days=r.randrange(0, 30))
                self.disbursements.append(
                    (d, mem["id"], f"{r.randint(-100, 90000)}.{r.randrange(1, 100):02d}"))
        self.render_lines()

    # -- the oracle --------------------------------------------------------------

    def expected(self):
        exp = {"actual": 0, "outside": 0, "exact": Fraction(0),
               "members": collections.Counter(), "lines": collections.Counter(),
               "countries": collections.Counter(),
               "quarters": collections.Counter(), "months": collections.Counter()}
        qlist = self.quarter_list()
        for line in self.lines:
            mem = self.member(line["member"])
            amount = Fraction(line["amount_text"])
            rate = self.rate_for(line, mem)
            value = amount if rate is None else amount / rate
            cents = round_cents(value, self.rounding)
            d = line["date"]
            if not (self.start <= d <= self.end):
                exp["outside"] += cents
                continue
            exp["actual"] += cents
            exp["exact"] += value
            exp["members"][mem["id"]] += cents
            exp["lines"][(mem["id"], line["budget_line"])] += cents
            exp["countries"][line["country"]] += cents
            for label, a, b in qlist:
                if a <= d <= b:
                    exp["quarters"][label] += cents
            exp["months"][f"{d.year:04d}-{d.month:02d}"] += cents
        exp["rounding_difference"] = frac_str(
            Fraction(exp["actual"], 100) - exp["exact"], 6)
        known = {m["id"] for m in self.members}
        exp["budget"] = sum(round_cents(Fraction(a), "half-up")
                            for mid, _, a in self.budget if mid in known)
        return exp

    def quarter_list(self):
        out = []
        if self.quarters == "grant":
            q = 0
            while True:
                a = add_months(self.start, 3 * q)
                if a > self.end:
                    break
                b = add_months(self.start, 3 * (q + 1)) - dt.timedelta(days=1)
                out.append((f"Q{q + 1}", a, min(b, self.end)))
                q += 1
        else:
            qs = dt.date(self.start.year, (self.start.month - 1) // 3 * 3 + 1, 1)
            while qs <= self.end:
                nxt = add_months(qs, 3)
                out.append((f"{qs.year:04d}-Q{(qs.month - 1) // 3 + 1}",
                            max(qs, self.start),
                            min(nxt - dt.timedelta(days=1), self.end)))
                qs = nxt
        return out


# ---- running grantrec and comparing ---------------------------------------------


def run(binary, folder, extra=(), env_extra=None):
    env = dict(os.environ, LC_ALL="C")
    if env_extra:
        env.update(env_extra)
    proc = subprocess.run([binary, "reconcile", "grant.ini"] + list(extra),
                          cwd=folder, env=env, capture_output=True, timeout=120)
    return proc


def json_run(binary, folder):
    proc = run(binary, folder, ["--no-workbook", "--json", "-"])
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0 or "Sanitizer" in err or "runtime error" in err:
        raise Failure(f"exit {proc.returncode}: {err[-2000:]}")
    return proc.stdout


class Failure(Exception):
    pass


def figures(doc):
    """Everything that must not depend on line order or file layout."""
    return {
        "totals": doc["totals"],
        "members": doc["members"],
        "budget_lines": sorted(json.dumps(b, sort_keys=True)
                               for b in doc["budget_lines"]),
        "countries": doc["countries"],
        "quarters": doc["quarters"],
        "months": doc["months"],
        "tranches": doc["tranches"],
        "funds": doc.get("funds"),
        "forecast": doc.get("forecast"),
        "period": doc.get("period"),
        "grant": doc["grant"],
        "checks": doc["checks"],
        "findings": sorted(collections.Counter(f["code"] for f in
                                               doc["findings"]).items()),
    }


def diff(a, b, path="$"):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in one"
            d = diff(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = diff(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} vs {b!r}"


def check_sums(doc):
    total = doc["totals"]["actual"]
    cents = lambda s: round(Fraction(s) * 100)
    t = cents(total)
    for key in ("members", "budget_lines", "countries", "quarters", "months"):
        s = sum(cents(x["actual"]) for x in doc[key])
        if s != t:
            raise Failure(f"{key} add up to {cents_str(s)}, totals.actual is {total}")
    per_member = collections.Counter()
    for b in doc["budget_lines"]:
        per_member[b["member"]] += cents(b["actual"])
    for m in doc["members"]:
        if per_member[m["id"]] != cents(m["actual"]):
            raise Failure(f"member {m['id']}: budget lines add up to "
                          f"{cents_str(per_member[m['id']])}, actual {m['actual']}")
    for q in doc["quarters"] + doc["months"]:
        if "members" in q and sum(cents(v) for v in q["members"].values()) \
                != cents(q["actual"]):
            raise Failure(f"period {q['label']}: members do not add up")
    for c in doc["checks"]:
        if not c["ok"]:
            raise Failure(f"check '{c['check']}' fails: {c['left']} vs {c['right']}")


def check_oracle(doc, exp):
    tot = doc["totals"]
    want = {"actual": cents_str(exp["actual"]),
            "outside_period": cents_str(exp["outside"]),
            "rounding_difference": exp["rounding_difference"],
            "budget": cents_str(exp["budget"])}
    for k, v in want.items():
        if tot[k] != v:
            raise Failure(f"totals.{k}: grantrec {tot[k]}, exact computation {v}")
    for m in doc["members"]:
        v = cents_str(exp["members"][m["id"]])
        if m["actual"] != v:
            raise Failure(f"member {m['id']}: grantrec {m['actual']}, exact {v}")
    for b in doc["budget_lines"]:
        v = cents_str(exp["lines"][(b["member"], b["budget_line"])])
        if b["actual"] != v:
            raise Failure(f"budget line {b['member']}/{b['budget_line']}: "
                          f"grantrec {b['actual']}, exact {v}")
    got_lines = {(b["member"], b["budget_line"]) for b in doc["budget_lines"]}
    for key, c in exp["lines"].items():
        if key not in got_lines:
            raise Failure(f"budget line {key} with {cents_str(c)} is missing")
    for c in doc["countries"]:
        v = cents_str(exp["countries"][c["country"]])
        if c["actual"] != v:
            raise Failure(f"country '{c['country']}': grantrec {c['actual']}, "
                          f"exact {v}")
    for key in ("quarters", "months"):
        for q in doc[key]:
            v = cents_str(exp[key][q["label"]])
            if q["actual"] != v:
                raise Failure(f"{key} {q['label']}: grantrec {q['actual']}, exact {v}")
        labels = {q["label"] for q in doc[key]}
        for label, c in exp[key].items():
            if c and label not in labels:
                raise Failure(f"{key} {label} with {cents_str(c)} is missing")


def one_case(binary, seed, k, root, workbook):
    rng = random.Random(f"{seed}-{k}")
    g = Grant(rng)
    g.generate()
    g.finish()
    base = os.path.join(root, f"case-{k}")
    g.write(base)
    first = json_run(binary, base)
    second = json_run(binary, base)
    if first != second:
        raise Failure("two runs on the same inputs gave different JSON")
    doc = json.loads(first)
    check_sums(doc)
    check_oracle(doc, g.expected())
    ref = figures(doc)
    shuffled = os.path.join(root, f"case-{k}-shuffled")
    g.write(shuffled, shuffle=True)
    d = diff(ref, figures(json.loads(json_run(binary, shuffled))))
    if d:
        raise Failure(f"shuffling the ledger lines changed {d}")
    split = os.path.join(root, f"case-{k}-split")
    g.write(split, split=True)
    d = diff(ref, figures(json.loads(json_run(binary, split))))
    if d:
        raise Failure(f"splitting the ledgers changed {d}")
    if workbook:
        env = {"SOURCE_DATE_EPOCH": "1700000000"}
        books = []
        for i in range(2):
            out = os.path.join(root, f"wb-{k}-{i}.xlsx")
            proc = run(binary, base, ["-o", out, "--quiet"], env)
            err = proc.stderr.decode("utf-8", "replace")
            if proc.returncode != 0:
                raise Failure(f"workbook run exit {proc.returncode}: {err[-1500:]}")
            with open(out, "rb") as f:
                books.append(f.read())
        if books[0] != books[1]:
            raise Failure("two workbooks of the same inputs differ "
                          "(SOURCE_DATE_EPOCH set)")
    return len(g.lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--seed", default=os.environ.get("GRANTREC_PROPERTY_SEED"))
    ap.add_argument("--shard", default="1/1")
    ap.add_argument("--case", type=int, action="append")
    ap.add_argument("--keep", help="keep every generated grant here")
    ap.add_argument("--workbook-every", type=int, default=40)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    seed = args.seed or str(random.SystemRandom().randrange(10 ** 9))
    shard, shards = (int(x) for x in args.shard.split("/"))
    cases = args.case or [k for k in range(args.cases)
                          if k % shards == shard - 1]
    print(f"property seed {seed} (set GRANTREC_PROPERTY_SEED={seed} to "
          f"repeat); {len(cases)} cases, shard {shard}/{shards}", flush=True)
    root = args.keep or tempfile.mkdtemp(prefix="grantrec-prop-")
    failures = 0
    lines = 0
    for k in cases:
        try:
            lines += one_case(binary, seed, k, root,
                              args.workbook_every > 0 and
                              k % args.workbook_every == 0)
        except Failure as e:
            failures += 1
            kept = os.path.join(tempfile.gettempdir(),
                                f"grantrec-prop-failed-{seed}-{k}")
            shutil.rmtree(kept, ignore_errors=True)
            for name in (f"case-{k}", f"case-{k}-shuffled", f"case-{k}-split"):
                if os.path.isdir(os.path.join(root, name)):
                    shutil.copytree(os.path.join(root, name),
                                    os.path.join(kept, name))
            print(f"FAIL case {k}: {e}\n  kept in {kept}\n  repeat: "
                  f"{sys.argv[0]} {args.binary} --seed {seed} --case {k}",
                  flush=True)
            if failures >= 5:
                break
        finally:
            for name in os.listdir(root) if not args.keep else []:
                if name.startswith((f"case-{k}", f"wb-{k}-")):
                    p = os.path.join(root, name)
                    shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{len(cases)} cases, {lines} ledger lines, {failures} failed "
          f"(seed {seed})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
