"""A file-sync daemon that must stop cleanly on SIGTERM.

`SyncDaemon(sync_once)` runs `sync_once()` over and over in a worker thread,
started by `start()` from the program's main thread. When the service
manager sends SIGTERM, the daemon must finish the current sync, stop the
worker, and set `stopped_cleanly`; `join()` waits for the worker to end.

What is wrong: SIGTERM is not handled: the worker thread dies at start-up
with a ValueError that nobody notices, so syncs never happen, and SIGTERM
kills the process mid-sync.

Fixed means: after `start()` the worker syncs until SIGTERM arrives; SIGTERM
makes the worker finish its current sync and end with `stopped_cleanly` set;
the process itself keeps running.
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
        self._thread.start()

    def join(self, timeout=None):
        """Wait for the worker to end."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _on_sigterm(self, signum, frame):
        self._stopping.set()

    def _work(self):
        signal.signal(signal.SIGTERM, self._on_sigterm)
        while not self._stopping.is_set():
            self._sync_once()
            self._stopping.wait(0.01)
        self.stopped_cleanly = True
