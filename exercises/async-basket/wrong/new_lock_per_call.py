# Wrong: an asyncio.Lock created inside add() is a new lock for every task, so it excludes nobody.
"""Idea: create an asyncio.Lock inside add and hold it for the update."""

import asyncio


class Basket:
    def __init__(self, prices):
        self.prices = prices
        self.total = 0
        self.items = []

    async def add(self, item):
        self.items.append(item)
        async with asyncio.Lock():
            self.total += await self.prices.lookup(item)
