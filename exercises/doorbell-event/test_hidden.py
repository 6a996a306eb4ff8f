"""Hidden tests for doorbell-event: posts and the worker in every order.

The worker also reads the clock (virtual under the explorer: it moves only when a thread
sleeps or a timed wait expires): a worker that is woken by the post reads the same time
before and after; one that polls on a timer does not.
"""

import time

from tutor.interleave import explore

import submission


class Office:
    def __init__(self):
        self.desk = submission.Desk()
        self.got = []
        self.waited_on_a_timer = False


def _poster(*letters):
    def run(office):
        for letter in letters:
            office.desk.post(letter)
    return run


def _worker(count):
    def run(office):
        for _ in range(count):
            start = time.monotonic()
            office.got.append(office.desk.next_letter())
            if time.monotonic() != start:
                office.waited_on_a_timer = True
    return run


def _all_delivered(*letters):
    def check(office):
        assert sorted(office.got) == sorted(letters), f"the worker got {office.got}"
        assert not office.waited_on_a_timer, (
            "the worker woke up on a timer to look for letters instead of being woken"
        )
    return check


def test_letters_in_order_in_one_thread():
    def one_thread(office):
        _poster("a", "b")(office)
        _worker(2)(office)

    def check(office):
        assert office.got == ["a", "b"]

    explore(Office, [one_thread], check)


def test_two_letters_one_worker():
    explore(Office, [_poster("bill", "card"), _worker(2)], _all_delivered("bill", "card"))


def test_two_desks_three_letters():
    explore(
        Office,
        [_poster("bill"), _worker(3), _poster("card", "parcel")],
        _all_delivered("bill", "card", "parcel"),
    )
