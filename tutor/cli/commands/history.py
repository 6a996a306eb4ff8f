"""``tutor history ID [--restore N] [--json]``: the saved versions of a working copy.

Every save keeps a version (``tutor.history``); this lists them, newest first, numbered from 1,
and ``--restore N`` writes version N back. Restoring never loses anything: the code it replaces
stays in the history, so ``--restore 2`` right after a restore undoes it.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from tutor.cli.context import Context, UsageError, print_json
from tutor.history import REASON_TEXT, Version

NAME = "history"
HELP = "list the saved versions of your code for an exercise, or restore one"
ORDER = 36



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="exercise id (see `tutor list`)")
    parser.add_argument(
        "--restore", type=int, metavar="N", help="write version N back (1 is the newest)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def version_row(number: int, version: Version, current_sha: str | None) -> dict[str, Any]:
    """One version as the ``history --json`` object describes it."""
    return {
        "number": number,
        "saved_at": version.saved_at.isoformat(timespec="seconds"),
        "reason": version.reason,
        "lines": version.line_count(),
        "bytes": version.size,
        "sha256": version.sha,
        "current": version.sha == current_sha,
    }


def run(args: argparse.Namespace, ctx: Context) -> int:
    exercise = ctx.exercise(args.id)
    state = ctx.state
    path = state.working_copy(exercise.id)
    state.record_version(exercise.id, "outside")  # an edit made in another editor is listed too
    versions = state.history(exercise.id).versions()
    restored: dict[str, Any] | None = None
    if args.restore is not None:
        if not 1 <= args.restore <= len(versions):
            raise UsageError(
                f"{exercise.id} has no version {args.restore}; it has {len(versions)} "
                f"(1 is the newest; `tutor history {exercise.id}` lists them)"
            )
        chosen = versions[args.restore - 1]
        state.restore_version(exercise.id, chosen)
        restored = version_row(args.restore, chosen, None)
        versions = state.history(exercise.id).versions()
    current = state.history(exercise.id).latest()
    current_sha = current.sha if current is not None else None
    rows = [version_row(n, v, current_sha) for n, v in enumerate(versions, start=1)]
    if args.json:
        data: dict[str, Any] = {"exercise": exercise.id, "path": str(path), "versions": rows}
        if restored is not None:
            data["restored"] = restored
        print_json(data)
        return 0
    if restored is not None:
        print(f"{exercise.id}: restored version {restored['number']} "
              f"({_when(chosen.saved_at)}) into {path}")
        print("  the code it replaced is version 2 now: "
              f"`tutor history {exercise.id} --restore 2` undoes this")
        return 0
    print(f"{exercise.id}: {len(rows)} saved version{'s' if len(rows) != 1 else ''}, newest first")
    print(f"  {'N':>3}  {'saved (local time)':<19}  {'lines':>5}  why")
    for row, version in zip(rows, versions, strict=True):
        mark = "  <- the file now" if row["current"] else ""
        print(f"  {row['number']:>3}  {_when(version.saved_at):<19}  {row['lines']:>5}  "
              f"{REASON_TEXT.get(version.reason, version.reason)}{mark}")
    print(f"file: {path}")
    if len(rows) > 1:
        print(f"`tutor history {exercise.id} --restore N` brings version N back;\n"
              "the code it replaces stays in the history.")
    return 0


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")
