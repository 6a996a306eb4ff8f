"""A joint bank account used by two cash machines at once (reference fix).

"Check the balance, then debit it" is check-then-act: the check is stale as
soon as another thread runs between the two steps. One lock per account
makes check, debit and history entry a single critical section, and deposits
take the same lock.
"""

import threading


class JointAccount:
    def __init__(self, balance=0):
        self.balance = balance
        self.history = [balance]
        self._lock = threading.Lock()

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        with self._lock:
            self.balance += amount
            self.history.append(amount)

    def withdraw(self, amount):
        """Pay out `amount` if the balance covers it; True if paid."""
        if amount <= 0:
            raise ValueError("amount must be positive")
        with self._lock:
            if self.balance >= amount:
                self.balance -= amount
                self.history.append(-amount)
                return True
            return False
