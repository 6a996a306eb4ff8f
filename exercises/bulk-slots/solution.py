"""A pool of database connections that hands out several at once
(reference fix).

With "take them as soon as there are enough", small requests keep overtaking
a large one: the free count never reaches three while single connections
come and go, and the export starves. Each caller takes a ticket on arrival
and waits until it is at the front and enough connections are free, so
nobody is overtaken.
"""

import threading


class ConnectionPool:
    def __init__(self, size):
        self.free = size
        self.waiting = 0
        self._cond = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    def acquire(self, count=1):
        """Wait until `count` connections are free, then take them."""
        with self._cond:
            ticket = self._next_ticket
            self._next_ticket += 1
            self.waiting += 1
            while ticket != self._serving or self.free < count:
                self._cond.wait()
            self.waiting -= 1
            self.free -= count
            self._serving += 1
            self._cond.notify_all()

    def release(self, count=1):
        """Give `count` connections back."""
        with self._cond:
            self.free += count
            self._cond.notify_all()
