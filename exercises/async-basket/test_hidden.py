"""Hidden tests for async-basket: tasks that add items under asyncio.

The event loop runs inside one thread under the interleaving explorer, so a threading lock
taken by one task while another waits for it is reported as a deadlock at once instead of
freezing the loop. asyncio itself orders the tasks the same way on every run; the tests vary
that order (how many times the price service yields) to try the tasks in several orders.
"""

import asyncio

from tutor.interleave import explore

import submission

PRICES = {"tea": 3, "mug": 4, "spoon": 5}


class PriceService:
    def __init__(self, delays):
        self.delays = delays
        self.calls = 0

    async def lookup(self, item):
        for _ in range(self.delays.get(item, 1)):
            await asyncio.sleep(0)  # a network round trip: other tasks run meanwhile
        self.calls += 1
        return PRICES[item]


class Shop:
    def __init__(self):
        self.basket = None
        self.error = None


def _checkout(items, delays):
    def run(shop):
        async def main():
            shop.basket = submission.Basket(PriceService(delays))
            await asyncio.gather(*(shop.basket.add(item) for item in items))

        asyncio.run(main())
    return run


def _total_is_the_sum(items):
    def check(shop):
        total = sum(PRICES[item] for item in items)
        assert shop.basket.total == total, (
            f"items costing {[PRICES[i] for i in items]} gave a total of {shop.basket.total}"
        )
        assert sorted(shop.basket.items) == sorted(items), f"items: {shop.basket.items}"
    return check


def test_one_item():
    explore(Shop, [_checkout(["tea"], {})], _total_is_the_sum(["tea"]))


def test_three_items_added_concurrently():
    items = ["tea", "mug", "spoon"]
    explore(Shop, [_checkout(items, {})], _total_is_the_sum(items))


def test_replies_in_a_different_order():
    items = ["tea", "mug", "spoon"]
    delays = {"tea": 3, "mug": 1, "spoon": 2}
    explore(Shop, [_checkout(items, delays)], _total_is_the_sum(items))
