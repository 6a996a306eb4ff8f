"""Hidden tests for cpu-bound-processes: does the work run in more than one process?

No interleaving is at stake. Speed is never measured (it depends on the machine's load);
instead each score reports the id of the process that computed it.
"""

import os
import time

import pytest

import submission

WAIT_FOR_A_SECOND_PROCESS_S = 15.0


def score_with_pid(document):
    """A score, plus the process that computed it.

    Module-level so it can be pickled. In a worker process it first waits (up to a generous
    limit) until a second process has started scoring too: otherwise one fast worker could
    take every document before the others start, and the test could not tell processes from
    threads. Run in the test's own process (threads), it does not wait.
    """
    rendezvous = os.environ["TUTOR_RENDEZVOUS"]
    with open(os.path.join(rendezvous, str(os.getpid())), "w"):
        pass
    if os.getpid() != int(os.environ["TUTOR_TEST_PID"]):
        deadline = time.monotonic() + WAIT_FOR_A_SECOND_PROCESS_S
        while len(os.listdir(rendezvous)) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    return os.getpid(), sum(ord(char) for char in document) % 1000


def fail_on_empty(document):
    if not document:
        raise ValueError("empty document")
    return len(document)


@pytest.fixture(autouse=True)
def rendezvous(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_RENDEZVOUS", str(tmp_path))
    monkeypatch.setenv("TUTOR_TEST_PID", str(os.getpid()))


DOCUMENTS = [f"document number {i} " * 20 for i in range(8)]


def test_scores_come_back_in_order():
    results = submission.score_all(DOCUMENTS, score_with_pid, workers=4)
    assert [score for _, score in results] == [
        sum(ord(char) for char in document) % 1000 for document in DOCUMENTS
    ]


def test_work_runs_in_more_than_one_other_process():
    results = submission.score_all(DOCUMENTS, score_with_pid, workers=4)
    pids = {pid for pid, _ in results}
    assert os.getpid() not in pids, "documents were scored in the calling process (threads?)"
    assert len(pids) >= 2, f"all documents were scored by one process: {pids}"


def test_an_error_in_score_is_raised():
    with pytest.raises(ValueError, match="empty document"):
        submission.score_all(["a", "", "b"], fail_on_empty, workers=2)
