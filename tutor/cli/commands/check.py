"""``tutor check ID [--file PATH] [--json]``: grade the learner's code for one exercise.

Without ``--file`` it grades the learner's working copy and records the attempt; with it, it
grades that file and leaves the workspace and progress untouched (for editors and CI).
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from tutor.cli.context import Context, UsageError, print_json
from tutor.failure_text import (
    accesses_of,
    coverage_of,
    coverage_text,
    explanation_of,
    lead,
    look_at,
)
from tutor.grading import escape_control, grade
from tutor.timeline_model import Step, steps_from
from tutor.verdict import Verdict

NAME = "check"
HELP = "grade your code for an exercise (exit 0 when it passes)"
ORDER = 20

_MAX_OUTPUT_LINES = 40
_MAX_STACK_LINES = 60


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="exercise id (see `tutor list`)")
    parser.add_argument(
        "--file", metavar="PATH", help="grade this file instead; progress is not recorded"
    )
    parser.add_argument("--json", action="store_true", help="print the verdict as one JSON object")
    parser.add_argument(
        "--seed", type=int, default=None, help="explorer seed (default: $TUTOR_SEED, else 0)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="wall limit for the run (default: the exercise's timeout_s)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="refuse code the integrity policy flags (default: the course's `strict`)",
    )
    parser.add_argument(
        "--require-isolation",
        action="store_true",
        help="exit 2 instead of grading when an isolation layer is missing (see `tutor doctor`)",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    exercise = ctx.exercise(args.id)
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError(f"--timeout {args.timeout:g}: give a positive number of seconds")
    if args.file is not None:
        path = Path(args.file).expanduser()
        if not path.is_file():
            raise UsageError(f"--file {args.file}: no such file")
    else:
        path = ctx.state.working_copy(exercise.id)
        ctx.state.record_version(exercise.id, "check")  # what was graded stays in the history
    if args.require_isolation:
        require_isolation()
    strict = args.strict or ctx.course.strict
    try:
        verdict = grade(exercise, path, seed=args.seed, timeout_s=args.timeout, strict=strict)
    except OSError as exc:
        if exc.filename is None:  # not a file problem: e.g. no sandbox on this platform
            raise UsageError(str(exc)) from None
        raise UsageError(f"cannot read {exc.filename}: {exc.strerror or exc}") from None
    if args.require_isolation and verdict.isolation:
        raise UsageError(f"--require-isolation: this run lacked {'; '.join(verdict.isolation)}")
    if args.file is None:
        ctx.state.record_verdict(exercise.id, verdict.to_dict())
    ctx.exit_status = 0 if verdict.passed else 1  # stands even if stdout is closed early
    if args.json:
        print_json(verdict.to_dict())
    else:
        print(escape_control(render(verdict)))
        if not verdict.passed and exercise.hints:
            print(f"\nStuck? `tutor hint {exercise.id}` shows the next hint.")
    return ctx.exit_status


_HEADLINES = {
    "passed": "PASSED",
    "failed": "FAILED",
    "timeout": "TIMED OUT",
    "error": "COULD NOT BE GRADED",
    "refused": "REFUSED (integrity policy)",
}
WIDTH = 80


def _wrap(text: str, indent: str = "", width: int = WIDTH) -> list[str]:
    """``text`` wrapped to ``width``, each line starting with ``indent``; blank lines kept."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, width, initial_indent=indent, subsequent_indent=indent,
                               break_long_words=True, break_on_hyphens=False) or [indent.rstrip()]
    return lines


def _fit(line: str, width: int = WIDTH) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def require_isolation() -> None:
    """``--require-isolation``: a usage error (exit 2) when a layer is missing here."""
    from tutor.runner.isolation import missing, probe

    lacking = missing(probe())
    if lacking:
        raise UsageError(
            f"--require-isolation: grading here lacks {len(lacking)} isolation layer(s) "
            f"({'; '.join(lacking)}); see `tutor doctor`"
        )


def render(verdict: Verdict) -> str:
    """The verdict for a terminal, 80 columns: the status, then what went wrong in the
    learner's terms, the tests, the steps with the conflicting ones marked, and last the
    grader's own report (internal terms included) and the program's output."""
    lines = [_fit(f"{verdict.exercise}: {_HEADLINES[verdict.status]} "
                  f"({verdict.duration_s:.2f} s)")]
    explanation = explanation_of(verdict)
    notes = [look_at(explanation), coverage_text(coverage_of(verdict))]
    if not verdict.passed:
        lines += _wrap(lead(verdict))
    lines += _wrap(" · ".join(note for note in notes if note)) if any(notes) else []
    failing = [t for t in verdict.tests if t.outcome != "passed"]
    if verdict.tests:
        passed = len(verdict.tests) - len(failing)
        lines += ["", f"Tests: {passed} of {len(verdict.tests)} passed"]
        for test in failing:
            lines.append(_fit(f"  {test.outcome:<7}  {test.name}"))
            if test.message.strip():
                lines += _wrap(test.message.strip(), indent="           ")
    failure = verdict.failure
    if failure is not None and failure.timeline:
        steps = steps_from(failure.timeline, accesses_of(explanation))
        mark = " (● marks the conflicting steps)" if any(s.conflict for s in steps) else ""
        lines += ["", f"What happened, step by step{mark}:"]
        lines += [_fit(_step_line(step)) for step in steps]
    if failure is not None and failure.stacks:
        stack_lines = failure.stacks.splitlines()
        lines += ["", "Every thread's stack at the time limit:"]
        lines += [_fit(f"  {line}") for line in stack_lines[:_MAX_STACK_LINES]]
        if len(stack_lines) > _MAX_STACK_LINES:
            lines.append(f"  [... {len(stack_lines) - _MAX_STACK_LINES} more lines]")
    if verdict.integrity:
        lines += ["", "Integrity policy (the grader's own interpreter is off limits):"]
        lines += [_fit(f"  {finding}") for finding in verdict.integrity]
    if verdict.isolation:
        lines += ["", f"Graded without {len(verdict.isolation)} isolation layer(s) "
                      "(`tutor doctor`):"]
        lines += [_fit(f"  {layer}") for layer in verdict.isolation]
    if verdict.output.strip():
        out_lines = verdict.output.rstrip().splitlines()
        lines += ["", "Your program's output:"]
        lines += [_fit(f"  | {line}") for line in out_lines[:_MAX_OUTPUT_LINES]]
        if len(out_lines) > _MAX_OUTPUT_LINES:
            lines.append(f"  [... {len(out_lines) - _MAX_OUTPUT_LINES} more lines]")
    if failure is not None:
        lines += ["", f"The grader's report ({failure.kind}):"]
        lines += _wrap(failure.message.strip(), indent="  ")
        if failure.schedule:
            lines += ["", _fit(f"Schedule (tutor.interleave.replay reruns it): "
                               f"{failure.schedule}")]
    return "\n".join(lines)


def _step_line(step: Step) -> str:
    """``●12 T1   L20       read self.value → 0  value = self.value``: what happened comes
    first, so a cut line loses the source, not the values."""
    mark = "●" if step.conflict else ("⇄" if step.switch else " ")
    parts = (step.note, step.source.strip())
    return f"{mark}{step.number:>3} {step.thread:<4} {step.location:<9} " + "  ".join(
        part for part in parts if part)
