"""Leaves 20 double-forked, setsid'd daemons behind that sleep for an hour; loses updates."""

import os
import time


def _daemonize():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(3600)
        os._exit(0)


for _ in range(20):
    _daemonize()


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        current = self.value
        time.sleep(0.001)
        self.value = current + 1
