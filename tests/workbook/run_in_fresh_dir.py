"""Empties the current folder (a test's own folder under the build tree),
then runs the command given, so that every run of a test starts clean."""
import os
import shutil
import subprocess
import sys

here = os.getcwd()
if os.sep + "run" + os.sep not in here + os.sep:
    sys.exit("run_in_fresh_dir.py: refusing to empty %s (not a test folder)"
             % here)
for name in os.listdir(here):
    path = os.path.join(here, name)
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)
sys.exit(subprocess.run(sys.argv[1:]).returncode)
