"""Hidden tests for rw-writer-starvation: readers arriving while a writer waits."""

from tutor.interleave import explore

import submission


class Catalogue:
    def __init__(self):
        self.lock = submission.ReadWriteLock()
        self.price = 10
        self.readers_inside = set()  # set.add/discard are single calls: no race in the test
        self.writer_inside = False
        self.seen = []


def _read_once(state):
    writers_waiting = state.lock.writers_waiting
    state.lock.acquire_read()
    assert not state.writer_inside, "a reader got in while the writer was writing"
    me = object()
    state.readers_inside.add(me)
    state.seen.append((writers_waiting, state.price))
    state.readers_inside.discard(me)
    state.lock.release_read()


def _writer(state):
    state.lock.acquire_write()
    assert not state.readers_inside, "the writer got in while readers were reading"
    state.writer_inside = True
    state.price = 12
    state.writer_inside = False
    state.lock.release_write()


def _long_report_already_reading():
    """A catalogue with one reader (a long report) inside; a thread of the test ends it."""
    state = Catalogue()
    state.lock.acquire_read()
    return state


def _report_ends(state):
    state.lock.release_read()


def test_readers_share_and_writer_excludes_in_one_thread():
    def one_thread(state):
        state.lock.acquire_read()
        state.lock.acquire_read()
        state.lock.release_read()
        state.lock.release_read()
        _writer(state)
        _read_once(state)

    def check(state):
        assert state.seen == [(0, 12)]
        assert state.lock.writers_waiting == 0

    explore(Catalogue, [one_thread], check)


def test_readers_and_a_writer_never_overlap():
    def check(state):
        assert state.price == 12
        assert state.lock.writers_waiting == 0

    explore(Catalogue, [_read_once, _writer, _read_once], check)


def test_a_reader_arriving_while_the_writer_waits_queues_behind_it():
    def check(state):
        assert state.price == 12
        for writers_waiting, price in state.seen:
            assert writers_waiting == 0 or price == 12, (
                "a reader arrived while a writer was waiting, and got in before it: with a "
                "steady stream of readers the writer never gets its turn"
            )

    explore(_long_report_already_reading, [_writer, _read_once, _report_ends, _read_once], check)
