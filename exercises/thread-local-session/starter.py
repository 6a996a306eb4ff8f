"""Per-request database sessions in a threaded web server.

Each request runs in its own thread and does `sessions.begin()`, then
`sessions.add(row)` a few times, then `sessions.commit()`, which writes the
rows to the database as one transaction. Library code deep inside a request
calls `sessions.add()` without being handed a session, so `SessionManager`
must find the current request's session by itself.

What is wrong: under load, rows of one customer's order show up in another
customer's order, and some requests crash with "no open session".

Fixed means: however requests interleave, each commit contains exactly the
rows its own thread added; two requests can have sessions open at the same
time (one may wait for the other in the middle of its transaction); `add()`
or `commit()` without `begin()` raises RuntimeError.
"""

import threading  # noqa: F401  (you will probably need it)


class Database:
    def __init__(self):
        self.transactions = []

    def write(self, rows):
        self.transactions.append(list(rows))


class SessionManager:
    def __init__(self, database):
        self._database = database
        self._rows = None

    def begin(self):
        self._rows = []

    def add(self, row):
        if self._rows is None:
            raise RuntimeError("no open session")
        self._rows.append(row)

    def commit(self):
        if self._rows is None:
            raise RuntimeError("no open session")
        self._database.write(self._rows)
        self._rows = None
