"""Hidden tests for start-not-run: are the downloads really in flight together?"""

import threading

from tutor.interleave import explore

import submission

URLS = ["https://a.example/", "https://b.example/", "https://c.example/"]


class Network:
    """A fake network where each download waits until all of them have started.

    If the downloads run one after another, the first one waits forever: the explorer
    reports that as a deadlock instead of hanging.
    """

    def __init__(self):
        self.all_started = threading.Barrier(len(URLS))
        self.callers = []
        self.result = None

    def fetch(self, url):
        self.callers.append(threading.current_thread())
        self.all_started.wait()
        return f"<html>{url}</html>"


def test_returns_every_page():
    def main(net):
        net.result = submission.fetch_all(URLS[:1], lambda url: f"<html>{url}</html>")

    def check(net):
        assert net.result == {URLS[0]: f"<html>{URLS[0]}</html>"}

    explore(Network, [main], check)


def test_downloads_are_in_flight_together_and_all_done_on_return():
    def main(net):
        net.main_thread = threading.current_thread()
        # Copy on return: the check runs only after every thread has ended, and by then
        # threads still running after fetch_all() returned would have filled the dict.
        net.result = dict(submission.fetch_all(URLS, net.fetch))

    def check(net):
        assert net.result == {url: f"<html>{url}</html>" for url in URLS}, (
            f"fetch_all returned {net.result}"
        )
        assert net.main_thread not in net.callers, "a download ran in the caller's thread"
        assert len(set(net.callers)) == len(URLS), "downloads did not each get their own thread"

    explore(Network, [main], check)
