"""``tutor export``: a learner hands in their own results, optionally with their code (zip).

The zip holds ``<course>/<learner>/<exercise-id>.py`` for every exercise the learner worked on,
and ``<course>/<learner>/results.json``: an instructor who unzips every hand-in into one folder
gets ``<folder>/<course>/``, a batch `tutor grade` grades directly, with verdicts of their own,
not just the learner's word; hand-ins for another course land in another folder.
"""

from __future__ import annotations

import argparse
import getpass
import io
import os
import re
import zipfile
from pathlib import Path

from tutor import __version__
from tutor.cli.context import Context, UsageError
from tutor.output import OutputError, escape, say, terminal_safe, write_output
from tutor.reports import (
    FORMATS,
    Report,
    ReportError,
    ResultRow,
    check_writable,
    course_identity,
    format_for_path,
    render,
    write_report,
)
from tutor.state import LearnerState
from tutor.verdict import Verdict

NAME = "export"
HELP = "export your results to hand in (json, csv, junit, html, or zip with your code)"
ORDER = 50
_NAME_OK = re.compile(r"^[^\W_][\w.@+-]{0,63}$")
_ANONYMOUS = {"", "root", "learner", "student", "user"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=(*FORMATS, "zip"),
        default=None,
        help="json, csv, junit, html, or zip (your code + results.json); default from -o, "
        "else json",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write here (default: stdout; for zip, <learner>-<course>.zip)",
    )
    parser.add_argument(
        "--name",
        default=None,
        help="the name your instructor knows you by (default: your login name, $USER)",
    )


def learner_name(explicit: str | None = None) -> str:
    """``--name``, else ``$USER`` (the contract's learner name), else the login name."""
    if explicit is not None:
        name = explicit.strip()
        if not _NAME_OK.match(name):
            raise UsageError(
                f"--name {escape(explicit)!r}: use letters, digits, '.', '-', '_', '@' or '+' "
                "(up to 64, starting with a letter or digit), e.g. --name ada.lovelace"
            )
        return name
    name = os.environ.get("USER", "")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "learner"
    return name.replace("/", "_").replace("\\", "_").lstrip(".") or "learner"  # a folder name


def export_rows(state: LearnerState, learner: str, **context: object) -> list[ResultRow]:
    """One row per exercise: the last verdict; a pass is never undone; ``new`` if never checked."""
    recorded = state.progress_data()["exercises"]
    rows = []
    for exercise in state.course.exercises:
        entry = recorded.get(exercise.id, {})
        passed = entry.get("status") == "passed"
        last = entry.get("last_verdict")
        row = _row_from_stored(learner, exercise.id, last, context) if last else None
        if row is None or (passed and row.status != "passed"):
            row = ResultRow(learner, exercise.id, "passed" if passed else "new", 0.0, **context)  # type: ignore[arg-type]
        rows.append(row)
    return rows


def _row_from_stored(
    learner: str, exercise_id: str, stored: dict, context: dict[str, object]
) -> ResultRow | None:
    try:
        verdict = Verdict.from_dict({**stored, "exercise": exercise_id})
    except (KeyError, TypeError, ValueError):  # a verdict stored by an older version
        return None
    return ResultRow.from_verdict(learner, verdict, **context)


def run(args: argparse.Namespace, ctx: Context) -> int:
    learner = learner_name(args.name)
    fmt = args.format or ("zip" if (args.output or "").endswith(".zip") else None)
    fmt = fmt or format_for_path(args.output, None)
    try:
        check_writable(args.output)
    except ReportError as exc:
        raise UsageError(terminal_safe(str(exc))) from None
    course_id, digest = course_identity(ctx.course)
    context = {"course": course_id, "tutor_version": __version__}
    report = Report(
        rows=export_rows(ctx.state, learner, **context),
        course=course_id,
        course_digest=digest,
        tutor_version=__version__,
        source="export",
    )
    if args.name is None and learner.lower() in _ANONYMOUS:
        say(
            f"tutor: warning: exporting as {learner!r} (your login name); if others hand in "
            "from the same account, give --name YOUR-NAME so the hand-ins stay apart"
        )
    if fmt != "zip":
        try:
            how = write_report(report, fmt, args.output)
        except ReportError as exc:
            raise UsageError(terminal_safe(str(exc))) from None
        if args.output not in (None, "-"):
            say(f"tutor: wrote {escape(args.output)} ({how}): {len(report.rows)} exercises "
                f"of {course_id} for {learner}, {report.tally()}")  # fmt: skip
        return 0
    if args.output == "-":
        raise UsageError("--format zip writes a file; give -o FILE.zip")
    target = args.output or f"{learner}-{course_id}.zip"
    data, files = zip_bytes(ctx.state, learner, course_id, report)
    try:
        how = write_output(target, data)
    except (OutputError, OSError) as exc:
        raise UsageError(f"cannot write {escape(target)}: {terminal_safe(str(exc))}") from None
    say(
        f"tutor: wrote {escape(target)} ({how}): {course_id}/{learner}/ with {files} code "
        f"files and results.json ({report.tally()})"
    )
    return 0


def zip_bytes(
    state: LearnerState, learner: str, course_id: str, report: Report
) -> tuple[bytes, int]:
    """The hand-in zip, in memory (a learner's code is small); and how many code files."""
    worked_on = [row.exercise for row in report.rows if row.status != "new"]
    copies = [(ex, state.work_dir / f"{ex}.py") for ex in worked_on]
    copies = [(ex, path) for ex, path in copies if path.is_file()]
    folder = f"{course_id}/{learner}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for exercise_id, path in copies:
            archive.writestr(f"{folder}/{exercise_id}.py", Path(path).read_bytes())
        archive.writestr(f"{folder}/results.json", render(report, "json"))
    return buffer.getvalue(), len(copies)
