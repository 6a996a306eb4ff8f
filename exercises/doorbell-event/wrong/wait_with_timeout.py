# Wrong: a timeout turns the lost wake-up into a delay: the worker wakes on a timer to look, instead of being woken when a letter arrives.
"""Idea: wait for the bell with a timeout and look in the inbox each time."""

import threading


class Desk:
    def __init__(self):
        self.inbox = []
        self.ring = threading.Event()

    def post(self, letter):
        self.inbox.append(letter)
        self.ring.set()

    def next_letter(self):
        while not self.inbox:
            self.ring.wait(0.1)
            self.ring.clear()
        return self.inbox.pop(0)
