# Wrong: a timeout hides the lost wake-up: get() returns after the timeout without the result.
"""Idea: give the wait a timeout."""

import threading


class ResultSlot:
    def __init__(self):
        self._cond = threading.Condition()
        self._value = None

    def put(self, value):
        with self._cond:
            self._value = value
            self._cond.notify_all()

    def get(self):
        with self._cond:
            self._cond.wait(timeout=1.0)
            return self._value
