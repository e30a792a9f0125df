#!/usr/bin/python3
"""bench.py: the benchmark of issue 6, called by tools/bench/run.sh (see there
and docs/performance.md).

For each size N it generates (or reuses) a synthetic grant with
tools/bench/gen_grant.py under BUILD/data/N, then runs, K times each:

  grantrec      grantrec reconcile GRANT --no-workbook --json OUT -q
  grantrec+xlsx grantrec reconcile GRANT -o OUT.xlsx -q
  floor_exact   BUILD/bench/floor_exact GRANT      (libcsv + GMP, the least exact work)
  floor_xlsx    BUILD/bench/floor_xlsx N 14 OUT    (plain libxlsxwriter, constant_memory)
  ledger        ledger -f J -b START -e END+1 bal -X EUR -H --depth 2 ^Expenses
  hledger       hledger -f J bal -b START -e END+1 --value=then,EUR --depth 2 ^Expenses

each under /usr/bin/time -v (peak RSS) with the wall time taken around it,
and prints one table: median wall seconds, peak RSS (the largest of the
runs), lines per second, the time as a multiple of grantrec's on the same
job, and whether the figures agree with grantrec's (and with the
generator's own exact figures, expected.json).

A watchdog kills a run that passes the memory limit or the time limit, and
a program is skipped at a size where its figures at the previous size,
scaled linearly, already pass a limit; both are shown in the table.
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
XLSX_COLS = 14   # the columns of grantrec's Ledger sheet

PROGRAMS = ["grantrec", "grantrec+xlsx", "floor_exact", "floor_xlsx", "ledger", "hledger"]
# what each program is compared with, and the target of issue 6 for
# "this program's time / grantrec's time" (at least)
BASE = {"grantrec": None, "grantrec+xlsx": None, "floor_exact": "grantrec", "floor_xlsx": "grantrec+xlsx",
        "ledger": "grantrec", "hledger": "grantrec"}
TARGET = {"floor_exact": 0.5, "floor_xlsx": 1 / 1.3, "ledger": 20.0, "hledger": 50.0}


def size_label(n):
    for k, v in SIZES.items():
        if v == n:
            return k
    return str(n)


def parse_size(text):
    t = text.strip()
    if t in SIZES:
        return SIZES[t]
    m = re.fullmatch(r"(\d+)([kKmM]?)", t)
    if not m:
        raise argparse.ArgumentTypeError("bad size %r" % text)
    return int(m.group(1)) * {"": 1, "k": 1000, "K": 1000, "m": 10 ** 6, "M": 10 ** 6}[m.group(2)]


class Progress:
    def __init__(self, enabled):
        self.enabled = enabled
        self.last = 0

    def show(self, text):
        if not self.enabled:
            return
        line = text[:118]
        sys.stderr.write("\r" + line + " " * max(0, self.last - len(line)))
        sys.stderr.flush()
        self.last = len(line)

    def done(self):
        if self.enabled and self.last:
            sys.stderr.write("\r" + " " * self.last + "\r")
            sys.stderr.flush()
            self.last = 0


def mem_total_kb():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    return 0


def tree_rss_kb(pid):
    """Resident set of pid and all its descendants, in KiB (0 when gone)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open("/proc/%d/status" % p) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for tid in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, tid)) as f:
                    todo.extend(int(x) for x in f.read().split())
        except (OSError, ValueError):
            pass
    return total


def children_of(pid):
    try:
        out = []
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                out.extend(int(x) for x in f.read().split())
        return out
    except OSError:
        return []


def cpu_busy_seconds():
    """Seconds of CPU time the whole machine has spent busy (all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        parts = f.readline().split()
    v = [int(x) for x in parts[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return (sum(v[:8]) - idle) / float(os.sysconf("SC_CLK_TCK"))


def wait_quiet(max_wait, progress, label):
    """Wait (up to max_wait seconds) until other processes use less than a quarter
    of a core; returns the load seen last (cores)."""
    t_end = time.monotonic() + max_wait
    while True:
        b0, t0 = cpu_busy_seconds(), time.monotonic()
        time.sleep(1.0)
        load = (cpu_busy_seconds() - b0) / (time.monotonic() - t0)
        if load < 0.25 or time.monotonic() >= t_end:
            return load
        progress.show("%s  waiting for a quiet machine (others use %.1f cores)" % (label, load))


def run_once(cmd, out_path, timeout, mem_limit_kb, progress, label):
    """One timed run under /usr/bin/time -v. Returns a dict."""
    tfile = out_path + ".time"
    with open(out_path, "wb") as out, open(out_path + ".err", "wb") as err:
        busy0 = cpu_busy_seconds()
        t0 = time.perf_counter()
        p = subprocess.Popen(["/usr/bin/time", "-v", "-o", tfile, "--"] + cmd, stdout=out, stderr=err,
                             start_new_session=True)
        ended = {}

        def waiter():
            p.wait()
            ended["t"] = time.perf_counter()
        th = threading.Thread(target=waiter, daemon=True)
        th.start()
        killed, peak_seen = None, 0
        interval = 0.05
        while th.is_alive():
            th.join(interval)
            if not th.is_alive():
                break
            interval = min(0.5, interval * 1.5)
            elapsed = time.perf_counter() - t0
            rss = tree_rss_kb(p.pid)
            peak_seen = max(peak_seen, rss)
            progress.show("%s  %5.0f s  %7.0f MiB" % (label, elapsed, rss / 1024.0))
            why = None
            if mem_limit_kb and rss > mem_limit_kb:
                why = "memory limit %.1f GiB" % (mem_limit_kb / 1048576.0)
            elif timeout and elapsed > timeout:
                why = "time limit %d s" % timeout
            if why and not killed:
                killed = why
                for c in children_of(p.pid):      # the command, not time(1): it still reports
                    try:
                        os.kill(c, signal.SIGKILL)
                    except OSError:
                        pass
        th.join()
    wall = ended["t"] - t0
    busy = cpu_busy_seconds() - busy0
    rss_kb, status, signaled = None, None, None
    user = system = 0.0
    try:
        with open(tfile) as f:
            for line in f:
                line = line.strip()
                if line.startswith("Maximum resident set size"):
                    rss_kb = int(line.rsplit(":", 1)[1])
                elif line.startswith("User time (seconds):"):
                    user = float(line.rsplit(":", 1)[1])
                elif line.startswith("System time (seconds):"):
                    system = float(line.rsplit(":", 1)[1])
                elif line.startswith("Exit status:"):
                    status = int(line.rsplit(":", 1)[1])
                elif line.startswith("Command terminated by signal"):
                    signaled = int(line.rsplit(" ", 1)[1])
        os.unlink(tfile)
    except (OSError, ValueError):
        pass
    if rss_kb is None:
        rss_kb = peak_seen
    ok = killed is None and signaled is None and status == 0
    cpu = user + system
    # what the rest of the machine did meanwhile (cores), from /proc/stat less our command's CPU
    others = max(0.0, (busy - cpu) / wall) if wall > 0 else 0.0
    return dict(wall=wall, cpu=cpu, others=others, rss_kb=rss_kb, ok=ok, status=status, signal=signaled,
                killed=killed)


# ---------------------------------------------------------------------------
# figures of each program

AMOUNT_RE = re.compile(r"^\s*(?P<amt>-?EUR\s?-?[0-9.,]+|-?[0-9.,]+\s?EUR)(?:\s{2,}(?P<acct>\S.*?))?\s*$")


def peer_figures(text):
    """Total and per-member EUR from a ledger/hledger balance report (tree or flat)."""
    total, members, bad = None, {}, []
    after_rule = False
    for line in text.splitlines():
        if not line.strip():
            continue
        if set(line.strip()) == {"-"}:
            after_rule = True
            continue
        m = AMOUNT_RE.match(line)
        if not m:
            bad.append(line.strip())
            continue
        amt = Decimal(m.group("amt").replace("EUR", "").replace(" ", "").replace(",", ""))
        acct = (m.group("acct") or "").strip()
        if after_rule or not acct:
            total = amt
        elif acct == "Expenses":
            if total is None:
                total = amt
        else:
            name = acct.split(":")[-1] if acct.startswith("Expenses:") else acct
            members[name] = amt
    if total is None and members:
        total = sum(members.values())
    return dict(total=total, members=members, unvalued=bad)


def grantrec_figures(path):
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
    t = j["totals"]
    return dict(total=Decimal(t["actual"]), rounding=Decimal(t["rounding_difference"]),
                outside=Decimal(t["outside_period"]),
                members={m["id"]: Decimal(m["actual"]) for m in j["members"]},
                findings=len(j.get("findings", [])))


def floor_exact_figures(text):
    members = {}
    for line in text.splitlines():
        m = re.match(r"member (\S+) EUR (-?[0-9.]+)$", line.strip())
        if m:
            members[m.group(1)] = Decimal(m.group(2))
    return dict(members=members)


def cents(x):
    return x.quantize(Decimal("0.01"))


def agreement(prog, fig, ref, expected):
    """Text for the 'agrees' column."""
    if prog == "grantrec":
        bad = []
        if fig["total"] != Decimal(expected["actual"]):
            bad.append("actual %s, generator %s" % (fig["total"], expected["actual"]))
        if fig["rounding"] != Decimal(expected["rounding_difference"]):
            bad.append("rounding difference %s, generator %s" % (fig["rounding"],
                                                                  expected["rounding_difference"]))
        for mid, v in expected["members"].items():
            if fig["members"].get(mid) != Decimal(v["actual"]):
                bad.append("%s %s, generator %s" % (mid, fig["members"].get(mid), v["actual"]))
        return ("yes: = generator's exact figures" if not bad else "NO: " + "; ".join(bad[:3])), not bad
    if prog in ("ledger", "hledger"):
        if fig["unvalued"]:
            return "NO: unvalued amounts (%s)" % fig["unvalued"][0][:40], False
        if fig["total"] is None:
            return "NO: no total in the output", False
        if ref is None:
            return "total %s (no grantrec run to compare with)" % fig["total"], True
        drift = fig["total"] - ref["total"]
        exact = cents(ref["total"] - ref["rounding"])
        member_ok = all(fig["members"].get(mid) == Decimal(v["peer_actual"])
                        for mid, v in expected["members"].items())
        if drift == 0:
            return "yes, to the cent", True
        why = ("= -rounding difference: sums unrounded lines" if fig["total"] == exact
               else "UNEXPLAINED (exact sum %s)" % exact)
        return "no: drift %+.2f %s%s" % (drift, why, "" if member_ok else "; members differ"), \
            fig["total"] == exact and member_ok
    if prog == "floor_exact":
        if ref is None:
            return "", True
        daily = [mid for mid, v in expected["members"].items() if v["fx"] == "daily"]
        same = all(fig["members"].get(mid) == ref["members"].get(mid) for mid in daily)
        return ("daily members (%s) = grantrec" % ", ".join(daily)) if same else \
            "NO: daily members differ from grantrec", same
    return "", True


# ---------------------------------------------------------------------------


def git_state():
    """The commit measured, and whether src/ or include/ had changes not committed."""
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "include"],
                               capture_output=True, text=True, check=True).stdout.split("\n")
        dirty = [d[3:] for d in dirty if d.strip()]
        return dict(head=head, uncommitted=dirty)
    except (OSError, subprocess.CalledProcessError):
        return dict(head=None, uncommitted=[])


def file_sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def ensure_data(n, data_root, seed, progress, log):
    d = os.path.join(data_root, size_label(n))
    stamp = "%s seed=%d n=%d" % (file_sha(os.path.join(HERE, "gen_grant.py")), seed, n)
    stamp_path = os.path.join(d, ".stamp")
    try:
        with open(stamp_path) as f:
            if f.read().strip() == stamp:
                return d, None
    except OSError:
        pass
    shutil.rmtree(d, ignore_errors=True)
    progress.show("[%s] generating the grant ..." % size_label(n))
    t0 = time.perf_counter()
    subprocess.run([sys.executable, os.path.join(HERE, "gen_grant.py"), str(n), d, "--seed", str(seed),
                    "--quiet"], check=True)
    took = time.perf_counter() - t0
    with open(stamp_path, "w") as f:
        f.write(stamp + "\n")
    log("generated %s lines in %.1f s (%s)" % (size_label(n), took, human_bytes(dir_bytes(d))))
    return d, took


def dir_bytes(d):
    total = 0
    for base, _, files in os.walk(d):
        for f in files:
            total += os.path.getsize(os.path.join(base, f))
    return total


def human_bytes(b):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if b < 1024 or unit == "GiB":
            return "%.1f %s" % (b, unit) if unit != "B" else "%d B" % b
        b /= 1024.0


def fmt_secs(s):
    if s is None:
        return "-"
    if s < 10:
        return "%.3f" % s
    if s < 100:
        return "%.2f" % s
    return "%.1f" % s


def fmt_rate(n, s):
    if not s:
        return "-"
    r = n / s
    if r >= 1e6:
        return "%.2fM" % (r / 1e6)
    if r >= 1e3:
        return "%.0fk" % (r / 1e3)
    return "%.0f" % r


def main():
    ap = argparse.ArgumentParser(prog="run.sh", description="grantrec benchmark (issue 6)")
    ap.add_argument("--10m", dest="ten_m", action="store_true", help="also 10,000,000 lines")
    ap.add_argument("--runs", type=int, default=3, metavar="K", help="runs per program and size (median); 3")
    ap.add_argument("--sizes", type=lambda s: [parse_size(x) for x in s.split(",")],
                    help="comma-separated sizes instead of 10k,100k,1M (e.g. 10k,250k)")
    ap.add_argument("--only", type=lambda s: s.split(","), default=None,
                    help="comma-separated programs: " + ",".join(PROGRAMS))
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"), help="build dir (build-bench)")
    ap.add_argument("--grantrec", default=None, help="grantrec binary (BUILD/grantrec)")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--timeout", type=int, default=3600, help="seconds a single run may take (3600)")
    ap.add_argument("--cell-budget", type=int, default=1800,
                    help="seconds for all K runs of one program at one size; past it fewer runs (1800)")
    ap.add_argument("--mem-limit", type=float, default=None,
                    help="GiB a run may use (default 85%% of the machine's memory)")
    ap.add_argument("--quiet-wait", type=int, default=120,
                    help="before each run, wait up to this many seconds for other processes to leave "
                         "the CPUs (120; 0: do not wait)")
    ap.add_argument("--ci", action="store_true", help="no progress line (also when stderr is not a "
                                                          "terminal or CI is set)")
    ap.add_argument("--keep", action="store_true", help="keep the workbooks written")
    ap.add_argument("--report", metavar="RESULTS_JSON", default=None,
                    help="only print the table of an earlier run's bench-results.json")
    ap.add_argument("--results", default=None, help="write all figures as JSON here "
                                                    "(default BUILD/bench-results.json)")
    args = ap.parse_args()
    if args.report:
        return report_main(args.report)

    sizes = args.sizes or [SIZES["10k"], SIZES["100k"], SIZES["1M"]]
    if args.ten_m and SIZES["10M"] not in sizes:
        sizes.append(SIZES["10M"])
    progs = args.only or PROGRAMS
    for p in progs:
        if p not in PROGRAMS:
            ap.error("unknown program %r" % p)
    build = os.path.abspath(args.build)
    grantrec = os.path.abspath(args.grantrec or os.path.join(build, "grantrec"))
    floors = {"floor_exact": os.path.join(build, "bench", "floor_exact"),
              "floor_xlsx": os.path.join(build, "bench", "floor_xlsx")}
    tools = {"ledger": shutil.which("ledger"), "hledger": shutil.which("hledger")}
    interactive = sys.stderr.isatty() and not args.ci and not os.environ.get("CI")
    progress = Progress(interactive)
    mem_limit_kb = int(args.mem_limit * 1048576) if args.mem_limit else int(mem_total_kb() * 0.85)
    notes = []

    def log(text):
        progress.done()
        print("# " + text, file=sys.stderr)
        notes.append(text)

    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("run.sh: /usr/bin/time is missing (Debian package 'time')")
    for name, path in [("grantrec", grantrec)] + list(floors.items()):
        if (name in progs or name == "grantrec") and not os.access(path, os.X_OK):
            sys.exit("run.sh: %s not found at %s (build with -DGRANTREC_BENCH=ON)" % (name, path))
    for name in ("ledger", "hledger"):
        if name in progs and not tools[name]:
            log("%s is not installed: skipped" % name)

    source_state = git_state()
    data_root = os.path.join(build, "data")
    out_root = os.path.join(build, "bench-out")
    os.makedirs(out_root, exist_ok=True)
    results = []
    last = {}          # program -> (n, wall, rss_kb) of the largest size done
    started = time.time()
    for n in sizes:
        gdir, gen_took = ensure_data(n, data_root, args.seed, progress, log)
        with open(os.path.join(gdir, "expected.json"), encoding="utf-8") as f:
            expected = json.load(f)
        start, end = expected["period"]
        end_excl = (dt.date.fromisoformat(end) + dt.timedelta(days=1)).isoformat()
        grant = os.path.join(gdir, "grant.ini")
        journal = os.path.join(gdir, "grant.journal")
        odir = os.path.join(out_root, size_label(n))
        os.makedirs(odir, exist_ok=True)
        cmds = {
            "grantrec": [grantrec, "reconcile", grant, "--no-workbook", "--json",
                         os.path.join(odir, "grantrec.json"), "-q"],
            "grantrec+xlsx": [grantrec, "reconcile", grant, "-o", os.path.join(odir, "grantrec.xlsx"), "-q"],
            "floor_exact": [floors["floor_exact"], grant],
            "floor_xlsx": [floors["floor_xlsx"], str(n), str(XLSX_COLS), os.path.join(odir, "floor.xlsx")],
            "ledger": [tools["ledger"] or "ledger", "-f", journal, "-b", start, "-e", end_excl, "bal",
                       "-X", "EUR", "-H", "--depth", "2", "^Expenses"],
            "hledger": [tools["hledger"] or "hledger", "-f", journal, "bal", "-b", start, "-e", end_excl,
                        "--value=then,EUR", "--depth", "2", "^Expenses"],
        }
        ref = None
        for prog in progs:
            row = dict(n=n, program=prog, runs=0, wall=None, rss_kb=None, note="", agrees="", ok=None,
                       command=" ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c
                                        for c in cmds[prog]))
            results.append(row)
            if prog in tools and not tools[prog]:
                row["note"] = "not installed"
                continue
            if prog in last:
                pn, pw, pr = last[prog]
                scale = n / pn
                if pr * scale > mem_limit_kb:
                    row["note"] = "skipped: ~%.0f GiB expected (%.1f GiB at %s)" % (
                        pr * scale / 1048576.0, pr / 1048576.0, size_label(pn))
                    continue
                if args.timeout and pw * scale > args.timeout:
                    row["note"] = "skipped: ~%.0f s expected (%.0f s at %s)" % (pw * scale, pw, size_label(pn))
                    continue
            out_path = os.path.join(odir, prog + ".out")
            walls, rsss, cpus, loads, failure = [], [], [], [], None
            budget_runs = args.runs
            k = 0
            while k < budget_runs:
                label = "[%s] %-13s run %d/%d" % (size_label(n), prog, k + 1, budget_runs)
                if args.quiet_wait:
                    wait_quiet(args.quiet_wait, progress, label)
                r = run_once(cmds[prog], out_path, args.timeout, mem_limit_kb, progress, label)
                progress.done()
                if not r["ok"]:
                    failure = r
                    break
                walls.append(r["wall"])
                rsss.append(r["rss_kb"])
                cpus.append(r["cpu"])
                loads.append(r["others"])
                k += 1
                if k == 1 and r["wall"] * args.runs > args.cell_budget:
                    budget_runs = max(1, min(args.runs, int(args.cell_budget // max(r["wall"], 1e-9))))
                for x in ("grantrec.xlsx", "floor.xlsx"):
                    if not args.keep and k < budget_runs and os.path.exists(os.path.join(odir, x)):
                        os.unlink(os.path.join(odir, x))
            if failure:
                why = failure["killed"] or ("signal %s" % failure["signal"] if failure["signal"]
                                            else "exit status %s" % failure["status"])
                row.update(wall=failure["wall"], rss_kb=failure["rss_kb"], ok=False,
                           note="FAILED (%s) after %.0f s, %.0f MiB" % (why, failure["wall"],
                                                                       failure["rss_kb"] / 1024.0))
                try:
                    with open(out_path + ".err", encoding="utf-8", errors="replace") as f:
                        tail = f.read().strip().splitlines()[-1:]
                    if tail:
                        row["note"] += ": " + tail[0][:80]
                except OSError:
                    pass
                continue
            row.update(runs=len(walls), wall=statistics.median(walls), rss_kb=max(rsss), ok=True,
                       walls=walls, cpu=statistics.median(cpus), cpus=cpus, others=max(loads), loads=loads)
            if len(walls) < args.runs:
                row["note"] = "%d run%s (cell budget %d s)" % (len(walls), "" if len(walls) == 1 else "s",
                                                               args.cell_budget)
            last[prog] = (n, row["wall"], row["rss_kb"])
            with open(out_path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            fig = None
            if prog == "grantrec":
                fig = grantrec_figures(os.path.join(odir, "grantrec.json"))
                ref = fig
                row["findings"] = fig["findings"]
            elif prog in ("ledger", "hledger"):
                fig = peer_figures(text)
            elif prog == "floor_exact":
                fig = floor_exact_figures(text)
            if fig is not None:
                row["agrees"], row["agree_ok"] = agreement(prog, fig, ref, expected)
                if "total" in fig and fig["total"] is not None:
                    row["total"] = str(fig["total"])
            for x in ("grantrec.xlsx", "floor.xlsx"):
                p = os.path.join(odir, x)
                if os.path.exists(p):
                    row.setdefault("xlsx_bytes", os.path.getsize(p))
                    if not args.keep:
                        os.unlink(p)
        progress.done()

    doc = dict(date=dt.date.today().isoformat(), runs=args.runs, sizes=sizes, notes=notes,
               source=source_state, grantrec=grantrec, seconds=round(time.time() - started),
               results=results)
    report(doc)
    res_path = args.results or os.path.join(build, "bench-results.json")
    with open(res_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, default=str)
        f.write("\n")
    shown = os.path.relpath(res_path, ROOT) if os.path.abspath(res_path).startswith(ROOT + os.sep) else res_path
    print("\n(all figures: %s)" % shown)
    failed = [r for r in results if r.get("agree_ok") is False]
    return 1 if failed else 0


def add_ratios(results):
    """this program's time / grantrec's on the same job: wall (the issue's figure) and CPU."""
    by = {(r["n"], r["program"]): r for r in results}
    for r in results:
        base = BASE[r["program"]]
        b = by.get((r["n"], base)) if base else None
        if base and b and b.get("ok") and r.get("ok"):
            r["ratio"] = r["wall"] / b["wall"]
            r["cpu_ratio"] = r["cpu"] / b["cpu"] if b.get("cpu") else None
            r["target"] = TARGET.get(r["program"])
            r["met"] = r["ratio"] >= r["target"] if r["target"] else None
    return by


def report(doc):
    results = doc["results"]
    by = add_ratios(results)
    st = doc.get("source") or {}
    print("grantrec at %s%s; %s, %d runs each" % (
        st.get("head"), " with uncommitted changes in " + ", ".join(st["uncommitted"])
        if st.get("uncommitted") else "", doc.get("date"), doc.get("runs", 0)))
    print_table(results)
    print_targets(results, by)


def report_main(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    report(doc)
    return 0


def fmt_ratio(x):
    return "%.2f" % x if x < 10 else "%.1f" % x


def table_rows(results):
    rows = []
    for r in results:
        if r.get("ok"):
            wall, rss = fmt_secs(r["wall"]), "%.0f" % (r["rss_kb"] / 1024.0)
            rate = fmt_rate(r["n"], r["wall"])
            cpu, load = fmt_secs(r["cpu"]), "%.2f" % r["others"]
        else:
            wall, rss, rate, cpu, load = "-", "-", "-", "-", "-"
        ratio = ""
        if r.get("ratio") is not None:
            ratio = fmt_ratio(r["ratio"])
            if r.get("cpu_ratio"):
                ratio += " (cpu %s)" % fmt_ratio(r["cpu_ratio"])
            if r.get("target"):
                ratio += " >= %s: %s" % (("%.2f" % r["target"]).rstrip("0").rstrip("."),
                                         "met" if r["met"] else "NOT met")
        text = r.get("agrees") or ""
        if r.get("note"):
            text = (r["note"] + ("; " + text if text else ""))
        rows.append([size_label(r["n"]), r["program"], str(r["runs"]) if r.get("ok") else "-", wall, cpu, rss,
                     rate, load, ratio, text])
    return rows


HEAD = ["lines", "program", "runs", "wall s", "cpu s", "peak MiB", "lines/s", "busy",
        "time / grantrec's (target)", "figures"]


def print_table(results):
    rows = table_rows(results)
    widths = [max(len(HEAD[i]), *(len(r[i]) for r in rows)) for i in range(len(HEAD) - 1)]
    right = {2, 3, 4, 5, 6, 7}
    def line(cells):
        out = []
        for i, c in enumerate(cells[:-1]):
            out.append(c.rjust(widths[i]) if i in right else c.ljust(widths[i]))
        return "  ".join(out + [cells[-1]]).rstrip()
    print("wall s: median wall time; cpu s: median user+system time; peak MiB: the largest peak RSS;")
    print("busy: cores the rest of the machine kept busy during the runs (the most of any run);")
    print("time / grantrec's: median wall / grantrec's on the same job (without or with the workbook),")
    print("  (cpu: the same with user+system time); the target of issue 6 is judged on wall time\n")
    print(line(HEAD))
    print(line(["-" * w for w in widths] + ["-" * 7]))
    prev = None
    for r in rows:
        if prev is not None and r[0] != prev:
            print()
        prev = r[0]
        print(line(r))


def print_targets(results, by):
    print("\nTargets of issue 6 (time / grantrec's: ledger >= 20, hledger >= 50, floor_exact >= 0.5 "
          "i.e. grantrec within 2x, floor_xlsx >= 0.77 i.e. within 1.3x):")
    for n in sorted({r["n"] for r in results}):
        g, gx = by.get((n, "grantrec")), by.get((n, "grantrec+xlsx"))
        parts = []
        if g and g.get("ok"):
            parts.append("grantrec %.0f MiB %s 100 MiB" % (g["rss_kb"] / 1024.0,
                                                          "<" if g["rss_kb"] < 100 * 1024 else ">="))
            if n >= 10_000_000:
                parts.append("%.1f s %s 10 s, %.2f GiB %s 1 GiB" % (
                    g["wall"], "<" if g["wall"] < 10 else ">=", g["rss_kb"] / 1048576.0,
                    "<" if g["rss_kb"] < 1048576 else ">="))
        if gx and gx.get("ok"):
            parts.append("with workbook %.0f MiB %s 100 MiB" % (gx["rss_kb"] / 1024.0,
                                                               "<" if gx["rss_kb"] < 100 * 1024 else ">="))
        for prog in ("ledger", "hledger", "floor_exact", "floor_xlsx"):
            r = by.get((n, prog))
            if r and r.get("ratio") is not None:
                parts.append("%s %s" % (prog, "met" if r["met"] else "not met"))
        print("  %-5s %s" % (size_label(n), "; ".join(parts) if parts else "-"))
    for prog in ("grantrec", "grantrec+xlsx"):
        per_line = [(r["n"], r["wall"] / r["n"], r["cpu"] / r["n"]) for r in results
                    if r["program"] == prog and r.get("ok")]
        if len(per_line) < 2:
            continue
        text = ", ".join("%s %.2f us (cpu %.2f)" % (size_label(n), w * 1e6, c * 1e6) for n, w, c in per_line)
        ws = [w for _, w, _ in per_line]
        print("  cost per line, %s: %s; flat within 20%%: %s" % (
            prog, text, "yes" if max(ws) <= min(ws) * 1.2 else "no"))
        # The cost of each further line, between one size and the next:
        # the fixed cost of a run (starting, reading the rate tables) drops
        # out, and what is left shows whether any step grows faster than
        # the lines do.
        steps = []
        for (a, wa, ca), (b, wb, cb) in zip(per_line, per_line[1:]):
            steps.append((a, b, (wb * b - wa * a) / (b - a),
                          (cb * b - ca * a) / (b - a)))
        text = ", ".join("%s-%s %.2f us (cpu %.2f)" % (
            size_label(a), size_label(b), w * 1e6, c * 1e6) for a, b, w, c in steps)
        cs = [c for _, _, _, c in steps]
        print("  cost of a further line, %s: %s; cpu flat within 20%%: %s" % (
            prog, text, "yes" if min(cs) > 0 and max(cs) <= min(cs) * 1.2 else "no"))


if __name__ == "__main__":
    sys.exit(main())
