# Wrong: multiprocessing.dummy has the multiprocessing API but runs threads, not processes.
"""Score a batch of documents on every core of the machine."""

from multiprocessing.dummy import Pool


def score_all(documents, score, workers=4):
    with Pool(workers) as pool:
        return pool.map(score, documents)
