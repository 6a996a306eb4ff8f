"""Ticket numbers for a help desk.

Every support request that arrives, on any of the web server's threads,
calls `dispenser.take()` and gets a ticket number. Numbers start at 1 and
must be unique: the desk looks tickets up by number.

What is wrong: twice this week two customers got the same ticket number, and
one number was skipped. A colleague ran four threads taking a million
tickets on their laptop (CPython 3.12) and never saw it happen, so they
propose to raise the switch interval "to be safe".

Fixed means: however the threads interleave, on any Python, every call of
`take()` returns a different number, the numbers handed out are 1, 2, 3, ...
with none skipped, and `issued` is the count of tickets taken.
"""


class TicketDispenser:
    def __init__(self):
        self.issued = 0

    def take(self):
        """Hand out the next ticket number."""
        self.issued += 1
        return self.issued
