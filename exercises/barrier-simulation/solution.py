"""A cellular-automaton simulation split across worker threads
(reference fix).

A step is only complete when every worker has written its slice; only then
may the grids be swapped, exactly once, and only after the swap may anyone
start the next step. A Barrier with an action does all three: once all have
arrived, one of them runs the swap, and only then are they released.
"""

import threading


class Simulation:
    def __init__(self, cells, workers):
        if len(cells) % workers:
            raise ValueError("the number of workers must divide the number of cells")
        self.current = list(cells)
        self.next = [0] * len(cells)
        self.workers = workers
        self._barrier = threading.Barrier(workers, action=self._swap)

    def _swap(self):
        self.current, self.next = self.next, self.current

    def run_worker(self, index, steps):
        """Compute this worker's slice of the ring for `steps` steps."""
        size = len(self.current) // self.workers
        for _ in range(steps):
            count = len(self.current)
            for i in range(index * size, (index + 1) * size):
                self.next[i] = self.current[i - 1] ^ self.current[(i + 1) % count]
            self._barrier.wait()

    def run(self, steps):
        """Run the simulation with one thread per worker; return the final world."""
        threads = [
            threading.Thread(target=self.run_worker, args=(index, steps))
            for index in range(self.workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return list(self.current)
