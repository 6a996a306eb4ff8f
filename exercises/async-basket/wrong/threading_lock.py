# Wrong: a threading.Lock held across an await blocks the event loop's only thread when a second task asks for it: every task freezes.
"""Idea: guard the update with a threading.Lock."""

import threading


class Basket:
    def __init__(self, prices):
        self.prices = prices
        self.total = 0
        self.items = []
        self._lock = threading.Lock()

    async def add(self, item):
        self.items.append(item)
        with self._lock:
            self.total += await self.prices.lookup(item)
