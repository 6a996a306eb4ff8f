# Wrong: moving publish()'s put() out of the lock as well lets two updates reach the queue in the wrong order, so a stale total is exported last.
"""Idea: move put out of the lock in publish."""

import queue
import threading


class MetricsPipeline:
    def __init__(self):
        self._lock = threading.Lock()
        self._updates = queue.Queue()
        self.totals = {}
        self.exported = {}

    def publish(self, name, amount):
        with self._lock:
            total = self.totals.get(name, 0) + amount
            self.totals[name] = total
        self._updates.put((name, total))

    def export_one(self):
        name, total = self._updates.get()
        with self._lock:
            self.exported[name] = total
