"""A start-up gate: request threads wait until the configuration has been
loaded (reference fix).

The waiter spun while holding the lock that publish() needs: the loader
could never get in, and the waiter could never stop. Nobody could make
progress: a deadlock whose holder burns 100% CPU. A Condition lets the
waiter release the lock and sleep in wait_for(); publish() changes the state
under the lock and wakes every waiter with notify_all().
"""

import threading


class ConfigGate:
    def __init__(self):
        self._cond = threading.Condition()
        self._config = None

    def publish(self, config):
        """Make the configuration available to every waiting request."""
        with self._cond:
            self._config = config
            self._cond.notify_all()

    def wait_for_config(self):
        """Block until the configuration is published; return it."""
        with self._cond:
            self._cond.wait_for(lambda: self._config is not None)
            return self._config
