# Wrong: notify_all() wakes everyone, but with `if` a woken thread still does not re-check, so a stolen item crashes get().
"""Idea: wake every waiter with notify_all and keep the if."""

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
            if len(self._items) >= self.capacity:
                self._cond.wait()
            self._items.append(item)
            self._cond.notify_all()

    def get(self):
        with self._cond:
            if not self._items:
                self._cond.wait()
            item = self._items.popleft()
            self._cond.notify_all()
            return item
