# Wrong: spelling the update out does not change its order: the total is still read before the await and written after it.
"""Idea: read the total into a local first, then await the price and write the sum."""


class Basket:
    def __init__(self, prices):
        self.prices = prices
        self.total = 0
        self.items = []

    async def add(self, item):
        self.items.append(item)
        total = self.total
        price = await self.prices.lookup(item)
        self.total = total + price
