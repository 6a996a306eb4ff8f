"""An asyncio shopping basket whose total comes out too low (reference fix).

`self.total += await lookup()` reads the total, then awaits: every other
task runs and adds its price, then this one stores its stale total plus its
price. An await is a switch point, so the read and the write of the total
must have no await between them: look the price up first, then add it in one
step. (An asyncio.Lock around the whole update also works.)
"""


class Basket:
    def __init__(self, prices):
        self.prices = prices
        self.total = 0
        self.items = []

    async def add(self, item):
        """Add one item and its price."""
        self.items.append(item)
        price = await self.prices.lookup(item)
        self.total += price
