"""Hidden tests for barrier-simulation: workers of one step under every schedule."""

from tutor.interleave import explore

import submission

WORLD = [0, 1, 1, 0, 1, 0, 0, 0]


def _expected(cells, steps):
    for _ in range(steps):
        cells = [cells[i - 1] ^ cells[(i + 1) % len(cells)] for i in range(len(cells))]
    return cells


def test_one_worker_matches_the_rule():
    sim = submission.Simulation(WORLD, workers=1)
    sim.run_worker(0, 3)
    assert sim.current == _expected(WORLD, 3)


def test_two_workers_compute_each_step_from_the_previous_one():
    world = WORLD[:4]

    def worker(index):
        def run(sim):
            sim.run_worker(index, 2)
        return run

    def check(sim):
        assert sim.current == _expected(world, 2), f"got {sim.current}"

    explore(lambda: submission.Simulation(world, workers=2), [worker(0), worker(1)], check)


def test_run_starts_and_joins_its_workers():
    result = []

    def main(sim):
        result.append(sim.run(3))

    def check(sim):
        assert result[-1] == _expected(WORLD, 3), f"got {result[-1]}"

    explore(lambda: submission.Simulation(WORLD, workers=4), [main], check)
