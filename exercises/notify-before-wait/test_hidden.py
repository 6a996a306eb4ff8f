"""Hidden tests for notify-before-wait: put() and get() in every order."""

from tutor.interleave import explore

import submission


class Handoff:
    def __init__(self):
        self.slot = submission.ResultSlot()
        self.got = []


def _worker(value):
    def run(state):
        state.slot.put(value)
    return run


def _requester(state):
    state.got.append(state.slot.get())


def test_put_then_get_in_one_thread():
    def one_thread(state):
        state.slot.put({"rows": 3})
        state.got.append(state.slot.get())

    def check(state):
        assert state.got == [{"rows": 3}]

    # One thread, run by the explorer so that waiting forever is reported, not hung on.
    explore(Handoff, [one_thread], check)


def test_result_reaches_the_requester_in_any_order():
    def check(state):
        assert state.got == ["report"], f"requester got {state.got}"

    explore(Handoff, [_worker("report"), _requester], check)


def test_every_waiting_requester_gets_the_result():
    def check(state):
        assert state.got == ["report", "report"], f"requesters got {state.got}"

    explore(Handoff, [_requester, _worker("report"), _requester], check)


def test_none_is_a_result_too():
    def check(state):
        assert state.got == [None]

    explore(Handoff, [_worker(None), _requester], check)
