# Wrong: computing the number in a local variable first is still a read, then a store: two threads can read the same value.
"""Idea: compute the next number in a local variable, then store it."""


class TicketDispenser:
    def __init__(self):
        self.issued = 0

    def take(self):
        number = self.issued + 1
        self.issued = number
        return number
