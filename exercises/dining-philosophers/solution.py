"""Dining philosophers (reference fix).

A deadlock needs a cycle of threads, each holding a resource the next one
waits for. Giving the forks a global order and taking the lower-numbered
fork first makes a cycle impossible: the last philosopher now reaches for
fork 0 before fork n-1, so not everyone can hold one fork and wait for the
next.
"""

import threading


class Table:
    def __init__(self, seats):
        self.forks = [threading.Lock() for _ in range(seats)]
        self.meals = [0] * seats

    def dine(self, seat, meals):
        """Eat `meals` times, each time holding both neighbouring forks."""
        a, b = seat, (seat + 1) % len(self.forks)
        first, second = self.forks[min(a, b)], self.forks[max(a, b)]
        for _ in range(meals):
            with first:
                with second:
                    self.eat(seat)

    def eat(self, seat):
        self.meals[seat] += 1
