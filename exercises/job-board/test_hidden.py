"""Hidden tests for job-board: a status page reading while agents move jobs."""

from tutor.interleave import explore

import submission


class Farm:
    def __init__(self):
        self.board = submission.JobBoard(["build-1", "build-2"])
        self.seen = []
        self.counts = []


def _agent(farm):
    farm.board.start("build-1")
    farm.board.finish("build-1")


def _status_page(farm):
    farm.seen.append(farm.board.status("build-1"))
    farm.counts.append(farm.board.count())


def _second_agent(farm):
    farm.board.start("build-2")


def test_moves_in_one_thread():
    board = submission.JobBoard(["a", "b"])
    assert [board.status("a"), board.status("x"), board.count()] == ["queued", "unknown", 2]
    board.start("a")
    assert board.status("a") == "running" and board.count() == 2
    board.finish("a")
    assert board.status("a") == "done" and board.count() == 2


def test_the_status_page_never_loses_a_job():
    def check(farm):
        assert farm.seen[0] != "unknown", (
            "the status page saw build-1 as 'unknown' while it was being moved"
        )
        assert farm.counts == [2], f"the board counted {farm.counts[0]} jobs instead of 2"

    explore(Farm, [_agent, _status_page], check)


def test_two_agents_and_a_status_page():
    def check(farm):
        assert farm.counts == [2], f"the board counted {farm.counts[0]} jobs instead of 2"
        assert farm.board.status("build-2") == "running"

    explore(Farm, [_second_agent, _status_page, _agent], check)
