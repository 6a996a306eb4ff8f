"""A cellular-automaton simulation split across worker threads.

The world is a ring of cells, each 0 or 1. In every step each cell becomes
the XOR of its two neighbours in the previous step (rule 90). The ring is
split into equal slices, one per worker thread; each worker computes the new
values of its slice into `self.next`, then the grids are swapped so that
`self.current` holds the new step.

What is wrong: with one worker the results are right; with several, they
differ from run to run, and are usually wrong: some cells are computed from
a mix of two different steps.

Fixed means: `run(steps)` (and the workers it starts, `run_worker(index,
steps)`) gives exactly the same world as computing the steps one after
another, for any number of workers that divides the ring, however the
threads interleave.
"""

import threading


class Simulation:
    def __init__(self, cells, workers):
        if len(cells) % workers:
            raise ValueError("the number of workers must divide the number of cells")
        self.current = list(cells)
        self.next = [0] * len(cells)
        self.workers = workers

    def run_worker(self, index, steps):
        """Compute this worker's slice of the ring for `steps` steps."""
        size = len(self.current) // self.workers
        for _ in range(steps):
            count = len(self.current)
            for i in range(index * size, (index + 1) * size):
                self.next[i] = self.current[i - 1] ^ self.current[(i + 1) % count]
            self.current, self.next = self.next, self.current

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
