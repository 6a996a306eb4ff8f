# Wrong: the lock covers the debit but not the balance check, so both machines can pass the check.
"""Idea: lock only the debit."""

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
        if amount <= 0:
            raise ValueError("amount must be positive")
        if self.balance >= amount:
            with self._lock:
                self.balance -= amount
                self.history.append(-amount)
            return True
        return False
