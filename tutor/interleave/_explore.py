"""``explore`` and ``replay``: many schedules of the same threads; a minimal, readable failure."""

from __future__ import annotations

import math
import os
import random

from ..names import TEST_FILE
from . import _patching
from ._clock import set_time_base
from ._diagnosis import explain, headline
from ._failure import InterleavingFailure
from ._points import make_backend, point_mode, set_assigned_names
from ._run import Run
from ._runtime import ACTIVE, wall
from ._schedule import decode, encode
from ._stores import assigned_names
from ._strategy import PCT, BoundedSearch, Planned, RandomWalk
from ._timeline import build_timeline
from ._workers import WorkerPool

DEFAULT_BUDGET_S = 1.0
DEFAULT_MAX_STEPS = 50_000
DEFAULT_BOUND = 2
#: share of the budget the bounded search may use before PCT and random walks take over
DFS_SHARE = 0.6
MINIMIZE_BUDGET_S = 1.0
#: random walks run once the 1-preemption level is done, before the (large) next one: they
#: find most deeper bugs within a few schedules, and cost a correct program little
EARLY_WALKS = 30
TIMELINE_RING = 400


class Report:
    """What ``explore`` did when it found nothing wrong."""

    def __init__(self, schedules: int, elapsed_s: float, exhausted: bool, *, bound: int = -1,
                 interleavings: int = 0, seed: int = 0) -> None:
        self.schedules = schedules
        self.elapsed_s = elapsed_s
        self.exhausted = exhausted
        self.bound = bound
        self.interleavings = interleavings
        self.seed = seed
        self.strategies: dict[str, int] = {}
        self.backend = ""

    def __repr__(self) -> str:
        return (f"Report(schedules={self.schedules}, elapsed_s={self.elapsed_s:.3f}, "
                f"exhausted={self.exhausted}, bound={self.bound}, "
                f"interleavings={self.interleavings}, seed={self.seed})")

    @property
    def summary(self) -> str:
        if self.exhausted:
            return (f"all {self.interleavings} interleavings with up to {self.bound} "
                    f"preemption{'s' if self.bound != 1 else ''} checked")
        text = f"{self.schedules} schedules checked in {self.elapsed_s:.2f} s"
        if self.bound >= 0:
            text += (f"; every interleaving with up to {self.bound} preemption"
                     f"{'s' if self.bound != 1 else ''} among them")
        return text + " (not exhaustive)"

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

    See docs/interleave.md. ``budget_s`` is a hard wall-clock bound (default 1 s when neither
    it nor ``max_schedules`` is given); with only ``max_schedules`` the result is fully
    deterministic for a given seed.
    """
    __tracebackhide__ = True  # pytest: show the learner's test, not the explorer's insides
    threads = list(threads)
    if not threads:
        raise ValueError("explore() needs at least one thread function")
    seed = resolve_seed(seed)
    if budget_s is None and max_schedules is None:
        budget_s = DEFAULT_BUDGET_S
    start = wall()
    deadline = start + budget_s if budget_s is not None else math.inf
    limit = max_schedules if max_schedules is not None else math.inf
    report = Report(0, 0.0, False, seed=seed)
    search = BoundedSearch(preemption_bound, _order_key(seed))
    with Session(setup, threads, check, max_steps or DEFAULT_MAX_STEPS) as session:
        report.backend = session.backend.name

        def dfs_allowed() -> bool:
            """The bounded search runs first; past its share only if it can still finish."""
            done = report.schedules
            if done >= limit:
                return False
            left = len(search.queue)
            at_last_level = search.complete_bound >= preemption_bound - 1
            if budget_s is not None:
                used = wall() - start
                if used > DFS_SHARE * budget_s:
                    per_schedule = used / max(done, 1)
                    return at_last_level and used + left * per_schedule <= budget_s
            elif done >= DFS_SHARE * limit:
                return at_last_level and done + left <= limit
            return True

        def one(strategy):
            __tracebackhide__ = True
            run = session.run(strategy, deadline)
            report.schedules += 1
            report.strategies[strategy.name] = report.strategies.get(strategy.name, 0) + 1
            if run.failure is not None:
                _fail(session, run, report, minimize, start)
            return run

        complete = False
        rng = random.Random(seed)
        walk = RandomWalk(rng)
        walks_due = EARLY_WALKS if preemption_bound >= 2 else 0
        while dfs_allowed() and search.next_schedule():
            if walks_due and search.complete_bound >= 1:
                while walks_due and report.schedules < limit and wall() < deadline:
                    walks_due -= 1
                    if one(walk).out_of_budget:
                        break
                walks_due = 0
                if not dfs_allowed():
                    break
            run = one(search)
            search.finished()
            if run.out_of_budget:
                break
        else:
            complete = search.exhausted
        report.bound = search.complete_bound
        report.interleavings = search.count
        if complete:
            report.exhausted = True
        else:
            pct = PCT(rng)
            turn = 0
            while report.schedules < limit and wall() < deadline:
                strategy = pct if turn % 2 == 0 else walk
                turn += 1
                run = one(strategy)
                pct.observed(len(run.decisions))
                if run.out_of_budget:
                    break
    report.elapsed_s = wall() - start
    return report


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
    stop = wall() + MINIMIZE_BUDGET_S
    trials = 0
    chunk = max(1, len(best) // 2)
    while chunk >= 1 and wall() < stop and trials < 400:
        removed = False
        i = len(best) - chunk
        while i >= 0 and wall() < stop:
            candidate = best[:i] + best[i + chunk:]
            trials += 1
            run = session.run(Planned(candidate), stop)
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
