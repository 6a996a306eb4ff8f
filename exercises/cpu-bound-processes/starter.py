"""Score a batch of documents on every core of the machine.

A search service re-scores its documents every night with `score(document)`,
a CPU-heavy function written in pure Python. `score_all(documents, score,
workers)` should spread the work over `workers` CPU cores and return the
scores in the order of `documents`.

What is wrong: with 8 workers on an 8-core machine the batch takes exactly
as long as with 1, and `top` shows the program using a single core.

Fixed means: the scoring runs in more than one process, so several cores can
work at once; the scores come back in the order of `documents`; if `score`
raises, `score_all` raises the same exception. (`score` is always a
module-level function, so it can be pickled.)
"""

from concurrent.futures import ThreadPoolExecutor


def score_all(documents, score, workers=4):
    """[score(d) for d in documents], computed in parallel on `workers` cores."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(score, documents))
