# Wrong: polling with a short sleep outside the lock still wakes up again and again to re-check; nothing wakes it when the config arrives.
"""Idea: poll with a short sleep outside the lock."""

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
        while True:
            with self._lock:
                if self._config is not None:
                    return self._config
            time.sleep(0.001)
