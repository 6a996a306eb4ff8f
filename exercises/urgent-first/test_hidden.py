"""Hidden tests for urgent-first: a normal job among a stream of urgent ones.

Starvation needs an endless stream; the tests check the policy that prevents it: while the
normal job waits, no more than MAX_IN_A_ROW urgent jobs that arrived after it are served
before it. Arrival numbers come from submit() itself, so they are the dispatcher's own order.
"""

from tutor.interleave import explore

import submission


class Office:
    def __init__(self):
        self.dispatcher = submission.Dispatcher()
        self.arrived = {}
        self.served = []


def _client(*jobs):
    def run(office):
        for name in jobs:
            office.arrived[name] = office.dispatcher.submit(name, urgent=name.startswith("u"))
    return run


def _worker(count):
    def run(office):
        for _ in range(count):
            office.served.append(office.dispatcher.next_job())
    return run


def _report_not_starved(office):
    limit = submission.MAX_IN_A_ROW
    report = office.arrived["report"]
    before = office.served[: office.served.index("report")]
    overtook = [name for name in before if office.arrived[name] > report]
    assert len(overtook) <= limit, (
        f"{len(overtook)} urgent jobs that arrived after the report were served before it "
        f"({overtook}); with urgent jobs arriving all day, the report would never run"
    )


def test_urgent_jobs_keep_coming_while_the_report_waits():
    def check(office):
        assert sorted(office.served) == sorted(office.arrived), f"served {office.served}"
        _report_not_starved(office)

    explore(Office, [_client("u0", "report"), _client("u1", "u2", "u3", "u4"), _worker(6)], check)


def test_urgent_first_and_oldest_first_in_one_thread():
    office = Office()
    _client("n1", "n2", "u1", "u2")(office)
    _worker(4)(office)
    assert office.served == ["u1", "u2", "n1", "n2"]


def test_a_waiting_normal_job_gets_its_turn_in_one_thread():
    office = Office()
    _client("report", "u1", "u2", "u3", "u4", "u5")(office)
    _worker(6)(office)
    _report_not_starved(office)
    assert sorted(office.served) == sorted(office.arrived)


def test_a_worker_waits_for_the_first_job():
    def check(office):
        assert office.served == ["u1"]

    explore(Office, [_worker(1), _client("u1")], check)
