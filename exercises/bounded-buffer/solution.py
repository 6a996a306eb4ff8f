"""A bounded buffer between downloading and parsing threads (reference fix).

Between a notify() and the moment the woken thread re-acquires the lock,
another thread can take the item (or the free slot): the wake-up is
"stolen", so the woken thread must re-check its condition in a `while` loop.
And with producers and consumers on one condition, notify() can wake a
thread of the wrong kind, which goes back to sleep with the wake-up lost;
two conditions over one lock make every notify reach a thread that can act
on it.
"""

import threading
from collections import deque


class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self._items = deque()
        lock = threading.Lock()
        self._not_full = threading.Condition(lock)
        self._not_empty = threading.Condition(lock)

    def __len__(self):
        return len(self._items)

    def put(self, item):
        """Add an item, waiting while the buffer is full."""
        with self._not_full:
            while len(self._items) >= self.capacity:
                self._not_full.wait()
            self._items.append(item)
            self._not_empty.notify()

    def get(self):
        """Remove and return the oldest item, waiting while the buffer is empty."""
        with self._not_empty:
            while not self._items:
                self._not_empty.wait()
            item = self._items.popleft()
            self._not_full.notify()
            return item
