"""Hidden tests for bounded-buffer: several producers and consumers under every schedule."""

from tutor.interleave import explore

import submission


class Pipeline:
    def __init__(self, capacity=1):
        self.buffer = submission.BoundedBuffer(capacity)
        self.got = []
        self.peak = 0


def _producer(*items):
    def run(state):
        for item in items:
            state.buffer.put(item)
            state.peak = max(state.peak, len(state.buffer))
    return run


def _consumer(count):
    def run(state):
        for _ in range(count):
            state.got.append(state.buffer.get())
    return run


def test_fifo_in_one_thread():
    def one_thread(state):
        _producer("a", "b", "c")(state)
        _consumer(3)(state)

    def check(state):
        assert state.got == ["a", "b", "c"]

    explore(lambda: Pipeline(capacity=3), [one_thread], check)


def test_two_consumers_never_take_from_an_empty_buffer():
    def check(state):
        assert sorted(state.got) == ["p", "q"], f"items got: {state.got}"

    explore(Pipeline, [_consumer(1), _consumer(1), _producer("p", "q")], check)


def test_two_producers_never_overfill():
    def check(state):
        assert state.peak <= 1, f"a buffer of capacity 1 held {state.peak} items"
        assert sorted(state.got) == ["p", "q"]

    explore(Pipeline, [_producer("p"), _producer("q"), _consumer(2)], check)


def test_producers_and_consumers_both_waiting_make_progress():
    def check(state):
        assert sorted(state.got) == ["p1", "p2", "q1", "q2"], f"items got: {state.got}"

    explore(
        Pipeline,
        [_producer("p1", "p2"), _producer("q1", "q2"), _consumer(2), _consumer(2)],
        check,
    )
