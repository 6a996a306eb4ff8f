# Wrong: release() signals the semaphore before the connection is back in the list, so a woken borrower pops from an empty list.
"""Idea: release the semaphore before putting the connection back."""

import threading


class ConnectionPool:
    def __init__(self, connections):
        self._idle = list(connections)
        self._free = threading.Semaphore(len(self._idle))
        self._mutex = threading.Lock()

    def acquire(self):
        with self._mutex:
            self._free.acquire()
            return self._idle.pop()

    def release(self, conn):
        self._free.release()
        self._idle.append(conn)
