# Wrong: a bank-wide lock taken after the first account lock is a second lock in the wrong order: still a cycle.
"""Idea: take a bank-wide lock after the first account lock."""

import threading


class InsufficientFunds(Exception):
    pass


_bank_lock = threading.Lock()


class Account:
    def __init__(self, number, balance=0):
        self.number = number
        self.balance = balance
        self.lock = threading.Lock()


def transfer(source, target, amount):
    """Move `amount` from `source` to `target`, atomically."""
    if source is target:
        raise ValueError("cannot transfer to the same account")
    with source.lock:
        with _bank_lock:
            with target.lock:
                if source.balance < amount:
                    raise InsufficientFunds(f"account {source.number} has {source.balance}")
                source.balance -= amount
                target.balance += amount
