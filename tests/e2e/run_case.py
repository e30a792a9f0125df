#!/usr/bin/env python3
"""Runs one end-to-end case: a small grant folder plus expect.json.

expect.json keys (all optional except "args"):
  args            arguments after the binary; "{out}" is a scratch folder
  exit            expected exit code (default 0)
  stderr          list of texts that must each appear in stderr
  stderr_lines    exact number of lines on stderr (e.g. 1 error)
  stdout          list of texts that must each appear in stdout
  json            a subset the JSON on stdout must match: objects match key
                  by key, lists match element by element and in length
  findings        the exact list of findings as "code file:line" (file
                  relative to the case folder, "-" when none, line 0 when
                  none), in the tool's order
  no_files        files under {out} that must not exist afterwards
  worked          free text: the hand calculation behind the figures

The case passes when every stated expectation holds; each failure is
printed with what was expected and what came.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def match(expected, actual, path, errors):
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            errors.append(f"{path}: expected an object, got {actual!r}")
            return
        for key, value in expected.items():
            if key not in actual:
                errors.append(f"{path}.{key}: missing")
            else:
                match(value, actual[key], f"{path}.{key}", errors)
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            errors.append(f"{path}: expected {len(expected)} items, got "
                          f"{len(actual) if isinstance(actual, list) else actual!r}")
            return
        for i, (e, a) in enumerate(zip(expected, actual)):
            match(e, a, f"{path}[{i}]", errors)
    elif expected != actual:
        errors.append(f"{path}: expected {expected!r}, got {actual!r}")


def main():
    binary, case = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with open(os.path.join(case, "expect.json"), encoding="utf-8") as f:
        expect = json.load(f)
    scratch = tempfile.mkdtemp(prefix="grantrec-e2e-")
    try:
        args = [a.replace("{out}", scratch) for a in expect["args"]]
        env = dict(os.environ, LC_ALL="C")
        proc = subprocess.run([binary] + args, cwd=case, env=env,
                              capture_output=True, timeout=120)
        out = proc.stdout.decode("utf-8", "replace")
        err = proc.stderr.decode("utf-8", "replace")
        errors = []
        if proc.returncode != expect.get("exit", 0):
            errors.append(f"exit code: expected {expect.get('exit', 0)}, "
                          f"got {proc.returncode}")
        if proc.returncode < 0 or "Sanitizer" in err or "runtime error" in err:
            errors.append("crashed or sanitizer report")
        for text in expect.get("stderr", []):
            if text not in err:
                errors.append(f"stderr lacks: {text}")
        if "stderr_lines" in expect:
            n = len(err.splitlines())
            if n != expect["stderr_lines"]:
                errors.append(f"stderr has {n} lines, expected "
                              f"{expect['stderr_lines']}")
        for text in expect.get("stdout", []):
            if text not in out:
                errors.append(f"stdout lacks: {text}")
        result = None
        if "json" in expect or "findings" in expect:
            try:
                result = json.loads(out)
            except ValueError as e:
                errors.append(f"stdout is not JSON: {e}")
        if result is not None and "json" in expect:
            match(expect["json"], result, "$", errors)
        if result is not None and "findings" in expect:
            got = []
            for f in result["findings"]:
                file = f["file"]
                if file and file.startswith("./"):
                    file = file[2:]
                got.append(f"{f['code']} {file or '-'}:{f['line'] or 0}")
            if got != expect["findings"]:
                errors.append("findings differ:\n  expected " +
                              "\n           ".join(expect["findings"]) +
                              "\n  got      " + "\n           ".join(got))
        for name in expect.get("no_files", []):
            if os.path.exists(os.path.join(scratch, name)):
                errors.append(f"{name} was written")
        leftovers = [n for n in os.listdir(scratch) if n.startswith(".")]
        if leftovers:
            errors.append(f"temporary files left: {leftovers}")
        if errors:
            print(f"FAIL {os.path.basename(case)}")
            for e in errors:
                print("  " + e)
            print("---- stderr ----\n" + err[-3000:])
            if not result:
                print("---- stdout ----\n" + out[-3000:])
            return 1
        print(f"ok {os.path.basename(case)}")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
