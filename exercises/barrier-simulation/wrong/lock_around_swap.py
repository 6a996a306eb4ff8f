# Wrong: a lock makes each swap atomic, but workers still swap independently and mix two steps.
"""Idea: put a lock around the swap."""

import threading


class Simulation:
    def __init__(self, cells, workers):
        if len(cells) % workers:
            raise ValueError("the number of workers must divide the number of cells")
        self.current = list(cells)
        self.next = [0] * len(cells)
        self.workers = workers
        self._lock = threading.Lock()

    def run_worker(self, index, steps):
        size = len(self.current) // self.workers
        for _ in range(steps):
            count = len(self.current)
            for i in range(index * size, (index + 1) * size):
                self.next[i] = self.current[i - 1] ^ self.current[(i + 1) % count]
            with self._lock:
                self.current, self.next = self.next, self.current

    def run(self, steps):
        threads = [
            threading.Thread(target=self.run_worker, args=(index, steps))
            for index in range(self.workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return list(self.current)
