"""Hidden tests for pool-under-mutex: more borrowers than connections, under every schedule."""

from tutor.interleave import explore

import submission


class Service:
    def __init__(self, size=1):
        self.pool = submission.ConnectionPool([f"conn{i}" for i in range(size)])
        self.in_use = set()
        self.served = []


def _request(name):
    def run(service):
        conn = service.pool.acquire()
        assert isinstance(conn, str), f"acquire() returned {conn!r} instead of a connection"
        assert conn not in service.in_use, f"{conn} lent to two threads at once"
        service.in_use.add(conn)
        service.served.append(name)
        service.in_use.discard(conn)
        service.pool.release(conn)
    return run


def test_borrow_and_return_in_one_thread():
    def one_thread(service):
        first = service.pool.acquire()
        second = service.pool.acquire()
        assert {first, second} == {"conn0", "conn1"}
        service.pool.release(first)
        assert service.pool.acquire() == first
        service.served.append("ok")

    def check(service):
        assert service.served == ["ok"]

    explore(lambda: Service(size=2), [one_thread], check)


def test_two_requests_share_one_connection():
    def check(service):
        assert sorted(service.served) == ["a", "b"]

    explore(Service, [_request("a"), _request("b")], check)


def test_three_requests_share_two_connections():
    def check(service):
        assert sorted(service.served) == ["a", "b", "c"]

    explore(lambda: Service(size=2), [_request("a"), _request("b"), _request("c")], check)
