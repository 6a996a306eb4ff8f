# Wrong: multiprocessing.dummy has the multiprocessing API but runs threads, not processes.
"""Idea: use the Pool of multiprocessing.dummy."""

from multiprocessing.dummy import Pool


def score_all(documents, score, workers=4):
    with Pool(workers) as pool:
        return pool.map(score, documents)
