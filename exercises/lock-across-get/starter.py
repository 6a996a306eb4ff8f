"""A metrics pipeline: request threads publish counters, an exporter ships
them.

Request threads call `publish(name, amount)`, which adds to a running total
and queues the new total for the exporter. The exporter thread loops on
`export_one()`, which waits for the next queued update and records it in
`exported` (what the monitoring system has seen). Both use the pipeline's
lock so that `totals` and `exported` are never read half-updated.

What is wrong: when the exporter starts before the first request, the
service freezes: no request gets through `publish()` and the exporter never
exports anything.

Fixed means: however the threads interleave, `publish()` never blocks for
long, the exporter ships every update, and once all updates are exported,
`exported` equals `totals`.
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
        with self._lock:
            name, total = self._updates.get()
            self.exported[name] = total
