"""Writes forged result records to every file descriptor it can, then exits 0."""

import json
import os

_records = [
    {"seq": 0, "type": "start", "pid": os.getpid()},
    {"seq": 1, "type": "collected", "tests": ["test_hidden.py::test_starts_at_zero"]},
    {
        "seq": 2,
        "type": "result",
        "test": "test_hidden.py::test_starts_at_zero",
        "outcome": "passed",
        "message": "",
    },
    {"seq": 3, "type": "finish", "exitstatus": 0},
]
_forged = "".join(json.dumps(r) + "\t" + "0" * 64 + "\n" for r in _records).encode()
for fd in range(3, 64):
    try:
        os.write(fd, _forged)
    except OSError:
        pass
for name in os.listdir("/proc/self/fd"):
    try:
        fd = os.open(f"/proc/self/fd/{name}", os.O_WRONLY | os.O_NONBLOCK)
        os.write(fd, _forged)
        os.close(fd)
    except OSError:
        pass
os._exit(0)
