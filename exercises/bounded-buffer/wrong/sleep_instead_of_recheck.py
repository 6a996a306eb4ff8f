# Wrong: sleeping after the wake-up does not re-check anything; a stolen item still crashes get().
"""Idea: sleep a moment after waking up before taking the item."""

import threading
import time
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
            if len(self._items) >= self.capacity:
                self._cond.wait()
            self._items.append(item)
            self._cond.notify()
        time.sleep(0.01)

    def get(self):
        with self._cond:
            if not self._items:
                self._cond.wait()
                time.sleep(0.01)
            item = self._items.popleft()
            self._cond.notify()
            return item
