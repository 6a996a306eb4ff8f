"""Hidden tests for queue-join-deadlock: batches with failing items, under every schedule."""

from tutor.interleave import explore

import submission


class Batch:
    def __init__(self):
        self.outcome = None


def _handle(item):
    if item % 2 == 0:
        raise ValueError(f"cannot handle {item}")
    return item * 10


def _run(items, workers):
    def main(batch):
        results, failures = submission.process_all(items, _handle, workers)
        # Copy on return: the check runs after every thread has ended.
        batch.outcome = (dict(results), {item: type(exc) for item, exc in failures.items()})
    return main


def test_a_batch_that_all_succeeds_in_one_worker():
    def check(batch):
        assert batch.outcome == ({1: 10, 3: 30}, {})

    explore(Batch, [_run([1, 3], 1)], check)


def test_a_failing_item_does_not_block_the_batch():
    def check(batch):
        assert batch.outcome == ({1: 10, 3: 30}, {2: ValueError}), f"got {batch.outcome}"

    explore(Batch, [_run([2, 1, 3], 1)], check)


def test_two_workers_with_failures_return_everything():
    def check(batch):
        assert batch.outcome == ({1: 10, 3: 30}, {2: ValueError, 4: ValueError}), (
            f"got {batch.outcome}"
        )

    explore(Batch, [_run([1, 2, 3, 4], 2)], check)
