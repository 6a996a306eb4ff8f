"""Batch grading: every learner's files under one directory, in parallel, one row per file.

An instructor collects ``DIR/<learner>/<exercise-id>.py`` and runs `grade DIR`. Each file goes
through the same `tutor.grading.grade` as a learner's own `check`, in its own sandboxed child
process; this module only finds the files, decides which ones cannot be graded at all (and
says why, per file, so one bad hand-in never stops the batch), splits the batch into shards,
runs ``jobs`` gradings at a time and stops cleanly on ctrl+c with the rows it has.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from tutor.course import Course
from tutor.reports import ResultRow, Shard

MAX_FILE_BYTES = 1024 * 1024
WHOLE_DIRECTORY = "*"  # the exercise name of the row for a learner directory we cannot list


@dataclass(frozen=True)
class Submission:
    """One file to grade; ``problem`` says why it cannot be graded without running it."""

    learner: str
    exercise_id: str
    path: Path
    problem: str | None = None


@dataclass
class BatchResult:
    """The rows graded so far; ``interrupted`` when ctrl+c (or SIGTERM) stopped the run."""

    rows: list[ResultRow] = field(default_factory=list)
    total: int = 0
    interrupted: bool = False

    @property
    def missing(self) -> int:
        return self.total - len(self.rows)


def default_jobs() -> int:
    """The cores this process may use (the container's share, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def discover(root: Path) -> tuple[list[Submission], list[str]]:
    """Every ``root/<learner>/*.py``, sorted by learner then file name, and warnings.

    The order is the same on every machine, which is what makes ``--shard I/N`` a partition.
    Hidden entries are skipped; stray files at the top level and subfolders of a learner's
    folder only earn a warning. A learner folder that cannot be listed becomes one error row,
    so that learner never silently vanishes from the grades.
    """
    submissions: list[Submission] = []
    warnings: list[str] = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_file():
            if entry.suffix == ".py":
                warnings.append(
                    f"{entry}: skipped; files go in a folder per learner, "
                    f"{root}/<learner>/<exercise-id>.py"
                )
            continue
        try:
            submissions.extend(_learner_submissions(entry, warnings))
        except NotADirectoryError:  # a socket, a fifo: not a learner
            continue
        except OSError as exc:  # no permission, a broken link
            reason = f"cannot read the learner's directory {entry}: {exc.strerror or exc}"
            submissions.append(Submission(entry.name, WHOLE_DIRECTORY, entry, reason))
    return submissions, warnings


def _learner_submissions(folder: Path, warnings: list[str]) -> list[Submission]:
    submissions = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or path.name == "__pycache__":
            continue
        if path.suffix == ".py":
            submissions.append(Submission(folder.name, path.stem, path))
        elif path.is_dir():
            warnings.append(f"{path}: skipped; subfolders of a learner's folder are not read")
    return submissions


def select_shard(submissions: list[Submission], shard: Shard | None) -> list[Submission]:
    return shard.select(submissions) if shard else list(submissions)


def unreadable_reason(path: Path) -> str | None:
    """Why this file is not Python source we can grade, or None when it is."""
    try:
        if not path.is_file():
            return f"{path.name} is not a regular file"
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return f"{path.name} is too large ({size} bytes; the limit is {MAX_FILE_BYTES})"
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read {path.name}: {exc.strerror or exc}"
    if not data.strip():
        return f"{path.name} is empty"
    if b"\0" in data:
        return f"{path.name} is a binary file, not Python source"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return f"{path.name} is not UTF-8 text (a binary file?)"
    return None


def _error_row(sub: Submission, message: str) -> ResultRow:
    return ResultRow(sub.learner, sub.exercise_id, "error", 0.0, None, message)


def grade_submission(
    course: Course,
    sub: Submission,
    *,
    seed: int | None = None,
    timeout_s: float | None = None,
    cancel: threading.Event | None = None,
) -> ResultRow | None:
    """Grade one file; None when the run was cancelled before it finished (not a verdict)."""
    if sub.problem:
        return _error_row(sub, sub.problem)
    try:
        exercise = course.exercise(sub.exercise_id)
    except KeyError:
        return _error_row(
            sub,
            f"unknown exercise {sub.exercise_id!r}: the course has no such exercise "
            "(name the file <exercise-id>.py; `tutor list` shows the ids)",
        )
    problem = unreadable_reason(sub.path)
    if problem:
        return _error_row(sub, problem)
    if cancel is not None and cancel.is_set():
        return None
    from tutor.grading import grade  # the runner's imports, only when grading happens

    try:
        verdict = grade(
            exercise, sub.path, seed=seed, timeout_s=timeout_s, cancel=cancel, strict=course.strict
        )
    except Exception as exc:  # noqa: BLE001 - one file's grader failure must not stop the batch
        return _error_row(sub, f"the grader failed on this file: {type(exc).__name__}: {exc}")
    if cancel is not None and cancel.is_set():
        return None
    return replace(ResultRow.from_verdict(sub.learner, verdict), exercise=sub.exercise_id)


def grade_batch(
    course: Course,
    submissions: list[Submission],
    *,
    jobs: int,
    seed: int | None = None,
    timeout_s: float | None = None,
    on_row: Callable[[ResultRow], None] | None = None,
) -> BatchResult:
    """Grade ``submissions`` with ``jobs`` gradings at a time.

    ctrl+c (KeyboardInterrupt in the main thread) cancels the gradings in flight, drops the
    files not started, and returns the rows finished so far with ``interrupted`` set.
    """
    result = BatchResult(total=len(submissions))
    cancel = threading.Event()
    executor = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="grade")
    futures: list[Future[ResultRow | None]] = []
    try:
        futures = [
            executor.submit(
                grade_submission, course, sub, seed=seed, timeout_s=timeout_s, cancel=cancel
            )
            for sub in submissions
        ]
        for future in as_completed(futures):
            row = future.result()
            if row is not None and on_row is not None:
                on_row(row)
    except KeyboardInterrupt:
        result.interrupted = True
        cancel.set()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    finished = (f.result() for f in futures if f.done() and not f.cancelled())
    result.rows = [row for row in finished if row is not None]
    return result
