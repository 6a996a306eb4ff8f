"""Hand-built verdicts of the contract's shape (section 2), with an explanation, for the tests
of what the CLI and the app show (tests/foundation and tests/ui). The timeline is what the
explorer reports for hit-counter's starter; the explanation has ``Failure.explanation``'s
shape. Until the explorer fills these fields, these verdicts are how the display is tested."""

from __future__ import annotations

from tutor.verdict import Failure, TestResult, Verdict

TARGET = "self._counts['/']"
LOST_UPDATE_TIMELINE = [
    {"thread": "T1", "file": "test_hidden.py", "line": 21, "source": "counter.hit('/')",
     "event": ""},
    {"thread": "T1", "file": "submission.py", "line": 14,
     "source": "current = self._counts.get(path, 0)", "event": ""},
    {"thread": "T2", "file": "test_hidden.py", "line": 21, "source": "counter.hit('/')",
     "event": ""},
    {"thread": "T2", "file": "submission.py", "line": 14,
     "source": "current = self._counts.get(path, 0)", "event": ""},
    {"thread": "T2", "file": "submission.py", "line": 15,
     "source": "self._counts[path] = current + 1", "event": ""},
    {"thread": "T2", "file": "", "line": 0, "source": "", "event": "finished"},
    {"thread": "T1", "file": "submission.py", "line": 15,
     "source": "self._counts[path] = current + 1", "event": ""},
    {"thread": "T1", "file": "", "line": 0, "source": "", "event": "finished"},
]
LOST_UPDATE_EXPLANATION = {
    "pattern": "lost-update",
    "summary": f"T1 and T2 both read `{TARGET}` as 0 and both wrote 1: one hit was lost.",
    "location": TARGET,
    "line": 14,
    "accesses": [
        {"thread": "T1", "line": 14, "op": "read", "target": TARGET, "value": "0"},
        {"thread": "T2", "line": 14, "op": "read", "target": TARGET, "value": "0"},
        {"thread": "T2", "line": 15, "op": "write", "target": TARGET, "value": "1"},
        {"thread": "T1", "line": 15, "op": "write", "target": TARGET, "value": "1"},
    ],
}
INTERNAL_MESSAGE = (
    "test_no_hit_is_lost: A thread interleaving breaks your code: check(state) failed: "
    "expected 2 hits, got 1\nassert 1 == 2\n\nHow it happened (one column per thread):\n...\n"
    "Schedule: v1:3>1 (tutor.interleave.replay reruns it exactly)"
)


def lost_update_verdict(coverage: dict | None = None) -> Verdict:
    failure = Failure(kind="race", message=INTERNAL_MESSAGE, schedule="v1:3>1",
                                timeline=LOST_UPDATE_TIMELINE,
                                explanation=LOST_UPDATE_EXPLANATION, coverage=coverage)
    return Verdict(
        exercise="hit-counter", status="failed", duration_s=1.25,
        # The grader sets a failed test's message to the explorer's headline.
        tests=[TestResult("test_no_hit_is_lost", "failed", LOST_UPDATE_EXPLANATION["summary"]),
               TestResult("test_single_thread_counts", "passed")],
        failure=failure,
    )
