"""Hidden tests for hit-counter: every interleaving of concurrent hits is explored."""

from tutor.interleave import explore

import submission


def test_counts_and_ranks_in_one_thread():
    counter = submission.HitCounter()
    for path in ["/", "/about", "/", "/blog", "/", "/about"]:
        counter.hit(path)
    assert counter.count("/") == 3
    assert counter.count("/about") == 2
    assert counter.count("/missing") == 0
    assert counter.top(2) == [("/", 3), ("/about", 2)]


def _two_hits(counter):
    counter.hit("/")
    counter.hit("/")


def test_concurrent_hits_on_one_page_are_all_counted():
    def check(counter):
        assert counter.count("/") == 4, f"4 hits were made, {counter.count('/')} counted"

    explore(submission.HitCounter, [_two_hits, _two_hits], check)


def test_concurrent_hits_on_a_new_page_and_an_old_one():
    def setup():
        counter = submission.HitCounter()
        counter.hit("/old")
        return counter

    def new_page(counter):
        counter.hit("/new")

    def old_page(counter):
        counter.hit("/old")

    def check(counter):
        assert counter.count("/new") == 2
        assert counter.count("/old") == 2

    explore(setup, [new_page, new_page, old_page], check)
