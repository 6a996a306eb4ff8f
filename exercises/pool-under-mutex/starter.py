"""A pool of database connections shared by the request threads.

Opening a database connection is slow, so the service keeps a few open in
`ConnectionPool`. A request thread calls `pool.acquire()` to borrow one
(waiting while all are in use) and `pool.release(conn)` to give it back. A
semaphore counts the free connections; a mutex guards the list of idle ones.

What is wrong: at peak time, once every connection is in use, the whole
service freezes. Requests that finish cannot hand their connection back.

Fixed means: however the threads interleave, a borrower waits only while
every connection is in use, releasing always lets a waiting borrower
continue, and no connection is ever lent to two threads at once.
"""

import threading


class ConnectionPool:
    def __init__(self, connections):
        self._idle = list(connections)
        self._free = threading.Semaphore(len(self._idle))
        self._mutex = threading.Lock()

    def acquire(self):
        """Borrow a connection, waiting while none is free."""
        with self._mutex:
            self._free.acquire()
            return self._idle.pop()

    def release(self, conn):
        """Give a borrowed connection back."""
        with self._mutex:
            self._idle.append(conn)
            self._free.release()
