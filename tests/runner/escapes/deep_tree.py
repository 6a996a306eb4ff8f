"""Builds a 2,500-level directory tree in its writable tmp/ (deeper than PATH_MAX allows)."""

import os
import threading

_fd = os.open(os.environ.get("TMPDIR", "/tmp"), os.O_RDONLY)
for _ in range(2500):
    os.mkdir("a", dir_fd=_fd)
    _next = os.open("a", os.O_RDONLY, dir_fd=_fd)
    os.close(_fd)
    _fd = _next
print("built 2500 levels in", os.getcwd(), flush=True)


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1
