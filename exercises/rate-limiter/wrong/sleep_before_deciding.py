# Wrong: a sleep spreads calls out in real time but the decision is still not atomic.
"""Idea: sleep before deciding."""

import time
from collections import deque


class RateLimiter:
    def __init__(self, limit, window, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._recent = deque()

    def allow(self):
        time.sleep(0.001)
        now = self._clock()
        while self._recent and now - self._recent[0] >= self.window:
            self._recent.popleft()
        if len(self._recent) < self.limit:
            self._recent.append(now)
            return True
        return False
