# Wrong: a "waiter" lock taken after the left fork is a second lock in the wrong order: the cycle remains.
"""Idea: take a waiter lock after the left fork."""

import threading


class Table:
    def __init__(self, seats):
        self.forks = [threading.Lock() for _ in range(seats)]
        self.meals = [0] * seats
        self._waiter = threading.Lock()

    def dine(self, seat, meals):
        left = self.forks[seat]
        right = self.forks[(seat + 1) % len(self.forks)]
        for _ in range(meals):
            with left:
                with self._waiter:
                    right.acquire()
                try:
                    self.eat(seat)
                finally:
                    right.release()

    def eat(self, seat):
        self.meals[seat] += 1
