# Wrong: sleeping before put() hopes the requester is already waiting; nothing guarantees it.
"""Idea: sleep before put."""

import threading
import time


class ResultSlot:
    def __init__(self):
        self._cond = threading.Condition()
        self._value = None

    def put(self, value):
        time.sleep(0.1)
        with self._cond:
            self._value = value
            self._cond.notify_all()

    def get(self):
        with self._cond:
            self._cond.wait()
            return self._value
