"""Spins forever inside increment(), never releasing the GIL for long.

The loop is one line, so every Python (3.11 to 3.15) reports the spin at line 12.
"""


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        while True: pass  # fmt: skip # noqa: E701
