"""A pool of database connections shared by the request threads
(reference fix).

acquire() waited on the semaphore while holding the mutex, and release()
needs that mutex before it can signal the semaphore: a deadlock as soon as
the pool is empty. The semaphore is the thing to wait on, with no lock held;
the mutex only guards the short list operations.
"""

import threading


class ConnectionPool:
    def __init__(self, connections):
        self._idle = list(connections)
        self._free = threading.Semaphore(len(self._idle))
        self._mutex = threading.Lock()

    def acquire(self):
        """Borrow a connection, waiting while none is free."""
        self._free.acquire()
        with self._mutex:
            return self._idle.pop()

    def release(self, conn):
        """Give a borrowed connection back."""
        with self._mutex:
            self._idle.append(conn)
        self._free.release()
