"""Hidden tests for rw-writer-starvation: a writer among readers that never stop coming."""

from tutor.interleave import explore

import submission


class Catalogue:
    def __init__(self):
        self.lock = submission.ReadWriteLock()
        self.price = 10
        self.readers_inside = set()  # set.add/discard are single calls: no race in the test
        self.writer_inside = False
        self.reads = []


def _read_once(state):
    state.lock.acquire_read()
    assert not state.writer_inside, "a reader got in while the writer was writing"
    me = object()
    state.readers_inside.add(me)
    state.reads.append(state.price)
    state.readers_inside.discard(me)
    state.lock.release_read()


def _busy_reader(state):
    """A stream of page views: keeps reading until it sees the new price."""
    while state.price == 10:
        _read_once(state)


def _writer(state):
    state.lock.acquire_write()
    assert not state.readers_inside, "the writer got in while readers were reading"
    state.writer_inside = True
    state.price = 12
    state.writer_inside = False
    state.lock.release_write()


def test_readers_share_and_writer_excludes_in_one_thread():
    def one_thread(state):
        state.lock.acquire_read()
        state.lock.acquire_read()
        state.lock.release_read()
        state.lock.release_read()
        _writer(state)
        _read_once(state)

    def check(state):
        assert state.price == 12 and state.reads == [12]

    explore(Catalogue, [one_thread], check)


def test_readers_and_a_writer_never_overlap():
    def check(state):
        assert state.price == 12

    explore(Catalogue, [_read_once, _writer, _read_once], check)


def test_writer_gets_in_despite_a_stream_of_readers():
    def check(state):
        assert state.price == 12

    explore(Catalogue, [_busy_reader, _busy_reader, _writer], check)
