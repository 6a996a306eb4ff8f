"""`tutor pack`: a course folder as a pack to hand out, as a zip or a folder.

``--for-learners`` leaves out what would give the answers away: each exercise's
``solution.py`` and its ``wrong/`` fixes. What remains is what a learner needs to work and to
check their work locally: the lessons, each exercise's metadata and hints, its starter and its
hidden tests (a learner who reads the hidden tests learns what is checked, not how to fix the
bug; the final grades come from the instructor's own `grade` run on the hand-ins, never from
the learner's copy). Without it, the pack is the whole course, for a co-instructor.

Only the files the course format names are copied (an author's notes beside an exercise stay
home), never through a symbolic link, and the result is loaded back as a course before it is
written, so a pack that would not open for a learner is never handed out. Zips are built with
fixed timestamps in sorted order: the same course gives the same bytes.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tutor.course import Course, load_course

LEARNER_FILES = ("exercise.toml", "starter.py", "test_hidden.py")
INSTRUCTOR_FILES = (*LEARNER_FILES, "solution.py")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class PackError(Exception):
    """The pack cannot be made as asked; the message says what to change."""


@dataclass
class PackContents:
    """The files of a pack (relative path -> bytes) and what was left out."""

    files: dict[str, bytes] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=lambda: {"solutions": 0, "wrong fixes": 0})
    lessons: int = 0
    exercises: int = 0

    def summary(self) -> str:
        left = ", ".join(f"{n} {what}" for what, n in self.left_out.items() if n)
        return f"{self.lessons} lessons, {self.exercises} exercises" + (
            f"; left out {left}" if left else ""
        )


def _regular(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def collect(course: Course, *, for_learners: bool) -> PackContents:
    """What goes in the pack."""
    contents = PackContents()
    root = course.root
    toml = root / "course.toml"
    if _regular(toml):
        contents.files["course.toml"] = toml.read_bytes()
    lessons = root / "lessons"
    for path in sorted(lessons.rglob("*")) if lessons.is_dir() else []:
        relative = path.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if _regular(path):
            contents.files[relative.as_posix()] = path.read_bytes()
    contents.lessons = len(course.lessons)
    for exercise in course.exercises:
        folder = exercise.directory
        prefix = f"exercises/{folder.name}"
        names = LEARNER_FILES if for_learners else INSTRUCTOR_FILES
        for name in names:
            if _regular(folder / name):
                contents.files[f"{prefix}/{name}"] = (folder / name).read_bytes()
        wrong = sorted(p for p in (folder / "wrong").glob("*.py") if _regular(p))
        if for_learners:
            contents.left_out["solutions"] += exercise.has_solution
            contents.left_out["wrong fixes"] += len(wrong)
        else:
            for path in wrong:
                contents.files[f"{prefix}/wrong/{path.name}"] = path.read_bytes()
        contents.exercises += 1
    return contents


def _write_tree(contents: PackContents, target: Path) -> None:
    for relative, data in contents.files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)  # created with the umask's mode, like any new file


def verify(contents: PackContents, *, for_learners: bool) -> None:
    """Load the pack back as a course: PackError if it would not open for its reader."""
    with tempfile.TemporaryDirectory(prefix="tutor-pack-") as scratch:
        _write_tree(contents, Path(scratch))
        try:
            course = load_course(Path(scratch))
        except Exception as exc:  # noqa: BLE001 - CourseError and anything else: one line
            raise PackError(f"the packed course would not load: {exc}") from None
        if for_learners and any(e.has_solution for e in course.exercises):
            raise PackError("a solution would be handed out")  # pragma: no cover - a guard


def zip_pack(contents: PackContents, top: str) -> bytes:
    """The pack as a zip whose entries sit under ``top/``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in sorted(contents.files):
            info = zipfile.ZipInfo(f"{top}/{relative}", date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, contents.files[relative])
    return buffer.getvalue()


def write_folder(contents: PackContents, target: Path) -> None:
    """The pack as a new folder ``target`` (which must not exist, or be empty)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PackError(f"{target} exists and is not an empty folder; give a new folder name")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it 0700; a folder follows the umask
        _write_tree(contents, staging)
        os.replace(staging, target)  # atomic; replaces an empty folder
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _umask() -> int:
    """The process umask, read without changing it (Linux), else the usual 022."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def pack_course(root: Path | None, *, for_learners: bool) -> tuple[Course, PackContents]:
    course = load_course(root)
    contents = collect(course, for_learners=for_learners)
    verify(contents, for_learners=for_learners)
    return course, contents
