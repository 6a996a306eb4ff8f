"""Hidden tests for shutdown-notify: closing while workers are idle or busy, in every order."""

import pytest
from tutor.interleave import explore

import submission


class Service:
    def __init__(self):
        self.queue = submission.JobQueue()
        self.done = []
        self.closing = False


def _worker(service):
    while (job := service.queue.next_job()) is not None:
        service.done.append(job)
    assert service.closing, "next_job() returned None while the queue was still open"


def _producer(*jobs):
    def run(service):
        for job in jobs:
            service.queue.submit(job)
        service.closing = True
        service.queue.close()
    return run


def test_drains_then_stops_in_one_thread():
    def one_thread(service):
        _producer("a", "b")(service)
        _worker(service)
        with pytest.raises(RuntimeError):
            service.queue.submit("late")

    def check(service):
        assert service.done == ["a", "b"]

    explore(Service, [one_thread], check)


def test_an_idle_worker_stops_after_close():
    def check(service):
        assert service.done == []

    explore(Service, [_worker, _producer()], check)


def test_every_worker_stops_and_each_job_runs_once():
    def check(service):
        assert sorted(service.done) == ["a", "b"], f"jobs run: {service.done}"

    explore(Service, [_worker, _worker, _producer("a", "b")], check)
