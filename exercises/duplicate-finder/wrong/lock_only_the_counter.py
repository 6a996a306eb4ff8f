# Wrong: the byte counter is locked, but the lookup and the store in first_seen are still apart, so both copies can be taken for originals.
"""Idea: lock only the hashed_bytes counter."""

import hashlib
import threading


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class DuplicateFinder:
    def __init__(self, digest=sha256):
        self._digest = digest
        self.first_seen = {}
        self.duplicates = []
        self.hashed_bytes = 0
        self._lock = threading.Lock()

    def add(self, path, data):
        digest = self._digest(data)
        if digest in self.first_seen:
            self.duplicates.append((path, self.first_seen[digest]))
        else:
            self.first_seen[digest] = path
        with self._lock:
            self.hashed_bytes += len(data)
