"""``tutor grade DIR``: an instructor grades a whole batch, ``DIR/<learner>/<exercise-id>.py``."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tutor.batch import default_jobs, discover, grade_batch, select_shard
from tutor.cli.context import Context, UsageError, add_jobs_option
from tutor.reports import (
    FORMATS,
    Report,
    ReportError,
    ResultRow,
    Shard,
    check_writable,
    format_for_path,
    write_report,
)

NAME = "grade"
HELP = "grade a batch of submissions, DIR/<learner>/<exercise-id>.py (for instructors)"
ORDER = 75
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
        help="report format (default: from the -o suffix .json/.csv/.xml, else json)",
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
        "--strict",
        action="store_true",
        help="refuse files the integrity policy flags (default: the course's `strict`)",
    )
    parser.add_argument(
        "--require-isolation",
        action="store_true",
        help="exit 2 instead of grading when an isolation layer is missing (see `tutor doctor`)",
    )


def _checked_options(args: argparse.Namespace) -> tuple[Path, int, Shard | None]:
    """The batch folder, jobs and shard, or a usage error, before any grading starts."""
    root = Path(args.dir).expanduser()
    if not root.is_dir():
        raise UsageError(f"{args.dir}: no such directory; give the folder of learner folders")
    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: give 1 or more")
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError(f"--timeout {args.timeout}: give a positive number of seconds")
    try:
        shard = Shard.parse(args.shard) if args.shard else None
        check_writable(args.output)
    except (ValueError, ReportError) as exc:
        raise UsageError(str(exc)) from None
    return root, jobs, shard


def run(args: argparse.Namespace, ctx: Context) -> int:
    root, jobs, shard = _checked_options(args)
    course = ctx.course
    if args.require_isolation:
        from tutor.cli.commands.check import require_isolation

        require_isolation()
    if args.strict:
        course = dataclasses.replace(course, strict=True)
    try:
        everything, warnings = discover(root)
    except OSError as exc:
        raise UsageError(f"{args.dir}: cannot list it: {exc.strerror or exc}") from None
    for warning in warnings:
        print(f"tutor: warning: {warning}", file=sys.stderr)
    if not everything:
        print(
            f"tutor: warning: no submissions under {root} "
            "(expected DIR/<learner>/<exercise-id>.py)",
            file=sys.stderr,
        )
    batch = select_shard(everything, shard)

    started = time.monotonic()
    with _sigterm_as_interrupt(), _progress_bar(len(batch)) as advance:
        result = grade_batch(
            course, batch, jobs=jobs, seed=args.seed, timeout_s=args.timeout, on_row=advance
        )
    report = Report(
        rows=result.rows, complete=not result.interrupted, shard=shard, batch_size=len(everything)
    )
    write_report(report, format_for_path(args.output, args.format), args.output)
    _summary(report, len(batch), time.monotonic() - started, args.output)
    if result.interrupted:
        where = args.output or "stdout"
        print(
            f"tutor: interrupted: wrote the verdicts finished so far ({len(result.rows)}) to "
            f"{where}; {result.missing} of {result.total} files were not graded",
            file=sys.stderr,
        )
        return INTERRUPTED
    return 0


def _summary(report: Report, total: int, elapsed: float, output: str | None) -> None:
    shard = f" (shard {report.shard} of a batch of {report.batch_size})" if report.shard else ""
    target = f" -> {output}" if output not in (None, "-") else ""
    print(
        f"tutor: graded {len(report.rows)}/{total} files{shard} in {elapsed:.1f} s: "
        f"{report.tally()}{target}",
        file=sys.stderr,
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
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task("", total=total)

        def advance(row: ResultRow) -> None:
            progress.update(task, advance=1, description=f"{row.learner}/{row.exercise}")

        yield advance
