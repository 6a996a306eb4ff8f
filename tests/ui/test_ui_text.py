"""The text the results view is made of: the summary, the timeline's layout, quiet terminals."""

from __future__ import annotations

import io

from explained_verdicts import INTERNAL_MESSAGE, lost_update_verdict

from tutor.timeline_model import steps_from, thread_names
from tutor.ui.quiet import quiet_terminal
from tutor.ui.widgets.results import details_text, summary_text
from tutor.ui.widgets.timeline import layout_for
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
    assert [s.note for s in steps] == ["read self.v", "", "acquire Lock lock; waits for Lock lock",
                                       "finished"]
    assert thread_names(steps) == ["T1", "T2"]
    assert [s.number for s in steps] == [1, 2, 3, 4]


def test_steps_tolerate_missing_fields() -> None:
    (step,) = steps_from([{"thread": "T9", "line": "x"}])
    assert (step.thread, step.line, step.file, step.source, step.location) == ("T9", 0, "", "", "")


def test_the_summary_leads_with_the_explanation_and_keeps_internal_terms_out() -> None:
    verdict = lost_update_verdict(coverage={"schedules": 37, "complete": True})
    lines = summary_text(verdict).plain.splitlines()
    assert lines[0].startswith("✗ Failed · race · test_no_hit_is_lost · 1/2 passed · 1.2s")
    assert lines[1].startswith("T1 and T2 both read `self._counts['/']` as 0")
    assert "proved: all 37 interleavings checked" in lines[2]
    summary = "\n".join(lines)
    assert "check(state)" not in summary and "v1:3>1" not in summary
    details = details_text(verdict)
    assert INTERNAL_MESSAGE.strip() in details and "v1:3>1" in details


def test_a_failure_without_explanation_leads_with_plain_words() -> None:
    verdict = Verdict("ex", "failed", 1.0, [TestResult("test_x", "failed", "")],
                      Failure("deadlock", INTERNAL_MESSAGE, timeline=[{"thread": "T1"}]))
    lines = summary_text(verdict).plain.splitlines()
    assert lines[0] == "✗ Failed · deadlock · test_x · 0/1 passed · 1.0s"
    assert "stuck" in lines[1] and "check(state)" not in summary_text(verdict).plain
    headline = "download() ran in the thread that called it, so the threads never overlapped."
    carried = Verdict("ex", "failed", 1.0, [TestResult("test_x", "failed", headline)],
                      Failure("deadlock", INTERNAL_MESSAGE, timeline=[{"thread": "T1"}],
                              explanation={"pattern": "deadlock", "summary": "T1 waits."}))
    assert summary_text(carried).plain.splitlines()[1] == headline


def test_a_passing_verdict_is_one_line() -> None:
    verdict = Verdict("ex", "passed", 0.5, [TestResult("test_x", "passed")])
    assert summary_text(verdict).plain == "✓ Passed · 1/1 passed · 0.5s"


def test_the_timeline_layout_uses_the_width_and_goes_compact_when_threads_do_not_fit() -> None:
    assert layout_for(80, 2) == ("columns", 28)
    assert layout_for(200, 2)[1] > 80, "a wide terminal gives each thread a wide column"
    assert layout_for(60, 2) == ("columns", 18)
    assert layout_for(60, 4)[0] == "compact", "four threads at 60 columns: one thread column"


def test_quiet_terminal_rules() -> None:
    tty = _Tty()
    assert not quiet_terminal({}, tty)
    assert quiet_terminal({"TUTOR_NO_BLINK": "1"}, tty)
    assert not quiet_terminal({"TUTOR_NO_BLINK": "0"}, tty)
    assert quiet_terminal({"SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"}, tty)
    assert quiet_terminal({}, io.StringIO()), "not a terminal"
