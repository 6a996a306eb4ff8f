"""``tutor demo LESSON [N]``: list a lesson's runnable demos, or run demo N in the sandbox.

Demos are the ```` ```python demo ```` blocks of a lesson (docs/lessons.md). Running one shows
the learner the numbers a lesson's claim rests on, measured on their own machine.
"""

from __future__ import annotations

import argparse
import sys

from tutor.cli.context import Context, UsageError, print_json
from tutor.course import Lesson
from tutor.demos import Demo, DemoFormatError, DemoRun, find_demo, lesson_demos, run_demo

NAME = "demo"
HELP = "list a lesson's demos, or run one"
ORDER = 45


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "lesson", metavar="LESSON", help="lesson id, or its number prefix (e.g. 05)"
    )
    parser.add_argument(
        "number", metavar="N", nargs="?", type=int, help="the demo to run (omit to list them)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace, ctx: Context) -> int:
    lesson = _find_lesson(ctx, args.lesson)
    try:
        demos = lesson_demos(lesson)
    except DemoFormatError as exc:
        raise UsageError(f"malformed demo in {exc}") from None
    if args.number is None:
        _list(lesson, demos, as_json=args.json)
        return 0
    try:
        demo = find_demo(demos, args.number)
    except IndexError as exc:
        raise UsageError(f"{lesson.id}: {exc}") from None
    if not args.json:
        print(f"Demo {demo.number} of {lesson.id}: {demo.title}", flush=True)
    outcome = run_demo(demo)
    _report(lesson, outcome, as_json=args.json)
    return 0 if outcome.ok else 1


def _find_lesson(ctx: Context, wanted: str) -> Lesson:
    lessons = ctx.course.lessons
    exact = [lesson for lesson in lessons if lesson.id == wanted]
    matches = exact or [lesson for lesson in lessons if lesson.id.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(lesson.id for lesson in lessons) or "none"
    if matches:
        raise UsageError(f"{wanted!r} matches several lessons; one of: {known}")
    raise UsageError(f"unknown lesson {wanted!r}; the lessons are: {known}")


def _list(lesson: Lesson, demos: tuple[Demo, ...], *, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "lesson": lesson.id,
                "demos": [{"number": d.number, "title": d.title, "line": d.line} for d in demos],
            }
        )
        return
    if not demos:
        print(f"{lesson.id} has no demos.")
        return
    print(f"{lesson.id}: {lesson.title}")
    for demo in demos:
        print(f"  {demo.number}  {demo.title}")
    print(f"Run one with: tutor demo {lesson.id} N")


def _report(lesson: Lesson, outcome: DemoRun, *, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "lesson": lesson.id,
                "demo": outcome.demo.number,
                "title": outcome.demo.title,
                "ok": outcome.ok,
                "ended": outcome.ended,
                "duration_s": round(outcome.duration_s, 3),
                "output": outcome.output,
            }
        )
        return
    sys.stdout.write(outcome.output)
    if outcome.output and not outcome.output.endswith("\n"):
        sys.stdout.write("\n")
    if outcome.ok:
        print(f"(demo finished in {outcome.duration_s:.1f} s)")
    else:
        print(f"(demo did not finish cleanly: {outcome.ended})")
