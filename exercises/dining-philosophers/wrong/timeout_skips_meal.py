# Wrong: a timeout on the second fork ends the hang by silently skipping the meal.
"""Idea: give up the meal when the second fork times out."""

import threading


class Table:
    def __init__(self, seats):
        self.forks = [threading.Lock() for _ in range(seats)]
        self.meals = [0] * seats

    def dine(self, seat, meals):
        left = self.forks[seat]
        right = self.forks[(seat + 1) % len(self.forks)]
        for _ in range(meals):
            with left:
                if right.acquire(timeout=0.5):
                    try:
                        self.eat(seat)
                    finally:
                        right.release()

    def eat(self, seat):
        self.meals[seat] += 1
