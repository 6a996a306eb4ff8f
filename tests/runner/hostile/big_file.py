"""Writes a 200 MB file next to itself, then in $TMPDIR."""

import os
import tempfile

_chunk = b"x" * (1 << 20)
try:
    with open("junk.bin", "wb") as f:
        f.write(_chunk)
except OSError:
    pass
with open(os.path.join(tempfile.gettempdir(), "junk.bin"), "wb") as f:
    for _ in range(200):
        f.write(_chunk)


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
