"""``tutor validate [--repeat N] [--json]``: is the course sound?

For course authors and CI: every course defect the loader finds, then, for every exercise, the
starter must fail and the solution must pass, with ``TUTOR_SEED`` 0..N-1. Gradings run in
parallel, one per core.
"""

from __future__ import annotations

import argparse
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.batch import default_jobs
from tutor.cli.context import Context, UsageError, add_jobs_option, print_json
from tutor.course import Exercise, find_defects
from tutor.grading import grade
from tutor.verdict import Verdict

NAME = "validate"
HELP = "check the course: starters fail, solutions pass, metadata is sound (for authors)"
ORDER = 70


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N", help="grade each file with seeds 0..N-1"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_jobs_option(parser)


@dataclass
class ExerciseCheck:
    """The statuses of one exercise's starter and solution, seed by seed, and its problems."""

    id: str
    repeat: int
    starter: list[str | None] = field(default_factory=list)
    solution: list[str | None] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (sort key, text)
    # A solution that fails: the seed and the failure itself (the interleaving that shows it).
    failures: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starter = [None] * self.repeat
        self.solution = [None] * self.repeat

    @property
    def ok(self) -> bool:
        return not self.problems and None not in self.starter + self.solution

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ok": self.ok,
            "starter": self.starter,
            "solution": self.solution,
            "problems": [text for _, text in sorted(self.problems)],
            "failures": sorted(self.failures, key=lambda f: f["seed"]),
        }


def _judge(check: ExerciseCheck, which: str, seed: int, verdict: Verdict) -> None:
    getattr(check, which)[seed] = verdict.status
    order = seed * 2 + (which == "solution")
    why = ""
    if verdict.failure is not None:
        first_line = (verdict.failure.message.splitlines() or [""])[0]
        why = f": {verdict.failure.kind}: {first_line}"
    if which == "starter" and verdict.status == "passed":
        check.problems.append((order, f"the starter passes with seed {seed}; it must fail"))
    elif which == "starter" and verdict.status == "error":
        check.problems.append((order, f"the starter could not be graded with seed {seed}{why}"))
    elif which == "solution" and verdict.status != "passed":
        check.problems.append((order, f"the solution {verdict.status} with seed {seed}{why}"))
        if verdict.failure is not None:
            failure = verdict.failure
            check.failures.append(
                {"seed": seed, "kind": failure.kind, "message": failure.message,
                 "schedule": failure.schedule, "timeline": failure.timeline}
            )  # fmt: skip


def _grade_one(exercise: Exercise, which: str, seed: int, cancel: threading.Event) -> Verdict | str:
    path: Path = exercise.starter_path if which == "starter" else exercise.solution_path
    try:
        return grade(exercise, path, seed=seed, cancel=cancel)
    except OSError as exc:
        return f"cannot read {exc.filename or path}: {exc.strerror or exc}"


def validate(
    exercises: tuple[Exercise, ...], repeat: int, jobs: int, progress: bool
) -> list[ExerciseCheck]:
    """Grade every starter and solution ``repeat`` times, ``jobs`` at a time."""
    checks = {ex.id: ExerciseCheck(ex.id, repeat) for ex in exercises}
    runs = [(ex, which, seed) for ex in exercises for seed in range(repeat)
            for which in ("starter", "solution")]  # fmt: skip
    cancel = threading.Event()
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = {pool.submit(_grade_one, *run, cancel): run for run in runs}
        for done, future in enumerate(as_completed(futures), 1):
            exercise, which, seed = futures[future]
            result = future.result()
            check = checks[exercise.id]
            if isinstance(result, str):
                getattr(check, which)[seed] = "error"
                check.problems.append((seed * 2 + (which == "solution"), result))
            else:
                _judge(check, which, seed, result)
            if progress:
                sys.stderr.write(f"\rvalidate: {done}/{len(runs)} gradings ({exercise.id})\x1b[K")
                sys.stderr.flush()
    except BaseException:
        cancel.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if progress:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
    return [checks[ex.id] for ex in exercises]


def run(args: argparse.Namespace, ctx: Context) -> int:
    if args.repeat < 1:
        raise UsageError(f"--repeat {args.repeat}: give at least 1")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: give at least 1")
    defects = find_defects(ctx.course_root)
    if defects:
        if args.json:
            print_json({"ok": False, "defects": defects, "exercises": []})
        else:
            print("The course does not load:")
            print("\n".join(f"  {defect}" for defect in defects))
        return 1
    exercises = ctx.course.exercises
    checks = validate(
        exercises, args.repeat, args.jobs or default_jobs(), progress=sys.stderr.isatty()
    )
    ok = all(check.ok for check in checks)
    if args.json:
        print_json({"ok": ok, "defects": [], "exercises": [check.to_dict() for check in checks]})
    else:
        for check in checks:
            mark = "ok  " if check.ok else "FAIL"
            print(f"{mark}  {check.id}  starter: {_tally(check.starter)}; "
                  f"solution: {_tally(check.solution)}")  # fmt: skip
            for _, problem in sorted(check.problems):
                print(f"        {problem}")
            for failure in sorted(check.failures, key=lambda f: f["seed"])[:1]:
                _print_failure(failure)
        bad = sum(not check.ok for check in checks)
        runs = 2 * args.repeat * len(checks)
        summary = "sound" if ok else f"{bad} of {len(checks)} exercises have problems"
        print(f"\n{len(checks)} exercises, {runs} gradings: {summary}")
    return 0 if ok else 1


def _tally(statuses: list[str | None]) -> str:
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status or "not run"] = counts.get(status or "not run", 0) + 1
    return ", ".join(f"{status} x{n}" if n > 1 else status for status, n in counts.items())


def _print_failure(failure: dict[str, Any], max_lines: int = 40) -> None:
    """Show the first failing seed's interleaving, so the author sees why, not just that."""
    lines = failure["message"].splitlines()
    print(f"        seed {failure['seed']}, how it failed:")
    for line in lines[:max_lines]:
        print(f"          {line}")
    if len(lines) > max_lines:
        print(f"          [... {len(lines) - max_lines} more lines]")
    if failure["schedule"]:
        print(f"          schedule: {failure['schedule']} (replay: tutor check ID --file "
              f"solution.py --seed {failure['seed']})")  # fmt: skip
