"""Hidden tests for spin-under-lock: requests arriving before and after the configuration."""

import sys

from tutor.interleave import explore

import submission

# A thread that sleeps until woken makes a handful of calls (the reference: 3); a busy-wait
# makes some on every turn of its loop (over a hundred, in the explorer's first schedule). A
# call to time.sleep() while waiting means polling: re-checking on a timer, not being woken.
MAX_CALLS_WHILE_WAITING = 40
# A correct gate's schedules are all explored well within a second. A spinning waiter is
# only recognised (the explorer reports it as starvation: nobody progresses while it spins)
# after thousands of steps, so give the explorer room for that on a slow machine.
STARVATION_BUDGET_S = 5.0


class Startup:
    def __init__(self):
        self.gate = submission.ConfigGate()
        self.got = []
        self.calls = []
        self.sleeps = []


def _count_calls_from_submission(fn):
    """Run ``fn()``; count the calls that code in submission.py makes meanwhile, and sleeps."""
    calls = [0, 0]

    def profile(frame, event, arg):
        if event == "c_call":
            caller, name = frame, getattr(arg, "__name__", "")
        elif event == "call":
            caller, name = frame.f_back, frame.f_code.co_name
        else:
            return
        if caller is not None and caller.f_code.co_filename.endswith("submission.py"):
            calls[0] += 1
        # Anywhere below: time.sleep may be reached through wrappers around it.
        calls[1] += name == "sleep"

    sys.setprofile(profile)
    try:
        result = fn()
    finally:
        sys.setprofile(None)
    return result, calls


def _request(state):
    config, (calls, sleeps) = _count_calls_from_submission(state.gate.wait_for_config)
    state.got.append(config)
    state.calls.append(calls)
    state.sleeps.append(sleeps)


def _loader(state):
    state.gate.publish({"db": "primary"})


def test_config_published_first_in_one_thread():
    def one_thread(state):
        _loader(state)
        _request(state)

    def check(state):
        assert state.got == [{"db": "primary"}]

    explore(Startup, [one_thread], check)


def test_request_arriving_early_gets_the_config():
    def check(state):
        assert state.got == [{"db": "primary"}]

    explore(Startup, [_request, _loader], check, budget_s=STARVATION_BUDGET_S)


def test_two_early_requests_both_get_it():
    def check(state):
        assert state.got == [{"db": "primary"}] * 2

    explore(Startup, [_request, _request, _loader], check)


def test_a_waiting_request_sleeps_instead_of_spinning():
    def check(state):
        assert max(state.sleeps) == 0, (
            "wait_for_config() called time.sleep() while waiting: polling on a timer instead "
            "of being woken when the configuration arrives"
        )
        assert max(state.calls) <= MAX_CALLS_WHILE_WAITING, (
            f"wait_for_config() made {max(state.calls)} calls while waiting for the loader: "
            "it keeps re-checking (busy-waiting) instead of sleeping until woken"
        )

    explore(Startup, [_request, _loader], check, budget_s=STARVATION_BUDGET_S)
