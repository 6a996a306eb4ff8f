"""Hidden tests for blocking-coroutine: does the event loop keep running while fetch waits?

The fake `fetch` waits until the loop's heartbeat task has run (an Event the heartbeat
sets), as a slow server keeps a real fetch waiting. If fetch blocks the loop's own thread,
the heartbeat cannot run: fetch gives up after a generous margin (correct code needs far
less than a millisecond) and the test fails. A fetch called on the loop's thread is also
caught at once, by asking asyncio whether a loop is running in the calling thread.
"""

import asyncio
import threading

import pytest

import submission

MARGIN_S = 5.0


class Chat:
    def __init__(self):
        self.heartbeats = 0
        self.loop_is_free = threading.Event()
        self.on_loop_thread = []
        self.starved = []
        self.fetched = []
        self.lock = threading.Lock()

    def fetch(self, url):
        try:
            asyncio.get_running_loop()
            self.on_loop_thread.append(url)
        except RuntimeError:
            pass  # not on the loop's thread: good
        if self.on_loop_thread:
            pass  # waiting here could only time out: the heartbeat cannot run
        elif not self.loop_is_free.wait(MARGIN_S):
            self.starved.append(url)
            self.loop_is_free.set()  # fail once, not once per url
        with self.lock:
            self.fetched.append(url)
        return f"preview of {url}"

    async def heartbeat(self):
        while True:
            self.heartbeats += 1
            self.loop_is_free.set()
            await asyncio.sleep(0.001)


def _serve(chat, urls):
    async def main():
        beating = asyncio.create_task(chat.heartbeat())
        await asyncio.sleep(0)  # let the heartbeat start
        chat.loop_is_free.clear()
        previews = await submission.fetch_previews(urls, chat.fetch)
        fetched_when_returned = sorted(chat.fetched)
        beating.cancel()
        return list(previews), fetched_when_returned

    return asyncio.run(main())


URLS = ["https://a.example/", "https://b.example/", "https://c.example/"]


@pytest.fixture(scope="module")
def served():
    """One run for both tests: a blocked loop costs the margin once, not twice."""
    chat = Chat()
    previews, fetched = _serve(chat, URLS)
    return chat, previews, fetched


def test_previews_in_order(served):
    _, previews, fetched = served
    assert previews == [f"preview of {url}" for url in URLS]
    assert fetched == sorted(URLS), "fetch_previews returned before every fetch ended"


def test_the_loop_keeps_running_while_fetch_waits(served):
    chat, _, _ = served
    assert not chat.on_loop_thread, (
        "fetch() ran on the event loop's own thread: while it blocks, no other task runs"
    )
    assert not chat.starved, (
        f"no other task ran for {MARGIN_S:.0f} s while fetch() was waiting: the event loop "
        "was blocked"
    )
