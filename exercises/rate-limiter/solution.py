"""A sliding-window rate limiter for an outgoing API client (reference fix).

allow() prunes, counts and records: a read-modify-write of the shared deque.
Between a thread's count and its append another thread can count too, so
both fit "the last slot"; two threads can also both see the same old entry
and both pop it. One lock around the whole decision fixes both.
"""

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
        """True (and the call is counted) if one more call fits in the window now."""
        with self._lock:
            now = self._clock()
            while self._recent and now - self._recent[0] >= self.window:
                self._recent.popleft()
            if len(self._recent) < self.limit:
                self._recent.append(now)
                return True
            return False
