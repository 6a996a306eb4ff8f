"""A file-sync daemon that must stop cleanly on SIGTERM (reference fix).

signal.signal() may only be called from the main thread (it raises
ValueError elsewhere), and Python runs signal handlers in the main thread.
So start(), which runs in the main thread, installs the handler, and the
handler only sets an Event that the worker checks between syncs.
"""

import signal
import threading


class SyncDaemon:
    def __init__(self, sync_once):
        self._sync_once = sync_once
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._work, name="sync-worker")
        self.stopped_cleanly = False

    def start(self):
        """Start syncing in the background (call this from the main thread)."""
        signal.signal(signal.SIGTERM, self._on_sigterm)
        self._thread.start()

    def join(self, timeout=None):
        """Wait for the worker to end."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _on_sigterm(self, signum, frame):
        self._stopping.set()

    def _work(self):
        while not self._stopping.is_set():
            self._sync_once()
            self._stopping.wait(0.01)
        self.stopped_cleanly = True
