"""A doorbell that wakes the mail worker when letters arrive
(reference fix).

An Event remembers one bit: two posts before the worker's clear() ring once,
and a post just before clear() is erased, so the worker sleeps with letters
waiting. The worker must wait for the state, not for a signal: a Condition
guards the inbox, and next_letter() waits while it is empty.
"""

import threading


class Desk:
    def __init__(self):
        self.inbox = []
        self._cond = threading.Condition()

    def post(self, letter):
        """Put a letter in the inbox and wake the worker."""
        with self._cond:
            self.inbox.append(letter)
            self._cond.notify()

    def next_letter(self):
        """Wait for a letter; return the oldest one."""
        with self._cond:
            while not self.inbox:
                self._cond.wait()
            return self.inbox.pop(0)
