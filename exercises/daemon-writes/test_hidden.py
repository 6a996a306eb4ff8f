"""Hidden tests for daemon-writes: what has reached the store when close() returns."""

from tutor.interleave import explore

import submission


class Program:
    def __init__(self):
        self.stored = []
        self.at_close = None
        self.writer_alive_after_close = None


def _main(*records):
    def run(program):
        audit = submission.AuditWriter(program.stored.append)
        for record in records:
            audit.write(record)
        audit.close()
        # The program exits right here: copy what the store holds at this moment.
        program.at_close = list(program.stored)
        program.writer_alive_after_close = audit._thread.is_alive()
    return run


def test_records_reach_the_store_in_order():
    def check(program):
        assert program.at_close == ["login ann", "delete 7", "logout ann"], (
            f"when close() returned the store held {program.at_close}"
        )

    explore(Program, [_main("login ann", "delete 7", "logout ann")], check)


def test_close_ends_the_writer_thread():
    def check(program):
        assert program.writer_alive_after_close is False, "the writer thread outlived close()"

    explore(Program, [_main("login ann")], check)


def test_close_with_nothing_written():
    def check(program):
        assert program.at_close == []

    explore(Program, [_main()], check)
