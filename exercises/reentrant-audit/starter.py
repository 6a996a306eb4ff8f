"""A ledger for a payments service.

`record(description, amount)` adds one entry and updates the balance.
`receive(description, amount, fee)` books an incoming payment together with
the bank's fee for it, as two entries that must stay together: no other
entry may come between a payment and its fee.

What is wrong: the service freezes on the first incoming payment, even in a
test with a single thread. Plain `record()` calls work fine.

Fixed means: `receive()` returns, its two entries are always adjacent in
`entries` even when other threads are recording at the same time, and the
balance always equals the sum of the entries.
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
            self.entries.append((description, amount))
            self.balance += amount

    def receive(self, description, amount, fee):
        """Book a payment and its fee as two adjacent entries."""
        with self._lock:
            self.record(description, amount)
            self.record(f"fee for {description}", -fee)
