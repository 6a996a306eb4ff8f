"""Ticket numbers for a help desk (reference fix).

`self.issued += 1` is a read, an add and a store: two threads can read the
same value and store the same number. `return self.issued` reads the shared
counter again, after another thread may have changed it. A lock around the
increment, returning the number this call stored, makes each take() one
step; the switch interval only changes how often the bad interleaving
happens, never whether it can.
"""

import threading


class TicketDispenser:
    def __init__(self):
        self.issued = 0
        self._lock = threading.Lock()

    def take(self):
        """Hand out the next ticket number."""
        with self._lock:
            self.issued += 1
            return self.issued
