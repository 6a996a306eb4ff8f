"""``tutor merge``: join the shard reports of one batch (e.g. from N CI jobs) into one report,
or turn one report into another format (``merge grades.json -o grades.html``) without grading
anything again."""

from __future__ import annotations

import argparse
from pathlib import Path

from tutor.cli.context import Context, UsageError
from tutor.output import escape, say, terminal_safe
from tutor.reports import (
    FORMATS,
    ReportError,
    check_writable,
    format_for_path,
    merge_reports,
    read_report,
    write_report,
)

NAME = "merge"
HELP = "merge grade reports (JSON, CSV or JUnit, e.g. one per shard) into one, in any format"
ORDER = 76


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reports", nargs="+", metavar="REPORT", help="report files to merge")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: from the -o suffix .json/.csv/.xml/.html, else json)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    """0 merged; 1 merged but incomplete (a shard missing or interrupted); 2 unusable input:
    unreadable, a row twice, or reports graded with different seeds, courses or versions."""
    try:
        check_writable(args.output)
        named = [(escape(name), read_report(Path(name))) for name in args.reports]
        merged, problems = merge_reports(named)
        how = write_report(merged, format_for_path(args.output, args.format), args.output)
    except ReportError as exc:
        raise UsageError(terminal_safe(str(exc))) from None
    target = f" -> {escape(args.output)} ({how})" if args.output not in (None, "-") else ""
    say(f"tutor: merged {len(named)} reports: {len(merged.rows)} rows, {merged.tally()}{target}")
    for problem in problems:
        say(f"tutor: warning: {problem}")
    return 1 if problems else 0
