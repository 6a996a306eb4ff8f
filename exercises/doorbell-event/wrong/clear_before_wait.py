# Wrong: clearing before waiting erases a ring that came before the wait, so the worker sleeps although a letter is in the inbox.
"""Idea: clear the bell before waiting for it."""

import threading


class Desk:
    def __init__(self):
        self.inbox = []
        self.ring = threading.Event()

    def post(self, letter):
        self.inbox.append(letter)
        self.ring.set()

    def next_letter(self):
        self.ring.clear()
        self.ring.wait()
        return self.inbox.pop(0)
