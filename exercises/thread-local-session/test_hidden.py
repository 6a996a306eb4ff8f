"""Hidden tests for thread-local-session: overlapping requests under every schedule."""

import threading

import pytest
from tutor.interleave import explore

import submission


class Server:
    def __init__(self):
        self.database = submission.Database()
        self.sessions = submission.SessionManager(self.database)
        self.halfway = threading.Event()


def _request(customer, items):
    def run(server):
        server.sessions.begin()
        for item in items:
            server.sessions.add((customer, item))
        server.sessions.commit()
    return run


def _check_each_commit_is_one_customer(server):
    for rows in server.database.transactions:
        assert len({customer for customer, _ in rows}) == 1, f"one commit mixed orders: {rows}"
    assert sorted(map(tuple, server.database.transactions)) == [
        (("ann", "book"), ("ann", "pen")),
        (("bob", "lamp"),),
    ], f"transactions: {server.database.transactions}"


def test_a_session_in_one_thread():
    server = Server()
    with pytest.raises(RuntimeError):
        server.sessions.add("orphan")
    _request("ann", ["book", "pen"])(server)
    with pytest.raises(RuntimeError):
        server.sessions.commit()
    assert server.database.transactions == [[("ann", "book"), ("ann", "pen")]]


def test_concurrent_requests_keep_their_own_rows():
    explore(
        Server,
        [_request("ann", ["book", "pen"]), _request("bob", ["lamp"])],
        _check_each_commit_is_one_customer,
    )


def test_sessions_can_be_open_at_the_same_time():
    def ann(server):
        server.sessions.begin()
        server.sessions.add(("ann", "book"))
        server.halfway.wait()  # waits for bob's request mid-transaction
        server.sessions.add(("ann", "pen"))
        server.sessions.commit()

    def bob(server):
        server.sessions.begin()
        server.sessions.add(("bob", "lamp"))
        server.halfway.set()
        server.sessions.commit()

    explore(Server, [ann, bob], _check_each_commit_is_one_customer)
