# Wrong: ordering fixes the deadlock, but the balance check happens before the locks, so two transfers can both pass it.
"""Idea: check the balance before taking the locks."""

import threading


class InsufficientFunds(Exception):
    pass


class Account:
    def __init__(self, number, balance=0):
        self.number = number
        self.balance = balance
        self.lock = threading.Lock()


def transfer(source, target, amount):
    """Move `amount` from `source` to `target`, atomically."""
    if source is target:
        raise ValueError("cannot transfer to the same account")
    if source.balance < amount:
        raise InsufficientFunds(f"account {source.number} has {source.balance}")
    first, second = sorted((source, target), key=lambda account: account.number)
    with first.lock:
        with second.lock:
            source.balance -= amount
            target.balance += amount
