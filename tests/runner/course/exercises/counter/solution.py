"""Make ``Counter.increment`` safe to call from many threads at once."""

import threading
import time


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            current = self.value
            time.sleep(0.001)
            self.value = current + 1
