"""Score a batch of documents on every core of the machine (reference fix).

In the default CPython build a process runs Python bytecode in one thread at
a time (the GIL), so threads cannot make CPU-bound pure-Python code faster.
A process pool runs the work in separate interpreters, each with its own
GIL; `score` and the documents are pickled to the worker processes and the
results pickled back, in order, by pool.map().
"""

from concurrent.futures import ProcessPoolExecutor


def score_all(documents, score, workers=4):
    """[score(d) for d in documents], computed in parallel on `workers` cores."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(score, documents))
