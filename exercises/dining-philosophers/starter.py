"""Dining philosophers: a table of workers sharing resources pairwise.

`seats` philosophers sit around a round table with one fork between each
pair of neighbours; fork `i` lies to the left of seat `i`, fork `i + 1` to
its right (wrapping round). A philosopher needs both neighbouring forks to
eat. Each philosopher runs in its own thread and calls `table.dine(seat,
meals)`. (Think of forks as database rows or files, and philosophers as jobs
that each need two of them.)

What is wrong: sometimes dinner never ends: every philosopher holds one
fork, waits for the other, and nobody eats again.

Fixed means: however the threads interleave, every philosopher eats every
meal and dinner ends; a philosopher only eats while holding both
neighbouring forks.
"""

import threading


class Table:
    def __init__(self, seats):
        self.forks = [threading.Lock() for _ in range(seats)]
        self.meals = [0] * seats

    def dine(self, seat, meals):
        """Eat `meals` times, each time holding both neighbouring forks."""
        left = self.forks[seat]
        right = self.forks[(seat + 1) % len(self.forks)]
        for _ in range(meals):
            with left:
                with right:
                    self.eat(seat)

    def eat(self, seat):
        self.meals[seat] += 1
