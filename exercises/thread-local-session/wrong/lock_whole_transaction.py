# Wrong: holding a lock from begin() to commit() serialises every request; one that waits mid-transaction blocks all others (a deadlock here).
"""Idea: hold a lock from begin to commit."""

import threading


class Database:
    def __init__(self):
        self.transactions = []

    def write(self, rows):
        self.transactions.append(list(rows))


class SessionManager:
    def __init__(self, database):
        self._database = database
        self._rows = None
        self._lock = threading.Lock()

    def begin(self):
        self._lock.acquire()
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
        self._lock.release()
