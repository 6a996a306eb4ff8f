"""Hidden tests for reentrant-audit: receive() alone, and alongside other bookings."""

from tutor.interleave import explore

import submission


def _check_consistent(ledger):
    assert ledger.balance == sum(amount for _, amount in ledger.entries), "balance != entries"
    for index, (description, _) in enumerate(ledger.entries):
        if description.startswith("fee for "):
            payment = description[len("fee for "):]
            assert index > 0 and ledger.entries[index - 1][0] == payment, (
                f"the fee for {payment!r} is not right after it: {ledger.entries}"
            )


def test_receive_books_payment_and_fee_in_one_thread():
    def one_thread(ledger):
        ledger.record("opening", 10)
        ledger.receive("invoice 7", 100, 2)

    def check(ledger):
        assert ledger.entries == [("opening", 10), ("invoice 7", 100), ("fee for invoice 7", -2)]
        assert ledger.balance == 108

    # Run by the explorer even with one thread, so a self-deadlock is reported at once.
    explore(submission.Ledger, [one_thread], check)


def test_payment_and_fee_stay_together_while_others_record():
    def receive(ledger):
        ledger.receive("invoice 8", 50, 1)

    def refund(ledger):
        ledger.record("refund", -5)

    def check(ledger):
        assert len(ledger.entries) == 3, ledger.entries
        _check_consistent(ledger)

    explore(submission.Ledger, [receive, refund], check)


def test_two_payments_at_once():
    def receive(name, amount):
        def run(ledger):
            ledger.receive(name, amount, 1)
        return run

    def check(ledger):
        assert len(ledger.entries) == 4, ledger.entries
        assert ledger.balance == 148
        _check_consistent(ledger)

    explore(submission.Ledger, [receive("a", 100), receive("b", 50)], check)
