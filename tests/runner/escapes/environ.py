"""Reads the environment of every process it can see, and of the tutor's (pid given)."""

import os
import threading

_pids = {int(p) for p in "@PIDS@".split(",")}
_pids |= {int(p) for p in os.listdir("/proc") if p.isdigit()}
for _pid in sorted(_pids):
    try:
        with open(f"/proc/{_pid}/environ", "rb") as _f:
            _data = _f.read()
        if b"@SECRET@" in _data:
            print("ESCAPE environ of", _pid, flush=True)
    except OSError as exc:
        print("contained", _pid, exc.errno, flush=True)
print("looked at", len(_pids), "processes", flush=True)


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1
