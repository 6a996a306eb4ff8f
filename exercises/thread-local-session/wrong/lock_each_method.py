# Wrong: locking each method makes each call atomic, but requests still share one session between the calls.
"""Idea: lock each method."""

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
        with self._lock:
            self._rows = []

    def add(self, row):
        with self._lock:
            if self._rows is None:
                raise RuntimeError("no open session")
            self._rows.append(row)

    def commit(self):
        with self._lock:
            if self._rows is None:
                raise RuntimeError("no open session")
            self._database.write(self._rows)
            self._rows = None
