# Wrong: dropping the semaphore removes the wait: an empty pool makes pop() fail instead of waiting.
"""Idea: drop the semaphore and pop under the mutex."""

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
