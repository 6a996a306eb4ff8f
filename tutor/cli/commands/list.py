"""``tutor list``: lessons and exercises in course order, with the learner's status."""

from __future__ import annotations

import argparse

from tutor.cli.context import Context, print_json

NAME = "list"
HELP = "list lessons and exercises with your status"
ORDER = 10

_MARK = {"new": " ", "attempted": "~", "passed": "✓"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace, ctx: Context) -> int:
    course = ctx.course
    statuses = ctx.state.statuses()
    if args.json:
        print_json(
            {
                "course": course.title,
                "lessons": [{"id": lesson.id, "title": lesson.title} for lesson in course.lessons],
                "exercises": [
                    {
                        "id": e.id,
                        "title": e.title,
                        "lesson": e.lesson,
                        "kind": e.kind,
                        "difficulty": e.difficulty,
                        "status": statuses[e.id],
                    }
                    for e in course.exercises
                ],
            }
        )
        return 0
    passed = sum(1 for s in statuses.values() if s == "passed")
    print(f"{course.title}: {passed}/{len(course.exercises)} exercises passed")
    for lesson in course.lessons:
        print(f"\n{lesson.id}  {lesson.title}")
        for e in course.exercises_for(lesson.id):
            stars = "*" * e.difficulty
            print(f"  [{_MARK[statuses[e.id]]}] {e.id:<24} {e.kind:<11} {stars:<3} {e.title}")
    print("\n[✓] passed  [~] attempted  [ ] new   `tutor check ID` grades your copy")
    return 0
