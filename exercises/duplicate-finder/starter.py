"""Find duplicate files with a pool of hashing threads.

`finder.add(path, data)` is called by a pool of threads, one call per file.
It hashes the data (`hashlib` releases the GIL while it hashes, so the
threads really hash in parallel) and records the file: the first file with a
given digest goes into `first_seen`; every later one is a duplicate of it
and goes into `duplicates` as `(path, original_path)`. `hashed_bytes` counts
the bytes hashed, for the summary.

What is wrong: on big trees a few duplicates are never reported, a file is
sometimes listed as the original of a file it was never compared with, and
the byte count comes out short.

Fixed means: however the threads interleave, every file whose content was
seen before is reported once as a duplicate of the first file with that
content, and `hashed_bytes` is the total size. Keep the hashing itself
outside any lock: it must still run in parallel.
"""

import hashlib


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class DuplicateFinder:
    def __init__(self, digest=sha256):
        self._digest = digest
        self.first_seen = {}
        self.duplicates = []
        self.hashed_bytes = 0

    def add(self, path, data):
        """Hash one file's data and record it as an original or a duplicate."""
        digest = self._digest(data)
        if digest in self.first_seen:
            self.duplicates.append((path, self.first_seen[digest]))
        else:
            self.first_seen[digest] = path
        self.hashed_bytes += len(data)
