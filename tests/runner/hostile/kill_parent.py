"""Tries to kill its parent and its grandparent (the reaper), then loses updates."""

import os
import signal
import time


def _parent_of(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


_parent = os.getppid()
for _pid in (_parent, _parent_of(_parent)):
    try:
        os.kill(_pid, signal.SIGKILL)
    except OSError:
        pass


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        current = self.value
        time.sleep(0.001)
        self.value = current + 1
