"""``tutor export``: a learner hands in their own results, optionally with their code (zip).

The zip holds ``<learner>/<exercise-id>.py`` for every exercise the learner worked on, and
``<learner>/results.json``: an instructor who unzips every hand-in into one folder can run
`tutor grade` on it directly and get verdicts of their own, not just the learner's word.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import zipfile
from pathlib import Path

from tutor.cli.context import Context, UsageError
from tutor.reports import (
    FORMATS,
    Report,
    ReportError,
    ResultRow,
    check_writable,
    format_for_path,
    render,
    write_report,
)
from tutor.state import LearnerState
from tutor.verdict import Verdict

NAME = "export"
HELP = "export your results to hand in (json, csv, junit, or zip with your code)"
ORDER = 50


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=(*FORMATS, "zip"),
        default=None,
        help="json, csv, junit, or zip (your code + results.json); default from -o, else json",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write here (default: stdout; for zip, <learner>-threading-tutor.zip)",
    )


def learner_name() -> str:
    """``$USER`` (the contract's learner name), else the login name; safe as a folder name."""
    name = os.environ.get("USER")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "learner"
    return name.replace("/", "_").replace("\\", "_").lstrip(".") or "learner"  # a folder name


def export_rows(state: LearnerState, learner: str) -> list[ResultRow]:
    """One row per exercise: the last verdict; a pass is never undone; ``new`` if never checked."""
    recorded = state.progress_data()["exercises"]
    rows = []
    for exercise in state.course.exercises:
        entry = recorded.get(exercise.id, {})
        passed = entry.get("status") == "passed"
        last = entry.get("last_verdict")
        row = _row_from_stored(learner, exercise.id, last) if last else None
        if row is None or (passed and row.status != "passed"):
            row = ResultRow(learner, exercise.id, "passed" if passed else "new", 0.0)
        rows.append(row)
    return rows


def _row_from_stored(learner: str, exercise_id: str, stored: dict) -> ResultRow | None:
    try:
        verdict = Verdict.from_dict({**stored, "exercise": exercise_id})
    except (KeyError, TypeError, ValueError):  # a verdict stored by an older version
        return None
    return ResultRow.from_verdict(learner, verdict)


def run(args: argparse.Namespace, ctx: Context) -> int:
    learner = learner_name()
    fmt = args.format or ("zip" if (args.output or "").endswith(".zip") else None)
    fmt = fmt or format_for_path(args.output, None)
    try:
        check_writable(args.output)
    except ReportError as exc:
        raise UsageError(str(exc)) from None
    report = Report(rows=export_rows(ctx.state, learner))
    if fmt != "zip":
        write_report(report, fmt, args.output)
        return 0
    if args.output == "-":
        raise UsageError("--format zip writes a file; give -o FILE.zip")
    target = Path(args.output or f"{learner}-threading-tutor.zip")
    files = write_zip(target, ctx.state, learner, report)
    print(f"tutor: wrote {target} ({files} code files and results.json)", file=sys.stderr)
    return 0


def write_zip(target: Path, state: LearnerState, learner: str, report: Report) -> int:
    """Write the hand-in zip atomically; returns how many code files it holds."""
    worked_on = [row.exercise for row in report.rows if row.status != "new"]
    copies = [(ex, state.work_dir / f"{ex}.py") for ex in worked_on]
    copies = [(ex, path) for ex, path in copies if path.is_file()]
    partial = target.with_name(f".{target.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for exercise_id, path in copies:
                archive.write(path, f"{learner}/{exercise_id}.py")
            archive.writestr(f"{learner}/results.json", render(report, "json"))
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    return len(copies)
