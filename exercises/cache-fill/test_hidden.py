"""Hidden tests for cache-fill: simultaneous misses under every schedule."""

from tutor.interleave import explore

import submission


class Site:
    """A fresh cache whose renderer counts how often each page is rendered."""

    def __init__(self):
        self.renders = []
        self.cache = submission.PageCache(self.render)
        self.seen = []

    def render(self, path):
        self.renders.append(path)
        return {"path": path, "html": f"<h1>{path}</h1>"}


def test_caches_and_invalidates_in_one_thread():
    site = Site()
    first = site.cache.get("/home")
    assert first["html"] == "<h1>/home</h1>"
    assert site.cache.get("/home") is first
    site.cache.invalidate("/home")
    site.cache.invalidate("/never-cached")
    assert site.cache.get("/home") is not first
    assert site.renders == ["/home", "/home"]


def _request(path):
    def run(site):
        site.seen.append(site.cache.get(path))
    return run


def test_simultaneous_misses_render_once():
    def check(site):
        assert site.renders == ["/home"], f"/home was rendered {len(site.renders)} times"
        assert all(page is site.seen[0] for page in site.seen), "callers got different copies"

    explore(Site, [_request("/home"), _request("/home")], check)


def test_two_pages_each_render_once():
    def check(site):
        assert sorted(site.renders) == ["/a", "/b"], site.renders

    explore(Site, [_request("/a"), _request("/b"), _request("/a")], check)
