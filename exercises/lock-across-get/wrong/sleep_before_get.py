# Wrong: sleeping before taking the lock hopes a publisher gets in first; nothing guarantees it.
"""Idea: sleep before taking the lock in the exporter."""

import queue
import threading
import time


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
        time.sleep(0.1)
        with self._lock:
            name, total = self._updates.get()
            self.exported[name] = total
