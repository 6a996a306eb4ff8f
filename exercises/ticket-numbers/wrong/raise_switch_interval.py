# Wrong: a longer switch interval makes a switch in the middle rarer on one interpreter, never impossible (and the free-threaded build has no GIL to switch).
"""Idea: raise the switch interval so that threads switch less often."""

import sys

sys.setswitchinterval(10.0)


class TicketDispenser:
    def __init__(self):
        self.issued = 0

    def take(self):
        self.issued += 1
        return self.issued
