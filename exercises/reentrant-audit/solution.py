"""A ledger for a payments service (reference fix).

receive() held the Lock and called record(), which tried to take the same
Lock: a plain Lock is not reentrant, so the thread waited for itself
forever. record()'s body now lives in a helper that expects the lock to be
held; receive() keeps the lock across both entries so they stay adjacent.
(An RLock would also work.)
"""

import threading


class Ledger:
    def __init__(self):
        self._lock = threading.Lock()
        self.entries = []
        self.balance = 0

    def record(self, description, amount):
        """Add one entry."""
        with self._lock:
            self._record_locked(description, amount)

    def receive(self, description, amount, fee):
        """Book a payment and its fee as two adjacent entries."""
        with self._lock:
            self._record_locked(description, amount)
            self._record_locked(f"fee for {description}", -fee)

    def _record_locked(self, description, amount):
        self.entries.append((description, amount))
        self.balance += amount
