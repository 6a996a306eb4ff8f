"""Learner state: atomic writes, crash safety, concurrent updates, corrupt-file recovery."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tutor.course import load_course
from tutor.state import LearnerState

# A long-lived child that forks writers on demand, so 200 SIGKILLs cost milliseconds each.
FORK_SERVER = textwrap.dedent(
    """
    import os, sys, hashlib
    from pathlib import Path
    from tutor.course import load_course
    from tutor.state import LearnerState
    state = LearnerState(load_course(Path(sys.argv[1])))
    def change(data):
        n = data.get("n", 0) + 1
        data["n"] = n
        data["blob"] = ("%08d" % n) * 2000
        data["digest"] = hashlib.sha256(data["blob"].encode()).hexdigest()
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            while True:
                state.update(change)
        print(pid, flush=True)
    """
)


def _consistent(path: Path) -> int:
    import hashlib

    data = json.loads(path.read_text())
    assert hashlib.sha256(data["blob"].encode()).hexdigest() == data["digest"]
    assert data["blob"] == f"{data['n']:08d}" * 2000
    return data["n"]


def test_sigkill_while_writing_never_corrupts(course_dir: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", FORK_SERVER, str(course_dir)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    state = LearnerState(load_course(course_dir))
    rng = random.Random(1234)
    last = 0
    kills = 0
    try:
        assert server.stdin and server.stdout
        for _ in range(200):
            server.stdin.write("go\n")
            server.stdin.flush()
            pid = int(server.stdout.readline())
            time.sleep(rng.uniform(0.002, 0.02))
            os.kill(pid, signal.SIGKILL)
            kills += 1
            # The writer is the server's child (a zombie until the server exits): wait for the
            # kill to land before reading.
            deadline = time.monotonic() + 10
            while Path(f"/proc/{pid}").exists() and _is_alive(pid):
                assert time.monotonic() < deadline
                time.sleep(0.001)
            if state.progress_path.exists():
                n = _consistent(state.progress_path)
                assert n >= last, "progress went backwards"
                last = n
    finally:
        server.kill()
        server.wait()
    assert kills == 200
    assert last > 0, "no write ever completed"
    print(f"\n200 SIGKILLs mid-write: file parsed every time; {last} writes completed in all")
    assert not [p for p in state.home.iterdir() if p.name.startswith("progress.corrupt")]


def _is_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tutor.course import load_course
    from tutor.state import LearnerState
    state = LearnerState(load_course(Path(sys.argv[1])))
    for i in range(int(sys.argv[3])):
        state.record_verdict(sys.argv[2], {"status": "failed", "i": i})
    """
)


def test_two_processes_lose_no_update(course_dir: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(course_dir), ex, "500"])
        for ex in ("counter", "deadlock")
    ]
    for proc in procs:
        assert proc.wait(timeout=240) == 0
    state = LearnerState(load_course(course_dir))
    rows = {row["id"]: row for row in state.progress()["exercises"]}
    assert rows["counter"]["attempts"] == 500
    assert rows["deadlock"]["attempts"] == 500
    assert rows["counter"]["status"] == "attempted"
    print(f"\n2 processes x 500 locked updates: {rows['counter']['attempts']} + "
          f"{rows['deadlock']['attempts']} recorded")


def test_corrupt_progress_is_set_aside_and_recovered(course_dir: Path) -> None:
    course = load_course(course_dir)
    state = LearnerState(course)
    for _ in range(3):
        state.record_verdict("counter", {"status": "failed"})
    state.record_verdict("deadlock", {"status": "passed"})
    garbage = b'{"version": 1, "exercises": {"counter": {"stat'
    state.progress_path.write_bytes(garbage)

    recovered = LearnerState(course)
    assert len(recovered.warnings) == 1
    warning = recovered.warnings[0]
    assert "corrupt" in warning and "recovered from the backup" in warning and "\n" not in warning
    aside = list(state.home.glob("progress.corrupt-*.json"))
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    rows = {row["id"]: row for row in recovered.progress()["exercises"]}
    # The backup is the version before the last write: three failed attempts, no pass yet.
    assert rows["counter"]["attempts"] == 3
    assert rows["deadlock"]["status"] == "new"
    json.loads(state.progress_path.read_text())  # the live file parses again


def test_corrupt_progress_and_backup_start_fresh_but_keep_both(course_dir: Path) -> None:
    course = load_course(course_dir)
    state = LearnerState(course)
    state.record_verdict("counter", {"status": "passed"})
    state.record_verdict("counter", {"status": "failed"})
    state.progress_path.write_text("not json")
    (state.home / "progress.json.bak").write_text("[]")
    fresh = LearnerState(course)
    assert "no usable backup" in fresh.warnings[0]
    assert (state.home / "progress.json.bak").exists()
    assert len(list(state.home.glob("progress.corrupt-*.json"))) == 1
    assert fresh.status("counter") == "new"


def test_working_copy_reset_backup_and_restore(course_dir: Path) -> None:
    course = load_course(course_dir)
    state = LearnerState(course)
    path = state.working_copy("counter")
    starter = course.exercise("counter").starter_path.read_text()
    assert path.read_text() == starter
    state.save_code("counter", "N = 1  # my fix\n")
    state.save_code("counter", "N = 2  # my second fix\n")
    assert (path.parent / "counter.py.bak").read_text() == "N = 1  # my fix\n"
    backup = state.reset("counter")
    assert backup is not None and backup.read_text() == "N = 2  # my second fix\n"
    assert state.read_code("counter") == starter
    assert state.backups("counter") == [backup]
    kept = state.restore("counter", backup)
    assert state.read_code("counter") == "N = 2  # my second fix\n"
    assert kept is not None and kept.read_text() == starter
    with pytest.raises(FileNotFoundError):
        state.restore("counter", path)


def test_hints_and_verdicts_are_recorded(course_dir: Path) -> None:
    state = LearnerState(load_course(course_dir))
    assert state.next_hint("counter") == (1, "Look at +=")
    assert state.next_hint("counter") == (2, "Use a lock")
    assert state.next_hint("counter") is None
    assert state.hints_used("counter") == ["Look at +=", "Use a lock"]
    state.record_verdict("counter", {"status": "passed", "output": "x" * 100_000})
    state.record_verdict("counter", {"status": "failed"})
    progress = state.progress()
    row = progress["exercises"][0] if progress["exercises"][0]["id"] == "counter" else progress["exercises"][1]
    assert row["status"] == "passed" and row["attempts"] == 2 and row["first_passed_at"]
    assert row["last_status"] == "failed" and row["hints_used"] == 2
    assert progress["last_exercise"] == "counter"
    assert len(state.progress_path.read_text()) < 20_000  # huge output is not kept whole
