"""The learner's state: working copies of exercises and their history, progress, hints, resets.

Nothing a learner did may be lost: every write is atomic and keeps the previous version
(``tutor.atomic``), progress updates are read-modify-write under an inter-process lock so two
tutor processes (the TUI and a `check` in another terminal) never lose an update, and a
progress file that does not parse is set aside and recovered from its backup, never deleted.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tutor.atomic import backup_path, file_lock, write_atomic
from tutor.course import Course, Exercise
from tutor.history import History, Version
from tutor.paths import tutor_home

PROGRESS_VERSION = 1
_OUTPUT_KEEP = 4000
_TIMELINE_KEEP = 400


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def course_key(course: Course) -> str:
    """A stable folder name for a course's state: 'builtin', or its name plus a path hash."""
    if course.builtin:
        return "builtin"
    slug = re.sub(r"[^a-z0-9]+", "-", course.root.name.lower()).strip("-") or "course"
    digest = hashlib.sha256(str(course.root.resolve()).encode()).hexdigest()[:8]
    return f"{slug}-{digest}"


def _empty_progress() -> dict[str, Any]:
    return {"version": PROGRESS_VERSION, "last_exercise": None, "exercises": {}}


def _valid(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("exercises"), dict)
        and all(isinstance(v, dict) for v in data["exercises"].values())
    )


def _slim_verdict(verdict: dict[str, Any]) -> dict[str, Any]:
    """Keep a verdict small enough that progress.json stays quick to rewrite."""
    slim = copy.deepcopy(verdict)
    output = slim.get("output") or ""
    if len(output) > _OUTPUT_KEEP:
        slim["output"] = output[:_OUTPUT_KEEP] + f"\n[... {len(output) - _OUTPUT_KEEP} more chars]"
    failure = slim.get("failure")
    if isinstance(failure, dict) and isinstance(failure.get("timeline"), list):
        failure["timeline"] = failure["timeline"][:_TIMELINE_KEEP]
    return slim


class LearnerState:
    """One learner's state for one course, under ``$TUTOR_HOME`` or the user data dir."""

    def __init__(self, course: Course, home: Path | None = None) -> None:
        self.course = course
        self.home = (home or tutor_home()) / "courses" / course_key(course)
        self.work_dir = self.home / "work"
        self.backup_dir = self.home / "backups"
        self.history_dir = self.home / "history"
        self.progress_path = self.home / "progress.json"
        self._lock_path = self.home / "progress.lock"
        self.warnings: list[str] = []
        self._check_progress_file()

    # ----- progress -------------------------------------------------------------------------

    def _check_progress_file(self) -> None:
        """Recover a corrupt progress file now, so the learner hears about it once, up front."""
        if self.progress_path.exists():
            with file_lock(self._lock_path):
                self._read_unlocked()

    def _parse(self, path: Path) -> tuple[dict[str, Any] | None, str]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None, "missing"
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            return None, f"{type(exc).__name__}: {exc}"
        if not _valid(data):
            return None, "not a progress object"
        return data, ""

    def _read_unlocked(self) -> dict[str, Any]:
        if not self.progress_path.exists():
            return _empty_progress()
        data, problem = self._parse(self.progress_path)
        if data is not None:
            return data
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        aside = self.progress_path.with_name(f"progress.corrupt-{stamp}.json")
        self.progress_path.replace(aside)
        backup, _ = self._parse(backup_path(self.progress_path))
        if backup is not None:
            how = f"recovered from the backup ({len(backup['exercises'])} exercises)"
            recovered = backup
        else:
            how = "no usable backup, starting fresh"
            recovered = _empty_progress()
        self.warnings.append(
            f"progress file {self.progress_path} was corrupt ({problem}); kept it as "
            f"{aside.name}, {how}"
        )
        write_atomic(self.progress_path, json.dumps(recovered, indent=1), keep_backup=False)
        return recovered

    def progress_data(self) -> dict[str, Any]:
        """A snapshot of the raw progress document."""
        with file_lock(self._lock_path):
            return self._read_unlocked()

    def update(self, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Apply ``change`` to the progress document under the lock, and save it atomically."""
        with file_lock(self._lock_path):
            data = self._read_unlocked()
            change(data)
            write_atomic(self.progress_path, json.dumps(data, indent=1))
            return data

    def _entry(self, data: dict[str, Any], exercise_id: str) -> dict[str, Any]:
        entry = data["exercises"].setdefault(exercise_id, {})
        entry.setdefault("status", "new")
        entry.setdefault("attempts", 0)
        entry.setdefault("hints_used", 0)
        entry.setdefault("first_passed_at", None)
        return entry

    def status(self, exercise_id: str) -> str:
        entry = self.progress_data()["exercises"].get(exercise_id, {})
        return entry.get("status", "new")

    def statuses(self) -> dict[str, str]:
        """Status of every exercise of the course, read once."""
        recorded = self.progress_data()["exercises"]
        return {e.id: recorded.get(e.id, {}).get("status", "new") for e in self.course.exercises}

    def record_verdict(self, exercise_id: str, verdict: dict[str, Any]) -> None:
        """Record one graded attempt; a pass is never undone by a later failing attempt."""

        def change(data: dict[str, Any]) -> None:
            entry = self._entry(data, exercise_id)
            entry["attempts"] += 1
            entry["last_attempt_at"] = _now()
            entry["last_verdict"] = _slim_verdict(verdict)
            if verdict.get("status") == "passed":
                entry["status"] = "passed"
                if not entry["first_passed_at"]:
                    entry["first_passed_at"] = _now()
            elif entry["status"] != "passed":
                entry["status"] = "attempted"
            data["last_exercise"] = exercise_id

        self.update(change)

    def record_answer(self, lesson_id: str, question_id: str, choice: int, right: bool) -> None:
        """Record an answer to a lesson's question (tutor/questions.py reads them back).

        Like an exercise's pass, a right answer is never undone by a later wrong one.
        """

        def change(data: dict[str, Any]) -> None:
            lesson = data.setdefault("questions", {}).setdefault(lesson_id, {})
            entry = lesson.setdefault(question_id, {"status": "new", "attempts": 0})
            entry.setdefault("first_try", right)
            entry["attempts"] += 1
            entry["last_choice"] = choice
            entry["last_answered_at"] = _now()
            if right:
                entry["status"] = "right"
            elif entry["status"] != "right":
                entry["status"] = "wrong"

        self.update(change)

    def record_found_it(self, exercise_id: str, kind: str, steps: int) -> bool:
        """The learner broke the starter by hand on the scheduler screen ("found it yourself").

        The first time is kept (when, how it broke, in how many steps); True if this was it.
        """
        first: list[bool] = []

        def change(data: dict[str, Any]) -> None:
            entry = self._entry(data, exercise_id)
            if not isinstance(entry.get("found_it"), dict):
                entry["found_it"] = {"at": _now(), "kind": kind, "steps": steps}
                first.append(True)

        self.update(change)
        return bool(first)

    def found_it_ids(self) -> set[str]:
        """Exercises whose starter the learner broke by hand (see ``record_found_it``)."""
        recorded = self.progress_data()["exercises"]
        return {i for i, entry in recorded.items() if isinstance(entry.get("found_it"), dict)}

    def last_verdict(self, exercise_id: str) -> dict[str, Any] | None:
        return self.progress_data()["exercises"].get(exercise_id, {}).get("last_verdict")

    def touch(self, exercise_id: str) -> None:
        """Remember the exercise the learner is on, for "continue where I left off"."""

        def change(data: dict[str, Any]) -> None:
            data["last_exercise"] = exercise_id

        self.update(change)

    def last_exercise(self) -> str | None:
        last = self.progress_data().get("last_exercise")
        known = {e.id for e in self.course.exercises}
        return last if last in known else None

    # ----- hints ----------------------------------------------------------------------------

    def _exercise(self, exercise_id: str) -> Exercise:
        return self.course.exercise(exercise_id)

    def next_hint(self, exercise_id: str) -> tuple[int, str] | None:
        """Reveal and record the next hint: (1-based index, text); None when all are shown."""
        hints = self._exercise(exercise_id).hints
        revealed: list[int] = []

        def change(data: dict[str, Any]) -> None:
            entry = self._entry(data, exercise_id)
            if entry["hints_used"] < len(hints):
                entry["hints_used"] += 1
                revealed.append(entry["hints_used"])

        self.update(change)
        if not revealed:
            return None
        return revealed[0], hints[revealed[0] - 1]

    def hints_used(self, exercise_id: str) -> list[str]:
        hints = self._exercise(exercise_id).hints
        used = self.progress_data()["exercises"].get(exercise_id, {}).get("hints_used", 0)
        return list(hints[:used])

    # ----- working copies and their history ----------------------------------------------

    def work_path(self, exercise_id: str) -> Path:
        """Where the learner's file for an exercise lives (it may not exist yet)."""
        return self.work_dir / f"{self._exercise(exercise_id).id}.py"

    def history(self, exercise_id: str) -> History:
        """The saved versions of an exercise's working copy (``tutor.history``)."""
        return History(self.history_dir / self._exercise(exercise_id).id)

    def working_copy(self, exercise_id: str) -> Path:
        """The learner's file for an exercise, created on first use.

        It is created from the starter, or, when the file was deleted after the learner
        worked on it, from the newest version in its history: deleting the file never loses
        work (``reset`` is the way back to the starter).
        """
        exercise = self._exercise(exercise_id)
        path = self.work_path(exercise_id)
        if not path.exists():
            latest = self.history(exercise_id).latest()
            if latest is not None:
                write_atomic(path, latest.read_bytes(), keep_backup=False)
            else:
                starter = exercise.starter_path.read_bytes()
                write_atomic(path, starter, keep_backup=False)
                self.history(exercise_id).record(starter, "starter")
        return path

    def read_code(self, exercise_id: str) -> str:
        return self.working_copy(exercise_id).read_text(encoding="utf-8")

    def save_code(self, exercise_id: str, text: str, reason: str = "save") -> None:
        """Save the learner's code atomically and keep it as a version in its history.

        The previous save is also kept as ``<id>.py.bak`` (``tutor.atomic``).
        """
        write_atomic(self.work_path(exercise_id), text)
        self.history(exercise_id).record(text, reason)

    def record_version(self, exercise_id: str, reason: str) -> Version | None:
        """Keep the working copy as it is on disk now (after an outside edit, before a check).

        None when the file is missing or already the newest version.
        """
        try:
            data = self.work_path(exercise_id).read_bytes()
        except FileNotFoundError:
            return None
        return self.history(exercise_id).record(data, reason)

    def restore_version(self, exercise_id: str, version: Version) -> None:
        """Write an older version back; the code it replaces is kept in the history first."""
        if version.path.parent != self.history(exercise_id).folder:
            raise FileNotFoundError(f"{version.path} is not a version of {exercise_id}")
        data = version.read_bytes()
        self.record_version(exercise_id, "outside")  # no-op unless changed outside
        write_atomic(self.work_path(exercise_id), data)
        self.history(exercise_id).record(data, "restore")

    def _snapshot(self, exercise_id: str, path: Path) -> Path:
        folder = self.backup_dir / exercise_id
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"{stamp}.py"
        while target.exists():  # two resets within a microsecond
            time.sleep(0.001)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            target = folder / f"{stamp}.py"
        write_atomic(target, path.read_bytes(), keep_backup=False)
        return target

    def is_untouched(self, exercise_id: str) -> bool:
        """True when the working copy is missing or holds exactly the starter code."""
        try:
            current = self.work_path(exercise_id).read_bytes()
        except FileNotFoundError:
            return True
        return current == self._exercise(exercise_id).starter_path.read_bytes()

    def reset(self, exercise_id: str) -> Path | None:
        """Restore the starter, first keeping the current code as a timestamped backup.

        Returns the backup, or None when there was nothing to keep: no file, or the starter
        itself (resetting an untouched exercise writes no backup).
        """
        path = self.work_path(exercise_id)
        starter = self._exercise(exercise_id).starter_path.read_bytes()
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            current = None
        if current == starter:
            return None
        backup = None
        if current is not None:
            self.history(exercise_id).record(current, "outside")  # no-op unless edited outside
            backup = self._snapshot(exercise_id, path)
        write_atomic(path, starter)
        self.history(exercise_id).record(starter, "reset")
        return backup

    def backups(self, exercise_id: str) -> list[Path]:
        """Reset backups of an exercise, newest first."""
        folder = self.backup_dir / exercise_id
        if not folder.is_dir():
            return []
        return sorted(folder.glob("*.py"), reverse=True)

    def restore(self, exercise_id: str, backup: Path) -> Path | None:
        """Bring back a reset backup; the code it replaces is itself backed up first."""
        if backup.parent != self.backup_dir / exercise_id or not backup.is_file():
            raise FileNotFoundError(f"{backup} is not a backup of {exercise_id}")
        path = self.working_copy(exercise_id)
        kept = self._snapshot(exercise_id, path)
        data = backup.read_bytes()
        write_atomic(path, data)
        self.history(exercise_id).record(data, "restore")
        return kept

    # ----- summaries ------------------------------------------------------------------------

    def progress(self) -> dict[str, Any]:
        """The ``progress --json`` object."""
        data = self.progress_data()
        rows = []
        for exercise in self.course.exercises:
            entry = data["exercises"].get(exercise.id, {})
            last = entry.get("last_verdict") or {}
            rows.append(
                {
                    "id": exercise.id,
                    "title": exercise.title,
                    "lesson": exercise.lesson,
                    "kind": exercise.kind,
                    "status": entry.get("status", "new"),
                    "attempts": entry.get("attempts", 0),
                    "hints_used": entry.get("hints_used", 0),
                    "first_passed_at": entry.get("first_passed_at"),
                    "last_attempt_at": entry.get("last_attempt_at"),
                    "last_status": last.get("status"),
                }
            )
        passed = sum(1 for row in rows if row["status"] == "passed")
        return {
            "course": self.course.title,
            "passed": passed,
            "total": len(rows),
            "last_exercise": self.last_exercise(),
            "exercises": rows,
        }
