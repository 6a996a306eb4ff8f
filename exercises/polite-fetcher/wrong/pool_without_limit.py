# Wrong: a pool without max_workers has min(32, CPUs + 4) threads, which has nothing to do with what the servers allow.
"""Idea: use a ThreadPoolExecutor with its default number of workers."""

from concurrent.futures import ThreadPoolExecutor


def fetch_all(urls, fetch, max_connections=4):
    with ThreadPoolExecutor() as pool:
        return list(pool.map(fetch, urls))
