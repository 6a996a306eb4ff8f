"""Find duplicate files with a pool of hashing threads (reference fix).

Hashing needs no lock: each thread hashes its own data, and hashlib releases
the GIL, so it runs in parallel. The bookkeeping is shared: "is this digest
new?" then "store it" is check-then-act, and `+=` is read-modify-write. One
lock around the bookkeeping, taken after the hash, keeps it whole without
serialising the hashing.
"""

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
        """Hash one file's data and record it as an original or a duplicate."""
        digest = self._digest(data)
        with self._lock:
            if digest in self.first_seen:
                self.duplicates.append((path, self.first_seen[digest]))
            else:
                self.first_seen[digest] = path
            self.hashed_bytes += len(data)
