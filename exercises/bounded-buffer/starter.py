"""A bounded buffer between the threads that download pages and the threads
that parse them.

Downloaders call `buffer.put(page)`, which blocks while the buffer is full,
so they cannot run ahead and fill memory; parsers call `buffer.get()`, which
blocks while it is empty.

What is wrong: with several downloaders and several parsers, a parser now
and then crashes with "IndexError: pop from an empty deque", and the buffer
sometimes holds more pages than its capacity.

Fixed means: however the threads interleave, `get()` never fails, the buffer
never holds more than `capacity` items, every item put is got exactly once,
and nobody waits forever while there is something they could do.
"""

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
        """Add an item, waiting while the buffer is full."""
        with self._cond:
            if len(self._items) >= self.capacity:
                self._cond.wait()
            self._items.append(item)
            self._cond.notify()

    def get(self):
        """Remove and return the oldest item, waiting while the buffer is empty."""
        with self._cond:
            if not self._items:
                self._cond.wait()
            item = self._items.popleft()
            self._cond.notify()
            return item
