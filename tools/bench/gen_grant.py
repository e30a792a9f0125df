#!/usr/bin/python3
"""gen_grant.py: a synthetic grant of N ledger lines, for benchmarks.

Usage:  python3 tools/bench/gen_grant.py N OUTDIR [--seed S] [--no-journal] [--quiet]

Writes into OUTDIR (created if missing) a grant folder that grantrec reads:

  grant.ini                          five members, all three fx methods
  budget.csv tranches.csv disbursements.csv comments.csv
  tdh.csv icco.csv plan.csv fag.csv dci.csv   N ledger lines in all
  fx-rates/daily.csv monthly.csv transfers.csv budget-rates.csv
  grant.journal                      the same lines and rates for ledger-cli / hledger
  expected.json                      the generator's own exact figures (the oracle)

The grant runs five years (2021-01-01 .. 2025-12-31); a few lines per member
are booked before and after it (outside-period findings), a few are exact
double bookings (duplicate findings), about 2% are credit notes. Fourteen
currencies: EUR plus the 13 of the bundled grant. The members keep the
bundled grant's export dialects:

  tdh   transfer-average  semicolon, decimal comma, thousands point,
                          DD-MM-YYYY, windows-1252, CRLF
  icco  monthly           comma, thousands comma (quoted), negatives in
                          parentheses, DD/MM/YYYY, UTF-8 with BOM, CRLF
  plan  daily             tab, thousands comma (Indian grouping for INR),
                          trailing minus, YYYY-MM-DD
  fag   daily             plain CSV (all defaults)
  dci   monthly           pipe, decimal comma, thousands space, DD.MM.YYYY

Deterministic: the same N and seed give the same bytes (Python stdlib only;
every draw comes from random.Random(seed).random()). Rates are generated as
floats and cut to fixed decimals as text; from there on everything is exact
integer arithmetic: the oracle converts every line as grantrec does
(amount / rate, rounded half-up to the cent, transfer-average rates as
exact fractions) without Fractions in the per-line loop.

THE JOURNAL (grant.journal) holds every ledger line as one transaction

    2021-05-17 (PINV-21-0010417) Partner audit fee Delhi
        Expenses:plan:Audit    INR 56902.64
        Funds:plan

and the three rate tables as price directives in the ECB direction, exactly
as written in the CSV tables (P 2021-05-17 EUR 83.7274 INR: 1 EUR =
83.7274 INR); ledger-cli and hledger both invert such a price to value INR in
EUR. Because one commodity can carry only one price history, and grantrec
converts the same currency by different methods for different members, each
method has its own commodity symbol: daily lines use the ISO code (INR),
monthly lines the code with _M (PEN_M, priced on the 1st of each month),
transfer-average lines the code with _T (IDR_T, priced on each transfer date
at the member's cumulative average sum(local)/sum(eur)). The transfers are
generated so that every cumulative average is a terminating decimal (the
cumulative EUR sent has no prime factor but 2 and 5 beyond a small one that
divides the cumulative local amount), so the price directive states the
exact rate grantrec computes. So `ledger bal -X EUR -H` and
`hledger bal --value=then,EUR` value every posting at exactly grantrec's
rate on its date.

What they cannot do is round each line to the cent before adding, as
grantrec does: they sum the exact values and round the total for display.
Their total therefore differs from grantrec's `totals.actual` by exactly
grantrec's own `totals.rounding_difference` (up to the display rounding), and
expected.json records both figures: `actual` (grantrec's) and
`peer_actual` (the exact unrounded sum, rounded to the cent). A journal with
`@@` total costs of the rounded EUR values would reproduce grantrec to the
cent under `--cost`/`-B`, but not under valuation: ledger-cli records every
cost as a market price, so `-X EUR -H` would then value a posting at the
last cost booked that day in its currency. The journal therefore carries
prices only; the benchmark checks both drifts (see docs/performance.md).
"""

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import sys
from fractions import Fraction
from statistics import NormalDist

START = dt.date(2021, 1, 1)
END = dt.date(2025, 12, 31)
RATES_FROM = dt.date(2020, 11, 2)
RATES_TO = dt.date(2026, 2, 27)
PRE = (dt.date(2020, 12, 1), dt.date(2020, 12, 31))    # lines booked before the period
POST = (dt.date(2026, 1, 2), dt.date(2026, 1, 30))     # late bookings
GRANT_NAME = "Synthetic consortium grant"
REFERENCE = "BENCH"

# ---------------------------------------------------------------------------
# currencies: start level (units per EUR, the bundled 2021-03 anchors),
# decimals written, own daily volatility, beta to the EUR/USD factor,
# yearly drift of the level (log).
CCY = {
    #        level    dec  vol     beta  drift
    "USD": (1.190,    4, 0.0000, 1.0, -0.02),
    "BRL": (6.725,    4, 0.0080, 1.0, +0.03),
    "IDR": (17140.0,  2, 0.0022, 0.8, +0.01),
    "INR": (86.66,    4, 0.0020, 0.8, +0.02),
    "PHP": (57.78,    3, 0.0028, 0.8, +0.01),
    "THB": (36.63,    3, 0.0025, 0.8, 0.00),
    "BDT": (100.9,    2, 0.0006, 1.0, +0.04),
    "COP": (4421.0,   2, 0.0060, 1.0, +0.03),
    "DOP": (67.94,    3, 0.0012, 1.0, +0.02),
    "NIO": (41.78,    4, 0.0002, 1.0, +0.02),
    "PEN": (4.618,    4, 0.0035, 1.0, +0.01),
}
PEGS = {"NPR": ("INR", 1.6, 3), "BOB": ("USD", 6.91, 4)}
USD_VOL = 0.0040
FOREIGN = sorted(list(CCY) + list(PEGS))          # 13 currencies besides EUR
SPECIAL_ROUND = {"IDR", "COP"}                      # local amounts in whole hundreds

COUNTRY_CCY = {"Bangladesh": "BDT", "India": "INR", "Indonesia": "IDR", "Nepal": "NPR",
               "Philippines": "PHP", "Thailand": "THB", "Bolivia": "BOB", "Brazil": "BRL",
               "Colombia": "COP", "Dominican Republic": "DOP", "Nicaragua": "NIO", "Peru": "PEN"}
COUNTRY_CODE = {"Bangladesh": "BD", "India": "IN", "Indonesia": "ID", "Nepal": "NP", "Philippines": "PH",
                "Thailand": "TH", "Bolivia": "BO", "Brazil": "BR", "Colombia": "CO",
                "Dominican Republic": "DO", "Nicaragua": "NI", "Peru": "PE", "": "HO"}
CITIES = {
    "Bangladesh": ["Dhaka", "Chittagong", "Khulna", "Cox's Bazar"],
    "Nepal": ["Kathmandu", "Pokhara", "Biratnagar", "Lalitpur"],
    "Indonesia": ["Jakarta", "Surabaya", "Medan", "Lombok"],
    "Philippines": ["Manila", "Cebu", "Surigao", "Davao"],
    "India": ["Kolkata", "Mumbai", "Delhi", "Bengaluru"],
    "Colombia": ["Bogotá", "Medellín", "Cartagena", "Cali"],
    "Dominican Republic": ["Santo Domingo", "Santiago", "Puerto Plata", "Boca Chica"],
    "Bolivia": ["La Paz", "Cochabamba", "Santa Cruz", "El Alto"],
    "Nicaragua": ["Managua", "León", "Estelí", "Matagalpa"],
    "Peru": ["Lima", "Cusco", "Iquitos", "Arequipa"],
    "Thailand": ["Bangkok", "Chiang Mai", "Pattaya", "Chiang Rai"],
    "Brazil": ["São Paulo", "Recife", "Fortaleza", "Belém"],
    "": ["Den Haag", "Amsterdam", "Utrecht", "Leiden"],
}
THAI_CITY = {"Bangkok": "กรุงเทพฯ", "Chiang Mai": "เชียงใหม่", "Pattaya": "พัทยา", "Chiang Rai": "เชียงราย"}

BUDGET_LINES = ["O1 Specialised services", "O2 Child and youth advocacy", "O3 Protective shield",
                "O4 Child protection systems", "O5 Lobby and advocacy", "Programme management",
                "Monitoring and evaluation", "Audit", "Indirect costs"]
O1, O2, O3, O4, O5, PM, ME, AU, IC = BUDGET_LINES
# share of a member's lines per budget line, and of each line booked by the head office in EUR
LINE_SHARE = {O1: 0.22, O2: 0.12, O3: 0.15, O4: 0.14, O5: 0.08, PM: 0.17, ME: 0.07, AU: 0.01, IC: 0.04}
HO_SHARE = {O1: 0.04, O2: 0.06, O3: 0.04, O4: 0.06, O5: 0.35, PM: 0.45, ME: 0.30, AU: 0.60, IC: 1.0}
TYPICAL_EUR = {O1: 260, O2: 220, O3: 200, O4: 260, O5: 300, PM: 380, ME: 320, AU: 1500, IC: 2500}
TYPICAL_HO_EUR = {O1: 900, O2: 700, O3: 800, O4: 900, O5: 650, PM: 900, ME: 800, AU: 3000, IC: 2500}
USD_SHARE = 0.07
CREDIT_SHARE = 0.02
GL_ACCOUNT = {O1: "4110", O2: "4120", O3: "4130", O4: "4140", O5: "4150", PM: "4210", ME: "4220",
              AU: "4230", IC: "4290"}

MEMBER_ORDER = ["tdh", "icco", "plan", "fag", "dci"]
MEMBERS = {
    "tdh": dict(name="Terre des Hommes Netherlands", role="lead", fx="transfer-average", share=0.30, lang="nl",
                countries={"Bangladesh": 0.30, "Nepal": 0.20, "Indonesia": 0.26, "Philippines": 0.24},
                usd=["Indonesia", "Philippines"],
                factor={O1: 0.99, O2: 0.97, O3: 1.16, O4: 1.01, O5: 0.96, PM: 0.99, ME: 0.80, AU: 1.0, IC: 1.0}),
    "icco": dict(name="ICCO (part of Cordaid)", role="member", fx="monthly", share=0.20, lang="es",
                 countries={"Bolivia": 0.35, "Nicaragua": 0.30, "Peru": 0.35}, usd=["Nicaragua", "Peru"],
                 factor={O1: 1.00, O2: 0.98, O3: 1.02, O4: 0.77, O5: 1.00, PM: 0.98, ME: 1.01, AU: 1.30,
                         IC: 1.0}),
    "plan": dict(name="Plan International Netherlands", role="member", fx="daily", share=0.25, lang="en",
                 countries={"India": 0.45, "Colombia": 0.30, "Dominican Republic": 0.25},
                 usd=["Colombia", "Dominican Republic"],
                 factor={O1: 1.14, O2: 0.99, O3: 0.98, O4: 1.01, O5: 0.78, PM: 0.98, ME: 1.00, AU: 1.0,
                         IC: 1.0}),
    "fag": dict(name="Free a Girl", role="member", fx="daily", share=0.13, lang="en",
                countries={"Thailand": 0.40, "Brazil": 0.60}, usd=[],
                factor={O1: 1.13, O2: 0.98, O3: 0.99, O4: 0.99, O5: 1.0, PM: 0.96, ME: 0.97, AU: 1.0, IC: 1.0}),
    "dci": dict(name="Defence for Children - ECPAT Netherlands", role="member", fx="monthly", share=0.12,
                lang="nl-en", countries={"Philippines": 0.35, "Thailand": 0.25, "Peru": 0.40}, usd=[],
                factor={O1: None, O2: 1.00, O3: 0.82, O4: 0.99, O5: 1.17, PM: 0.99, ME: 1.02, AU: 1.0,
                        IC: 1.0}),
}
COMMENTS = {
    ("tdh", O3): "Community protection groups expanded after Covid-19 restrictions were lifted",
    ("tdh", ME): "Endline evaluation done largely by national consultants",
    ("icco", O4): "Nicaragua: partner closed by government order, planned trainings cancelled",
    ("plan", O1): "Higher case load in India and Colombia",
    ("plan", O5): "Regional lobby conference moved online",
    ("fag", O1): "BRL strengthened against the euro; shelter costs in Brazil cost more in EUR",
    ("dci", O5): "Extra advocacy for the UN Committee on the Rights of the Child session, Geneva",
}

DIALECTS = {
    "tdh": dict(delimiter=";", decimal=",", thousands=".", negative="leading", date="%d-%m-%Y",
                encoding="cp1252", bom=False, eol="\r\n",
                header=["Boekdatum", "Boekstuk", "Grootboek", "Kostenplaats", "Budgetpost", "Omschrijving",
                        "Land", "Valuta", "Bedrag"],
                ini=[("delimiter", "semicolon"), ("decimal", "comma"), ("thousands", "point"),
                     ("date_format", "DD-MM-YYYY"), ("encoding", "windows-1252"),
                     ("col.date", "Boekdatum"), ("col.amount", "Bedrag"), ("col.currency", "Valuta"),
                     ("col.budget_line", "Budgetpost"), ("col.voucher", "Boekstuk"), ("col.country", "Land"),
                     ("col.description", "Omschrijving")]),
    "icco": dict(delimiter=",", decimal=".", thousands=",", negative="parentheses", date="%d/%m/%Y",
                 encoding="utf-8", bom=True, eol="\r\n",
                 header=["Fecha", "Comprobante", "Centro de costo", "Partida", "Descripción", "País",
                         "Moneda", "Importe"],
                 ini=[("delimiter", "comma"), ("decimal", "point"), ("thousands", "comma"),
                      ("date_format", "DD/MM/YYYY"), ("encoding", "utf-8"),
                      ("col.date", "Fecha"), ("col.amount", "Importe"), ("col.currency", "Moneda"),
                      ("col.budget_line", "Partida"), ("col.voucher", "Comprobante"), ("col.country", "País"),
                      ("col.description", "Descripción")]),
    "plan": dict(delimiter="\t", decimal=".", thousands=",", negative="trailing", date="%Y-%m-%d",
                 encoding="utf-8", bom=False, eol="\n",
                 header=["Posting Date", "Document No", "G/L Account No.", "Budget Line", "Country",
                         "Description", "Currency", "Amount", "Project"],
                 ini=[("delimiter", "tab"), ("decimal", "point"), ("thousands", "comma"),
                      ("date_format", "YYYY-MM-DD"), ("encoding", "utf-8"),
                      ("col.date", "Posting Date"), ("col.amount", "Amount"), ("col.currency", "Currency"),
                      ("col.budget_line", "Budget Line"), ("col.voucher", "Document No"),
                      ("col.country", "Country"), ("col.description", "Description")]),
    "fag": dict(delimiter=",", decimal=".", thousands="", negative="leading", date="%Y-%m-%d",
                encoding="utf-8", bom=False, eol="\n",
                header=["date", "voucher", "budget_line", "country", "currency", "amount", "description"],
                ini=[]),
    "dci": dict(delimiter="|", decimal=",", thousands=" ", negative="leading", date="%d.%m.%Y",
                encoding="utf-8", bom=False, eol="\n",
                header=["Datum", "Factuurnr", "Projectcode", "Begrotingsregel", "Land", "Omschrijving",
                        "Valuta", "Bedrag"],
                ini=[("delimiter", "pipe"), ("decimal", "comma"), ("thousands", "space"),
                     ("date_format", "DD.MM.YYYY"), ("encoding", "utf-8"),
                     ("col.date", "Datum"), ("col.amount", "Bedrag"), ("col.currency", "Valuta"),
                     ("col.budget_line", "Begrotingsregel"), ("col.voucher", "Factuurnr"),
                     ("col.country", "Land"), ("col.description", "Omschrijving")]),
}

# descriptions: templates per language; {c} is the city. No ';' anywhere (a journal comment).
DESC = {
    "nl": {O1: ["Psychosociale hulp slachtoffers, {c}", "Opvang en medische zorg – {c}",
                "Juridische bijstand kinderen {c}", "Begeleiding en reïntegratie meisjes {c}"],
           O2: ['Jongerenpanel "Stem van kinderen" {c}', "Training jongerenambassadeurs, {c}"],
           O3: ["Bewustwording ouders en gemeenschap {c}", "Voorlichting scholen – {c}"],
           O4: ["Training politie en justitie {c}", "Versterking kinderbeschermingscomités, {c}"],
           O5: ["Lobbybijeenkomst ministerie {c}", "Beleidsdialoog, rondetafel {c}"],
           PM: ["Reiskosten coördinatie, {c}", "Huur kantoor {c}", "Bankkosten {c}", "Salarissen {c}"],
           ME: ["Monitoringbezoek {c}", "Dataverzameling evaluatie {c}"],
           AU: ["Controlekosten partner {c}", "Accountantskosten projectaudit {c}"],
           IC: ["Indirecte kosten (7%)"],
           "ho": ["Reiskosten veldbezoek {c}", "Vergaderkosten Alliantie, {c}", "Consultancy € dagtarief",
                  'Expertmeeting "Down to Zero"'],
           "credit": "Storno: "},
    "es": {O1: ["Atención psicosocial a víctimas, {c}", "Albergue temporal – {c}",
                "Asistencia legal a niñas y niños {c}"],
           O2: ['Red de adolescentes "Voces" {c}', "Capacitación de jóvenes promotores, {c}"],
           O3: ["Talleres con madres y padres {c}", "Charlas en escuelas – {c}"],
           O4: ["Capacitación a policía y fiscalía {c}", "Mesa interinstitucional {c}"],
           O5: ["Reunión con ministerio {c}", "Incidencia política, foro {c}"],
           PM: ["Viáticos coordinación, {c}", "Alquiler oficina {c}", "Sueldos {c}"],
           ME: ["Visita de monitoreo {c}", "Taller de evaluación, {c}"],
           AU: ["Auditoría del socio {c}"],
           IC: ["Costos indirectos (7%)"],
           "ho": ["Viaje de monitoreo desde la sede, {c}", "Reunión de la Alianza, {c}",
                  "Diseño e impresión del informe"],
           "credit": "Reversión: "},
    "en": {O1: ["Psychosocial counselling for survivors, {c}", "Safe shelter – {c}",
                "Legal aid for children {c}", "Case management home visits {c}"],
           O2: ['Youth panel "Our Voice" {c}', "Training of youth advocates, {c}"],
           O3: ["Parent and caregiver sessions {c}", "School awareness sessions – {c}"],
           O4: ["Training for police and prosecutors {c}", "Referral pathway coordination {c}"],
           O5: ["Meeting with ministry {c}", "Policy dialogue, roundtable {c}"],
           PM: ["Coordination travel, {c}", "Office rent {c}", "Bank charges {c}", "Staff salaries {c}"],
           ME: ["Monitoring visit {c}", "Evaluation workshop, {c}"],
           AU: ["Partner audit fee {c}", "External audit {c}"],
           IC: ["Indirect costs (7%)"],
           "ho": ["Field visit travel {c}", "Alliance meeting costs, {c}", 'Expert meeting "Down to Zero"'],
           "credit": "Credit note: "},
}

# ---------------------------------------------------------------------------


def easter(y):
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(y, month, day)


def target_holidays(y):
    e = easter(y)
    return {dt.date(y, 1, 1), e - dt.timedelta(days=2), e + dt.timedelta(days=1), dt.date(y, 5, 1),
            dt.date(y, 12, 25), dt.date(y, 12, 26)}


HOLIDAYS = set()
for _y in range(2020, 2027):
    HOLIDAYS |= target_holidays(_y)


def is_working(d):
    return d.weekday() < 5 and d not in HOLIDAYS


def days(a, b):
    d = a
    while d <= b:
        yield d
        d += dt.timedelta(days=1)


def oddpart(n):
    """n without its factors 2 and 5."""
    while n % 2 == 0:
        n //= 2
    while n % 5 == 0:
        n //= 5
    return n


def exact_decimal(num, den):
    """num/den as a plain decimal string; den must be 2^a 5^b."""
    assert den > 0 and oddpart(den) == 1, den
    places = 0
    while (10 ** places) % den:
        places += 1
    scaled = num * (10 ** places // den)
    if places == 0:
        return str(scaled)
    s = "%0*d" % (places + 1, scaled)
    return s[:-places] + "." + s[-places:]


def dec_text(units, places):
    """An integer count of 10**-places as a decimal string."""
    sign = "-" if units < 0 else ""
    units = abs(units)
    if places == 0:
        return sign + str(units)
    return "%s%d.%0*d" % (sign, units // 10 ** places, places, units % 10 ** places)


def sig4(x):
    """x to 4 significant digits, as text."""
    e = math.floor(math.log10(x))
    places = max(0, 3 - e)
    return "%.*f" % (places, round(x, 3 - e))


class Rng:
    """Only Random.random() is used, so the draws are stable across versions."""

    def __init__(self, seed):
        self.random = random.Random(seed).random

    def gauss(self):
        u1 = 1.0 - self.random()
        u2 = self.random()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def below(self, n):
        return min(int(self.random() * n), n - 1)


# ---------------------------------------------------------------------------
# rates


def generate_rates(seed):
    rng = Rng(seed * 7 + 1)
    wdays = [d for d in days(RATES_FROM, RATES_TO) if is_working(d)]
    texts = {c: [] for c in FOREIGN}
    logs = {c: math.log(CCY[c][0]) for c in CCY}
    t0 = wdays[0]
    for d in wdays:
        years = (d - t0).days / 365.25
        common = USD_VOL * rng.gauss()
        for c in sorted(CCY):
            level, places, vol, beta, drift = CCY[c]
            target = math.log(level) + drift * years
            logs[c] += beta * common + vol * rng.gauss() + 0.01 * (target - logs[c])
            texts[c].append("%.*f" % (places, math.exp(logs[c])))
        for c, (base, k, places) in PEGS.items():
            texts[c].append("%.*f" % (places, k * float(texts[base][-1])))
    # monthly (InforEuro): the rate of month M is the daily rate of the
    # penultimate working day of month M-1
    months = []
    y, m = 2020, 12
    while (y, m) <= (2026, 2):
        months.append((y, m))
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    monthly = {}
    for (y, m) in months:
        py, pm = (y, m - 1) if m > 1 else (y - 1, 12)
        idx = [i for i, d in enumerate(wdays) if (d.year, d.month) == (py, pm)]
        i = idx[-2]
        for c in FOREIGN:
            monthly[((y, m), c)] = texts[c][i]
    return wdays, texts, months, monthly


def rate_int(text):
    """'88.9200' -> (889200, 10**4): rate = a / b."""
    if "." in text:
        ip, fp = text.split(".")
        return int(ip + fp), 10 ** len(fp)
    return int(text), 1


# ---------------------------------------------------------------------------
# members, buckets, budget


def buckets_of(mid):
    """(budget line, country, currency, share of the member's lines, typical EUR per line)."""
    m = MEMBERS[mid]
    out = []
    for bl, share in LINE_SHARE.items():
        if m["factor"].get(bl) is None:
            continue
        ho = HO_SHARE[bl]
        out.append((bl, "", "EUR", share * ho, TYPICAL_HO_EUR[bl]))
        rest = share * (1 - ho)
        if rest <= 0:
            continue
        for country, w in m["countries"].items():
            part = rest * w
            if country in m["usd"] and bl in (O1, O2, O3, O4, O5, ME):
                out.append((bl, country, "USD", part * USD_SHARE, TYPICAL_EUR[bl] * 2))
                part *= 1 - USD_SHARE
            out.append((bl, country, COUNTRY_CCY[country], part, TYPICAL_EUR[bl]))
    total = sum(b[3] for b in out)
    return [(bl, c, ccy, w / total, typ) for bl, c, ccy, w, typ in out]


def split_counts(total, weights):
    """Deterministic integer split of total proportional to weights (cumulative rounding)."""
    s = float(sum(weights))
    out, acc, prev = [], 0.0, 0
    for w in weights:
        acc += w
        cur = int(round(total * acc / s))
        out.append(cur - prev)
        prev = cur
    out[-1] += total - sum(out)
    return out


def day_weights(d):
    if not is_working(d):
        w = 0.03 if d.weekday() >= 5 else 0.25
    else:
        w = 1.0
    if (d + dt.timedelta(days=5)).month != d.month:
        w *= 1.3                                     # month-end rush
    if d.month == 12 and d.day > 18:
        w *= 0.6
    if d.month in (7, 8):
        w *= 0.8
    return w * (1.0 + 0.05 * (d.year - START.year))  # growth


# ---------------------------------------------------------------------------
# amount text per dialect


def group3(digits, sep):
    n = len(digits)
    if n <= 3:
        return digits
    head = n % 3 or 3
    parts = [digits[:head]]
    for i in range(head, n, 3):
        parts.append(digits[i:i + 3])
    return sep.join(parts)


def group_indian(digits, sep):
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    parts = []
    while len(head) > 2:
        parts.append(head[-2:])
        head = head[:-2]
    parts.append(head)
    return sep.join(reversed(parts)) + sep + tail


def amount_formatter(mid, ccy):
    d = DIALECTS[mid]
    dec, th, neg = d["decimal"], d["thousands"], d["negative"]
    indian = mid == "plan" and ccy == "INR"

    def fmt(cents):
        a = -cents if cents < 0 else cents
        ip = str(a // 100)
        if th:
            ip = group_indian(ip, th) if indian else group3(ip, th)
        body = "%s%s%02d" % (ip, dec, a % 100)
        if cents < 0:
            if neg == "leading":
                return "-" + body
            if neg == "parentheses":
                return "(" + body + ")"
            return body + "-"
        return body
    return fmt


# ---------------------------------------------------------------------------


def make_transfers(wdays, texts, plan_eur_per_ccy, seed):
    """tdh's EUR->local transfers, quarterly from 2020-11, with exact terminating
    cumulative averages. Returns rows and per currency [(date, L_cents, E_cents)]."""
    rng = Rng(seed * 7 + 2)
    windex = {d: i for i, d in enumerate(wdays)}
    dates = []
    y, m = 2020, 11
    while (y, m) <= (2025, 11):
        d = dt.date(y, m, 5)
        while not is_working(d):
            d += dt.timedelta(days=1)
        dates.append(d)
        y, m = (y, m + 3) if m <= 9 else (y + 1, m - 9)
    rows, cum = [], {}
    for ccy in sorted(plan_eur_per_ccy):
        per = plan_eur_per_ccy[ccy] * 1.02 / (len(dates) - 1)
        e_k = 0            # cumulative EUR, thousands
        l_c = 0            # cumulative local, cents
        hist = []
        for k, d in enumerate(dates):
            want = max(e_k + 1, int(round((k + 1) * per / 1000.0 * (0.85 + 0.3 * rng.random()))))
            nk = want
            while oddpart(nk) > 99:          # keep the cumulative EUR 2^a 5^b x (small)
                nk += 1
            eur_k = nk - e_k
            spot = float(texts[ccy][windex[d]])
            spread = (40 + rng.below(110)) / 10000.0     # bank margin 0.40%..1.49%
            local = eur_k * 1000.0 * spot * (1 - spread)
            unit = 100 if ccy == "IDR" else 1           # IDR: whole units
            lc = int(round(local * 100 / unit)) * unit
            g = oddpart(nk)                               # of E in cents, = of nk
            step = g * unit if unit > 1 else g
            # smallest increase that makes the cumulative local divisible by g (and by unit)
            while (l_c + lc) % step:
                lc += unit
            e_k, l_c = nk, l_c + lc
            rows.append((d, ccy, eur_k * 100000, lc))
            hist.append((d, l_c, e_k * 100000))
        cum[ccy] = hist
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows, cum


def main():
    ap = argparse.ArgumentParser(description="synthetic grant of N ledger lines for benchmarks")
    ap.add_argument("n", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--no-journal", action="store_true", help="do not write grant.journal")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    if args.n < 200:
        ap.error("N must be at least 200")
    gen(args.n, args.outdir, args.seed, not args.no_journal, args.quiet)


def gen(N, outdir, seed, journal, quiet):
    os.makedirs(os.path.join(outdir, "fx-rates"), exist_ok=True)
    wdays, texts, months, monthly = generate_rates(seed)
    windex = {d: i for i, d in enumerate(wdays)}

    per_member = split_counts(N, [MEMBERS[m]["share"] for m in MEMBER_ORDER])
    nd = NormalDist()
    LN = [math.exp(0.95 * nd.inv_cdf((i + 0.5) / 4096)) for i in range(4096)]
    mean_ln = sum(LN) / len(LN)

    # expected EUR per (member, budget line) and per tdh currency (budget, transfers)
    buckets = {mid: buckets_of(mid) for mid in MEMBER_ORDER}
    expect_line, tdh_ccy = {}, {}
    for mid, nm in zip(MEMBER_ORDER, per_member):
        for bl, country, ccy, w, typ in buckets[mid]:
            e = nm * w * typ * mean_ln * (1 - 2 * CREDIT_SHARE)
            expect_line[(mid, bl)] = expect_line.get((mid, bl), 0.0) + e
            if mid == "tdh" and ccy != "EUR":
                tdh_ccy[ccy] = tdh_ccy.get(ccy, 0.0) + e
    transfer_rows, cum = make_transfers(wdays, texts, tdh_ccy, seed)

    # ---- grant tables
    budget_rows = []
    for mid in MEMBER_ORDER:
        for bl in BUDGET_LINES:
            f = MEMBERS[mid]["factor"].get(bl)
            if f is None:
                continue
            budget_rows.append((mid, bl, max(1000, int(round(expect_line[(mid, bl)] / f / 1000.0)) * 1000)))
    amount = sum(b[2] for b in budget_rows)
    write_csv(outdir, "budget.csv", ["member", "budget_line", "amount"],
              [(a, b, "%d.00" % c) for a, b, c in budget_rows])
    # five yearly tranches of 19%, the last 5% due after the final report
    tr, left = [], amount * 100
    for k in range(5):
        cents = amount * 19
        left -= cents
        y = 2021 + k
        tr.append((str(k + 1), dec_text(cents, 2), "%d-01-31" % y, "%d-02-0%d" % (y, 2 + k % 3)))
    tr.append(("6", dec_text(left, 2), "2026-06-30", ""))
    write_csv(outdir, "tranches.csv", ["tranche", "amount", "due", "received"], tr)
    disb = []
    for y in range(2021, 2026):
        for k, mid in enumerate(MEMBER_ORDER[1:]):
            mb = sum(c for m_, _, c in budget_rows if m_ == mid)
            disb.append(("%d-02-%02d" % (y, 10 + k), mid, dec_text(mb * 19, 2)))
    write_csv(outdir, "disbursements.csv", ["date", "member", "amount"], disb)
    write_csv(outdir, "comments.csv", ["member", "budget_line", "comment"],
              [(m_, bl, COMMENTS[(m_, bl)]) for m_ in MEMBER_ORDER for bl in BUDGET_LINES
               if (m_, bl) in COMMENTS])
    write_csv(outdir, "fx-rates/daily.csv", ["date", "currency", "rate"],
              [(d.isoformat(), c, texts[c][i]) for i, d in enumerate(wdays) for c in FOREIGN])
    write_csv(outdir, "fx-rates/monthly.csv", ["month", "currency", "rate"],
              [("%04d-%02d" % ym, c, monthly[(ym, c)]) for ym in months for c in FOREIGN])
    write_csv(outdir, "fx-rates/transfers.csv", ["date", "member", "currency", "eur", "local"],
              [(d.isoformat(), "tdh", c, dec_text(e, 2), dec_text(lc, 2)) for d, c, e, lc in transfer_rows])
    write_csv(outdir, "fx-rates/budget-rates.csv", ["currency", "rate"],
              [(c, sig4(float(texts[c][windex[dt.date(2021, 1, 4)]]))) for c in FOREIGN])
    write_ini(outdir)

    # ---- rate tables as (A, B, key): eur_cents_exact = local_cents * A / B
    all_days = list(days(PRE[0], POST[1]))
    day_pos = {d: i for i, d in enumerate(all_days)}
    daily_ab, monthly_ab, avg_ab = {}, {}, {}
    for c in FOREIGN:
        tab, j = [], -1
        for d in all_days:
            while j + 1 < len(wdays) and wdays[j + 1] <= d:
                j += 1
            a, b = rate_int(texts[c][j])
            tab.append((b, a, j))                  # local/(a/b) -> cents: local_c * b / a
        daily_ab[c] = tab
        monthly_ab[c] = []
        for d in all_days:
            a, b = rate_int(monthly[((d.year, d.month), c)])
            monthly_ab[c].append((b, a, (d.year, d.month)))
    for c, hist in cum.items():
        tab, j = [], -1
        for d in all_days:
            while j + 1 < len(hist) and hist[j + 1][0] <= d:
                j += 1
            assert j >= 0, "a tdh line before its first transfer"
            _, lcum, ecum = hist[j]
            tab.append((ecum, lcum, j))            # local/(L/E) -> cents: local_c * E / L
        avg_ab[c] = tab

    # ---- journal header: commodities and prices
    jf = None
    if journal:
        jf = open(os.path.join(outdir, "grant.journal"), "w", encoding="utf-8", newline="\n")
        jf.write("; %s: %d ledger lines, written by tools/bench/gen_grant.py (seed %d).\n"
                 "; Prices in the ECB direction (units per 1 EUR), as in fx-rates/: plain ISO codes are\n"
                 "; daily rates, _M monthly rates (dated the 1st), _T tdh's cumulative transfer averages.\n"
                 "; Value with: ledger bal -X EUR -H   or   hledger bal --value=then,EUR\n\n"
                 % (GRANT_NAME, N, seed))
        jf.write("commodity EUR\n    format EUR 1000.00\n\n")
        # only the commodities the postings use: hledger's valuation time grows with
        # the number of prices, and a price nobody asks for changes no figure
        used = set()
        for mid in MEMBER_ORDER:
            sfx = {"daily": "", "monthly": "_M", "transfer-average": "_T"}[MEMBERS[mid]["fx"]]
            used |= {ccy + sfx for _, _, ccy, _, _ in buckets[mid] if ccy != "EUR"}
        out = []
        for i, d in enumerate(wdays):
            ds = d.isoformat()
            for c in FOREIGN:
                if c in used:
                    out.append("P %s EUR %s %s\n" % (ds, texts[c][i], c))
        for (y, m) in months:
            for c in FOREIGN:
                if c + "_M" in used:
                    out.append("P %04d-%02d-01 EUR %s %s_M\n" % (y, m, monthly[((y, m), c)], c))
        for c, hist in sorted(cum.items()):
            for d, lcum, ecum in hist:
                g = math.gcd(lcum, ecum)
                out.append("P %s EUR %s %s_T\n" % (d.isoformat(), exact_decimal(lcum // g, ecum // g), c))
        out.append("\n")
        jf.write("".join(out))

    # ---- ledgers
    oracle_members = {}
    exact_groups = {}          # (table id, ccy, rate key) -> summed local cents (eligible lines)
    totals = dict(actual=0, outside=0, lines=0, duplicates=0, outside_lines=0, credit=0)
    for mi, (mid, nm) in enumerate(zip(MEMBER_ORDER, per_member)):
        r = gen_member(mid, mi, nm, seed, buckets[mid], LN, all_days, day_pos,
                       {"daily": daily_ab, "monthly": monthly_ab, "transfer-average": avg_ab}[MEMBERS[mid]["fx"]],
                       exact_groups, outdir, jf)
        oracle_members[mid] = r
        totals["actual"] += r["actual_cents"]
        totals["outside"] += r["outside_cents"]
        totals["lines"] += r["lines"]
        totals["duplicates"] += r["duplicates"]
        totals["outside_lines"] += r["outside_lines"]
        totals["credit"] += r["credit_notes"]
    if jf:
        jf.close()
    assert totals["lines"] == N, (totals["lines"], N)

    tables = {"daily": daily_ab, "monthly": monthly_ab, "transfer-average": avg_ab}
    exact = Fraction(0)
    for (method, ccy, pos), local_c in exact_groups.items():
        if method == "EUR":
            exact += local_c
        else:
            a, b, _ = tables[method][ccy][pos]
            exact += Fraction(local_c * a, b)
    exact /= 100
    actual = Fraction(totals["actual"], 100)
    rd = actual - exact
    expected = {
        "generator": "tools/bench/gen_grant.py",
        "n": N, "seed": seed,
        "period": [START.isoformat(), END.isoformat()],
        "lines_per_member": {m: oracle_members[m]["lines"] for m in MEMBER_ORDER},
        "actual": dec_text(totals["actual"], 2),
        "outside_period": dec_text(totals["outside"], 2),
        "rounding_difference": dec_text(round_half_up(rd * 10 ** 6), 6),
        "peer_actual": dec_text(round_half_up(exact * 100), 2),
        "members": {m: {"actual": dec_text(oracle_members[m]["actual_cents"], 2),
                        "peer_actual": dec_text(round_half_up(oracle_members[m]["exact"] * 100), 2),
                        "fx": MEMBERS[m]["fx"]} for m in MEMBER_ORDER},
        "duplicates": totals["duplicates"],
        "outside_period_lines": totals["outside_lines"],
        "credit_notes": totals["credit"],
        "notes": {
            "actual": "sum of the lines dated inside the period, each converted at its member's method "
                      "and rounded half-up to the cent: grantrec's totals.actual",
            "peer_actual": "the exact unrounded sum of the same lines, rounded half-up to the cent once: "
                           "what ledger -X EUR -H and hledger --value=then,EUR compute from grant.journal",
            "rounding_difference": "actual - exact unrounded sum, 6 decimals: grantrec's "
                                   "totals.rounding_difference",
        },
    }
    with open(os.path.join(outdir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=2, ensure_ascii=False)
        f.write("\n")
    if not quiet:
        print("gen_grant: %d lines in %s: actual %s, peers %s, rounding difference %s, "
              "%d duplicates, %d outside the period" % (N, outdir, expected["actual"], expected["peer_actual"],
                                                        expected["rounding_difference"], totals["duplicates"],
                                                        totals["outside_lines"]), file=sys.stderr)


def round_half_up(x):
    """A Fraction to the nearest integer, half away from zero."""
    n, d = x.numerator, x.denominator
    q = (2 * abs(n) + d) // (2 * d)
    return -q if n < 0 else q


def gen_member(mid, mi, nm, seed, bks, LN, all_days, day_pos, ratetab, exact_groups, outdir, jf):
    m = MEMBERS[mid]
    d_ = DIALECTS[mid]
    rnd = random.Random(seed * 100 + mi).random
    method = m["fx"]
    suffix = {"daily": "", "monthly": "_M", "transfer-average": "_T"}[method]
    lang_of = (lambda country: "nl" if country == "" else "en") if m["lang"] == "nl-en" else \
        (lambda country: m["lang"])

    # bucket table: 8192 slots
    weights = [b[3] for b in bks]
    slots = split_counts(8192, weights)
    # per bucket: everything the hot loop needs
    B = []
    for (bl, country, ccy, w, typ), n_slots in zip(bks, slots):
        lang = lang_of(country)
        tpl = DESC[lang]["ho"] if country == "" and bl != IC else DESC[lang][bl]
        descs = []
        for t in tpl:
            for c in CITIES[country]:
                text = t.format(c=c)
                descs.append(text)
                if country == "Thailand":
                    descs.append(t.format(c=c + " (" + THAI_CITY[c] + ")"))
        level = 1.0 if ccy == "EUR" else (
            CCY[ccy][0] if ccy in CCY else PEGS[ccy][1] * CCY[PEGS[ccy][0]][0])
        cc = COUNTRY_CODE[country]
        if mid == "tdh":
            extra = (GL_ACCOUNT[bl], "BBB-" + cc)
        elif mid == "icco":
            extra = ("BBB-%s-02" % cc,)
        elif mid == "plan":
            extra = ("6" + GL_ACCOUNT[bl] + "0", "NL-BBB-2021-" + cc)
        elif mid == "dci":
            extra = ("DCI-BBB-21-" + cc,)
        else:
            extra = ()
        rounding = 2 if ccy in SPECIAL_ROUND else (0 if ccy == "EUR" else 1)
        B.append(dict(bl=bl, country=country, ccy=ccy, scale=typ * level, rounding=rounding,
                      descs=descs, nd=len(descs), fmt=amount_formatter(mid, ccy), extra=extra,
                      jccy=ccy if ccy == "EUR" else ccy + suffix,
                      account="Expenses:%s:%s" % (mid, bl), tab=None if ccy == "EUR" else ratetab[ccy],
                      key=("EUR", "EUR") if ccy == "EUR" else (method, ccy)))
    table = []
    for bi, n_slots in enumerate(slots):
        table.extend([bi] * n_slots)
    assert len(table) == 8192

    # how many lines per day: a few before and after the period, the rest by weight
    n_out = max(1, nm // 400000)
    pre_days = [d for d in days(*PRE) if is_working(d)]
    post_days = [d for d in days(*POST) if is_working(d)]
    in_days = list(days(START, END))
    in_counts = split_counts(nm - 2 * n_out, [day_weights(d) for d in in_days])
    plan = []
    for k in range(n_out):
        plan.append((pre_days[(k * 7) % len(pre_days)], 1))
    plan.sort()
    plan += list(zip(in_days, in_counts))
    post = sorted((post_days[(k * 5 + 3) % len(post_days)], 1) for k in range(n_out))
    plan += post
    # double bookings: about one per 250,000 lines, at least one per member
    n_dup = max(1, nm // 250000)
    dup_at = set((k * 2 + 1) * nm // (2 * n_dup) for k in range(n_dup))

    path = os.path.join(outdir, "%s.csv" % mid)
    f = open(path, "w", encoding=d_["encoding"], newline="")
    if d_["bom"]:
        f.write("\ufeff")
    w = csv.writer(f, delimiter=d_["delimiter"], lineterminator=d_["eol"], quoting=csv.QUOTE_MINIMAL)
    w.writerow(d_["header"])
    writerow = w.writerow
    credit_prefix = DESC[lang_of("")]["credit"]
    jbuf = []
    jappend = jbuf.append
    counters = {}
    actual = outside = 0
    exact = Fraction(0)
    groups = {}
    written = dups = outside_lines = credits = 0
    datefmt = d_["date"]
    k_line = 0
    for day, count in plan:
        if count <= 0:
            continue
        pos = day_pos[day]
        ds = day.strftime(datefmt)
        iso = day.isoformat()
        yy = day.year % 100
        eligible = START <= day <= END
        i = 0
        while i < count:
            b = B[table[int(rnd() * 8192)]]
            x = b["scale"] * LN[int(rnd() * 4096)]
            r = b["rounding"]
            if r == 2:
                cents = max(1, int(x / 100.0 + 0.5)) * 10000
            elif r == 1 and rnd() < 0.3:
                cents = max(1, int(x + 0.5)) * 100
            else:
                cents = max(1, int(x * 100.0 + 0.5))
            country = b["country"]
            if country:
                u = rnd()
                j = "IK" if u < 0.6 else ("BK" if u < 0.85 else "KS")
            else:
                j = "IK" if rnd() < 0.7 else "BK"
            desc = b["descs"][int(rnd() * b["nd"])]
            if rnd() < CREDIT_SHARE:
                cents = -cents
                j = "CN"
                desc = credit_prefix + desc
                credits += 1
            ck = (j, yy)
            c = counters.get(ck, 0) + 1
            counters[ck] = c
            voucher = voucher_text(mid, j, day.year, c)
            amount = b["fmt"](cents)
            bl = b["bl"]
            ccy = b["ccy"]
            if mid == "tdh":
                row = [ds, voucher, b["extra"][0], b["extra"][1], bl, desc, country, ccy, amount]
            elif mid == "icco":
                row = [ds, voucher, b["extra"][0], bl, desc, country, ccy, amount]
            elif mid == "plan":
                row = [ds, voucher, b["extra"][0], bl, country, desc, ccy, amount, b["extra"][1]]
            elif mid == "fag":
                row = [ds, voucher, bl, country, ccy, amount, desc]
            else:
                row = [ds, voucher, b["extra"][0], bl, country, desc, ccy, amount]
            times = 2 if (k_line in dup_at and i + 1 < count) else 1
            if times == 2:
                dup_at.discard(k_line)
            elif k_line in dup_at:          # last slot of a day: move the double booking on
                dup_at.discard(k_line)
                dup_at.add(k_line + 1)
            tab = b["tab"]
            if tab is None:
                eur = cents
                gkey = ("EUR", "EUR", 0)
            else:
                a_, b_, rk = tab[pos]
                n_ = cents * a_
                eur = (2 * abs(n_) + b_) // (2 * b_)
                if n_ < 0:
                    eur = -eur
                gkey = (b["key"][0], ccy, pos)
            if jf is not None:
                jt = "%s (%s) %s\n    %s    %s %s\n    Funds:%s\n\n" % (
                    iso, voucher, desc, b["account"], b["jccy"], dec_text(cents, 2), mid)
            for _ in range(times):
                writerow(row)
                if jf is not None:
                    jappend(jt)
                if eligible:
                    actual += eur
                    groups[gkey] = groups.get(gkey, 0) + cents
                else:
                    outside += eur
                    outside_lines += 1
                written += 1
                k_line += 1
                i += 1
            if times == 2:
                dups += 1
            if jf is not None and len(jbuf) >= 20000:
                jf.write("".join(jbuf))
                jbuf.clear()
    if jf is not None:
        jf.write("".join(jbuf))
    f.close()
    assert written == nm, (mid, written, nm)
    tables = ratetab
    for (meth, ccy, p), lc in groups.items():
        exact_groups[(meth, ccy, p)] = exact_groups.get((meth, ccy, p), 0) + lc
        if meth == "EUR":
            exact += lc
        else:
            a_, b_, _ = tables[ccy][p]
            exact += Fraction(lc * a_, b_)
    return dict(lines=nm, actual_cents=actual, outside_cents=outside, exact=exact / 100, duplicates=dups,
                outside_lines=outside_lines, credit_notes=credits)


def voucher_text(mid, j, year, c):
    yy = year % 100
    if mid == "tdh":
        return "%s%02d-%07d" % (j, yy, c)
    if mid == "icco":
        return "%s-%d-%07d" % ({"IK": "CE", "BK": "CB", "KS": "CC", "CN": "NC"}[j], year, c)
    if mid == "plan":
        return "%s-%02d-%07d" % ({"IK": "PINV", "BK": "PAY", "KS": "PCSH", "CN": "PCRM"}[j], yy, c)
    if mid == "fag":
        return "FAG-%s%02d-%07d" % ({"IK": "I", "BK": "B", "KS": "K", "CN": "C"}[j], yy, c)
    return "%s%02d.%07d" % ({"IK": "F", "BK": "B", "KS": "K", "CN": "C"}[j], yy, c)


def write_csv(outdir, name, header, rows):
    with open(os.path.join(outdir, name), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_ini(outdir):
    lines = ["; A synthetic grant for benchmarks, written by tools/bench/gen_grant.py. Do not edit.",
             "", "[grant]", "name = %s" % GRANT_NAME, "donor = Benchmark donor", "reference = %s" % REFERENCE,
             "currency = EUR"]
    # the ceiling: the budget total (budget.csv is written first)
    with open(os.path.join(outdir, "budget.csv"), encoding="utf-8") as f:
        total = sum(int(r[2].split(".")[0]) for r in list(csv.reader(f))[1:])
    lines += ["amount = %d.00" % total, "start = %s" % START.isoformat(), "end = %s" % END.isoformat(),
              "threshold = 10", "rounding = half-up", "quarters = grant",
              "budget = budget.csv", "tranches = tranches.csv", "disbursements = disbursements.csv",
              "comments = comments.csv", "daily_rates = fx-rates/daily.csv",
              "monthly_rates = fx-rates/monthly.csv", "transfers = fx-rates/transfers.csv",
              "budget_rates = fx-rates/budget-rates.csv"]
    for mid in MEMBER_ORDER:
        m = MEMBERS[mid]
        lines += ["", "[member %s]" % mid, "name = %s" % m["name"], "role = %s" % m["role"],
                  "ledger = %s.csv" % mid, "fx = %s" % m["fx"]]
        lines += ["%s = %s" % kv for kv in DIALECTS[mid]["ini"]]
    with open(os.path.join(outdir, "grant.ini"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
