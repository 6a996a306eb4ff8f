# Wrong: the flag fixes the put-before-get order, but notify() wakes one waiter and the others sleep forever.
"""Idea: set a ready flag and notify one waiter."""

import threading


class ResultSlot:
    def __init__(self):
        self._cond = threading.Condition()
        self._value = None
        self._ready = False

    def put(self, value):
        with self._cond:
            self._value = value
            self._ready = True
            self._cond.notify()

    def get(self):
        with self._cond:
            while not self._ready:
                self._cond.wait()
            return self._value
