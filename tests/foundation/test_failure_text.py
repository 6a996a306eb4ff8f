"""What a learner reads about a verdict, in the CLI and the app: structured fields only."""

from __future__ import annotations

from explained_verdicts import (
    INTERNAL_MESSAGE,
    LOST_UPDATE_TIMELINE,
    TARGET,
    lost_update_verdict,
)

from tutor.cli.commands.check import render
from tutor.failure_text import (
    access_text,
    conflict_lines,
    coverage_text,
    details_sections,
    lead,
    look_at,
)
from tutor.timeline_model import steps_from
from tutor.verdict import Failure, TestResult, Verdict


def test_the_explanation_leads_and_internal_terms_stay_in_the_details() -> None:
    verdict = lost_update_verdict()
    assert lead(verdict).startswith("T1 and T2 both read")
    assert look_at(verdict.failure.explanation) == f"Look at line 14 ({TARGET})"
    assert conflict_lines(verdict) == [14, 15]
    details = "\n".join(body for _, body in details_sections(verdict))
    assert "check(state)" in details and "v1:3>1" in details


def test_the_headline_leads_then_the_summary_then_a_plain_sentence() -> None:
    failure = Failure(kind="deadlock", message=INTERNAL_MESSAGE,
                      explanation={"pattern": "deadlock", "summary": "T1 waits for the barrier."},
                      headline="fetch() ran in the main thread, so the threads never ran at "
                               "the same time.")
    verdict = Verdict("start-not-run", "failed", 1.0, [], failure)
    assert lead(verdict).startswith("fetch() ran in the main thread")
    bare = Verdict("x", "failed", 1.0, [], Failure("deadlock", INTERNAL_MESSAGE))
    assert "check(state)" not in lead(bare) and "stuck" in lead(bare)
    crash = Verdict("x", "error", 0.2, [], Failure("crash", "SyntaxError: invalid syntax"))
    assert lead(crash) == "SyntaxError: invalid syntax"
    assertion = Verdict("x", "failed", 0.2, [TestResult("test_x", "failed", "got 3, not 4")],
                        Failure("assertion", "test_x: long internal report"))
    assert lead(assertion) == "got 3, not 4"


def test_accesses_read_like_the_code() -> None:
    assert access_text({"op": "read", "target": "self.sold", "value": "0"}) == \
        "read self.sold → 0"
    assert access_text({"op": "write", "target": "self.sold", "value": 1}) == \
        "write self.sold ← 1"
    assert access_text({"op": "acquire", "target": "bank[0].lock", "value": None}) == \
        "acquire bank[0].lock"


def test_coverage_says_proved_or_how_much_was_checked() -> None:
    assert coverage_text({"schedules": 37, "complete": True}) == \
        "proved: all 37 interleavings checked"
    assert coverage_text({"schedules": 500, "complete": False, "exhausted": False}) == \
        "checked 500 schedules (a sample, not every interleaving)"
    assert coverage_text({"schedules": 12, "exhausted": True, "bound": 2}) == \
        "checked all 12 schedules within 2 preemptions"
    assert coverage_text({"text": "checked 9 schedules, found the race"}) == \
        "checked 9 schedules, found the race"
    assert coverage_text(None) is None


def test_accesses_are_attached_to_the_steps_they_happened_in() -> None:
    verdict = lost_update_verdict()
    steps = steps_from(verdict.failure.timeline, verdict.failure.explanation["accesses"])
    marked = {s.number: s.note for s in steps if s.conflict}
    assert marked == {2: f"read {TARGET} → 0", 4: f"read {TARGET} → 0",
                      5: f"write {TARGET} ← 1", 7: f"write {TARGET} ← 1"}
    # The explorer records accesses on every step and marks the conflicting ones: those win.
    own = [dict(step) for step in LOST_UPDATE_TIMELINE]
    own[1]["accesses"] = [{"op": "read", "target": "self._hits", "value": "3"}]
    own[6]["accesses"] = [{"op": "write", "target": TARGET, "value": "1"}]
    own[6]["conflict"] = True
    steps = steps_from(own, verdict.failure.explanation["accesses"])
    assert [s.number for s in steps if s.conflict] == [7]
    assert steps[1].note == "read self._hits → 3" and not steps[1].conflict


def test_the_event_text_is_shown_whole_never_split() -> None:
    (step,) = steps_from([{"thread": "T1", "file": "submission.py", "line": 3,
                           "source": "with a:", "event": "acquire Lock a; waits for Lock a"}])
    assert step.note == "acquire Lock a; waits for Lock a"


def test_the_cli_prints_the_summary_first_and_fits_80_columns() -> None:
    verdict = lost_update_verdict(coverage={"schedules": 37, "complete": True})
    out = render(verdict).splitlines()
    assert out[0] == "hit-counter: FAILED (1.25 s)"
    assert out[1].startswith("T1 and T2 both read")
    assert "proved: all 37 interleavings checked" in "\n".join(out[1:5])
    assert all(len(line) <= 80 for line in out), [line for line in out if len(line) > 80]
    report = out.index("The grader's report (race):")
    assert all("check(state)" not in line and "v1:3>1" not in line for line in out[:report])
    steps = [line for line in out if line.startswith("●")]
    assert len(steps) == 4 and f"read {TARGET} → 0" in steps[0]
