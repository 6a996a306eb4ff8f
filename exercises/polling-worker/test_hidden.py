"""Hidden tests for polling-worker: a worker that may start waiting before any job exists."""

import sys

from tutor.interleave import explore

import submission

# A worker woken by submit() makes under ten calls per job (the reference: 7 at most); a
# busy-waiting one makes some on every turn of its loop (hundreds, in the explorer's first
# schedule). A call to time.sleep() while waiting means polling on a timer.
MAX_CALLS_PER_JOB = 40


class Service:
    def __init__(self, connections=1):
        self.runner = submission.JobRunner(connections)
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
        fn()
    finally:
        sys.setprofile(None)
    return calls


def _worker(jobs):
    def run(service):
        for _ in range(jobs):
            calls, sleeps = _count_calls_from_submission(service.runner.work_one)
            service.calls.append(calls)
            service.sleeps.append(sleeps)
    return run


def _requests(*jobs):
    def run(service):
        for job in jobs:
            service.runner.submit(job)
    return run


def test_submit_then_work_in_one_thread():
    def one_thread(service):
        _requests("resize", "email")(service)
        _worker(2)(service)

    def check(service):
        assert service.runner.done == ["resize", "email"]

    explore(Service, [one_thread], check)


def test_worker_waiting_first_gets_every_job():
    def check(service):
        assert service.runner.done == ["resize", "email"], f"done: {service.runner.done}"

    explore(Service, [_worker(2), _requests("resize", "email")], check)


def test_a_waiting_worker_sleeps_until_woken():
    def check(service):
        assert max(service.sleeps) == 0, (
            "work_one() called time.sleep() while waiting for a job: polling on a timer "
            "instead of being woken by submit()"
        )
        assert max(service.calls) <= MAX_CALLS_PER_JOB, (
            f"work_one() made {max(service.calls)} calls for one job: it keeps re-checking "
            "(busy-waiting) instead of sleeping until submit() wakes it"
        )

    # Two connections: the request can store its job even while the worker holds one, so
    # this test is about how the worker waits, not about what it holds while waiting.
    explore(
        lambda: Service(connections=2),
        [_worker(1), _requests("resize")],
        check,
    )
