"""The local history of working copies: every save is a version, deduplicated and bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tutor.course import load_course
from tutor.history import KEEP_NEWEST, MAX_VERSIONS, History, versions_to_keep
from tutor.state import LearnerState

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_every_save_is_a_version_newest_first_and_duplicates_are_skipped(tmp_path: Path) -> None:
    history = History(tmp_path / "h")
    assert history.versions() == [] and history.latest() is None
    first = history.record("a = 1\n", "save", now=T0)
    assert first is not None
    assert history.record("a = 1\n", "save", now=T0 + timedelta(seconds=1)) is None
    second = history.record("a = 2\n", "save", now=T0 + timedelta(seconds=2))
    third = history.record("a = 1\n", "restore", now=T0 + timedelta(seconds=3))
    versions = history.versions()
    assert [v.reason for v in versions] == ["restore", "save", "save"]
    assert [v.read_text() for v in versions] == ["a = 1\n", "a = 2\n", "a = 1\n"]
    assert versions[0] == third and versions[1] == second
    assert versions[0].sha == versions[2].sha != versions[1].sha


def test_versions_saved_in_the_same_instant_keep_their_order(tmp_path: Path) -> None:
    history = History(tmp_path / "h")
    for i in range(5):
        history.record(f"x = {i}\n", "save", now=T0)
    assert [v.read_text() for v in history.versions()] == [f"x = {i}\n" for i in range(4, -1, -1)]


def test_two_hours_of_autosaves_stay_bounded_and_keep_what_matters(tmp_path: Path) -> None:
    history = History(tmp_path / "h")
    big = "".join(f"line {i}\n" for i in range(200))
    moment = T0
    # Two hours of autosaves, one every 8 seconds; in the middle everything is selected and
    # replaced (the version before is pinned), then the typing goes on.
    for i in range(900):
        if i == 300:
            history.record(big, "save", now=moment)
            moment += timedelta(seconds=1)
            history.record("x\n", "save", now=moment)  # the big deletion
        history.record(f"n = {i}\n", "save", now=moment)
        moment += timedelta(seconds=8)
    versions = history.versions()
    assert len(versions) <= MAX_VERSIONS
    assert versions[0].read_text() == "n = 899\n"
    assert any(v.read_text() == big for v in versions), "the version before a big deletion stays"
    assert len(list((tmp_path / "h").glob("*.py"))) == len(versions)
    print(f"\n902 saves in two hours: {len(versions)} versions kept")


def test_the_cap_keeps_the_newest_and_the_pinned_first(tmp_path: Path) -> None:
    history = History(tmp_path / "h")
    big = "".join(f"line {i}\n" for i in range(200))
    history.record(big, "save", now=T0)
    history.record("x\n", "save", now=T0 + timedelta(milliseconds=1))
    for i in range(MAX_VERSIONS + 30):  # more saves within a minute than the cap
        history.record(f"n = {i}\n", "save", now=T0 + timedelta(milliseconds=2 + i))
    versions = history.versions()
    assert len(versions) == MAX_VERSIONS
    assert any(v.read_text() == big for v in versions)


def test_retention_drops_old_versions_but_always_keeps_the_newest(tmp_path: Path) -> None:
    history = History(tmp_path / "h")
    for i in range(KEEP_NEWEST + 10):
        history.record(f"old = {i}\n", "save", now=T0 + timedelta(minutes=i))
    later = T0 + timedelta(days=30)
    keep = versions_to_keep(history.versions(), later)
    assert len(keep) == KEEP_NEWEST, "a month later, the newest versions are still there"
    history.record("new = 1\n", "save", now=later)
    assert len(history.versions()) == KEEP_NEWEST


def test_state_saves_record_versions_and_an_outside_delete_loses_nothing(
    course_dir: Path,
) -> None:
    state = LearnerState(load_course(course_dir))
    path = state.working_copy("counter")
    state.save_code("counter", "N = 1  # mine\n")
    path.unlink()  # deleted outside the tutor
    assert state.read_code("counter") == "N = 1  # mine\n", "recreated from the history"
    reasons = [v.reason for v in state.history("counter").versions()]
    assert reasons == ["save", "starter"]


def test_reset_of_an_untouched_starter_writes_no_backup(course_dir: Path) -> None:
    state = LearnerState(load_course(course_dir))
    state.working_copy("counter")
    assert state.reset("counter") is None
    assert state.reset("counter") is None
    assert state.backups("counter") == []
    state.save_code("counter", "N = 1\n")
    assert state.reset("counter") is not None
    assert state.reset("counter") is None, "resetting twice keeps one backup"
    assert len(state.backups("counter")) == 1
    assert [v.reason for v in state.history("counter").versions()] == [
        "reset", "save", "starter"]


def test_restoring_a_version_keeps_what_it_replaces(course_dir: Path) -> None:
    state = LearnerState(load_course(course_dir))
    state.working_copy("counter")
    state.save_code("counter", "N = 1\n")
    state.work_path("counter").write_text("N = 2  # from vim\n")  # an outside edit
    oldest = state.history("counter").versions()[-1]
    state.restore_version("counter", oldest)
    assert state.read_code("counter") == oldest.read_text()
    texts = [v.read_text() for v in state.history("counter").versions()]
    assert texts[:2] == [oldest.read_text(), "N = 2  # from vim\n"]
    assert "N = 1\n" in texts
