"""Fills /dev/shm and creates System V shared memory, semaphores and a message queue."""

import ctypes
import os
import threading

_KEY = int("@IPC_KEY@")
try:
    with open("/dev/shm/@TOKEN@", "wb") as _f:
        for _ in range(300):
            _f.write(b"x" * (1 << 20))
    print("wrote 300 MiB to /dev/shm", flush=True)
except OSError as exc:
    try:
        _size = os.path.getsize("/dev/shm/@TOKEN@") >> 20
    except OSError:
        _size = 0
    print("/dev/shm stopped at", _size, "MiB", exc.errno, flush=True)
_libc = ctypes.CDLL(None, use_errno=True)
print("shmget", _libc.shmget(_KEY, 1 << 20, 0o1666), flush=True)
print("semget", _libc.semget(_KEY, 1, 0o1666), flush=True)
print("msgget", _libc.msgget(_KEY, 0o1666), flush=True)


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1
