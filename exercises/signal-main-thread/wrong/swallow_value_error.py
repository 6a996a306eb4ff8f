# Wrong: catching the ValueError keeps the worker alive, but the handler is still not installed, so SIGTERM never reaches the daemon.
"""Idea: catch the ValueError."""

import signal
import threading


class SyncDaemon:
    def __init__(self, sync_once):
        self._sync_once = sync_once
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._work, name="sync-worker")
        self.stopped_cleanly = False

    def start(self):
        self._thread.start()

    def join(self, timeout=None):
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _on_sigterm(self, signum, frame):
        self._stopping.set()

    def _work(self):
        try:
            signal.signal(signal.SIGTERM, self._on_sigterm)
        except ValueError:
            pass
        while not self._stopping.is_set():
            self._sync_once()
            self._stopping.wait(0.01)
        self.stopped_cleanly = True
