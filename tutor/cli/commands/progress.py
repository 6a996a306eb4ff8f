"""``tutor progress``: how far the learner has come."""

from __future__ import annotations

import argparse

from tutor.cli.context import Context, print_json
from tutor.questions import question_report

NAME = "progress"
HELP = "show your progress: status, attempts and hints per exercise"
ORDER = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace, ctx: Context) -> int:
    report = ctx.state.progress()
    report.update(question_report(ctx.course.lessons, ctx.state.progress_data()))
    if args.json:
        print_json(report)
        return 0
    print(f"{report['course']}: {report['passed']}/{report['total']} passed")
    if report["questions_total"]:
        print(f"lesson questions: {report['questions_right']}/{report['questions_total']} right")
    if report["last_exercise"]:
        print(f"last worked on: {report['last_exercise']}")
    print(f"\n{'exercise':<26}{'status':<11}{'attempts':>9}{'hints':>7}  first passed")
    for row in report["exercises"]:
        first = (row["first_passed_at"] or "-").replace("T", " ")
        print(
            f"{row['id']:<26}{row['status']:<11}{row['attempts']:>9}{row['hints_used']:>7}  {first}"
        )
    return 0
