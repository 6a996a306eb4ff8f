"""A correct counter, plus a non-daemon thread that never ends: the program cannot exit."""

import threading
import time


def _forever():
    while True:
        time.sleep(0.05)


threading.Thread(target=_forever, name="never-ends").start()


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1
