"""Leaves a process whose main thread exited (state Z) while another thread runs on."""

import ctypes
import os
import threading
import time

if os.fork() == 0:
    threading.Thread(target=time.sleep, args=(120,)).start()
    ctypes.CDLL(None).syscall(60, 0)  # SYS_exit: ends only the calling (main) thread
    os._exit(0)
time.sleep(0.3)


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1
