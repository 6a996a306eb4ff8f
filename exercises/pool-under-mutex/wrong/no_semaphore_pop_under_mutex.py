# Wrong: dropping the semaphore removes the wait: an empty pool makes pop() fail instead of waiting.
"""A pool of database connections shared by the request threads."""

import threading


class ConnectionPool:
    def __init__(self, connections):
        self._idle = list(connections)
        self._mutex = threading.Lock()

    def acquire(self):
        with self._mutex:
            return self._idle.pop()

    def release(self, conn):
        with self._mutex:
            self._idle.append(conn)
