"""Hostile submissions, each graded through `tutor check --file ... --json` in a subprocess.

Every case must end with a non-passing status within a bound on wall time, keep the output
under the cap, and leave no process behind (the watcher is a subreaper: anything that escaped
the run would be reparented to it and counted). Cases that must hit the wall limit get 4 s,
counted once pytest is up; the others get a generous limit, so a loaded machine cannot turn
their verdict into a timeout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tutor.runner import OUTPUT_CAP
from tutor.runner.cgroup import RunCgroup
from tutor.runner.isolation import probe
from tutor.runner.landlock import abi_version

HOSTILE = Path(__file__).resolve().parent / "hostile"
PID_NAMESPACE = probe().get("namespaces", {}).get("pid") == "yes"
TIMEOUT_S = 4.0  # counted from when pytest is up (its start-up is not the learner's time)
GENEROUS_TIMEOUT_S = 30.0
# A bound on wall time that only a hang can break: CLI start-up, a starved reaper's cleanup of
# a fork bomb and the tutor's grace for it (20 s) on a loaded 2-core machine. What each case
# must show is asserted exactly (status, words, no survivor); the wall time only catches hangs.
SLACK_S = 45.0

# case -> (expected status, words the failure message must contain)
EXPECTED: dict[str, tuple[str, list[str]]] = {
    "infinite_loop.py": ("timeout", ["timed out after 4 s", "submission.py, line 12"]),
    "deadlock.py": ("timeout", ["submission.py, line 13 in _first", "line 20 in _second"]),
    "thousands_of_threads.py": ("error", ["can't start new thread", "submission.py"]),
    "huge_allocation.py": ("error", ["MemoryError", "submission.py, line 3"]),
    "flood_output.py": ("failed", ["lost updates"]),
    "ignore_sigterm.py": ("timeout", ["timed out"]),
    "non_daemon_thread.py": ("timeout", ["all 2 tests finished", "did not exit"]),
    "read_stdin.py": ("failed", ["EOFError"]),
    "syntax_error.py.txt": ("error", ["SyntaxError", "(submission.py, line 4)"]),
    # In a PID namespace the parent is the run's init (immune to SIGKILL from inside) and its
    # parent is pid 0: kill(0, SIGKILL) kills the learner's own process group, an error. Else,
    # with Landlock's signal scope the kills are refused; without it the middle process and the
    # reaper die, and the tutor reports the missing report as an error (and sweeps the run).
    "kill_parent.py": ("error", ["SIGKILL"])
    if PID_NAMESPACE
    else ("failed", ["lost updates"])
    if abi_version() >= 6
    else ("error", []),
    "daemons.py": ("failed", ["lost updates"]),
    "fake_verdict.py": ("error", ["ended", "exit status 0"]),
    "forge_channel.py": ("error", ["tampered"]),
    "segfault.py": ("error", ["SIGSEGV"]),
    "exit_in_test.py": ("error", ["ended during test_concurrent_increments_are_all_counted"]),
    "close_fds.py": ("error", []),
    "big_file.py": ("error", ["File too large"]),
}


def _task_cap_holds() -> bool:
    """A fork bomb is only safe to run where the number of tasks is capped."""
    import os

    if os.getuid() != 0:
        return True  # RLIMIT_NPROC applies
    cgroup = RunCgroup(8)
    try:
        return cgroup.path is not None
    finally:
        cgroup.remove()


CASES = sorted(EXPECTED) + (["fork_bomb.py"] if _task_cap_holds() else [])


def _timeout_for(case: str) -> float:
    return TIMEOUT_S if EXPECTED.get(case, ("timeout",))[0] == "timeout" else GENEROUS_TIMEOUT_S


@pytest.fixture(scope="module")
def reports(check_watched: Any) -> Any:
    """``reports[case]``: the watched check of one case, run once per module (per worker)."""

    class Reports(dict):
        def __missing__(self, case: str) -> dict[str, Any]:
            self[case] = check_watched(HOSTILE / case, timeout_s=_timeout_for(case))
            return self[case]

    return Reports()


def test_every_hostile_file_has_a_case() -> None:
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name.endswith((".py", ".py.txt"))}
    assert on_disk - {"rewrite_tests.py", "fork_bomb.py"} == set(EXPECTED)


@pytest.mark.parametrize("case", CASES)
def test_hostile_submission_gets_a_clear_verdict(case: str, reports: dict) -> None:
    report = reports[case]
    verdict = report["verdict"]
    assert verdict is not None, f"stdout was not one JSON object: {report['stdout'][:500]!r}"
    assert report["returncode"] == 1, report["stderr"]
    assert verdict["status"] != "passed"
    expected_status, words = EXPECTED.get(case, ("timeout", []))
    assert verdict["status"] == expected_status, verdict["failure"]
    message = verdict["failure"]["message"] + " ".join(t["message"] for t in verdict["tests"])
    for word in words:
        assert word in message, message
    assert report["wall_s"] < _timeout_for(case) + SLACK_S
    assert len(verdict["output"].encode()) <= OUTPUT_CAP + 100
    assert report["survivors"] == [], report["survivors"]


def test_flooded_output_is_capped_and_counted(reports: dict) -> None:
    output = reports["flood_output.py"]["verdict"]["output"]
    assert output.startswith("xxxx")
    dropped = 200 * 1_000_000 - OUTPUT_CAP
    assert output.endswith(f"[... {dropped:,} more bytes dropped]")


@pytest.mark.parametrize("case", ["infinite_loop.py", "deadlock.py"])
def test_a_timeout_carries_every_threads_stack(case: str, reports: dict) -> None:
    failure = reports[case]["verdict"]["failure"]
    assert failure["kind"] == "timeout"
    assert "submission.py" in failure["stacks"]
    assert failure["stacks"].count("Thread 0x") + failure["stacks"].count("Current thread") >= 2


def test_a_fake_verdict_on_stdout_is_only_output(reports: dict) -> None:
    verdict = reports["fake_verdict.py"]["verdict"]
    assert "2 passed" in verdict["output"]
    assert verdict["status"] == "error" and verdict["tests"] == []
