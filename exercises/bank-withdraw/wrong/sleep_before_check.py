# Wrong: sleeping before the check changes the timing only; the check and the debit are still apart.
"""Idea: sleep a little before checking the balance."""

import time


class JointAccount:
    def __init__(self, balance=0):
        self.balance = balance
        self.history = [balance]

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        time.sleep(0.01)
        self.balance += amount
        self.history.append(amount)

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        time.sleep(0.01)
        if self.balance >= amount:
            self.balance -= amount
            self.history.append(-amount)
            return True
        return False
