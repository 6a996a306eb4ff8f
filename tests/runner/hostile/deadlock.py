"""Two locks taken in opposite orders by two threads: a guaranteed deadlock."""

import threading

_a = threading.Lock()
_b = threading.Lock()
_both_hold_one = threading.Barrier(2)


def _first():
    with _a:
        _both_hold_one.wait()
        with _b:
            pass


def _second():
    with _b:
        _both_hold_one.wait()
        with _a:
            pass


class Counter:
    def __init__(self):
        self.value = 0
        workers = [threading.Thread(target=_first), threading.Thread(target=_second)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    def increment(self):
        self.value += 1
