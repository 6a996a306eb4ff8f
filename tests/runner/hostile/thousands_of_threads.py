"""Starts twenty thousand threads that never end, at import time."""

import threading
import time

_threads = []
for _ in range(20_000):
    thread = threading.Thread(target=time.sleep, args=(3600,), daemon=True)
    thread.start()
    _threads.append(thread)


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
