"""The benchmark's contestants, each behind the same two calls.

``detect(case, seed, budget_s)`` runs the tool on a starter case until it reports a failure or
gives up; ``verdict(case, seed, budget_s)`` runs it on a solution case for a verdict. Both return
a dict: ``kind`` (None when nothing was found), ``seconds``, ``schedules``, ``exhausted`` (True,
False, or None when the tool does not say) and ``note``. Each tool runs in a process of its own
(``prepare()`` may patch ``threading`` for the whole process), started by bench_interleave.py.
"""

from __future__ import annotations

import threading
import time

from . import baseline


def _result(kind, seconds, schedules, exhausted=None, note=""):
    return {
        "kind": kind,
        "seconds": seconds,
        "schedules": schedules,
        "exhausted": exhausted,
        "note": note,
    }


class Tutor:
    """Our explorer, installed as the grading sandbox installs it (before the learner's import)."""

    def __init__(self, points="shared"):
        self.points = points
        self.name = "tutor" if points == "shared" else "tutor-all-opcodes"

    def prepare(self) -> None:
        from tutor.interleave import install, set_point_mode

        install()
        set_point_mode(self.points)

    def _run(self, case, seed, budget_s, minimize):
        from tutor.interleave import InterleavingFailure, explore

        start = time.perf_counter()
        try:
            report = explore(
                case.setup,
                case.threads,
                case.check,
                seed=seed,
                budget_s=budget_s,
                minimize=minimize,
            )
        except InterleavingFailure as failure:
            seconds = time.perf_counter() - start
            schedules = failure.report.schedules if getattr(failure, "report", None) else 0
            return _result(failure.kind, seconds, schedules, note=failure.schedule)
        # "proved" is a complete search (issue 18): every interleaving, not only a bound's
        out = _result(None, time.perf_counter() - start, report.schedules,
                      getattr(report, "complete", report.exhausted), report.summary)
        out["traces"] = getattr(report, "traces", 0)
        return out

    def detect(self, case, seed, budget_s):
        return self._run(case, seed, budget_s, minimize=False)

    def detect_minimized(self, case, seed, budget_s):
        """What the learner waits for: detection plus shrinking and the recorded replay."""
        return self._run(case, seed, budget_s, minimize=True)

    def verdict(self, case, seed, budget_s):
        return self._run(case, seed, None if budget_s is None else budget_s, minimize=True)


class Baseline:
    """The plain per-opcode settrace random scheduler (interleave_cases/baseline.py)."""

    name = "settrace-random (baseline)"

    def prepare(self) -> None:
        baseline.install()

    def _run(self, case, seed, budget_s):
        failure, schedules, seconds = baseline.explore(
            case.setup, case.threads, case.check, seed=seed, budget_s=budget_s
        )
        kind, message = failure if failure else (None, "")
        return _result(kind, seconds, schedules, False, message[:80])

    detect = verdict = _run


def _invariant(check):
    def holds(state) -> bool:
        if check is None:
            return True
        try:
            check(state)
        except AssertionError:
            return False
        return True

    return holds


class Frontrun:
    """frontrun 0.7.0 ``explore`` with its virtual clock; run under the ``frontrun`` CLI."""

    def __init__(self, strategy="dpor"):
        self.strategy = strategy
        self.name = f"frontrun-{strategy}"

    def prepare(self) -> None:
        import frontrun  # noqa: F401 - patches threading under FRONTRUN_ACTIVE=1

    def _run(self, case, seed, budget_s):
        import frontrun

        kwargs = {"clock": "virtual", "total_timeout": budget_s}
        if self.strategy == "random":
            kwargs.update(strategy="random", seed=seed, max_attempts=1_000_000)
        else:
            kwargs.update(reproduce_on_failure=0)
        start = time.perf_counter()
        try:
            result = frontrun.explore(case.setup, case.threads, _invariant(case.check), **kwargs)
        except Exception as exc:  # noqa: BLE001 - report what the tool does, whatever it is
            return _result(
                None,
                time.perf_counter() - start,
                0,
                None,
                f"error {type(exc).__name__}: {exc}"[:100],
            )
        seconds = time.perf_counter() - start
        holds = result.property_holds
        if holds is None:
            return _result(
                None,
                seconds,
                result.num_explored,
                None,
                f"inconclusive: {result.inconclusive_reason}"[:100],
            )
        if holds is False:
            text = (result.explanation or "").lower()
            kind = "deadlock" if "deadlock" in text else "failure"
            return _result(kind, seconds, result.num_explored)
        # Thread mode leaves .exhausted unset; a DPOR search that stopped before its time limit
        # has covered its preemption bound.
        done = self.strategy == "dpor" and seconds < 0.9 * budget_s
        return _result(None, seconds, result.num_explored, done if done else None)

    detect = verdict = _run


class InterleaveTest:
    """interleave-test 0.1.0 (3.12+): the case becomes a model that spawns, joins and checks."""

    def __init__(self, strategy="random"):
        self.strategy = strategy
        self.name = f"interleave-test-{strategy}"

    def prepare(self) -> None:
        import interleave_test  # noqa: F401

    def _run(self, case, seed, budget_s):
        import interleave_test as it

        def model():
            state = case.setup()
            spawned = [it.spawn(fn, state) for fn in case.threads]
            for t in spawned:
                t.join()
            if case.check is not None:
                case.check(state)

        strategy = it.DFSStrategy(2) if self.strategy == "dfs" else self.strategy
        start = time.perf_counter()
        schedules = 0
        chunk = 0
        exhausted = False
        # It has no time budget, only a schedule count: run small chunks until the budget is spent.
        while time.perf_counter() - start < budget_s:
            try:
                result = it.explore(
                    model,
                    iterations=5,
                    seed=seed * 1000 + chunk,
                    strategy=strategy,
                    timeout=max(budget_s, 1.0),
                    raise_on_failure=False,
                )
            except Exception as exc:  # noqa: BLE001
                return _result(
                    None,
                    time.perf_counter() - start,
                    schedules,
                    None,
                    f"error {type(exc).__name__}: {exc}"[:100],
                )
            chunk += 1
            schedules += result.schedules_run
            if result.failure is not None:
                kind = {"exception": "failure"}.get(result.failure.kind, result.failure.kind)
                return _result(kind, time.perf_counter() - start, schedules)
            if result.exhausted or result.schedules_run == 0:
                exhausted = self.strategy == "dfs"
                break
        return _result(None, time.perf_counter() - start, schedules, exhausted)

    detect = verdict = _run


class Stress:
    """Real, unscheduled threads: the test a learner would write without the explorer."""

    name = "plain threads"

    def prepare(self) -> None:
        pass

    def detect(self, case, seed, budget_s):
        start = time.perf_counter()
        state = case.setup()
        errors: list[BaseException] = []

        def body(fn):
            try:
                fn(state)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=body, args=(fn,), daemon=True) for fn in case.threads]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(0.0, budget_s - (time.perf_counter() - start)))
        seconds = time.perf_counter() - start
        if any(t.is_alive() for t in threads):
            return _result("hang", seconds, 1)
        if errors:
            return _result("failure", seconds, 1, note=repr(errors[0])[:80])
        try:
            if case.check is not None:
                case.check(state)
        except AssertionError as exc:
            return _result("failure", seconds, 1, note=str(exc)[:80])
        return _result(None, seconds, 1)


TOOLS = {
    "tutor": lambda: Tutor("shared"),
    "tutor-all": lambda: Tutor("all"),
    "baseline": Baseline,
    "frontrun-dpor": lambda: Frontrun("dpor"),
    "frontrun-random": lambda: Frontrun("random"),
    "it-random": lambda: InterleaveTest("random"),
    "it-pct": lambda: InterleaveTest("pct"),
    "it-dfs": lambda: InterleaveTest("dfs"),
    "stress": Stress,
}
