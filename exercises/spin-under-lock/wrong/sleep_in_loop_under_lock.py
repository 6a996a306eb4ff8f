# Wrong: sleeping inside the loop still holds the lock, so the loader can never publish.
"""A start-up gate: request threads wait until the configuration has been loaded."""

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
