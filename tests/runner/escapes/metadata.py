"""Changes the metadata of files it cannot write: mode, owner, times, extended attributes."""

import os
import threading

for _path in ("@CANARY@", "test_hidden.py", os.path.realpath(__file__)):
    for _name, _change in (
        ("chmod", lambda p: os.chmod(p, 0o000)),
        ("chown", lambda p: os.chown(p, os.getuid(), os.getgid())),
        ("utime", lambda p: os.utime(p, (0, 0))),
        ("setxattr", lambda p: os.setxattr(p, "user.tutor", b"x")),
    ):
        try:
            _change(_path)
            print("ESCAPE", _name, _path, flush=True)
        except OSError as exc:
            print("contained", _name, _path, exc.errno, flush=True)


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1
