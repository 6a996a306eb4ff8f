# Wrong: installing the handler works from the main thread, but start() then syncs in the main thread itself and never returns.
"""Idea: install the handler and sync in the main thread."""

import signal
import threading


class SyncDaemon:
    def __init__(self, sync_once):
        self._sync_once = sync_once
        self._stopping = threading.Event()
        self.stopped_cleanly = False

    def start(self):
        signal.signal(signal.SIGTERM, self._on_sigterm)
        self._work()

    def join(self, timeout=None):
        return self.stopped_cleanly

    def _on_sigterm(self, signum, frame):
        self._stopping.set()

    def _work(self):
        while not self._stopping.is_set():
            self._sync_once()
            self._stopping.wait(0.01)
        self.stopped_cleanly = True
