# Wrong: re-taking the lock on each turn lets the loader in, but it is still a busy-wait that burns CPU.
"""Idea: release the lock on each turn of the loop."""

import threading


class ConfigGate:
    def __init__(self):
        self._lock = threading.Lock()
        self._config = None

    def publish(self, config):
        with self._lock:
            self._config = config

    def wait_for_config(self):
        while True:
            with self._lock:
                if self._config is not None:
                    return self._config
