"""Pushes keystrokes into a terminal of the host through TIOCSTI."""

import fcntl
import os
import termios
import threading

try:
    _fd = os.open("@PTY@", os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    print("opened the terminal", flush=True)
    try:
        for _char in b"echo PWNED\n":
            fcntl.ioctl(_fd, termios.TIOCSTI, bytes([_char]))
        print("ESCAPE TIOCSTI", flush=True)
    except OSError as exc:
        print("contained ioctl", exc.errno, flush=True)
except OSError as exc:
    print("contained open", exc.errno, flush=True)


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1
