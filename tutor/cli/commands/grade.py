"""``tutor grade DIR``: an instructor grades a whole batch, ``DIR/<learner>/<exercise-id>.py``.

Exit status: 0 when every file got a verdict (whatever the verdicts were: a learner's failure
is a row, not a red CI job); 1 when the pack cannot grade (its reference solution does not pass,
its hidden tests do not load) or the grader itself failed on a file; 2 for a usage error; 130
when interrupted (after writing the verdicts it has).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from tutor import __version__
from tutor.batch import (
    Settings,
    Submission,
    check_pack,
    default_jobs,
    discover,
    grade_batch,
    read_submission,
    select_shard,
)
from tutor.cli.context import Context, UsageError, add_jobs_option
from tutor.course import Course
from tutor.output import escape, say, terminal_safe
from tutor.reports import (
    FORMATS,
    Report,
    ReportError,
    ResultRow,
    Shard,
    Similar,
    check_writable,
    course_identity,
    format_for_path,
    write_report,
)

NAME = "grade"
HELP = "grade a batch of submissions, DIR/<learner>/<exercise-id>.py (for instructors)"
ORDER = 75
PACK_FAULT = 1
INTERRUPTED = 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="one folder per learner, one file per exercise")
    add_jobs_option(parser)
    parser.add_argument(
        "--shard",
        metavar="I/N",
        default=None,
        help="grade only every N-th file from the I-th (1-based), so N CI jobs share a batch",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="report format (default: from the -o suffix .json/.csv/.xml/.html, else json)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the report here (default: stdout)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="explorer seed for every file (default: $TUTOR_SEED, else 0)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="wall limit per file (default: each exercise's timeout_s)",
    )
    parser.add_argument(
        "--expect",
        default="handed-in",
        metavar="IDS",
        help="the exercises every learner owes; a learner without one gets a 'missing' row: "
        "handed-in (default: every exercise someone handed in), all (the whole course), "
        "none, or a comma-separated list of ids",
    )
    parser.add_argument(
        "--similar",
        action="store_true",
        help="flag near-identical files for the same exercise (winnowing fingerprints)",
    )
    parser.add_argument(
        "--similar-threshold",
        type=float,
        default=None,
        metavar="SHARE",
        help="how alike two files' own code must be to be flagged, 0 to 1 (default 0.8)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="refuse code the integrity policy flags (default: the course's `strict`)",
    )
    parser.add_argument(
        "--require-isolation",
        action="store_true",
        help="exit 2 instead of grading when an isolation layer is missing (see `tutor doctor`)",
    )
    parser.add_argument(
        "--no-pack-check",
        action="store_true",
        help="skip grading each exercise's reference solution before the batch",
    )


def _checked_options(args: argparse.Namespace) -> tuple[Path, int, Shard | None, int]:
    """The batch folder, jobs, shard and seed, or a usage error, before any grading starts."""
    root = Path(args.dir).expanduser()
    if not root.is_dir():
        raise UsageError(
            f"{escape(args.dir)}: no such directory; give the folder of learner folders"
        )
    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: give 1 or more")
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError(f"--timeout {args.timeout}: give a positive number of seconds")
    threshold = args.similar_threshold
    if threshold is not None and not 0 < threshold <= 1:
        raise UsageError(f"--similar-threshold {threshold}: give a share from 0 to 1, e.g. 0.8")
    try:
        shard = Shard.parse(args.shard) if args.shard else None
        check_writable(args.output)
    except (ValueError, ReportError) as exc:
        raise UsageError(terminal_safe(str(exc))) from None
    return root, jobs, shard, _seed(args.seed)


def _seed(explicit: int | None) -> int:
    if explicit is not None:
        return explicit
    text = os.environ.get("TUTOR_SEED", "").strip()
    try:
        return int(text) if text else 0
    except ValueError:
        raise UsageError(f"TUTOR_SEED={escape(text)!r} is not a whole number; unset it") from None


def _expected(spec: str, course: Course, handed_in: set[str]) -> list[str]:
    known = [exercise.id for exercise in course.exercises]
    if spec == "handed-in":
        return [exercise_id for exercise_id in known if exercise_id in handed_in]
    if spec == "all":
        return known
    if spec == "none":
        return []
    wanted = [part.strip() for part in spec.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in known]
    if unknown or not wanted:
        raise UsageError(
            f"--expect {escape(spec)}: unknown exercise(s) {', '.join(map(escape, unknown))}; "
            "give handed-in, all, none or ids from `tutor list`"
        )
    return wanted


def _grade_options(args: argparse.Namespace, course: Course) -> dict[str, Any]:
    """Keywords for ``tutor.grading.grade``: strict mode from --strict or the course."""
    return {"strict": True} if args.strict or course.strict else {}


def run(args: argparse.Namespace, ctx: Context) -> int:
    root, jobs, shard, seed = _checked_options(args)
    course = ctx.course
    if args.require_isolation:
        from tutor.cli.commands.check import require_isolation  # the same test as `check`'s

        require_isolation()
    try:
        found = discover(root)
    except OSError as exc:
        raise UsageError(f"{escape(args.dir)}: cannot list it: {exc.strerror or exc}") from None
    for warning in found.warnings:
        say(f"tutor: warning: {warning}")
    everything = found.with_missing(_expected(args.expect, course, found.handed_in()))
    if not everything:
        say(f"tutor: warning: no submissions under {escape(str(root))} "
            "(expected DIR/<learner>/<exercise-id>.py)")  # fmt: skip
    batch = select_shard(everything, shard)
    course_id, digest = course_identity(course)
    settings = Settings(
        seed=seed,
        timeout_s=args.timeout,
        options=_grade_options(args, course),
        course=course_id,
        tutor_version=__version__,
        require_isolation=args.require_isolation,
    )

    started = time.monotonic()
    if not args.no_pack_check:
        graded_ids = {s.exercise_id for s in batch if not s.missing and not s.problem}
        faults = check_pack(course, graded_ids, settings, jobs=jobs)
        for fault in faults:
            if fault.certain:
                say(f"tutor: error: the pack cannot grade {fault.exercise}: {fault.message}")
            else:  # a busy machine times out too: the learners' rows will say if it persists
                say(f"tutor: warning: {fault.exercise}: {fault.message}; grading goes on "
                    "(raise --timeout if learners' files time out too)")  # fmt: skip
        if any(fault.certain for fault in faults):
            say("tutor: nothing was graded: fix the pack (`tutor validate` shows more), or "
                "grade anyway with --no-pack-check")  # fmt: skip
            return PACK_FAULT
    with _sigterm_as_interrupt(), _progress_bar(len(batch)) as advance:
        result = grade_batch(course, root, batch, settings, jobs=jobs, on_row=advance)
    rows = result.rows
    if args.similar:
        rows = _flag_similar(course, root, everything, rows, args.similar_threshold)
    report = Report(
        rows=rows,
        complete=not result.interrupted,
        shard=shard,
        batch_size=len(everything),
        seed=seed,
        course=course_id,
        course_digest=digest,
        tutor_version=__version__,
    )
    fmt = format_for_path(args.output, args.format)
    try:
        how = write_report(report, fmt, args.output)
    except ReportError as exc:
        raise UsageError(terminal_safe(str(exc))) from None
    _summary(report, len(batch), time.monotonic() - started, args.output, how)
    if result.isolation:
        say(f"tutor: warning: graded without {len(result.isolation)} isolation layer(s) "
            f"({'; '.join(sorted(result.isolation))}); see `tutor doctor`")  # fmt: skip
    if result.interrupted:
        where = escape(args.output) if args.output else "stdout"
        say(
            f"tutor: interrupted: wrote the verdicts finished so far ({len(result.rows)}) to "
            f"{where}; {result.missing} of {result.total} files were not graded"
        )
        return INTERRUPTED
    if result.grader_faults:
        say(f"tutor: error: the grader failed on {result.grader_faults} file(s), not their "
            "learners: their rows say how; re-run them")  # fmt: skip
        return PACK_FAULT
    return 0


def _flag_similar(
    course: Course,
    root: Path,
    everything: list[Submission],
    rows: list[ResultRow],
    threshold: float | None,
) -> list[ResultRow]:
    """Mark each row with the learners whose file for the same exercise is nearly the same.

    Compares the whole batch (every shard reads every file), so a shard's rows are flagged
    against files other shards grade.
    """
    from tutor.similarity import DEFAULT_THRESHOLD, similar_pairs

    by_exercise: dict[str, dict[str, bytes]] = {}
    for sub in everything:
        if sub.missing or sub.problem:
            continue
        data = read_submission(root, sub)
        if isinstance(data, bytes):
            by_exercise.setdefault(sub.exercise_id, {})[sub.learner] = data
    flags: dict[tuple[str, str], list[Similar]] = {}
    for exercise_id, files in by_exercise.items():
        try:
            exercise = course.exercise(exercise_id)
        except KeyError:
            continue
        known = [exercise.starter_path.read_bytes()]
        if exercise.has_solution:
            known.append(exercise.solution_path.read_bytes())
        pairs = similar_pairs(
            exercise_id, files, known=known, threshold=threshold or DEFAULT_THRESHOLD
        )
        for match in pairs:
            flags.setdefault((match.first, exercise_id), []).append(
                Similar(match.second, match.score)
            )
            flags.setdefault((match.second, exercise_id), []).append(
                Similar(match.first, match.score)
            )
    return [
        replace(row, similar_to=tuple(sorted(flags[row.key], key=lambda s: (-s.score, s.learner))))
        if row.key in flags
        else row
        for row in rows
    ]


def _summary(report: Report, total: int, elapsed: float, output: str | None, how: str) -> None:
    shard = f" (shard {report.shard} of a batch of {report.batch_size})" if report.shard else ""
    target = f" -> {escape(output)} ({how})" if output not in (None, "-") else ""
    flagged = sum(bool(row.similar_to) for row in report.rows)
    similar = f"; {flagged} file(s) flagged as near-identical" if flagged else ""
    say(
        f"tutor: graded {len(report.rows)}/{total} files{shard} in {elapsed:.1f} s: "
        f"{report.tally()}{similar}{target}"
    )


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """A cancelled CI job gets SIGTERM: treat it like ctrl+c, so the partial report is written."""
    try:
        previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[ResultRow], None]]:
    """A rich progress bar on stderr when it is a terminal; silent in pipes and CI logs."""
    if not sys.stderr.isatty() or total == 0:
        yield lambda row: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", markup=False),  # learners' names are not markup
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task("", total=total)

        def advance(row: ResultRow) -> None:
            progress.update(task, advance=1, description=f"{row.learner}/{row.exercise}")

        yield advance
