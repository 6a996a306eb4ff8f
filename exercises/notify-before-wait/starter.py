"""Hand one result from a worker thread to the threads that need it.

A report server starts a worker thread for each slow query. The worker calls
`slot.put(result)` when it is done; request threads call `slot.get()`, which
blocks until the result is there and returns it. Several request threads may
wait for the same result.

What is wrong: some requests hang forever, although the worker finished long
ago; when two requests wait for the same report, one of them may never get
it.

Fixed means: `get()` returns the result whether it is called before or after
`put()`, every waiting thread gets it, and a result of `None` is a result
like any other.
"""

import threading


class ResultSlot:
    def __init__(self):
        self._cond = threading.Condition()
        self._value = None

    def put(self, value):
        """Publish the result and wake whoever is waiting for it."""
        with self._cond:
            self._value = value
            self._cond.notify()

    def get(self):
        """Block until the result is published, then return it."""
        with self._cond:
            self._cond.wait()
            return self._value
