# Wrong: `while` fixes stolen wake-ups, but on one shared condition notify() can wake a thread of the wrong kind: a lost wake-up and a hang.
"""Idea: wait in a while loop on the one shared condition and notify one thread."""

import threading
from collections import deque


class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self._items = deque()
        self._cond = threading.Condition()

    def __len__(self):
        return len(self._items)

    def put(self, item):
        with self._cond:
            while len(self._items) >= self.capacity:
                self._cond.wait()
            self._items.append(item)
            self._cond.notify()

    def get(self):
        with self._cond:
            while not self._items:
                self._cond.wait()
            item = self._items.popleft()
            self._cond.notify()
            return item
