# Wrong: sys.exit() in the handler raises SystemExit in the main thread; the worker is never told to stop and the process dies mid-sync.
"""Idea: call sys.exit in the handler."""

import signal
import sys
import threading


class SyncDaemon:
    def __init__(self, sync_once):
        self._sync_once = sync_once
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._work, name="sync-worker", daemon=True)
        self.stopped_cleanly = False

    def start(self):
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        self._thread.start()

    def join(self, timeout=None):
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _work(self):
        while not self._stopping.is_set():
            self._sync_once()
            self._stopping.wait(0.01)
        self.stopped_cleanly = True
