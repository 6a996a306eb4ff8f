"""A pool of database connections that hands out several at once.

Web requests call `pool.acquire(1)` ... `pool.release(1)` around a query. A
nightly bulk export needs three connections together and calls
`pool.acquire(3)`. `free` is the number of idle connections, and `waiting`
counts the callers blocked in `acquire()` (the monitoring page shows it).

What is wrong: on a busy day the export waits for hours. There is always at
least one web request holding a connection, because new ones keep getting
their single connection while the export waits for three.

Fixed means: requests are served in the order they arrive: once a caller is
waiting, a caller that arrives later does not get connections before it,
however many connections it asks for. `free` never goes below zero, and
`waiting` stays accurate.
"""

import threading


class ConnectionPool:
    def __init__(self, size):
        self.free = size
        self.waiting = 0
        self._cond = threading.Condition()

    def acquire(self, count=1):
        """Wait until `count` connections are free, then take them."""
        with self._cond:
            self.waiting += 1
            while self.free < count:
                self._cond.wait()
            self.waiting -= 1
            self.free -= count

    def release(self, count=1):
        """Give `count` connections back."""
        with self._cond:
            self.free += count
            self._cond.notify_all()
