"""A buffered audit logger shared by all request threads.

Writing to the audit store is slow, so `BufferedLog` collects lines and
writes them in batches: `log(line)` appends to a buffer and flushes once
`capacity` lines are waiting; a housekeeping thread also calls `flush()` now
and then. `sink(lines)` writes a batch to the store.

What is wrong: auditors found lines missing from the store, and other lines
stored twice.

Fixed means: however threads interleave, after the final `flush()` every
logged line has been written exactly once, and the lines of any one thread
are written in the order it logged them.
"""

import threading  # noqa: F401  (you will probably need it)


class BufferedLog:
    def __init__(self, sink, capacity=3):
        self._sink = sink
        self._capacity = capacity
        self._buffer = []

    def log(self, line):
        """Queue one line; write the batch once `capacity` lines are waiting."""
        self._buffer.append(line)
        if len(self._buffer) >= self._capacity:
            self.flush()

    def flush(self):
        """Write every waiting line."""
        lines = self._buffer
        self._buffer = []
        if lines:
            self._sink(lines)
