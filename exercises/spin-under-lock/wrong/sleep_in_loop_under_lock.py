# Wrong: sleeping inside the loop still holds the lock, so the loader can never publish.
"""Idea: sleep inside the loop under the lock."""

import threading
import time


class ConfigGate:
    def __init__(self):
        self._lock = threading.Lock()
        self._config = None

    def publish(self, config):
        with self._lock:
            self._config = config

    def wait_for_config(self):
        with self._lock:
            while self._config is None:
                time.sleep(0.01)
            return self._config
