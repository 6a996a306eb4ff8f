"""Hidden tests for transfer-deadlock: opposite and circular transfers under every schedule."""

import pytest
from tutor.interleave import explore

import submission


def _bank(*balances):
    return [submission.Account(number, balance) for number, balance in enumerate(balances, 1)]


def test_transfer_moves_money_in_one_thread():
    a, b = _bank(100, 50)
    submission.transfer(a, b, 30)
    assert (a.balance, b.balance) == (70, 80)
    with pytest.raises(submission.InsufficientFunds):
        submission.transfer(b, a, 500)
    assert (a.balance, b.balance) == (70, 80)
    with pytest.raises(ValueError):
        submission.transfer(a, a, 1)


def test_opposite_transfers_always_finish():
    def a_to_b(bank):
        submission.transfer(bank[0], bank[1], 10)

    def b_to_a(bank):
        submission.transfer(bank[1], bank[0], 25)

    def check(bank):
        assert [account.balance for account in bank] == [115, 85]

    explore(lambda: _bank(100, 100), [a_to_b, b_to_a], check)


def test_a_ring_of_transfers_always_finishes():
    def mover(source, target):
        def move(bank):
            submission.transfer(bank[source], bank[target], 5)
        return move

    def check(bank):
        assert [account.balance for account in bank] == [50, 50, 50]

    explore(lambda: _bank(50, 50, 50), [mover(0, 1), mover(1, 2), mover(2, 0)], check)


def test_two_withdrawals_cannot_overdraw():
    def spend(target_index):
        def run(bank):
            try:
                submission.transfer(bank[0], bank[target_index], 60)
            except submission.InsufficientFunds:
                pass
        return run

    def check(bank):
        balances = [account.balance for account in bank]
        assert sum(balances) == 120, f"money created or lost: {balances}"
        assert balances[0] == 40, f"exactly one of the two transfers of 60 must happen: {balances}"

    explore(lambda: _bank(100, 10, 10), [spend(1), spend(2)], check)
