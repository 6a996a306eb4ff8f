"""``tutor merge``: join the shard reports of one batch (e.g. from N CI jobs) into one report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.cli.context import Context, UsageError
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
HELP = "merge grade reports (JSON, CSV or JUnit, e.g. one per shard) into one report"
ORDER = 76


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reports", nargs="+", metavar="REPORT", help="report files to merge")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: from the -o suffix .json/.csv/.xml, else json)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    """0 merged; 1 merged but incomplete (a shard missing or interrupted); 2 unreadable input."""
    try:
        check_writable(args.output)
        named = [(name, read_report(Path(name))) for name in args.reports]
        merged, problems = merge_reports(named)
    except ReportError as exc:
        raise UsageError(str(exc)) from None
    write_report(merged, format_for_path(args.output, args.format), args.output)
    print(
        f"tutor: merged {len(named)} reports: {len(merged.rows)} rows, {merged.tally()}",
        file=sys.stderr,
    )
    for problem in problems:
        print(f"tutor: warning: {problem}", file=sys.stderr)
    return 1 if problems else 0
