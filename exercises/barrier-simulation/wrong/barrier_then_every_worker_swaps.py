# Wrong: the barrier lines the workers up, but then each of them swaps, so the grids are swapped several times per step.
"""Idea: make the workers meet at a barrier, then let each of them swap the grids."""

import threading


class Simulation:
    def __init__(self, cells, workers):
        if len(cells) % workers:
            raise ValueError("the number of workers must divide the number of cells")
        self.current = list(cells)
        self.next = [0] * len(cells)
        self.workers = workers
        self._barrier = threading.Barrier(workers)

    def run_worker(self, index, steps):
        size = len(self.current) // self.workers
        for _ in range(steps):
            count = len(self.current)
            for i in range(index * size, (index + 1) * size):
                self.next[i] = self.current[i - 1] ^ self.current[(i + 1) % count]
            self._barrier.wait()
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
