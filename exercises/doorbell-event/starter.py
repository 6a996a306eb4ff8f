"""A doorbell that wakes the mail worker when letters arrive.

Front-desk threads call `desk.post(letter)`; a single mail worker loops on
`desk.next_letter()`, which must block until a letter is there and then
return the oldest one. The desk "rings a bell", a `threading.Event`, on
every post, and the worker waits for the bell.

What is wrong: after busy minutes the worker sleeps with letters in the
inbox, and only the next post wakes it; on bad days it never wakes again.

Fixed means: however the threads interleave, every posted letter is returned
by `next_letter()` exactly once, oldest first, and a worker waiting for a
letter is woken as soon as one is posted: it sleeps until then instead of
waking up on a timer to look.
"""

import threading


class Desk:
    def __init__(self):
        self.inbox = []
        self.ring = threading.Event()

    def post(self, letter):
        """Put a letter in the inbox and ring the bell."""
        self.inbox.append(letter)
        self.ring.set()

    def next_letter(self):
        """Wait for a letter; return the oldest one."""
        self.ring.wait()
        self.ring.clear()
        return self.inbox.pop(0)
