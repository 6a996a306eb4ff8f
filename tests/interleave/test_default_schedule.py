"""``explore`` runs the default schedule first without the reduction's bookkeeping; if it
passes, the reduction's first schedule is that same schedule again, bookkeeping on (counted
in steps, not as a schedule)."""

from __future__ import annotations

import pytest
import seeded

from tutor.interleave import InterleavingFailure, explore
from tutor.interleave._run import Run


@pytest.fixture
def runs(monkeypatch) -> list[tuple[str, bool, tuple]]:
    """(strategy, with the bookkeeping, decisions) of every schedule run from now on."""
    seen: list[tuple[str, bool, tuple]] = []
    execute = Run.execute

    def counted(self, *args):
        try:
            return execute(self, *args)
        finally:
            seen.append((self.strategy.name, self.dpor_state is not None,
                         tuple(self.decisions)))

    monkeypatch.setattr(Run, "execute", counted)
    return seen


def test_the_reductions_first_schedule_is_the_default_one_again(runs):
    setup, threads, check, _ = seeded.FIXED["lost_update"]
    report = explore(setup, threads, check, seed=0, minimize=False)
    assert report.complete and report.traces > 1
    (name, booked, decisions), (again, again_booked, again_decisions) = runs[:2]
    assert (name, booked) == ("default", False)
    assert (again, again_booked) == ("dpor", True)
    assert decisions and again_decisions == decisions  # the same schedule
    assert [r[0] for r in runs].count("default") == 1
    assert len(runs) == report.schedules + 1  # the rerun is not counted as a schedule
    assert report.strategies == {"default": 1, "dpor": report.schedules - 1}


def test_the_rerun_counts_its_steps(monkeypatch):
    setup, threads, check, _ = seeded.FIXED["lost_update"]
    steps = []
    execute = Run.execute

    def noted(self, *args):
        try:
            return execute(self, *args)
        finally:
            steps.append(self.steps)

    monkeypatch.setattr(Run, "execute", noted)
    report = explore(setup, threads, check, seed=0, minimize=False)
    assert steps[0] == steps[1] > 0
    assert report.steps == sum(steps)


def test_a_bug_of_the_default_schedule_is_found_by_it_alone(runs):
    setup, threads, check, _ = seeded.BUGGY["self_deadlock"]
    with pytest.raises(InterleavingFailure) as caught:
        explore(setup, threads, check, seed=0, minimize=False)
    assert caught.value.report.schedules == 1
    assert runs[0][:2] == ("default", False)
    assert "dpor" not in [r[0] for r in runs]


def test_a_program_without_a_choice_is_proved_by_its_one_run(runs):
    setup, threads, check, _ = seeded.FIXED["lost_update"]
    report = explore(setup, threads[:1], None, seed=0, minimize=False)
    assert report.complete and report.traces == 1 and report.schedules == 1
    assert [r[:2] for r in runs] == [("default", False)]
