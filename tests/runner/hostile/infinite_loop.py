"""Spins forever inside increment(), never releasing the GIL for long."""


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        while True:
            pass  # noqa: E701 - one line: every Python reports the loop at line 9
