"""Transfer money between bank accounts (reference fix).

The deadlock is a cycle: A->B holds A's lock and waits for B's while B->A
holds B's lock and waits for A's. Taking the locks in one global order
(lowest account number first), whatever the direction of the transfer, makes
such a cycle impossible.
"""

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
    first, second = sorted((source, target), key=lambda account: account.number)
    with first.lock:
        with second.lock:
            if source.balance < amount:
                raise InsufficientFunds(f"account {source.number} has {source.balance}")
            source.balance -= amount
            target.balance += amount
