"""A sliding-window rate limiter for an outgoing API client.

The partner API allows at most `limit` calls in any `window` seconds and
bans clients that send more. Every worker thread asks `limiter.allow()`
before a call and only calls when it returns True. The limiter remembers the
time of each allowed call and forgets those older than `window`. `clock`
returns the current time in seconds (tests pass their own).

What is wrong: under load the partner API bans us: more than `limit` calls
get through in one window. Now and then a worker even crashes with
"IndexError: pop from an empty deque".

Fixed means: however worker threads interleave, `allow()` never admits more
than `limit` calls in a window, never crashes, and still admits calls again
once old ones leave the window.
"""

import threading  # noqa: F401  (you will probably need it)
import time
from collections import deque


class RateLimiter:
    def __init__(self, limit, window, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._recent = deque()

    def allow(self):
        """True (and the call is counted) if one more call fits in the window now."""
        now = self._clock()
        while self._recent and now - self._recent[0] >= self.window:
            self._recent.popleft()
        if len(self._recent) < self.limit:
            self._recent.append(now)
            return True
        return False
