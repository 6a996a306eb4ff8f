"""Hand one result from a worker thread to the threads that need it
(reference fix).

notify() only wakes threads that are already waiting; if put() runs first,
the notification is lost and a later wait() sleeps forever. Waiting for a
condition on shared state (a `_ready` flag, set under the same lock) instead
of for the notification itself makes the order of put() and get()
irrelevant, and notify_all() wakes every waiter.
"""

import threading


class ResultSlot:
    def __init__(self):
        self._cond = threading.Condition()
        self._value = None
        self._ready = False

    def put(self, value):
        """Publish the result and wake whoever is waiting for it."""
        with self._cond:
            self._value = value
            self._ready = True
            self._cond.notify_all()

    def get(self):
        """Block until the result is published, then return it."""
        with self._cond:
            self._cond.wait_for(lambda: self._ready)
            return self._value
