"""An asyncio shopping basket whose total comes out too low.

An online shop's checkout service runs on asyncio. When a customer adds
items, one task per item calls `await basket.add(item)`, which asks the
price service (`await prices.lookup(item)`, a network call) and adds the
price to `basket.total`. The tasks run concurrently with `asyncio.gather`.

What is wrong: a basket of three items costing 3, 4 and 5 shows a total of
5. asyncio has only one thread, so the team thought no lock could be needed.

Fixed means: whatever order the event loop runs the tasks in, `total` is the
sum of the prices of every item added, and `items` lists every item once.
"""


class Basket:
    def __init__(self, prices):
        self.prices = prices
        self.total = 0
        self.items = []

    async def add(self, item):
        """Add one item and its price."""
        self.items.append(item)
        self.total += await self.prices.lookup(item)
