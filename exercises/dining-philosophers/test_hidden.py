"""Hidden tests for dining-philosophers: every order of reaching for forks."""

from tutor.interleave import explore

import submission


class CheckedTable:
    """The learner's table, plus a check that a philosopher eats holding both forks."""

    def __init__(self, seats):
        self.table = submission.Table(seats)
        self.eating = set()
        original_eat = self.table.eat

        def eat(seat):
            left, right = seat, (seat + 1) % seats
            assert left not in self.eating and right not in self.eating, (
                f"philosopher {seat} eats while a neighbour uses the same fork"
            )
            self.eating.update((left, right))
            original_eat(seat)
            self.eating.difference_update((left, right))

        self.table.eat = eat


def _philosopher(seat, meals):
    def run(state):
        state.table.dine(seat, meals)
    return run


def test_one_philosopher_at_a_time_eats_every_meal():
    def one_thread(state):
        for seat in range(3):
            state.table.dine(seat, 2)

    def check(state):
        assert state.table.meals == [2, 2, 2]

    explore(lambda: CheckedTable(3), [one_thread], check)


def test_three_philosophers_always_finish_dinner():
    def check(state):
        assert state.table.meals == [1, 1, 1], f"meals eaten: {state.table.meals}"

    explore(lambda: CheckedTable(3), [_philosopher(seat, 1) for seat in range(3)], check)


def test_four_philosophers_two_meals_each():
    def check(state):
        assert state.table.meals == [2, 2, 2, 2], f"meals eaten: {state.table.meals}"

    explore(lambda: CheckedTable(4), [_philosopher(seat, 2) for seat in range(4)], check)
