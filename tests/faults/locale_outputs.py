#!/usr/bin/env python3
"""The locale changes no output byte (docs/robustness.md).

    locale_outputs.py GRANTREC GRANT_INI... [--locale-dir DIR]

Reconciles each grant under LC_ALL=C and under LC_ALL=de_DE.UTF-8 (a
decimal comma, '.' as the thousands mark, German collation), with
SOURCE_DATE_EPOCH fixed, writing the JSON and the workbook, and checks
that both are byte-identical, and so is the summary on standard output.

de_DE.UTF-8 is compiled with localedef into a private folder
(--locale-dir, default a folder beside this run) and selected with
LOCPATH, so nothing is installed on the machine. When localedef or the
locale sources are missing, or the compiled locale does not load, the test
is skipped (exit 77) with the reason.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
NAME = "de_DE.UTF-8"


def make_locale(folder):
    target = os.path.join(folder, NAME)
    if not os.path.isfile(os.path.join(target, "LC_NUMERIC")):
        localedef = shutil.which("localedef")
        if not localedef:
            return "localedef is not installed (Debian package libc-bin)"
        os.makedirs(folder, exist_ok=True)
        p = subprocess.run([localedef, "-i", "de_DE", "-f", "UTF-8", target],
                           capture_output=True, timeout=300)
        if p.returncode not in (0, 1) or not os.path.isfile(
                os.path.join(target, "LC_NUMERIC")):
            return ("localedef -i de_DE -f UTF-8 failed (are the locale "
                    "sources in /usr/share/i18n, package locales?): " +
                    p.stderr.decode(errors="replace").strip()[-300:])
    # Does it load, and is it really a decimal-comma locale?
    probe = subprocess.run(
        [sys.executable, "-c",
         "import locale; locale.setlocale(locale.LC_ALL, '');"
         "print(locale.localeconv()['decimal_point'])"],
        env=dict(os.environ, LOCPATH=folder, LC_ALL=NAME),
        capture_output=True, timeout=60)
    if probe.returncode != 0 or probe.stdout.strip() != b",":
        return ("the compiled de_DE.UTF-8 does not load: " +
                (probe.stderr or probe.stdout).decode(errors="replace")[-300:])
    return None


def run(binary, ini, out, env_extra):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    for k in list(env):
        if k.startswith("LC_") or k in ("LANG", "LANGUAGE"):
            del env[k]
    env.update(env_extra)
    os.makedirs(out, exist_ok=True)
    p = subprocess.run([binary, "reconcile", os.path.basename(ini), "-o",
                        os.path.join(out, "w.xlsx"), "--json",
                        os.path.join(out, "r.json")],
                       cwd=os.path.dirname(ini), env=env,
                       capture_output=True, timeout=300)
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("grants", nargs="+")
    ap.add_argument("--locale-dir")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    scratch = tempfile.mkdtemp(prefix="grantrec-locale-")
    try:
        folder = os.path.abspath(args.locale_dir or
                                 os.path.join(scratch, "locale"))
        why = make_locale(folder)
        if why:
            print(f"SKIP: {why}")
            return SKIP
        problems = []
        for n, ini in enumerate(args.grants):
            ini = os.path.abspath(ini)
            runs = {}
            for label, env in (("C", {"LC_ALL": "C"}),
                               (NAME, {"LC_ALL": NAME, "LANG": NAME,
                                       "LOCPATH": folder})):
                out = os.path.join(scratch, f"{n}-{label}")
                p = run(binary, ini, out, env)
                err = p.stderr.decode("utf-8", "replace")
                if p.returncode != 0:
                    problems.append(f"{ini} under LC_ALL={label}: exit "
                                    f"{p.returncode}\n{err[-1500:]}")
                    continue
                files = {}
                for name in ("r.json", "w.xlsx"):
                    with open(os.path.join(out, name), "rb") as f:
                        files[name] = f.read()
                files["stdout"] = p.stdout.replace(out.encode(), b"{out}")
                runs[label] = files
            if len(runs) != 2:
                continue
            for name in ("r.json", "w.xlsx", "stdout"):
                a, b = runs["C"][name], runs[NAME][name]
                if a != b:
                    at = next((i for i, (x, y) in enumerate(zip(a, b))
                               if x != y), min(len(a), len(b)))
                    problems.append(f"{ini}: {name} differs between LC_ALL=C "
                                    f"and {NAME} ({len(a)} vs {len(b)} bytes; "
                                    f"first difference at byte {at}: "
                                    f"{a[max(0, at - 40):at + 40]!r} vs "
                                    f"{b[max(0, at - 40):at + 40]!r})")
            print(f"{ini}: JSON {len(runs['C']['r.json'])} bytes, workbook "
                  f"{len(runs['C']['w.xlsx'])} bytes under both locales")
        for p in problems:
            print("FAIL " + p)
        if problems:
            return 1
        print("ok: identical bytes under LC_ALL=C and LC_ALL=de_DE.UTF-8")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
