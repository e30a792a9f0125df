#!/usr/bin/env python3
"""Outputs that cannot be written (docs/robustness.md): a full device, a
full or read-only file system, a folder that does not exist, a name that is
a folder.

    outputs.py GRANTREC CASE_DIR SCENARIO     (outputs.py --list for names)

The case folder is copied to a scratch folder and grantrec runs there, so
that a file written beside the inputs is seen too. Every scenario expects
exit 3, an error that names the output path, no "Wrote" summary, and no
file left anywhere: not the output, not a temporary file, not the other
output of the same run. Scenarios that need a size-limited or read-only
file system mount a small tmpfs when `mount` works here (root in a
sandbox that allows it) and are skipped (exit 77, with the reason)
otherwise.
"""
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


class Skip(Exception):
    pass


def listing(folder):
    out = []
    for root, dirs, files in os.walk(folder):
        for n in dirs + files:
            out.append(os.path.relpath(os.path.join(root, n), folder))
    return sorted(out)


class Mount:
    """A tmpfs of `size` bytes (optionally read-only), or Skip."""

    def __init__(self, where, size, readonly=False):
        self.where = where
        os.makedirs(where, exist_ok=True)
        opts = f"size={size}" + (",ro" if readonly else "")
        try:
            p = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs",
                                where], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise Skip(f"cannot run mount: {e}")
        if p.returncode != 0:
            raise Skip("cannot mount a tmpfs here (not root, or the sandbox "
                       "forbids it): " + p.stderr.decode(errors="replace").strip())

    def fill(self, leave):
        """Fills the file system so that about `leave` bytes stay free."""
        st = os.statvfs(self.where)
        free = st.f_bavail * st.f_frsize
        if free > leave:
            with open(os.path.join(self.where, ".filler"), "wb") as f:
                f.write(b"\0" * (free - leave))

    def unfill(self):
        try:
            os.remove(os.path.join(self.where, ".filler"))
        except FileNotFoundError:
            pass

    def close(self):
        subprocess.run(["umount", self.where], capture_output=True, timeout=30)
        try:
            os.rmdir(self.where)
        except OSError:
            pass


def run(binary, cwd, args):
    env = dict(os.environ, LC_ALL="C", SOURCE_DATE_EPOCH="1700000000")
    env.pop("GRANTREC_FAIL_ALLOC_AT", None)
    p = subprocess.run([binary] + args, cwd=cwd, env=env, capture_output=True,
                       timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def expect_failure(binary, cwd, args, path_named, watch, problems):
    """Runs; expects exit 3 naming `path_named`, and `watch` folders to be
    as they were."""
    before = {w: listing(w) for w in watch}
    rc, out, err = run(binary, cwd, args)
    shown = " ".join(args)
    if rc < 0 or "Sanitizer" in err or "runtime error" in err:
        problems.append(f"grantrec {shown}: crashed (exit {rc})\n{err[-2000:]}")
        return
    if rc != 3:
        problems.append(f"grantrec {shown}: exit {rc}, expected 3\n{err[-800:]}")
    if path_named not in err:
        problems.append(f"grantrec {shown}: the error does not name "
                        f"'{path_named}':\n{err[-800:]}")
    if "Wrote" in out:
        problems.append(f"grantrec {shown}: the summary announces a file:\n{out}")
    for w in watch:
        after = listing(w)
        if after != before[w]:
            problems.append(f"grantrec {shown}: files left in {w}: "
                            f"{sorted(set(after) - set(before[w]))}")
    print(f"grantrec {shown}: exit {rc}: {err.strip().splitlines()[-1] if err.strip() else ''}")


def scenario_dev_full(binary, work, scratch, problems):
    expect_failure(binary, work, ["reconcile", "grant.ini", "-o", "/dev/full",
                                  "--quiet"], "/dev/full", [work], problems)
    expect_failure(binary, work, ["reconcile", "grant.ini", "--no-workbook",
                                  "--json", "/dev/full"], "/dev/full", [work],
                   problems)


def scenario_dev_full_json_then_workbook(binary, work, scratch, problems):
    # The JSON fails first: the workbook must not be written either.
    expect_failure(binary, work, ["reconcile", "grant.ini", "--json",
                                  "/dev/full", "-o",
                                  os.path.join(scratch, "w.xlsx")],
                   "/dev/full", [work, scratch], problems)


def scenario_workbook_fails_after_json(binary, work, scratch, problems):
    # The workbook fails after the JSON was complete: a failed run must not
    # leave half its outputs behind.
    expect_failure(binary, work, ["reconcile", "grant.ini", "--json",
                                  os.path.join(scratch, "r.json"), "-o",
                                  "/dev/full"], "/dev/full", [work, scratch],
                   problems)


def scenario_tmpfs_full(binary, work, scratch, problems):
    m = Mount(os.path.join(scratch, "small"), 64 * 1024)
    try:
        for args, name in (
                (["-o", "{m}/w.xlsx", "--quiet"], "{m}/w.xlsx"),
                (["--no-workbook", "--json", "{m}/r.json"], "{m}/r.json")):
            for leave in (0, 1024, 4096):
                m.fill(leave)
                args2 = [a.replace("{m}", m.where) for a in args]
                expect_failure(binary, work, ["reconcile", "grant.ini"] + args2,
                               name.replace("{m}", m.where), [work, m.where],
                               problems)
                m.unfill()
    finally:
        m.close()


def scenario_readonly(binary, work, scratch, problems):
    if os.geteuid() != 0:
        ro = os.path.join(scratch, "ro")
        os.makedirs(ro)
        os.chmod(ro, 0o555)
        try:
            expect_failure(binary, work, ["reconcile", "grant.ini", "-o",
                                          os.path.join(ro, "w.xlsx")],
                           os.path.join(ro, "w.xlsx"), [work, ro], problems)
            expect_failure(binary, work, ["reconcile", "grant.ini",
                                          "--no-workbook", "--json",
                                          os.path.join(ro, "r.json")],
                           os.path.join(ro, "r.json"), [work, ro], problems)
        finally:
            os.chmod(ro, 0o755)
        return
    # Root ignores permissions: only a read-only file system stops it.
    m = Mount(os.path.join(scratch, "ro"), 64 * 1024, readonly=True)
    try:
        expect_failure(binary, work, ["reconcile", "grant.ini", "-o",
                                      os.path.join(m.where, "w.xlsx")],
                       os.path.join(m.where, "w.xlsx"), [work, m.where],
                       problems)
        expect_failure(binary, work, ["reconcile", "grant.ini",
                                      "--no-workbook", "--json",
                                      os.path.join(m.where, "r.json")],
                       os.path.join(m.where, "r.json"), [work, m.where],
                       problems)
    finally:
        m.close()


def scenario_name_is_folder(binary, work, scratch, problems):
    folder = os.path.join(scratch, "w.xlsx")
    os.makedirs(folder)
    expect_failure(binary, work, ["reconcile", "grant.ini", "-o", folder],
                   folder, [work, scratch], problems)
    folder = os.path.join(scratch, "r.json")
    os.makedirs(folder)
    expect_failure(binary, work, ["reconcile", "grant.ini", "--no-workbook",
                                  "--json", folder], folder, [work, scratch],
                   problems)


def scenario_missing_folder(binary, work, scratch, problems):
    target = os.path.join(scratch, "no-such-folder", "w.xlsx")
    expect_failure(binary, work, ["reconcile", "grant.ini", "-o", target],
                   target, [work, scratch], problems)
    target = os.path.join(scratch, "no-such-folder", "r.json")
    expect_failure(binary, work, ["reconcile", "grant.ini", "--no-workbook",
                                  "--json", target], target, [work, scratch],
                   problems)


SCENARIOS = {
    "dev-full": scenario_dev_full,
    "dev-full-json-then-workbook": scenario_dev_full_json_then_workbook,
    "workbook-fails-after-json": scenario_workbook_fails_after_json,
    "tmpfs-full": scenario_tmpfs_full,
    "read-only-folder": scenario_readonly,
    "name-is-a-folder": scenario_name_is_folder,
    "missing-folder": scenario_missing_folder,
}


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(SCENARIOS))
        return 0
    if len(sys.argv) != 4 or sys.argv[3] not in SCENARIOS:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    case = os.path.abspath(sys.argv[2])
    scratch = tempfile.mkdtemp(prefix="grantrec-out-")
    work = os.path.join(scratch, "case")
    shutil.copytree(case, work)
    out = os.path.join(scratch, "out")
    os.makedirs(out)
    problems = []
    try:
        rc, _, err = run(binary, work, ["reconcile", "grant.ini", "-o",
                                        os.path.join(out, "check.xlsx"),
                                        "--quiet"])
        if rc != 0:
            problems.append(f"the case does not reconcile with a writable "
                            f"output (exit {rc}):\n{err[-1500:]}")
        else:
            os.remove(os.path.join(out, "check.xlsx"))
            SCENARIOS[sys.argv[3]](binary, work, out, problems)
    except Skip as e:
        print(f"SKIP {sys.argv[3]}: {e}")
        return SKIP
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for p in problems:
        print("FAIL " + p)
    if problems:
        return 1
    print(f"ok {sys.argv[3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
