"""Hidden tests for rate-limiter: concurrent allow() calls under every schedule."""

from tutor.interleave import explore

import submission


class Client:
    """A limiter on a hand-driven clock, and what the workers were told."""

    def __init__(self, limit, window, now=0.0):
        self.now = now
        self.limiter = submission.RateLimiter(limit, window, clock=lambda: self.now)
        self.allowed = []


def test_window_slides_in_one_thread():
    client = Client(limit=2, window=10.0)
    assert [client.limiter.allow() for _ in range(3)] == [True, True, False]
    client.now = 9.9
    assert client.limiter.allow() is False
    client.now = 10.0
    assert [client.limiter.allow() for _ in range(3)] == [True, True, False]


def _worker(client):
    client.allowed.append(client.limiter.allow())


def test_concurrent_callers_never_exceed_the_limit():
    def setup():
        client = Client(limit=2, window=10.0)
        assert client.limiter.allow()
        return client

    def check(client):
        assert client.allowed.count(True) == 1, (
            f"limit 2, one call already made, yet {client.allowed.count(True)} more were allowed"
        )

    explore(setup, [_worker, _worker], check)


def test_concurrent_pruning_does_not_crash():
    def setup():
        client = Client(limit=1, window=10.0)
        assert client.limiter.allow()
        client.now = 50.0
        return client

    def check(client):
        assert client.allowed.count(True) == 1, f"limit 1, answers {client.allowed}"

    explore(setup, [_worker, _worker], check)
