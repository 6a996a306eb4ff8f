"""Prints 200 MB at import time, then loses updates like the starter."""

import sys
import time

_line = "x" * 999_999 + "\n"
for _ in range(200):
    sys.stdout.write(_line)
sys.stdout.flush()


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        current = self.value
        time.sleep(0.001)
        self.value = current + 1
