"""A metrics pipeline: request threads publish counters, an exporter ships
them (reference fix).

export_one() waited on the queue while holding the lock, and publish() needs
that lock to put anything on the queue: a deadlock whenever the exporter is
first. The exporter now waits with no lock held and takes the lock only to
store what it got. publish() keeps its put() under the lock so updates reach
the queue in the order the totals were computed.
"""

import queue
import threading


class MetricsPipeline:
    def __init__(self):
        self._lock = threading.Lock()
        self._updates = queue.Queue()
        self.totals = {}
        self.exported = {}

    def publish(self, name, amount):
        """Add `amount` to counter `name` and queue the new total for export."""
        with self._lock:
            total = self.totals.get(name, 0) + amount
            self.totals[name] = total
            self._updates.put((name, total))

    def export_one(self):
        """Wait for the next queued update and ship it."""
        name, total = self._updates.get()
        with self._lock:
            self.exported[name] = total
