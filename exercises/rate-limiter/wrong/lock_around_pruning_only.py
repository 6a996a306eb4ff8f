# Wrong: only the pruning is locked; counting and appending still interleave, so the limit is exceeded.
"""Idea: lock only the pruning."""

import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self, limit, window, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._recent = deque()
        self._lock = threading.Lock()

    def allow(self):
        now = self._clock()
        with self._lock:
            while self._recent and now - self._recent[0] >= self.window:
                self._recent.popleft()
        if len(self._recent) < self.limit:
            self._recent.append(now)
            return True
        return False
