"""The text the results view is made of: timeline rows, failure lines, quiet-terminal rules."""

from __future__ import annotations

import io

from tutor.ui.quiet import quiet_terminal
from tutor.ui.timeline_model import steps_from, thread_names
from tutor.ui.widgets.results import failure_lines, summary_text
from tutor.verdict import Failure, TestResult, Verdict


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_steps_mark_context_switches_and_say_where_they_are() -> None:
    steps = steps_from([
        {"thread": "T1", "file": "/tmp/x/submission.py", "line": 20, "source": "v = self.v",
         "event": "read self.v"},
        {"thread": "T1", "file": "test_hidden.py", "line": 11, "source": "c.inc()", "event": ""},
        {"thread": "T2", "file": "submission.py", "line": 19, "source": "with lock:",
         "event": "acquire Lock lock; waits for Lock lock"},
        {"thread": "T2", "file": "", "line": 0, "source": "", "event": "finished"},
    ])
    assert [s.switch for s in steps] == [False, False, True, False]
    assert [s.location for s in steps] == ["L20", "tests:11", "L19", ""]
    assert [s.in_submission for s in steps] == [True, False, True, False]
    assert [s.note for s in steps] == ["read self.v", "", "waits for Lock lock", "finished"]
    assert thread_names(steps) == ["T1", "T2"]
    assert [s.number for s in steps] == [1, 2, 3, 4]


def test_steps_tolerate_missing_fields() -> None:
    (step,) = steps_from([{"thread": "T9", "line": "x"}])
    assert (step.thread, step.line, step.file, step.source, step.location) == ("T9", 0, "", "", "")


def test_a_deadlock_says_who_holds_what_one_line_per_thread() -> None:
    message = (
        "test_x: Deadlock: every thread is blocked: T1 holds Lock a (submission.py:14) and "
        "waits for Lock b (submission.py:15); T2 holds Lock b (submission.py:14) and waits "
        "for Lock a (submission.py:15)\n\nHow it happened (one column per thread):\n  T1 | T2"
    )
    verdict = Verdict("ex", "failed", 1.0, [TestResult("test_x", "failed", "deadlock")],
                      Failure("deadlock", message, timeline=[{"thread": "T1"}]))
    assert failure_lines(verdict) == [
        "every thread is blocked:",
        "T1 holds Lock a (line 14) and waits for Lock b (line 15)",
        "T2 holds Lock b (line 14) and waits for Lock a (line 15)",
    ]
    summary = summary_text(verdict).plain
    assert summary.startswith("✗ Failed  test_x  0/1 passed")
    assert "How it happened" not in summary


def test_a_passing_verdict_is_one_line() -> None:
    verdict = Verdict("ex", "passed", 0.5, [TestResult("test_x", "passed")])
    assert summary_text(verdict).plain == "✓ Passed  1/1 passed  0.5s"


def test_quiet_terminal_rules() -> None:
    tty = _Tty()
    assert not quiet_terminal({}, tty)
    assert quiet_terminal({"TUTOR_NO_BLINK": "1"}, tty)
    assert not quiet_terminal({"TUTOR_NO_BLINK": "0"}, tty)
    assert quiet_terminal({"SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"}, tty)
    assert quiet_terminal({}, io.StringIO()), "not a terminal"
