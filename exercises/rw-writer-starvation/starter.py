"""A readers-writer lock for a product catalogue.

The shop's catalogue is read by every page view and updated by a price-feed
thread a few times a minute. Reads can safely run at the same time, so the
catalogue uses a readers-writer lock: any number of readers, or one writer.
`acquire_read()`/`release_read()` bracket a read,
`acquire_write()`/`release_write()` an update.

What is wrong: at busy times, price updates stop going through. The feed
thread waits in `acquire_write()` for minutes: there is always at least one
page view reading, because new readers keep getting in while the writer
waits.

`writers_waiting` counts the writers waiting in `acquire_write()`; the
monitoring dashboard shows it, so keep it accurate.

Fixed means: readers still share the lock with each other and never overlap
a writer, and once a writer is waiting, new readers wait behind it, so the
writer gets in as soon as the readers already inside have left, however the
threads interleave.
"""

import threading


class ReadWriteLock:
    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self.writers_waiting = 0

    def acquire_read(self):
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1

    def release_read(self):
        with self._cond:
            self._readers -= 1
            if self._readers == 0:
                self._cond.notify_all()

    def acquire_write(self):
        with self._cond:
            self.writers_waiting += 1
            while self._writing or self._readers > 0:
                self._cond.wait()
            self.writers_waiting -= 1
            self._writing = True

    def release_write(self):
        with self._cond:
            self._writing = False
            self._cond.notify_all()
