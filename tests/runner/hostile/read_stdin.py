"""Waits for the user to type something in increment()."""


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += int(input("by how much? "))
