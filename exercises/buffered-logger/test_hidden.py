"""Hidden tests for buffered-logger: logging and flushing threads under every schedule."""

from tutor.interleave import explore

import submission


class Store:
    """A fresh logger writing into a list of batches."""

    def __init__(self, capacity=2):
        self.batches = []
        self.log = submission.BufferedLog(self.batches.append, capacity=capacity)

    def written(self):
        return [line for batch in self.batches for line in batch]


def test_batches_and_flushes_in_one_thread():
    def one_thread(store):
        for line in ["a", "b", "c", "d"]:
            store.log.log(line)
        assert store.batches == [["a", "b", "c"]]
        store.log.flush()
        store.log.flush()

    def check(store):
        assert store.batches == [["a", "b", "c"], ["d"]]

    # Run by the explorer even with one thread, so a self-deadlock is reported at once.
    explore(lambda: Store(capacity=3), [one_thread], check)


def _logger(*lines):
    def run(store):
        for line in lines:
            store.log.log(line)
    return run


def _housekeeper(store):
    store.log.flush()


def _check_every_line_once_in_order(store):
    store.log.flush()
    written = store.written()
    expected = ["a1", "a2", "a3", "b1", "b2"]
    assert sorted(written) == expected, f"expected each line once, the store holds {written}"
    for prefix in "ab":
        mine = [line for line in written if line.startswith(prefix)]
        assert mine == sorted(mine), f"lines of one thread out of order: {written}"


def test_two_loggers_lose_and_repeat_nothing():
    # Every schedule of a correct logger is explored in well under a second; the extra budget
    # only matters for a broken one whose failing schedule is rare (batches written out of order).
    explore(
        Store,
        [_logger("a1", "a2", "a3"), _logger("b1", "b2")],
        _check_every_line_once_in_order,
        budget_s=3.0,
    )


def test_logging_while_housekeeping_flushes():
    explore(
        Store,
        [_logger("a1", "a2", "a3"), _logger("b1", "b2"), _housekeeper],
        _check_every_line_once_in_order,
    )
