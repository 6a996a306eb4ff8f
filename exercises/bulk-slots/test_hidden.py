"""Hidden tests for bulk-slots: a request that arrives while the bulk export waits.

Starvation needs an endless stream of newcomers; the tests check the policy that prevents
it instead. A newcomer records how many callers were already waiting when it arrived; if
someone was (the export), the export must get its connections first. Without that rule,
newcomers overtake the export again and again, and it waits for ever.
"""

from tutor.interleave import explore

import submission


class Service:
    def __init__(self, size=3, held=1):
        self.pool = submission.ConnectionPool(size)
        for _ in range(held):
            self.pool.acquire(1)  # a web request already running
        self.served = []
        self.waiting_on_arrival = {}


def _request(name, count):
    def run(service):
        service.waiting_on_arrival[name] = service.pool.waiting
        service.pool.acquire(count)
        assert service.pool.free >= 0, f"free went down to {service.pool.free}"
        service.served.append(name)
        service.pool.release(count)
    return run


def _running_request_ends(service):
    service.pool.release(1)


def test_taking_and_giving_back_in_one_thread():
    def one_thread(service):
        _running_request_ends(service)
        _request("export", 3)(service)
        _request("web", 1)(service)

    def check(service):
        assert service.served == ["export", "web"]
        assert service.pool.free == 3 and service.pool.waiting == 0

    explore(Service, [one_thread], check)


def test_a_request_arriving_while_the_export_waits_does_not_overtake_it():
    def check(service):
        late = service.waiting_on_arrival["late web request"]
        if late:
            assert service.served.index("export") < service.served.index("late web request"), (
                "a web request that arrived while the export was waiting got its connection "
                "first: with a steady stream of such requests the export never gets three"
            )
        assert service.pool.free == 3, f"{service.pool.free} connections free at the end, not 3"
        assert service.pool.waiting == 0, f"waiting is {service.pool.waiting} at the end"

    explore(
        Service,
        [_request("export", 3), _request("late web request", 1), _running_request_ends],
        check,
    )


def test_two_exports_share_a_small_pool():
    def check(service):
        assert sorted(service.served) == ["export A", "export B"]
        assert service.pool.free == 2

    explore(
        lambda: Service(size=2, held=0),
        [_request("export A", 2), _request("export B", 2)],
        check,
    )
