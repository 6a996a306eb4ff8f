# Wrong: an extra await before the update only shuffles the order; the total is still read before the price await and written after it.
"""Idea: await asyncio.sleep(0) before updating the total."""

import asyncio


class Basket:
    def __init__(self, prices):
        self.prices = prices
        self.total = 0
        self.items = []

    async def add(self, item):
        self.items.append(item)
        await asyncio.sleep(0)
        self.total += await self.prices.lookup(item)
