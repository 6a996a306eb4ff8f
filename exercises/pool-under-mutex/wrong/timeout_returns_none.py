# Wrong: a timeout on the semaphore hides the deadlock: the borrower gives up and gets no connection.
"""Idea: give the semaphore a timeout and return None."""

import threading


class ConnectionPool:
    def __init__(self, connections):
        self._idle = list(connections)
        self._free = threading.Semaphore(len(self._idle))
        self._mutex = threading.Lock()

    def acquire(self):
        with self._mutex:
            if not self._free.acquire(timeout=1.0):
                return None
            return self._idle.pop()

    def release(self, conn):
        with self._mutex:
            self._idle.append(conn)
            self._free.release()
