# Wrong: creating the threading.local() in begin() replaces the shared object each time, so another thread's open session vanishes.
"""Idea: create the threading.local in begin."""

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
        self._local = threading.local()
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
