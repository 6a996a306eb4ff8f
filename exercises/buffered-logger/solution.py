"""A buffered audit logger shared by all request threads (reference fix).

Appending and swapping out the buffer touch the same list. Without a lock a
line can be appended to a batch that was already written (lost), or two
flushes can take the same batch (written twice). One lock covers the append,
the swap and the write, so batches also reach the store in the order they
were formed. log() flushes through a helper that expects the lock to be held
already, because a plain Lock is not reentrant.
"""

import threading


class BufferedLog:
    def __init__(self, sink, capacity=3):
        self._sink = sink
        self._capacity = capacity
        self._buffer = []
        self._lock = threading.Lock()

    def log(self, line):
        """Queue one line; write the batch once `capacity` lines are waiting."""
        with self._lock:
            self._buffer.append(line)
            if len(self._buffer) >= self._capacity:
                self._flush_locked()

    def flush(self):
        """Write every waiting line."""
        with self._lock:
            self._flush_locked()

    def _flush_locked(self):
        lines = self._buffer
        self._buffer = []
        if lines:
            self._sink(lines)
