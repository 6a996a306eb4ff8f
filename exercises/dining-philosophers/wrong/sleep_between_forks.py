# Wrong: a pause between the two forks changes the timing only; everyone can still hold a left fork and wait.
"""Idea: pause between picking up the two forks."""

import threading
import time


class Table:
    def __init__(self, seats):
        self.forks = [threading.Lock() for _ in range(seats)]
        self.meals = [0] * seats

    def dine(self, seat, meals):
        left = self.forks[seat]
        right = self.forks[(seat + 1) % len(self.forks)]
        for _ in range(meals):
            with left:
                time.sleep(0.01)
                with right:
                    self.eat(seat)

    def eat(self, seat):
        self.meals[seat] += 1
