# Wrong: processes are right, but a lambda cannot be pickled to send to the worker processes.
"""Idea: send a lambda that calls score to a process pool."""

from concurrent.futures import ProcessPoolExecutor


def score_all(documents, score, workers=4):
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda document: score(document), documents))
