# Wrong: a separate lock for receive() avoids the self-deadlock but does not exclude plain record() calls, so entries still interleave.
"""Idea: give receive a second lock of its own."""

import threading


class Ledger:
    def __init__(self):
        self._lock = threading.Lock()
        self._receive_lock = threading.Lock()
        self.entries = []
        self.balance = 0

    def record(self, description, amount):
        with self._lock:
            self.entries.append((description, amount))
            self.balance += amount

    def receive(self, description, amount, fee):
        with self._receive_lock:
            self.record(description, amount)
            self.record(f"fee for {description}", -fee)
