"""Transfer money between bank accounts.

Every account has its own lock so that transfers between unrelated accounts
run in parallel. `transfer(source, target, amount)` locks both accounts,
checks the balance and moves the money.

What is wrong: every few days the payment service freezes. Nothing crashes
and the CPU is idle; it happens when a transfer from account A to B runs at
the same moment as one from B to A.

Fixed means: transfers in any directions, run at the same time, always
finish; money is never created or lost; an account never goes negative (a
transfer it cannot afford raises `InsufficientFunds` and changes nothing);
transferring to the same account is a `ValueError`.
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
    with source.lock:
        with target.lock:
            if source.balance < amount:
                raise InsufficientFunds(f"account {source.number} has {source.balance}")
            source.balance -= amount
            target.balance += amount
