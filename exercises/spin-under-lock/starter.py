"""A start-up gate: request threads wait until the configuration has been
loaded.

When the service starts, a loader thread fetches the configuration and calls
`gate.publish(config)`. Request threads that arrive earlier call
`gate.wait_for_config()`, which must block until the configuration is there
and then return it. The lock keeps a request from seeing a half-published
configuration.

What is wrong: if a request arrives before the configuration, the service
hangs at 100% CPU and the loader never manages to publish.

Fixed means: however the threads interleave, `wait_for_config()` returns the
published configuration, whether it is called before or after `publish()`,
and a waiting thread sleeps instead of spinning: it must not burn CPU
re-checking the configuration over and over.
"""

import threading


class ConfigGate:
    def __init__(self):
        self._lock = threading.Lock()
        self._config = None

    def publish(self, config):
        """Make the configuration available to every waiting request."""
        with self._lock:
            self._config = config

    def wait_for_config(self):
        """Block until the configuration is published; return it."""
        with self._lock:
            while self._config is None:
                pass
            return self._config
