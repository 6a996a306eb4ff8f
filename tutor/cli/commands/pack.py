"""``tutor pack [DIR] --for-learners -o FILE.zip|FOLDER``: a course to hand out.

With ``--for-learners`` the pack has the lessons, the starters, the hints and the hidden tests
(so learners can check their work locally) but no solutions and no wrong fixes. The grades that
count come from the instructor's own `grade` run on the learners' hand-ins (docs/authoring.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tutor.cli.context import Context, UsageError
from tutor.output import OutputError, escape, say, terminal_safe, write_output
from tutor.packing import PackError, pack_course, write_folder, zip_pack
from tutor.reports import course_identity

NAME = "pack"
HELP = "make a course pack to hand out: --for-learners leaves out solutions and wrong fixes"
ORDER = 66


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source",
        metavar="DIR",
        nargs="?",
        default=None,
        help="the course folder (default: --course, else the built-in course)",
    )
    parser.add_argument(
        "--for-learners",
        action="store_true",
        help="leave out each exercise's solution.py and wrong/ fixes",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        required=True,
        help="FILE.zip (one folder inside, named after the course) or a new FOLDER",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    root = ctx.course_root
    if args.source is not None:
        root = Path(args.source).expanduser()
        if not root.is_dir():
            raise UsageError(f"{escape(args.source)}: no such directory; give a course folder")
    try:
        course, contents = pack_course(root, for_learners=args.for_learners)
    except PackError as exc:
        raise UsageError(terminal_safe(str(exc))) from None
    course_id, _ = course_identity(course)
    who = "for learners" if args.for_learners else "whole (with solutions and wrong fixes)"
    try:
        if args.output.lower().endswith(".zip"):
            how = write_output(args.output, zip_pack(contents, course_id))
            inside = f", in the folder {course_id}/"
        elif args.output == "-":
            raise UsageError("pack writes a zip or a folder; give -o FILE.zip or -o FOLDER")
        else:
            write_folder(contents, Path(args.output).expanduser())
            how, inside = "a new folder", ""
    except (PackError, OutputError) as exc:
        raise UsageError(terminal_safe(str(exc))) from None
    except OSError as exc:
        raise UsageError(f"cannot write {escape(args.output)}: {exc.strerror or exc}") from None
    say(
        f"tutor: wrote {escape(args.output)} ({how}): course {course_id!r} {who}{inside}: "
        f"{contents.summary()}"
    )
    if args.for_learners:
        if inside:
            name = escape(Path(args.output).name)
            hint = f"unzip {name} && python -m tutor --course {course_id}"
        else:
            hint = f"python -m tutor --course {escape(args.output)}"
        say(f"tutor: learners run: {hint}")
    return 0
