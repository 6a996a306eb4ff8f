"""Hidden tests for crawler-frontier: crawler threads sharing one frontier, every schedule."""

from tutor.interleave import explore

import submission

SITE = {"/": ["/a", "/b"], "/a": ["/b", "/c"], "/b": ["/c"], "/c": ["/"]}


class Crawl:
    def __init__(self, seeds=("/",)):
        self.frontier = submission.Frontier(list(seeds))
        self.crawled = []
        self.handed_out = []


def _crawler(state):
    while (url := state.frontier.next_url()) is not None:
        state.crawled.append(url)
        for link in SITE[url]:
            state.frontier.add(link)


def test_crawls_the_site_once_in_one_thread():
    state = Crawl()
    _crawler(state)
    assert sorted(state.crawled) == ["/", "/a", "/b", "/c"]
    assert state.frontier.next_url() is None


def test_the_same_link_found_twice_is_queued_once():
    def found(state):
        state.frontier.add("/new")

    def check(state):
        while (url := state.frontier.next_url()) is not None:
            state.handed_out.append(url)
        assert sorted(state.handed_out) == ["/", "/new"], f"handed out: {state.handed_out}"

    explore(Crawl, [found, found], check)


def test_the_last_url_goes_to_one_crawler_only():
    def take(state):
        state.handed_out.append(state.frontier.next_url())

    def check(state):
        assert sorted(state.handed_out, key=str) == ["/", None], f"handed out: {state.handed_out}"

    explore(Crawl, [take, take], check)


def test_two_crawlers_crawl_every_page_once():
    def check(state):
        assert sorted(state.crawled) == ["/", "/a", "/b", "/c"], f"crawled: {state.crawled}"

    explore(Crawl, [_crawler, _crawler], check)
