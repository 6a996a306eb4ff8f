# Wrong: "debit first, undo if negative" still does unlocked read-modify-writes that lose updates.
"""Idea: debit first, and put the money back if the balance went negative."""


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
        if amount <= 0:
            raise ValueError("amount must be positive")
        self.balance -= amount
        if self.balance < 0:
            self.balance += amount
            return False
        self.history.append(-amount)
        return True
