# Wrong: "append first, then check and undo" still lets two threads each see the other's entry and refuse, or both admit.
"""Idea: append first, then check and undo."""

import time
from collections import deque


class RateLimiter:
    def __init__(self, limit, window, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._recent = deque()

    def allow(self):
        now = self._clock()
        while self._recent and now - self._recent[0] >= self.window:
            self._recent.popleft()
        self._recent.append(now)
        if len(self._recent) > self.limit:
            self._recent.pop()
            return False
        return True
