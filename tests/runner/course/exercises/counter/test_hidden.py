"""Hidden tests for the runner's test course: plain threads, no explorer."""

import threading

import submission


def test_starts_at_zero():
    assert submission.Counter().value == 0


def test_concurrent_increments_are_all_counted():
    counter = submission.Counter()

    def work():
        for _ in range(25):
            counter.increment()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.value == 100, f"lost updates: {counter.value} of 100 counted"
