"""Prints terminal escape sequences: colour, a window title, a cursor move, a bell."""

import threading

print("\x1b[31mRED\x1b]0;pwned title\x07\x1b[2J\x1b[Hcleared\r\x00", flush=True)


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1
