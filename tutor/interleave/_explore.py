"""``explore`` and ``replay``: many schedules of the same threads; a minimal, readable failure."""

from __future__ import annotations

import gc
import math
import os
import random

from ..names import TEST_FILE
from . import _patching
from ._clock import set_time_base
from ._diagnosis import about_test_machinery, explain, headline
from ._dpor import Dpor, RunState
from ._failure import InterleavingFailure
from ._points import make_backend, point_mode, set_assigned_names
from ._run import Run
from ._runtime import ACTIVE, wall
from ._schedule import decode, encode
from ._stores import assigned_names
from ._strategy import PCT, BoundedSearch, Planned, RandomWalk
from ._timeline import build_timeline
from ._types import Kind
from ._workers import WorkerPool

#: the search budget, in schedules: the same submission and seed give the same verdict anywhere
DEFAULT_MAX_SCHEDULES = 500
#: ... and in scheduling points over all schedules (a long-running program stops earlier)
DEFAULT_MAX_TOTAL_STEPS = 100_000
#: wall-clock safety net: past it the search stops with a ``timeout`` failure, never a pass.
#: ``budget_s`` can raise it, not lower it below this floor (see docs/interleave.md).
SAFETY_FLOOR_S = 1800.0
DEFAULT_MAX_STEPS = 50_000
DEFAULT_BOUND = 2
#: share of the schedule budget the partial-order reduction may use before, if it has not
#: finished (or cannot prove anything: fairness shaped the schedules), the bounded search,
#: PCT and random walks take the rest
DPOR_SHARE = 0.8
#: share of what is left that the bounded search may use before PCT and random walks
DFS_SHARE = 0.6
MINIMIZE_TRIALS = 400
#: random walks run once the 1-preemption level is done, before the (large) next one: they
#: find most deeper bugs within a few schedules, and cost a correct program little
EARLY_WALKS = 30
TIMELINE_RING = 400


class Report:
    """What ``explore`` did when it found nothing wrong (also ``InterleavingFailure.report``)."""

    def __init__(self, schedules: int, elapsed_s: float, exhausted: bool, *, bound: int = -1,
                 interleavings: int = 0, seed: int = 0) -> None:
        self.schedules = schedules
        self.elapsed_s = elapsed_s
        self.exhausted = exhausted  # every schedule within the preemption bound ran (or complete)
        self.complete = False  # every interleaving up to max_steps is equivalent to one that ran
        self.bound = bound  # the largest preemption bound fully covered (-1: none)
        self.interleavings = interleavings  # schedules of the bounded search (or traces)
        self.traces = 0  # distinct interleavings (Mazurkiewicz traces) the reduction ran
        self.steps = 0  # scheduling points over all schedules
        self.seed = seed
        self.strategies: dict[str, int] = {}
        #: schedules of the bounded search that the reduction had already run exactly (the
        #: same decisions): counted once more, with their steps, but not run again
        self.reused = 0
        self.backend = ""

    def __repr__(self) -> str:
        return (f"Report(schedules={self.schedules}, elapsed_s={self.elapsed_s:.3f}, "
                f"complete={self.complete}, exhausted={self.exhausted}, bound={self.bound}, "
                f"traces={self.traces}, seed={self.seed})")

    @property
    def summary(self) -> str:
        if self.complete:
            return f"proved: all {self.traces} interleavings checked"
        text = f"checked {self.schedules} schedules"
        if self.bound >= 0:
            text += (f" (all with up to {self.bound} preemption"
                     f"{'s' if self.bound != 1 else ''})")
        return text

    def __str__(self) -> str:
        return self.summary


def resolve_seed(seed) -> int:
    if seed is not None:
        return int(seed)
    env = os.environ.get("TUTOR_SEED", "").strip()
    try:
        return int(env) if env else 0
    except ValueError:
        return 0


class Session:
    """Patches, tracing backend and worker threads shared by the schedules of one call."""

    def __init__(self, setup, threads, check, max_steps):
        self._names_pending = False
        self.setup = _patching.controlled_factory(setup)
        self.threads = list(threads)
        self.check = check
        self.max_steps = max_steps

    def __enter__(self):
        if ACTIVE.run is not None or getattr(ACTIVE, "session", None):
            raise RuntimeError("tutor.interleave.explore() is already running")
        _patching.acquire_patch()
        self.swap = None
        self.backend = None
        self.pool = None
        try:
            if not ACTIVE.installed:
                self.swap = _patching.GlobalsSwap([self.setup, self.check, *self.threads])
            set_time_base()
            set_assigned_names(None, None)  # decided after the first setup(): see _after_setup
            self._names_pending = (
                point_mode() == "shared" and os.environ.get("TUTOR_INTERLEAVE_ELIDE", "1") != "0")
            self.backend = make_backend()
            self.backend.start()
            self.pool = WorkerPool(self.backend)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def new_run(self, strategy, deadline, record=0) -> Run:
        strategy.begin()
        run = Run(strategy, self.pool, max_steps=self.max_steps, deadline=deadline, record=record)
        if self._names_pending:
            run.after_setup = self._after_setup
        return run

    def run(self, strategy, deadline, record=0) -> Run:
        run = self.new_run(strategy, deadline, record)
        run.execute(self.setup, self.threads, self.check)
        return run

    def _after_setup(self, state) -> None:
        """Fix which loads are points, once, before any controlled thread has run."""
        self._names_pending = False
        functions = [self.setup, self.check, *self.threads]
        set_assigned_names(*assigned_names(functions, state))
        self.backend.refresh()

    def __exit__(self, *exc) -> None:
        try:
            if self.pool is not None:
                self.pool.shutdown()
        finally:
            try:
                if self.backend is not None:
                    self.backend.stop()
            finally:
                if self.swap is not None:
                    self.swap.restore()
                _patching.release_patch()


class _GcFrozen:
    """Leave the objects that existed before the search out of the cyclic collector's scans.

    The search allocates many small objects (the reduction's tree, vector clocks, footprints),
    so the collector runs often; each full pass would traverse the whole heap of the process
    (pytest, the test module, the learner's imports) again. ``gc.freeze`` moves what exists
    now into a generation the collector skips, ``gc.unfreeze`` puts it back afterwards.
    Garbage made of objects created during the search is found as before; a reference cycle
    among objects that existed before the call (garbage already, or made garbage by the
    search) waits until the call returns. Nothing else changes: objects without cycles go
    when their last reference does, as always.
    """

    def __enter__(self):
        self.frozen = gc.isenabled()
        if self.frozen:
            gc.freeze()
        return self

    def __exit__(self, *exc) -> None:
        if self.frozen:
            gc.unfreeze()


class _EarlyWalks:
    """The random walks that run once, before the 2-preemption level of whichever search
    (the reduction, or the bounded search after it) gets there first."""

    def __init__(self, walk: RandomWalk, count: int) -> None:
        self.walk = walk
        self.due = count

    def run(self, one, spent) -> None:
        while self.due and not spent():
            self.due -= 1
            one(self.walk)
        self.due = 0


class _DefaultSchedule(Planned):
    """The default policy's schedule (no departure), run once before the search."""

    name = "default"

    def __init__(self) -> None:
        super().__init__(())


def _order_key(seed: int):
    """Seeded order in which the DFS tries alternatives (thread index -> sort key)."""
    cache: dict[int, float] = {}

    def key(index: int) -> float:
        value = cache.get(index)
        if value is None:
            value = cache[index] = random.Random(seed * 1_000_003 + index).random()
        return value

    return key


def explore(setup, threads, check=None, *, seed=None, budget_s=None, max_schedules=None,
            max_steps=None, preemption_bound=DEFAULT_BOUND, minimize=True) -> Report:
    """Run ``threads`` over ``setup()``'s state under many schedules; raise on the first failure.

    See docs/interleave.md. The search is counted in schedules (``max_schedules``, default
    500, and 100,000 scheduling points in all), so its result does not depend on the
    machine; ``budget_s`` is only a wall-clock safety net (at least 30 min) whose expiry is a
    ``timeout`` failure, never a pass.
    """
    __tracebackhide__ = True  # pytest: show the learner's test, not the explorer's insides
    threads = list(threads)
    if not threads:
        raise ValueError("explore() needs at least one thread function")
    seed = resolve_seed(seed)
    start = wall()
    safety = max(budget_s or 0.0, SAFETY_FLOOR_S)
    deadline = start + safety
    limit = max_schedules if max_schedules is not None else DEFAULT_MAX_SCHEDULES
    report = Report(0, 0.0, False, seed=seed)
    order = _order_key(seed)
    with _GcFrozen(), Session(setup, threads, check, max_steps or DEFAULT_MAX_STEPS) as session:
        report.backend = session.backend.name

        def spent() -> bool:
            return report.schedules >= limit or report.steps >= DEFAULT_MAX_TOTAL_STEPS

        def one(strategy, dpor=None, again=False):
            """Run one schedule (``dpor``: with the reduction's bookkeeping; ``again``: one
            that ran already, counted in steps only)."""
            __tracebackhide__ = True
            if wall() > deadline:
                _timeout(report, start, safety)
            run = session.new_run(strategy, deadline)
            if dpor is not None:
                run.dpor_state = RunState(dpor)
            run.execute(session.setup, session.threads, session.check)
            report.steps += run.steps
            if not again:
                report.schedules += 1
                report.strategies[strategy.name] = report.strategies.get(strategy.name, 0) + 1
            if run.out_of_budget:
                _timeout(report, start, safety)
            if run.failure is not None:
                _fail(session, run, report, minimize, start)
            return run

        # 0. the default schedule, without the reduction's bookkeeping (working out each
        #    step's footprint and its races costs about as much again as running the
        #    schedule): many bugs fail right there, and are found soonest this way. If it
        #    passes, the reduction's first schedule is this one again, bookkeeping on.
        default = one(_DefaultSchedule())
        # 1. the partial-order reduction, fewest preemptions first
        dpor = Dpor(order)
        if not default.decisions and not default.narrowed:
            dpor.only_schedule()  # nothing was ever chosen: that was the only schedule there is
            report.traces = 1
        dpor_limit = limit if len(threads) > 0 else 0
        ran: dict[tuple, tuple] = {}  # deviations -> (trail, steps) of the reduction's runs
        rng = random.Random(seed)
        walks = _EarlyWalks(RandomWalk(rng), EARLY_WALKS if preemption_bound >= 2 else 0)
        while dpor.has_work() and (not spent() or (
                not dpor.started and report.steps < DEFAULT_MAX_TOTAL_STEPS)):
            if walks.due and dpor.frontier_devs >= 2 and len(dpor.queue) >= walks.due:
                # every schedule with up to one preemption ran, and at least as many
                # alternatives wait as there are walks: a few random schedules now find most
                # deeper bugs (all philosophers holding one fork) long before the reduction's
                # next level would. They add to its coverage, never replace it; a reduction
                # with only a few alternatives left goes on without them (it may finish).
                walks.run(one, spent)
                if spent():
                    break
            again = not dpor.started  # its first schedule: the default one, run above
            dpor.next_schedule()
            run = one(dpor, dpor, again=again)
            dpor.finished(run)
            if not run.pruned:
                report.traces += 1
                if not dpor.diverged:  # it replayed as planned: the same decisions, same run
                    ran[tuple(run.deviations())] = (tuple(dpor.trail), run.steps)
            if not dpor.complete_possible:
                break  # fairness shaped the schedules: no proof possible, search on as below
            left = DPOR_SHARE * dpor_limit - report.schedules
            if dpor.has_work() and len(dpor.queue) > left:
                break  # more alternatives pending than schedules left: it cannot finish
        if dpor.complete_possible and not dpor.has_work():
            report.complete = report.exhausted = True
            report.bound = preemption_bound
            report.interleavings = report.traces
        else:
            dpor = run = None  # the reduction's tree is not needed any more
            _bounded_then_random(one, report, order, preemption_bound, limit, spent, ran,
                                 rng, walks)
    report.elapsed_s = wall() - start
    return report


def _bounded_then_random(one, report, order, preemption_bound, limit, spent, ran, rng,
                         walks) -> None:
    """Bounded search (every schedule with up to ``preemption_bound`` departures, fewest
    first, with early random walks), then PCT and random walks for the rest of the budget.

    A bounded schedule that the reduction already ran (``ran``: the same departures, so the
    same decisions and, the program being deterministic, the same run without a failure) is
    not run again: it counts as run, with its steps, and its decisions seed the search's
    next schedules as they would have. The search, and so the verdict, is the same; only
    the repeated work goes.
    """
    __tracebackhide__ = True
    search = BoundedSearch(preemption_bound, order)
    begun = report.schedules
    share = begun + DFS_SHARE * (limit - begun)

    def dfs_allowed() -> bool:
        if spent():
            return False
        if report.schedules >= share:  # past its share only if it can still finish
            at_last_level = search.complete_bound >= preemption_bound - 1
            return at_last_level and report.schedules + len(search.queue) <= limit
        return True

    complete = False
    while dfs_allowed() and search.next_schedule():
        if walks.due and search.complete_bound >= 1:
            walks.run(one, spent)
            if not dfs_allowed():
                break
        known = ran.get(search.plan) if ran else None
        if known is not None:
            trail, steps = known
            search.replayed(trail)
            report.schedules += 1
            report.steps += steps
            report.strategies[search.name] = report.strategies.get(search.name, 0) + 1
            report.reused += 1
        else:
            one(search)
        search.finished()
    else:
        complete = search.exhausted
    report.bound = search.complete_bound
    report.interleavings = search.count
    if complete:
        report.exhausted = True
        return  # every schedule within the bound ran; more random ones would add little
    pct = PCT(rng)
    turn = 0
    while not spent():
        strategy = pct if turn % 2 == 0 else walks.walk
        turn += 1
        run = one(strategy)
        pct.observed(len(run.decisions))


def _timeout(report, start, safety) -> None:
    """The safety net ran out before the search did: a verdict would depend on the machine."""
    __tracebackhide__ = True
    report.elapsed_s = wall() - start
    message = (f"the explorer used its {safety:g} s safety limit after {report.schedules} "
               "schedules, before its search was done")
    raise InterleavingFailure(
        Kind.TIMEOUT, message, None, [], [], report,
        headline=("The check ran out of time before it could decide: your code may be very "
                  "slow, or never finish, under some interleavings."))


def _fail(session, run, report, minimize, start) -> None:
    """Shrink the failing schedule, replay it with recording on, and raise."""
    __tracebackhide__ = True
    kind = run.failure.kind
    if run.failure.stuck:  # rerunning would only get stuck again
        report.elapsed_s = wall() - start
        raise failure_from(run, report)
    plan = run.deviations()
    if minimize and plan:
        plan = _minimize(session, plan, kind)
    final = session.run(Planned(plan), math.inf, record=TIMELINE_RING)
    if final.failure is None or final.failure.kind != kind:  # flaky code: show the original
        final = session.run(Planned(run.deviations()), math.inf, record=TIMELINE_RING)
        if final.failure is None:
            final = run
    report.elapsed_s = wall() - start
    raise failure_from(final, report)


def failure_from(run, report) -> InterleavingFailure:
    """The exception for a failed run; explained and with a timeline if it was recorded."""
    names = [t.name for t in run.threads]
    failure = run.failure
    explanation, conflicts = None, set()
    if run.ring is not None:
        explanation, conflicts = explain(run, failure, names)
        explanation = about_test_machinery(explanation, failure.facts, TEST_FILE)
    timeline = build_timeline(run, names, conflicts) if run.ring is not None else []
    exc = InterleavingFailure(
        failure.kind, failure.message, encode(run.deviations()), timeline, names, report,
        explanation=explanation,
        headline=headline(failure.kind, failure.message, explanation, failure.facts, TEST_FILE),
    )
    if failure.exception is not None:
        exc.__cause__ = failure.exception
    return exc


def _minimize(session, plan, kind):
    """Greedy delta debugging: drop deviations while the same kind of failure remains.

    Fewer deviations from the default policy means fewer preemptions, so fewer context
    switches for the learner to follow.
    """
    best = list(plan)
    trials = 0
    chunk = max(1, len(best) // 2)
    while chunk >= 1 and trials < MINIMIZE_TRIALS:
        removed = False
        i = len(best) - chunk
        while i >= 0 and trials < MINIMIZE_TRIALS:
            candidate = best[:i] + best[i + chunk:]
            trials += 1
            run = session.run(Planned(candidate), math.inf)
            if run.failure is not None and run.failure.kind == kind:
                best = run.deviations()
                removed = True
                i = min(i, len(best)) - chunk
            else:
                i -= chunk
        if not removed:
            chunk //= 2
    return best


def replay(setup, threads, check=None, schedule: str = "", *, max_steps=None) -> Report:
    """Rerun exactly one schedule (from ``InterleavingFailure.schedule``); raise if it fails."""
    __tracebackhide__ = True
    plan = decode(schedule)
    start = wall()
    report = Report(1, 0.0, False, seed=0)
    with Session(setup, threads, check, max_steps or DEFAULT_MAX_STEPS) as session:
        report.backend = session.backend.name
        run = session.run(Planned(plan), math.inf, record=TIMELINE_RING)
        report.elapsed_s = wall() - start
        if run.failure is not None:
            raise failure_from(run, report)
    return report
