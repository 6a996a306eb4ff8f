# Wrong: without the lock in receive() nothing deadlocks, but another entry can land between a payment and its fee.
"""Idea: drop the lock from receive."""

import threading


class Ledger:
    def __init__(self):
        self._lock = threading.Lock()
        self.entries = []
        self.balance = 0

    def record(self, description, amount):
        with self._lock:
            self.entries.append((description, amount))
            self.balance += amount

    def receive(self, description, amount, fee):
        self.record(description, amount)
        self.record(f"fee for {description}", -fee)
