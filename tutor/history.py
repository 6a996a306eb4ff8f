"""The local history of a working copy: every save keeps a version, like an editor's.

A version is one file, ``<UTC time>-<sha256 prefix>-<reason>.py``, written atomically into the
exercise's history folder (not fsynced: the working copy itself is durable), so a listing needs
no index that a crash could tear. A save whose text equals the newest version adds nothing. The
history stays bounded: recent versions are all kept, older ones are thinned out to one per time
bucket, and nothing beyond ``MAX_VERSIONS`` or older than ``MAX_AGE`` survives (except the newest
``KEEP_NEWEST``, so a learner who comes back after a month still finds their last work). A
version that was followed by a reset, a restore, an outside edit or a large deletion is never
thinned out: those are the moments a learner wants to go back to.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tutor.atomic import file_lock, write_atomic

# Why a version was kept, in words for people.
REASON_TEXT = {
    "starter": "the starter code",  # the working copy was created
    "save": "saved",  # by the app
    "check": "checked",  # what `tutor check` graded
    "outside": "changed outside the tutor",  # by another editor or program
    "reset": "reset to the starter",
    "restore": "restored",  # an older version, written back
    "written-back": "written back by the app",  # after the file was deleted or emptied outside
}
REASONS = tuple(REASON_TEXT)

MAX_VERSIONS = 200
PRUNE_EVERY = 10  # saves between two thinnings (the cap itself is kept at every save)
MAX_AGE = timedelta(days=7)
KEEP_NEWEST = 20
# (versions younger than this, keep one per bucket of this size); younger than the first: all.
THINNING = (
    (timedelta(minutes=2), None),
    (timedelta(hours=1), timedelta(seconds=30)),
    (timedelta(days=1), timedelta(minutes=15)),
    (MAX_AGE, timedelta(hours=2)),
)
_PIN_AFTER = frozenset({"reset", "restore", "outside", "written-back"})
_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^(?P<stamp>\d{8}T\d{12}Z)-(?P<sha>[0-9a-f]{12})-(?P<reason>[a-z-]+)\.py$")


def text_digest(data: bytes) -> str:
    """The short content hash that names a version (12 hex digits of sha256)."""
    return hashlib.sha256(data).hexdigest()[:12]


@dataclass(frozen=True)
class Version:
    """One kept version of a working copy."""

    path: Path
    saved_at: datetime
    sha: str
    reason: str
    size: int

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def read_text(self) -> str:
        return self.path.read_text(encoding="utf-8", errors="replace")

    def line_count(self) -> int:
        try:
            return len(self.read_text().splitlines())
        except OSError:
            return 0


def _parse(path: Path) -> Version | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    stamp = match["stamp"]  # 20261129T214003123456Z; strptime is 20x slower
    try:
        saved_at = datetime(int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]), int(stamp[9:11]),
                            int(stamp[11:13]), int(stamp[13:15]), int(stamp[15:21]), tzinfo=UTC)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return Version(path, saved_at, match["sha"], match["reason"], size)


def _pinned(versions: list[Version]) -> set[Path]:
    """Versions (newest first) that the next, newer version replaced in a big way."""
    pinned: set[Path] = set()
    for newer, older in zip(versions, versions[1:], strict=False):
        shrank = newer.size * 2 < older.size and older.size - newer.size > 80
        if newer.reason in _PIN_AFTER or shrank:
            pinned.add(older.path)
    return pinned


def versions_to_keep(versions: list[Version], now: datetime) -> list[Version]:
    """The retention policy (see the module docstring); ``versions`` newest first.

    When more than ``MAX_VERSIONS`` survive the thinning, the newest ``KEEP_NEWEST`` and the
    pinned versions go first, then the rest, newest first.
    """
    pinned = _pinned(versions)
    kept: list[Version] = []
    seen_buckets: set[tuple[int, int]] = set()
    for index, version in enumerate(versions):
        age = now - version.saved_at
        if index < KEEP_NEWEST or (age <= MAX_AGE and version.path in pinned):
            kept.append(version)
            continue
        for tier, (younger_than, bucket) in enumerate(THINNING):
            if age <= younger_than:
                if bucket is None:
                    kept.append(version)
                else:
                    key = (tier, int(version.saved_at.timestamp() // bucket.total_seconds()))
                    if key not in seen_buckets:  # newest first: the bucket's newest wins
                        seen_buckets.add(key)
                        kept.append(version)
                break
    if len(kept) <= MAX_VERSIONS:
        return kept
    first = set(v.path for v in kept[:KEEP_NEWEST]) | pinned
    ranked = [v for v in kept if v.path in first] + [v for v in kept if v.path not in first]
    chosen = {v.path for v in ranked[:MAX_VERSIONS]}
    return [v for v in kept if v.path in chosen]


class History:
    """The versions of one working copy, in ``folder``; safe to use from several processes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = folder / ".lock"

    def _names(self) -> list[str]:
        """The version files' names, newest first (they sort by time)."""
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return []
        return sorted((name for name in names if name.endswith(".py")), reverse=True)

    def versions(self) -> list[Version]:
        """Every kept version, newest first."""
        found = (_parse(self.folder / name) for name in self._names())
        return [v for v in found if v is not None]

    def latest(self) -> Version | None:
        return self._latest(self._names())

    def _latest(self, names: list[str]) -> Version | None:
        for name in names:
            version = _parse(self.folder / name)
            if version is not None:
                return version
        return None

    def record(self, data: str | bytes, reason: str, *, now: datetime | None = None
               ) -> Version | None:
        """Keep ``data`` as the newest version; None when it equals the newest already."""
        if reason not in REASONS:
            raise ValueError(f"unknown history reason {reason!r}")
        payload = data.encode("utf-8") if isinstance(data, str) else data
        sha = text_digest(payload)
        with file_lock(self._lock):
            names = self._names()
            latest = self._latest(names)
            if latest is not None and latest.sha == sha:
                return None
            when = now or datetime.now(UTC)
            if latest is not None and when <= latest.saved_at:
                when = latest.saved_at + timedelta(microseconds=1)  # names stay in order
            path = self.folder / f"{when.strftime(_STAMP_FORMAT)}-{sha}-{reason}.py"
            write_atomic(path, payload, keep_backup=False, durable=False)
            if len(names) + 1 > MAX_VERSIONS or len(names) % PRUNE_EVERY == 0:
                self._prune(when)  # thinning is cheap, but not free: every few saves
        return Version(path, when, sha, reason, len(payload))

    def _prune(self, now: datetime) -> None:
        versions = self.versions()
        keep = {v.path for v in versions_to_keep(versions, now)}
        for version in versions:
            if version.path not in keep:
                version.path.unlink(missing_ok=True)

    def find(self, sha: str) -> Version | None:
        """The newest version with this content hash."""
        return next((v for v in self.versions() if v.sha == sha), None)
