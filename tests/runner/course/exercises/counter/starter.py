"""Make ``Counter.increment`` safe to call from many threads at once."""

import time


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        current = self.value
        time.sleep(0.001)  # another thread runs here, and reads the same value
        self.value = current + 1
