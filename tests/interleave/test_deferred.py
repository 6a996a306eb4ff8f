"""The reduction's first schedule, built from what the default schedule wrote down
(``_deferred``), is the one a second run with the bookkeeping on builds: the same decisions,
the same tree, the same steps and the same alternatives queued. And ``explore`` runs the
default schedule once, not twice."""

from __future__ import annotations

import math

import pytest
import seeded

from tutor.interleave import InterleavingFailure, _deferred, explore
from tutor.interleave._deferred import Deferred
from tutor.interleave._dpor import Dpor, RunState
from tutor.interleave._explore import DEFAULT_MAX_STEPS, Session, _DefaultSchedule
from tutor.interleave._run import Run

CASES = {f"{group}/{name}": case for group, table in (("bug", seeded.BUGGY),
                                                      ("fix", seeded.FIXED))
         for name, case in table.items()}


def _tree(root) -> list:
    out, stack = [], [root] if root is not None else []
    while stack:
        node = stack.pop()
        out.append((node.index, node.cands, node.default, node.devs, tuple(node.done),
                     tuple(sorted(node.backtrack or ())), dict(node.exact or {})))
    return out


def _shape(fp) -> tuple:
    """A footprint without object ids (two runs make different objects)."""
    return tuple((loc[0], write) for loc, write in fp)


def _first_schedule(case, deferred: bool):
    setup, threads, check, _ = case
    dpor = Dpor(lambda index: index)
    with Session(setup, threads, check, DEFAULT_MAX_STEPS) as session:
        if deferred:
            log = Deferred()
            run = session.new_run(_DefaultSchedule(()), math.inf)
            run.dpor_state = log
            run.execute(session.setup, session.threads, session.check)
            dpor.next_schedule()
            state = log.replay(dpor)
        else:
            dpor.next_schedule()
            run = session.new_run(dpor, math.inf)
            run.dpor_state = state = RunState(dpor)
            run.execute(session.setup, session.threads, session.check)
    queued = sorted((devs, node.index, thread) for devs, _, node, thread in dpor.queue)
    events = [(e.thread, tuple(e.clock), _shape(e.fp), e.node.index if e.node else None)
              for e in state.events]
    return {"trail": dpor.trail, "queue": queued, "tree": _tree(dpor.root), "events": events,
            "fair": state.fair, "pending": sorted((t, _shape(fp))
                                                   for t, fp in state.pending.items())}


@pytest.mark.parametrize("name", sorted(CASES))
def test_replayed_record_builds_the_same_first_schedule(name, monkeypatch):
    monkeypatch.setattr(_deferred, "LIMIT", 10**9)  # the long (starving) ones too
    again = _first_schedule(CASES[name], deferred=False)
    replayed = _first_schedule(CASES[name], deferred=True)
    assert replayed == again
    assert again["trail"], "the program made no decision: nothing was compared"


@pytest.fixture
def runs(monkeypatch) -> list[str]:
    """The strategy of every schedule run from now on, in order."""
    names: list[str] = []
    execute = Run.execute

    def counted(self, *args):
        names.append(self.strategy.name)
        return execute(self, *args)

    monkeypatch.setattr(Run, "execute", counted)
    return names


def test_explore_runs_the_default_schedule_once(runs):
    setup, threads, check, _ = seeded.FIXED["lost_update"]
    report = explore(setup, threads, check, seed=0, minimize=False)
    assert report.complete and report.traces > 1
    assert runs.count("default") == 1
    assert len(runs) == report.schedules  # each schedule ran exactly once


def test_a_bug_of_the_default_schedule_is_found_by_it_alone(runs):
    setup, threads, check, _ = seeded.BUGGY["self_deadlock"]
    with pytest.raises(InterleavingFailure) as caught:
        explore(setup, threads, check, seed=0, minimize=False)
    assert caught.value.report.schedules == 1
    assert runs[0] == "default" and "dpor" not in runs


def _report_fields(report) -> tuple:
    return (report.complete, report.traces, report.schedules, report.bound)


def test_a_schedule_too_long_to_write_down_is_run_again(runs, monkeypatch):
    setup, threads, check, _ = seeded.FIXED["lost_update"]
    written = explore(setup, threads, check, seed=0, minimize=False)
    assert runs.count("dpor") == written.schedules - 1  # the default one was not rerun
    runs.clear()
    monkeypatch.setattr(_deferred, "LIMIT", 5)  # every default schedule is "too long"
    rerun = explore(setup, threads, check, seed=0, minimize=False)
    assert runs.count("dpor") == rerun.schedules  # it ran once more, with the bookkeeping
    assert _report_fields(rerun) == _report_fields(written)
    assert rerun.steps > written.steps  # the rerun's steps count, its schedule does not


def test_the_record_stops_and_frees_itself_past_the_limit(monkeypatch):
    monkeypatch.setattr(_deferred, "LIMIT", 5)

    class _Run:
        dpor_state = None

    run, log = _Run(), Deferred()
    run.dpor_state = log
    for _ in range(6):
        log.declare(0, ())
        log.execute(0, run)
        if log.overflowed:
            break
    assert log.overflowed and run.dpor_state is None and log.calls == []
    with pytest.raises(ValueError):
        log.replay(Dpor(lambda index: index))
