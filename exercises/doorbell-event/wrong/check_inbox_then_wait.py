# Wrong: checking the inbox before waiting skips the wait when a letter is there, but a stale ring left by an earlier post lets the worker through to an empty inbox.
"""Idea: wait for the bell only when the inbox is empty."""

import threading


class Desk:
    def __init__(self):
        self.inbox = []
        self.ring = threading.Event()

    def post(self, letter):
        self.inbox.append(letter)
        self.ring.set()

    def next_letter(self):
        if not self.inbox:
            self.ring.wait()
            self.ring.clear()
        return self.inbox.pop(0)
