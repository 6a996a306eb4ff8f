# Wrong: waiting until the value is not None hangs forever when the result itself is None.
"""Idea: wait until the value is not None."""

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
            while self._value is None:
                self._cond.wait()
            return self._value
