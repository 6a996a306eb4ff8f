"""``tutor validate [ID ...] [--repeat N] [--json]``: is the course sound?

For course authors and CI. Every course defect the loader finds; then, for every exercise and
every seed 0..N-1 (default 5), the starter must fail, the solution must pass and every tempting
wrong fix in ``wrong/`` must fail: a wrong fix that passes on some seed means the hidden tests
are too weak to catch it on every run. The starter's failure must be explained as the exercise
declares (``explains``). Then the static checks of ``tutor.lint``: placeholders, lesson demos,
and hidden tests that fix the seed, check without asserting, or wait for threads in real time.
Gradings run in parallel, one per core.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.batch import default_jobs
from tutor.cli.context import Context, UsageError, add_jobs_option, print_json
from tutor.course import Course, Exercise, find_defects
from tutor.grading import grade
from tutor.lint import Finding, lint_course
from tutor.output import escape, terminal_safe
from tutor.verdict import Verdict

NAME = "validate"
HELP = "check the course: starters and wrong fixes fail, solutions pass, tests are sound"
ORDER = 70
DEFAULT_REPEAT = 5
RETRY_FACTOR = 3  # a timed-out run is graded again with this many times the limit
MAX_FAILURE_LINES = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="only these exercises (default: all)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=DEFAULT_REPEAT,
        metavar="N",
        help=f"grade each file with seeds 0..N-1 (default {DEFAULT_REPEAT})",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--no-wrong-fixes",
        action="store_true",
        help="skip the wrong/ fixes (quicker; the hidden tests' strength is then unchecked)",
    )
    add_jobs_option(parser)


@dataclass
class FileRuns:
    """One file of an exercise graded with each seed: its statuses and verdicts."""

    label: str  # "starter", "solution" or "wrong/<name>.py"
    path: Path
    repeat: int
    statuses: list[str | None] = field(default_factory=list)
    verdicts: dict[int, Verdict] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)  # the file could not be read
    # Seeds whose first run hit the wall limit and that were graded again with a longer one.
    retried: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.statuses = [None] * self.repeat

    def seeds(self, *statuses: str) -> list[int]:
        return [seed for seed, status in enumerate(self.statuses) if status in statuses]


@dataclass
class ExerciseCheck:
    """Everything validate found out about one exercise."""

    exercise: Exercise
    repeat: int
    with_wrong: bool = True
    starter: FileRuns = field(init=False)
    solution: FileRuns | None = field(init=False)
    wrong: list[FileRuns] = field(init=False)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)  # the solution's, per seed

    def __post_init__(self) -> None:
        ex = self.exercise
        self.starter = FileRuns("starter", ex.starter_path, self.repeat)
        self.solution = (
            FileRuns("solution", ex.solution_path, self.repeat) if ex.has_solution else None
        )
        wrong = sorted((ex.directory / "wrong").glob("*.py")) if self.with_wrong else []
        self.wrong = [FileRuns(f"wrong/{path.name}", path, self.repeat) for path in wrong]

    @property
    def id(self) -> str:
        return self.exercise.id

    def files(self) -> list[FileRuns]:
        return [self.starter, *([self.solution] if self.solution else []), *self.wrong]

    @property
    def ok(self) -> bool:
        ran = all(None not in runs.statuses for runs in self.files())
        return ran and not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ok": self.ok,
            "starter": self.starter.statuses,
            "solution": self.solution.statuses if self.solution else [],
            "wrong": {runs.label: runs.statuses for runs in self.wrong},
            "explanations": [_explained(self.starter.verdicts.get(s)) for s in range(self.repeat)],
            "problems": self.problems,
            "warnings": self.warnings,
            "failures": sorted(self.failures, key=lambda f: f["seed"]),
        }


def _explained(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None or verdict.failure is None or not verdict.failure.explanation:
        return None
    explanation = verdict.failure.explanation
    return {"pattern": explanation.get("pattern"), "location": explanation.get("location")}


def _seeds(seeds: list[int]) -> str:
    word = "seed" if len(seeds) == 1 else "seeds"
    return f"{word} {', '.join(map(str, seeds))}"


def _first_line(verdict: Verdict | None) -> str:
    if verdict is None or verdict.failure is None or not verdict.failure.message:
        return ""
    return f": {verdict.failure.kind}: {verdict.failure.message.splitlines()[0]}"


# --- judging the runs ---------------------------------------------------------------------------


def judge(check: ExerciseCheck) -> None:
    """Turn the statuses into problems, once every run is in."""
    for runs in check.files():
        for _seed, reason in sorted(runs.errors.items()):
            check.problems.append(f"{runs.label}: {reason}")
    starter = check.starter
    passing = starter.seeds("passed")
    if passing:
        check.problems.append(
            f"the starter passes with {_seeds(passing)}; it must fail: the hidden tests do not "
            "catch its bug on every run"
        )
    for seed in starter.seeds("error"):
        reason = _first_line(starter.verdicts.get(seed))
        check.problems.append(f"the starter could not be graded with seed {seed}{reason}")
    if check.solution is not None:
        for seed, status in enumerate(check.solution.statuses):
            if status in (None, "passed") or seed in check.solution.errors:
                continue
            verdict = check.solution.verdicts[seed]
            check.problems.append(f"the solution {status} with seed {seed}{_first_line(verdict)}")
            if verdict.failure is not None:
                failure = verdict.failure
                check.failures.append(
                    {"seed": seed, "kind": failure.kind, "message": failure.message,
                     "schedule": failure.schedule, "timeline": failure.timeline}
                )  # fmt: skip
    for runs in check.wrong:
        passing = runs.seeds("passed")
        if passing:
            check.problems.append(
                f"{runs.label} passes with {_seeds(passing)}: the hidden tests do not catch "
                "it on every run"
            )
        crashed = runs.seeds("error")
        if crashed:
            reason = _first_line(runs.verdicts.get(crashed[0]))
            check.problems.append(
                f"{runs.label} could not be graded with {_seeds(crashed)}{reason}; a wrong fix "
                "must run and fail the tests, not crash"
            )
    check.problems += check_explanations(check.exercise, check.starter.verdicts)
    limit = check.exercise.timeout_s
    for runs in check.files():
        for seed, status in sorted(runs.retried.items()):
            check.warnings.append(
                f"{runs.label}: seed {seed} timed out at {limit:g} s and got {status} with "
                f"{limit * RETRY_FACTOR:g} s: this machine was busy, or timeout_s is tight"
            )


def check_explanations(exercise: Exercise, verdicts: dict[int, Verdict]) -> list[str]:
    """The starter's failure must be explained with the declared pattern and location.

    An exercise that declares nothing is not checked. Each seed's starter failure counts; a
    failure with no explanation at all is a problem when one is declared.
    """
    declared = dict(exercise.explains)
    if not declared:
        return []
    want_pattern, want_location = declared.get("pattern"), declared.get("location")
    outcomes: dict[str, list[int]] = {}
    for seed, verdict in sorted(verdicts.items()):
        if verdict.status == "passed":
            continue  # already a problem of its own
        explanation = verdict.failure.explanation if verdict.failure is not None else None
        if not explanation:
            outcomes.setdefault("no explanation", []).append(seed)
            continue
        pattern, location = explanation.get("pattern"), explanation.get("location")
        if pattern != want_pattern or (
            want_location is not None and _normal(location) != _normal(want_location)
        ):
            outcomes.setdefault(f"explained as {pattern} at {location}", []).append(seed)
    if not outcomes:
        return []
    wanted = f"{want_pattern}" + (f" at {want_location}" if want_location is not None else "")
    found = "; ".join(f"{_seeds(seeds)}: {what}" for what, seeds in outcomes.items())
    return [
        f"the starter's failure must be explained as {wanted} (explains in exercise.toml), "
        f"but {found}"
    ]


def _normal(location: Any) -> str:
    return "".join(str(location).split()) if location is not None else ""


# --- running ------------------------------------------------------------------------------------


def _grade_one(
    exercise: Exercise, runs: FileRuns, seed: int, cancel: threading.Event
) -> Verdict | str:
    """One grading; a timeout is graded once more with three times the limit.

    A timeout is the one verdict that depends on the machine: on a busy one, a run that
    needs 2 s of CPU can take 10 s of wall time. The second run tells a slow machine (it
    passes or fails then; a warning says so) from code that really hangs (it times out again).
    """
    try:
        verdict = grade(exercise, runs.path, seed=seed, cancel=cancel)
        if verdict.status == "timeout" and not (cancel and cancel.is_set()):
            longer = exercise.timeout_s * RETRY_FACTOR
            again = grade(exercise, runs.path, seed=seed, cancel=cancel, timeout_s=longer)
            if again.status != "timeout":
                runs.retried[seed] = again.status
            return again
        return verdict
    except OSError as exc:
        return f"cannot read {exc.filename or runs.path}: {exc.strerror or exc}"


def validate(
    exercises: tuple[Exercise, ...] | list[Exercise],
    repeat: int,
    jobs: int,
    progress: bool,
    *,
    with_wrong: bool = True,
) -> list[ExerciseCheck]:
    """Grade every starter, solution and wrong fix ``repeat`` times, ``jobs`` at a time."""
    checks = [ExerciseCheck(ex, repeat, with_wrong) for ex in exercises]
    runs = [(check, files, seed) for seed in range(repeat) for check in checks
            for files in check.files()]  # fmt: skip
    cancel = threading.Event()
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="validate")
    try:
        futures = {
            pool.submit(_grade_one, check.exercise, files, seed, cancel): (check, files, seed)
            for check, files, seed in runs
        }
        for done, future in enumerate(as_completed(futures), 1):
            check, files, seed = futures[future]
            result = future.result()
            if isinstance(result, str):
                files.statuses[seed] = "error"
                files.errors[seed] = result
            else:
                files.statuses[seed] = result.status
                files.verdicts[seed] = result
            if progress:
                sys.stderr.write(f"\rvalidate: {done}/{len(runs)} gradings ({check.id})\x1b[K")
                sys.stderr.flush()
    except BaseException:
        cancel.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if progress:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
    for check in checks:
        judge(check)
    return checks


def _add_findings(checks: list[ExerciseCheck], per_exercise: dict[str, list[Finding]]) -> None:
    for check in checks:
        for finding in per_exercise.get(check.id, []):
            target = check.problems if finding.severity == "problem" else check.warnings
            target.append(str(finding))


def run(args: argparse.Namespace, ctx: Context) -> int:
    if args.repeat < 1:
        raise UsageError(f"--repeat {args.repeat}: give at least 1")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: give at least 1")
    defects = find_defects(ctx.course_root)
    if defects:
        if args.json:
            print_json({"ok": False, "defects": defects, "problems": [], "warnings": [],
                        "exercises": []})  # fmt: skip
        else:
            print("The course does not load:")
            print("\n".join(f"  {terminal_safe(defect)}" for defect in defects))
        return 1
    course = ctx.course
    exercises = _chosen(course, args.ids)
    overall, per_exercise = lint_course(course)
    checks = validate(
        exercises,
        args.repeat,
        args.jobs or default_jobs(),
        progress=sys.stderr.isatty(),
        with_wrong=not args.no_wrong_fixes,
    )
    _add_findings(checks, per_exercise)
    course_problems = [str(f) for f in overall if f.severity == "problem"]
    course_warnings = [str(f) for f in overall if f.severity != "problem"]
    ok = all(check.ok for check in checks) and not course_problems
    if args.json:
        print_json(
            {"ok": ok, "defects": [], "repeat": args.repeat, "problems": course_problems,
             "warnings": course_warnings, "exercises": [check.to_dict() for check in checks]}
        )  # fmt: skip
        return 0 if ok else 1
    for line in course_problems:
        print(terminal_safe(f"FAIL  {line}"))
    for line in course_warnings:
        print(terminal_safe(f"warn  {line}"))
    for check in checks:
        _print_check(check, ctx)
    bad = sum(not check.ok for check in checks)
    gradings = sum(len(check.files()) for check in checks) * args.repeat
    found = [f"{bad} of {len(checks)} exercises have problems"] if bad else []
    if course_problems:
        found.insert(0, f"{len(course_problems)} course-wide problem(s)")
    summary = "sound" if ok else "not sound: " + ", ".join(found)
    print(f"\n{len(checks)} exercises, {gradings} gradings (seeds 0..{args.repeat - 1}): {summary}")
    return 0 if ok else 1


def _chosen(course: Course, ids: list[str]) -> list[Exercise]:
    if not ids:
        return list(course.exercises)
    chosen = []
    for exercise_id in ids:
        try:
            chosen.append(course.exercise(exercise_id))
        except KeyError:
            raise UsageError(
                f"unknown exercise {escape(exercise_id)!r}; `tutor list` shows the ids"
            ) from None
    return chosen


def _tally(statuses: list[str | None]) -> str:
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status or "not run"] = counts.get(status or "not run", 0) + 1
    return ", ".join(f"{status} x{n}" if n > 1 else status for status, n in counts.items())


def _print_check(check: ExerciseCheck, ctx: Context) -> None:
    mark = "ok  " if check.ok else "FAIL"
    parts = [f"starter: {_tally(check.starter.statuses)}"]
    if check.solution is not None:
        parts.append(f"solution: {_tally(check.solution.statuses)}")
    if check.wrong:
        statuses = [s for runs in check.wrong for s in runs.statuses]
        parts.append(f"{len(check.wrong)} wrong fix(es): {_tally(statuses)}")
    print(terminal_safe(f"{mark}  {check.id}  {'; '.join(parts)}"))
    for problem in check.problems:
        print(terminal_safe(f"        {problem}"))
    for warning in check.warnings:
        print(terminal_safe(f"        warning: {warning}"))
    for failure in sorted(check.failures, key=lambda f: f["seed"])[:1]:
        _print_failure(check.exercise, failure, ctx)


def replay_command(exercise: Exercise, path: Path, seed: int, ctx: Context) -> str:
    """The `check` command that shows this seed's failure, step by step."""
    argv = ["python", "-m", "tutor"]
    if ctx.course_root is not None:
        argv += ["--course", _near(ctx.course_root)]
    argv += ["check", exercise.id, "--file", _near(path), "--seed", str(seed)]
    return shlex.join(argv)


def _near(path: Path) -> str:
    """A path as short as it can be from here: relative when below the current folder."""
    try:
        return os.path.relpath(path) if Path(path).is_relative_to(Path.cwd()) else str(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def _print_failure(exercise: Exercise, failure: dict[str, Any], ctx: Context) -> None:
    """Show the first failing seed's interleaving, so the author sees why, not just that."""
    lines = terminal_safe(failure["message"]).splitlines()
    print(f"        seed {failure['seed']}, how it failed:")
    for line in lines[:MAX_FAILURE_LINES]:
        print(f"          {line}")
    if len(lines) > MAX_FAILURE_LINES:
        print(f"          [... {len(lines) - MAX_FAILURE_LINES} more lines]")
    command = replay_command(exercise, exercise.solution_path, failure["seed"], ctx)
    print(f"        replay it step by step: {terminal_safe(command)}")
