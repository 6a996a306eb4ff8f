"""A joint bank account used by two cash machines at once.

Each cash machine runs in its own thread and calls `withdraw(amount)`, which
pays out only if the account can cover it, and `deposit(amount)`. Every
movement is kept in `history`.

What is wrong: the bank found joint accounts with a negative balance. Two
partners withdrew 70 each from an account holding 100, at the same moment,
and both got their cash.

Fixed means: however the threads interleave, a withdrawal is paid only if
the balance covers it, the balance never goes below zero, no deposit or
withdrawal is lost, and the balance always equals the sum of `history`.
"""

import threading  # noqa: F401  (you will probably need it)


class JointAccount:
    def __init__(self, balance=0):
        self.balance = balance
        self.history = [balance]

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        self.balance += amount
        self.history.append(amount)

    def withdraw(self, amount):
        """Pay out `amount` if the balance covers it; True if paid."""
        if amount <= 0:
            raise ValueError("amount must be positive")
        if self.balance >= amount:
            self.balance -= amount
            self.history.append(-amount)
            return True
        return False
