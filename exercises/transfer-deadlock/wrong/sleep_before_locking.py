# Wrong: a sleep only shifts the timing; the two transfers can still each hold one lock and wait for the other.
"""Idea: sleep before locking."""

import time
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
    time.sleep(0.01)
    with source.lock:
        with target.lock:
            if source.balance < amount:
                raise InsufficientFunds(f"account {source.number} has {source.balance}")
            source.balance -= amount
            target.balance += amount
