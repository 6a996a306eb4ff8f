"""Objects in reports are named by a stable path from the setup state, as the learner wrote it."""

from __future__ import annotations

import threading
from types import SimpleNamespace as NS

import pytest

from tutor.interleave import InterleavingFailure, explore

pytestmark = pytest.mark.usefixtures("clean_process")


class Account:
    def __init__(self, balance):
        self.balance = balance
        self.lock = threading.Lock()


def transfer(src, dst, amount):
    with src.lock:
        with dst.lock:
            src.balance -= amount
            dst.balance += amount


def _deadlock(setup, t1, t2) -> str:
    with pytest.raises(InterleavingFailure) as info:
        explore(setup, [t1, t2])
    assert info.value.kind == "deadlock"
    return info.value.message


def test_a_symmetric_transfer_names_each_lock_the_same_for_both_threads():
    message = _deadlock(
        lambda: NS(accounts=[Account(100), Account(100)]),
        lambda bank: transfer(bank.accounts[0], bank.accounts[1], 10),
        lambda bank: transfer(bank.accounts[1], bank.accounts[0], 10),
    )
    # Each thread holds its own source lock: by the expression first seen, T2 would "hold
    # dst.lock" (its src is T1's dst).
    t1, t2 = message.split("; ")
    assert t1.startswith("T1 holds Lock bank.accounts[0].lock") and (
        "waits for Lock bank.accounts[1].lock" in t1), message
    assert t2.startswith("T2 holds Lock bank.accounts[1].lock") and (
        "waits for Lock bank.accounts[0].lock" in t2), message


def test_named_accounts_are_named_by_their_field():
    def alice_pays(s):
        transfer(s.alice, s.bob, 5)

    def bob_pays(s):
        transfer(s.bob, s.alice, 5)

    message = _deadlock(lambda: NS(alice=Account(10), bob=Account(10)), alice_pays, bob_pays)
    assert "T1 holds Lock s.alice.lock" in message and "T2 holds Lock s.bob.lock" in message


def test_a_lock_outside_the_state_is_named_as_the_code_names_it():
    def setup():
        return NS(n=0)

    def worker(s):
        mine = threading.Lock()
        with mine:
            with mine:  # a plain Lock is not reentrant
                s.n += 1

    with pytest.raises(InterleavingFailure) as info:
        explore(setup, [worker])
    assert "Lock mine" in info.value.message
