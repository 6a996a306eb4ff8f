# Wrong: a timeout hides the deadlock instead of removing it: the transfer silently does not happen.
"""Idea: give up the transfer on a timeout."""

import threading


class InsufficientFunds(Exception):
    pass


class Account:
    def __init__(self, number, balance=0):
        self.number = number
        self.balance = balance
        self.lock = threading.Lock()


def transfer(source, target, amount):
    """Move `amount` from `source` to `target`, atomically; False if the accounts were busy."""
    if source is target:
        raise ValueError("cannot transfer to the same account")
    with source.lock:
        if not target.lock.acquire(timeout=0.5):
            return False
        try:
            if source.balance < amount:
                raise InsufficientFunds(f"account {source.number} has {source.balance}")
            source.balance -= amount
            target.balance += amount
        finally:
            target.lock.release()
    return True
