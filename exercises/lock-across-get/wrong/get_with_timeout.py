# Wrong: a timeout on get() only hides the deadlock: the exporter gives up and an update is never shipped.
"""Idea: give get a timeout."""

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
        with self._lock:
            try:
                name, total = self._updates.get(timeout=0.5)
            except queue.Empty:
                return
            self.exported[name] = total
