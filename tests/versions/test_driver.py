"""The CI driver: where it looks for each Python, how it counts, and that it never skips quietly."""

from __future__ import annotations

import re
import signal
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="2" skipped="3" tests="20">
</testsuite></testsuites>
"""


def _fake_pyenv(root: Path, names: list[str]) -> None:
    for name in names:
        version = ".".join(name.split(".")[:2])
        python = root / "versions" / name / "bin" / f"python{version.rstrip('t')}"
        python.parent.mkdir(parents=True)
        python.write_text("")


def test_pyenv_releases_come_newest_first_and_odd_builds_are_left_out(
    driver: ModuleType, tmp_path: Path
) -> None:
    _fake_pyenv(tmp_path, ["3.12.1", "3.12.10", "3.12.9", "3.12-dev", "3.13.0t", "3.13.0"])
    found = driver.host_candidates("3.12", path_env="", pyenv_root=str(tmp_path))
    assert [Path(p).parent.parent.name for p in found] == ["3.12.10", "3.12.9", "3.12.1"]
    found = driver.host_candidates("3.13", path_env="", pyenv_root=str(tmp_path))
    assert [Path(p).parent.parent.name for p in found] == ["3.13.0"]
    assert driver.host_candidates("3.14", path_env="", pyenv_root=str(tmp_path)) == []


def test_the_running_interpreter_is_found_for_its_own_version(driver: ModuleType) -> None:
    version = "{}.{}".format(*sys.version_info[:2])
    found = driver.host_candidates(version, path_env=str(Path(sys.executable).parent))
    assert found and Path(found[0]).parent == Path(sys.executable).parent
    probed = driver._probe([sys.executable, "-c", driver.PROBE])
    assert probed == ("{}.{}.{}".format(*sys.version_info[:3]), driver.sysconfig.get_config_var(
        "Py_GIL_DISABLED") == 1)


def test_junit_counts(driver: ModuleType, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(JUNIT)
    assert driver.junit_counts(report) == {"passed": 14, "failed": 2, "errors": 1, "skipped": 3}


def _outcome(driver: ModuleType, version: str, **counts: int) -> object:
    found = driver.Interpreter(version, f"/usr/bin/python{version}", full_version=version + ".0")
    return driver.Outcome(version, interpreter=found, counts=counts, scope="whole suite")


def test_a_missing_version_fails_the_run_and_says_which(
    driver: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    outcomes = [
        _outcome(driver, "3.11", passed=10, skipped=1),
        driver.Outcome("3.15", problem="not on this machine, and building ... needs root"),
    ]
    assert driver.summarize(outcomes, 60.0) == 1
    out = capsys.readouterr().out.splitlines()
    assert "Python 3.15: NOT TESTED: not on this machine, and building ... needs root" in out
    assert "versions not tested: 3.15 (so this run fails)" in out
    assert out[-1] == "total: 10 passed, 0 failed, 1 skipped"


def test_failures_errors_and_empty_runs_fail_the_run(
    driver: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert driver.summarize([_outcome(driver, "3.11", passed=3)], 1.0) == 0
    assert driver.summarize([_outcome(driver, "3.11", passed=3, failed=1)], 1.0) == 1
    assert driver.summarize([_outcome(driver, "3.11", passed=3, errors=1)], 1.0) == 1
    assert driver.summarize([_outcome(driver, "3.11")], 1.0) == 1  # ran nothing
    last = capsys.readouterr().out.splitlines()
    assert "versions failing: 3.11" in last


def test_the_closing_line_is_the_plain_form_ci_reads(
    driver: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    driver.summarize([_outcome(driver, "3.12", passed=5, failed=1, errors=2, skipped=4)], 1.0)
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(r"\w+: \d+ passed, \d+ failed(, \d+ skipped)?", last), last
    assert last == "total: 5 passed, 3 failed, 4 skipped"


def test_versions_option(driver: ModuleType) -> None:
    assert driver.parse_args([]).wanted == list(driver.VERSIONS)
    assert driver.parse_args(["--versions", "3.15,3.11"]).wanted == ["3.15", "3.11"]
    with pytest.raises(SystemExit):
        driver.parse_args(["--versions", "3.10"])


def test_a_version_nowhere_on_the_machine_is_one_line_saying_where_it_looked(
    driver: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    found, problem = driver.find("3.12", driver.SidRoot(None))
    assert found is None
    assert problem == (
        f"not found in PATH and {tmp_path / 'pyenv'}/versions: install it (pyenv install 3.12)"
    )


def test_a_silent_hang_is_ended_at_its_limit(driver: ModuleType) -> None:
    """A pytest that hangs prints nothing: the limit must still end it (and its children)."""
    began = time.monotonic()
    status, output = driver.run_logged(
        [sys.executable, "-c", "import subprocess, sys, time; "
         "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"],
        2.0,
    )
    assert status == -1 and "timed out after 2 s" in output
    assert time.monotonic() - began < 30


def test_the_limit_interrupts_even_when_we_were_started_with_sigint_ignored(
    driver: ModuleType,
) -> None:
    """`nohup scripts/test_versions.py &` starts the driver with SIGINT ignored, which its
    children would inherit: the SIGINT at the limit would do nothing, and the suite's own
    Ctrl-C tests would fail. The children must get SIGINT's default action."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        began = time.monotonic()
        status, output = driver.run_logged(
            [sys.executable, "-c", "import signal, time; "
             "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler, flush=True); "
             "time.sleep(60)"],
            2.0,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    assert status == -1 and output.startswith("True"), output
    assert time.monotonic() - began < driver.INTERRUPT_GRACE_S  # SIGINT, not the SIGKILL after


def test_each_version_gets_what_is_left_of_the_run_budget(
    driver: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(driver, "_run_deadline", None)
    assert driver.pytest_limit() == driver.PYTEST_TIMEOUT_S
    monkeypatch.setattr(driver, "_run_deadline", time.monotonic() + 120)
    assert 100 < driver.pytest_limit() <= 120
