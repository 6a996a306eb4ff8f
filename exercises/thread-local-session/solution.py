"""Per-request database sessions in a threaded web server (reference fix).

One `_rows` attribute was shared by every request thread, so requests
overwrote each other's session. threading.local() gives each thread its own
attribute namespace: the same code reads `self._local.rows` and gets the
current thread's session. Locks would not help, because the problem is what
happens between begin(), add() and commit(), not inside one of them.
"""

import threading


class Database:
    def __init__(self):
        self.transactions = []

    def write(self, rows):
        self.transactions.append(list(rows))


class SessionManager:
    def __init__(self, database):
        self._database = database
        self._local = threading.local()

    def begin(self):
        self._local.rows = []

    def add(self, row):
        rows = getattr(self._local, "rows", None)
        if rows is None:
            raise RuntimeError("no open session")
        rows.append(row)

    def commit(self):
        rows = getattr(self._local, "rows", None)
        if rows is None:
            raise RuntimeError("no open session")
        self._database.write(rows)
        self._local.rows = None
