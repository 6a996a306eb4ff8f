"""Allocates 8 GiB at import time."""

_hoard = bytearray(8 * 1024**3)


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
