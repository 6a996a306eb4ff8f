"""Hidden tests for ticket-numbers: two and three customers at once."""

from tutor.interleave import explore

import submission


class Desk:
    def __init__(self):
        self.dispenser = submission.TicketDispenser()
        self.tickets = []


def _customer(desk):
    desk.tickets.append(desk.dispenser.take())


def _two_tickets(desk):
    desk.tickets.append(desk.dispenser.take())
    desk.tickets.append(desk.dispenser.take())


def _numbers_are_one_to_n(desk):
    count = len(desk.tickets)
    assert sorted(desk.tickets) == list(range(1, count + 1)), (
        f"{count} customers got tickets {sorted(desk.tickets)}"
    )
    assert desk.dispenser.issued == count, f"issued is {desk.dispenser.issued}, not {count}"


def test_tickets_in_one_thread():
    desk = Desk()
    _two_tickets(desk)
    _customer(desk)
    _numbers_are_one_to_n(desk)


def test_two_customers_at_once():
    explore(Desk, [_customer, _customer], _numbers_are_one_to_n)


def test_three_threads_and_four_tickets():
    explore(Desk, [_two_tickets, _customer, _customer], _numbers_are_one_to_n)
