"""Batch grading: every learner's files under one directory, in parallel, one row per file.

An instructor collects ``DIR/<learner>/<exercise-id>.py`` and runs `grade DIR`. Each file goes
through the same `tutor.grading.grade` as a learner's own `check`, in its own sandboxed child
process; this module finds the files, decides which ones cannot be graded at all (and says why,
per file, so one bad hand-in never stops the batch), adds a ``missing`` row for every expected
file nobody handed in, splits the batch into shards, runs ``jobs`` gradings at a time and stops
cleanly on ctrl+c with the rows it has.

The batch is learners' files, so it is read as untrusted: nothing is followed out of DIR. A
symbolic link (to another learner's file, or to /etc/shadow) is an ``error`` row, never read;
files are opened relative to their folder with ``O_NOFOLLOW``, checked to be regular files on
the open descriptor, and their bytes copied to a private file that the grader reads, so a link
swapped in after the check changes nothing. Names are escaped reversibly
(``tutor.output.escape``) before they reach a row or a terminal.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tutor.course import Course, Exercise
from tutor.output import escape
from tutor.reports import ResultRow, Shard

MAX_FILE_BYTES = 1024 * 1024
WHOLE_DIRECTORY = "*"  # the exercise name of the row for a learner directory we cannot list
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


@dataclass(frozen=True)
class Submission:
    """One row to produce: a file to grade, or a reason it cannot be graded, or a gap.

    ``learner`` and ``exercise_id`` are escaped (printable, distinct); ``folder`` and ``name``
    are the raw names on disk, used only to open the file.
    """

    learner: str
    exercise_id: str
    folder: str
    name: str
    problem: str | None = None
    missing: bool = False

    @property
    def shown(self) -> str:
        """The file as a person reads it: ``learner/name``, escaped."""
        return f"{self.learner}/{escape(self.name)}" if self.name else self.learner


@dataclass
class BatchResult:
    """The rows graded so far; ``interrupted`` when ctrl+c (or SIGTERM) stopped the run."""

    rows: list[ResultRow] = field(default_factory=list)
    total: int = 0
    interrupted: bool = False
    grader_faults: int = 0  # files the grader itself failed on (not the learner's doing)
    isolation: set[str] = field(default_factory=set)  # sandbox layers some run went without

    @property
    def missing(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class Settings:
    """How every file of one run is graded, and what its rows record about the run."""

    seed: int = 0
    timeout_s: float | None = None
    options: Mapping[str, Any] = field(default_factory=dict)  # more keywords for grade()
    course: str = ""
    tutor_version: str = ""
    require_isolation: bool = False  # a run without every sandbox layer is the grader's fault

    def context(self) -> dict[str, Any]:
        return {"seed": self.seed, "course": self.course, "tutor_version": self.tutor_version}


def default_jobs() -> int:
    """The cores this process may use (the container's share, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# --- finding the files ------------------------------------------------------------------------


@dataclass
class Found:
    """What is in a batch folder: the files, the learners' folders, and what to warn about."""

    submissions: list[Submission] = field(default_factory=list)
    learners: dict[str, str] = field(default_factory=dict)  # escaped name -> folder on disk
    warnings: list[str] = field(default_factory=list)

    def handed_in(self) -> set[str]:
        """Every exercise id some learner handed a file in for."""
        return {s.exercise_id for s in self.submissions if s.exercise_id != WHOLE_DIRECTORY}

    def with_missing(self, expected: Collection[str]) -> list[Submission]:
        """The submissions plus a ``missing`` entry for each expected id a learner lacks,
        sorted by learner then exercise: the same order on every machine, which is what
        makes ``--shard I/N`` a partition."""
        have = {(s.learner, s.exercise_id) for s in self.submissions}
        gaps = [
            Submission(learner, exercise_id, folder, "", missing=True)
            for learner, folder in self.learners.items()
            for exercise_id in expected
            if (learner, exercise_id) not in have
        ]
        return sorted(self.submissions + gaps, key=lambda s: (s.learner, s.exercise_id))


def discover(root: Path) -> Found:
    """Every ``root/<learner>/*.py``, and the warnings a person should see.

    Hidden entries are skipped; stray files at the top level and subfolders of a learner's
    folder only earn a warning. A learner folder that cannot be listed, or is a symbolic link,
    becomes one error row, so that learner never silently vanishes from the grades.
    """
    found = Found()
    with os.scandir(root) as entries:
        listed = sorted(entries, key=lambda e: escape(e.name))
    for entry in listed:
        name = escape(entry.name)
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            if entry.name.endswith(".py"):
                found.warnings.append(f"{name}: skipped; files go in a folder per learner")
                continue
            reason = f"{name} is a symbolic link; grade does not follow links out of the batch"
            found.submissions.append(Submission(name, WHOLE_DIRECTORY, entry.name, "", reason))
            continue
        if entry.is_file(follow_symlinks=False):
            if entry.name.endswith(".py"):
                found.warnings.append(
                    f"{name}: skipped; files go in a folder per learner, "
                    "DIR/<learner>/<exercise-id>.py"
                )
            continue
        if not entry.is_dir(follow_symlinks=False):
            continue  # a socket, a FIFO: not a learner
        try:
            found.submissions += _learner_submissions(root, entry.name, found.warnings)
        except OSError as exc:  # no permission, or swapped for a link while we looked
            reason = f"cannot read the learner's directory {name}: {exc.strerror or exc}"
            found.submissions.append(Submission(name, WHOLE_DIRECTORY, entry.name, "", reason))
        else:
            found.learners[name] = entry.name
    found.submissions.sort(key=lambda s: (s.learner, s.exercise_id))
    return found


def _open_folder(root: Path, folder: str) -> int:
    """A descriptor for ``root/folder`` that is never a symlink's target."""
    root_fd = os.open(root, os.O_RDONLY | _DIRECTORY)
    try:
        return os.open(folder, os.O_RDONLY | _DIRECTORY | _NO_FOLLOW, dir_fd=root_fd)
    finally:
        os.close(root_fd)


def _learner_submissions(root: Path, folder: str, warnings: list[str]) -> list[Submission]:
    learner = escape(folder)
    fd = _open_folder(root, folder)
    try:
        with os.scandir(fd) as entries:
            found = sorted(entries, key=lambda e: escape(e.name))
    finally:
        os.close(fd)
    submissions = []
    for entry in found:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if entry.name.endswith(".py"):
            problem = None
            shown = escape(entry.name)
            if entry.is_symlink():
                problem = (
                    f"{shown} is a symbolic link; grade does not follow links "
                    "(hand in the file itself)"
                )
            elif not entry.is_file(follow_symlinks=False):
                problem = f"{shown} is not a regular file"
            stem = escape(entry.name[: -len(".py")])
            submissions.append(Submission(learner, stem, folder, entry.name, problem))
        elif entry.is_dir(follow_symlinks=False):
            warnings.append(
                f"{learner}/{escape(entry.name)}: skipped; subfolders of a learner's folder "
                "are not read"
            )
    return submissions


def select_shard(submissions: list[Submission], shard: Shard | None) -> list[Submission]:
    return shard.select(submissions) if shard else list(submissions)


def read_submission(root: Path, sub: Submission) -> bytes | str:
    """The file's bytes, or why they cannot be graded (a string).

    Opened below ``root`` without following any link, and checked on the open descriptor, so
    what is checked is what is read.
    """
    shown = escape(sub.name)
    try:
        folder_fd = _open_folder(root, sub.folder)
    except OSError as exc:
        return f"cannot read the learner's directory {sub.learner}: {exc.strerror or exc}"
    try:
        # Look before opening: opening a device node can do things on its own.
        if not stat.S_ISREG(os.stat(sub.name, dir_fd=folder_fd, follow_symlinks=False).st_mode):
            return f"{shown} is not a regular file"
        fd = os.open(sub.name, os.O_RDONLY | _NO_FOLLOW | os.O_NONBLOCK, dir_fd=folder_fd)
    except OSError as exc:
        if os.path.islink(os.path.join(root, sub.folder, sub.name)):
            return f"{shown} is a symbolic link; grade does not follow links"
        return f"cannot read {shown}: {exc.strerror or exc}"
    finally:
        os.close(folder_fd)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return f"{shown} is not a regular file"
        if info.st_size > MAX_FILE_BYTES:
            return f"{shown} is too large ({info.st_size} bytes; the limit is {MAX_FILE_BYTES})"
        try:
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            return f"cannot read {shown}: {exc.strerror or exc}"
    return source_problem(shown, data) or data


def source_problem(shown: str, data: bytes) -> str | None:
    """Why these bytes are not Python source we can grade, or None when they are."""
    if len(data) > MAX_FILE_BYTES:
        return f"{shown} is too large (over {MAX_FILE_BYTES} bytes)"
    if not data.strip():
        return f"{shown} is empty"
    if b"\0" in data:
        return f"{shown} is a binary file, not Python source"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return f"{shown} is not UTF-8 text (a binary file?)"
    return None


# --- grading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Graded:
    """One file's row; whether the grader itself failed on it; the sandbox layers it lacked."""

    row: ResultRow
    grader_fault: bool = False
    isolation: tuple[str, ...] = ()


def _row(sub: Submission, status: str, message: str, settings: Settings, **more: Any) -> ResultRow:
    return ResultRow(
        sub.learner, sub.exercise_id, status, 0.0, None, message, **settings.context(), **more
    )


class _Scratch:
    """A private folder (0700) for the bytes the grader reads: one file per submission."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="tutor-batch-"))
        self._count = 0
        self._lock = threading.Lock()

    def write(self, data: bytes) -> Path:
        with self._lock:
            self._count += 1
            target = self.path / f"{self._count}.py"
        target.write_bytes(data)
        return target

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def grade_submission(
    course: Course,
    root: Path,
    sub: Submission,
    settings: Settings,
    *,
    scratch: _Scratch | None = None,
    cancel: threading.Event | None = None,
) -> Graded | None:
    """Grade one file; None when the run was cancelled before it finished (not a verdict)."""
    if sub.missing:
        return Graded(_row(sub, "missing", f"no file {sub.exercise_id}.py handed in", settings))
    if sub.problem:
        return Graded(_row(sub, "error", sub.problem, settings))
    try:
        exercise = course.exercise(sub.exercise_id)
    except KeyError:
        message = (
            f"unknown exercise {sub.exercise_id!r}: the course has no such exercise "
            "(name the file <exercise-id>.py; `tutor list` shows the ids)"
        )
        return Graded(_row(sub, "error", message, settings))
    data = read_submission(root, sub)
    if isinstance(data, str):
        return Graded(_row(sub, "error", data, settings))
    digest = hashlib.sha256(data).hexdigest()
    if cancel is not None and cancel.is_set():
        return None
    own_scratch = scratch is None
    scratch = scratch or _Scratch()
    copy = scratch.write(data)
    try:
        verdict = _grade(exercise, copy, settings, cancel)
    except Exception as exc:  # noqa: BLE001 - one file's grader failure must not stop the batch
        message = f"the grader failed on this file: {type(exc).__name__}: {exc}"
        return Graded(_row(sub, "error", message, settings, sha256=digest), grader_fault=True)
    finally:
        copy.unlink(missing_ok=True)
        if own_scratch:
            scratch.remove()
    if cancel is not None and cancel.is_set():
        return None
    lacking = list(getattr(verdict, "isolation", []) or [])
    if lacking and settings.require_isolation:
        message = f"--require-isolation: this run lacked {'; '.join(lacking)}; not graded"
        return Graded(_row(sub, "error", message, settings, sha256=digest), grader_fault=True)
    row = ResultRow.from_verdict(sub.learner, verdict, **settings.context(), sha256=digest)
    return Graded(replace(row, exercise=sub.exercise_id), isolation=tuple(lacking))


def _grade(
    exercise: Exercise, path: Path, settings: Settings, cancel: threading.Event | None
) -> Any:
    from tutor.grading import grade  # the runner's imports, only when grading happens

    return grade(
        exercise, path, seed=settings.seed, timeout_s=settings.timeout_s, cancel=cancel,
        **settings.options,
    )  # fmt: skip


def grade_batch(
    course: Course,
    root: Path,
    submissions: list[Submission],
    settings: Settings,
    *,
    jobs: int,
    on_row: Callable[[ResultRow], None] | None = None,
) -> BatchResult:
    """Grade ``submissions`` with ``jobs`` gradings at a time.

    ctrl+c (KeyboardInterrupt in the main thread) cancels the gradings in flight, drops the
    files not started, and returns the rows finished so far with ``interrupted`` set.
    """
    result = BatchResult(total=len(submissions))
    cancel = threading.Event()
    scratch = _Scratch()
    executor = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="grade")
    futures: list[Future[Graded | None]] = []
    try:
        futures = [
            executor.submit(
                grade_submission, course, root, sub, settings, scratch=scratch, cancel=cancel
            )
            for sub in submissions
        ]
        for future in as_completed(futures):
            done = future.result()
            if done is not None and on_row is not None:
                on_row(done.row)
    except KeyboardInterrupt:
        result.interrupted = True
        cancel.set()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        scratch.remove()
    finished = [f.result() for f in futures if f.done() and not f.cancelled()]
    graded = [done for done in finished if done is not None]
    result.rows = [done.row for done in graded]
    result.grader_faults = sum(done.grader_fault for done in graded)
    result.isolation = {layer for done in graded for layer in done.isolation}
    return result


# --- is the pack able to grade at all? --------------------------------------------------------


@dataclass(frozen=True)
class PackFault:
    """An exercise this pack cannot grade anyone on; ``message`` is one line. ``certain`` is
    False for a timeout, which a slow or busy machine can cause as well as the pack."""

    exercise: str
    message: str
    certain: bool = True


def check_pack(
    course: Course, exercise_ids: Collection[str], settings: Settings, *, jobs: int
) -> list[PackFault]:
    """Grade each exercise's reference solution (or, in a pack without solutions, its starter)
    once, as the batch will be graded: a solution that does not pass, or a starter that cannot
    even be graded, means every learner's row for that exercise would be the pack's fault."""
    exercises = [course.exercise(i) for i in sorted(exercise_ids) if _known(course, i)]
    if not exercises:
        return []
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="pack-check") as pool:
        found = list(pool.map(lambda ex: _pack_fault(ex, settings), exercises))
    return [fault for fault in found if fault is not None]


def _known(course: Course, exercise_id: str) -> bool:
    try:
        course.exercise(exercise_id)
    except KeyError:
        return False
    return True


def _pack_fault(exercise: Exercise, settings: Settings) -> PackFault | None:
    reference = exercise.solution_path if exercise.has_solution else exercise.starter_path
    which = "reference solution" if exercise.has_solution else "starter"
    try:
        verdict = _grade(exercise, reference, settings, None)
    except Exception as exc:  # noqa: BLE001 - reported as the pack's fault, in one line
        return PackFault(exercise.id, f"grading its {which} failed: {type(exc).__name__}: {exc}")
    broken = verdict.status != "passed" if exercise.has_solution else verdict.status == "error"
    if not broken:
        return None
    first_line = ""
    if verdict.failure is not None and verdict.failure.message:
        first_line = ": " + verdict.failure.message.splitlines()[0]
    return PackFault(
        exercise.id,
        f"its {which} gets {verdict.status} with seed {settings.seed}{first_line}",
        certain=verdict.status != "timeout",
    )
