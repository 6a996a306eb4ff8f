"""Hidden tests for bank-withdraw: concurrent withdrawals and deposits under every schedule."""

import pytest
from tutor.interleave import explore

import submission


class Machines:
    """A fresh account plus what each cash machine got back."""

    def __init__(self, balance):
        self.account = submission.JointAccount(balance)
        self.paid = []


def test_withdraw_and_deposit_in_one_thread():
    account = submission.JointAccount(100)
    assert account.withdraw(30) is True
    assert account.withdraw(80) is False
    account.deposit(5)
    assert account.balance == 75
    assert account.history == [100, -30, 5]
    with pytest.raises(ValueError):
        account.withdraw(0)


def test_two_machines_cannot_both_take_the_last_money():
    def machine(state):
        if state.account.withdraw(70):
            state.paid.append(70)

    def check(state):
        assert state.paid == [70], f"paid out {state.paid} from an account holding 100"
        assert state.account.balance == 30
        assert sum(state.account.history) == state.account.balance

    explore(lambda: Machines(100), [machine, machine], check)


def test_deposits_and_withdrawals_are_never_lost():
    def withdraw(state):
        assert state.account.withdraw(10)

    def deposit(state):
        state.account.deposit(25)

    def check(state):
        assert state.account.balance == 65, f"balance {state.account.balance}, expected 65"
        assert sum(state.account.history) == state.account.balance

    explore(lambda: Machines(50), [withdraw, deposit], check)
