"""Benchmark: what the sandbox costs, and how fast a hung submission gets its verdict.

Run: python tests/benchmarks/bench_check.py [--runs N]
1. Median wall time of `tutor check --file solution.py --json` against bare `python -m pytest`
   on the same two files (the hidden test and the solution as submission.py), interleaved in
   the same run; both include interpreter start-up. Bare pytest is measured twice: as a user
   would run it (third-party plugins autoload) and with autoloading off, as the sandbox runs it.
   Goal: check <= 1.3x bare pytest.
2. Time to a verdict for an infinite loop with timeout_s = 2, through `grade()` and through the
   CLI. Goal: under 2.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "tests" / "runner" / "course"
EXERCISE = COURSE / "exercises" / "counter"
LOOP = REPO / "tests" / "runner" / "hostile" / "infinite_loop.py"


def _time(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "TUTOR_SEED"}
    env["TUTOR_HOME"] = tempfile.mkdtemp(prefix="bench-home-")
    bare_env = dict(env, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    work = Path(tempfile.mkdtemp(prefix="bench-check-"))
    shutil.copy(EXERCISE / "test_hidden.py", work / "test_hidden.py")
    shutil.copy(EXERCISE / "solution.py", work / "submission.py")
    py = sys.executable
    check = [py, "-m", "tutor", "--course", str(COURSE), "check", "counter",
             "--file", str(work / "submission.py"), "--json"]  # fmt: skip
    pytest_argv = [py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_hidden.py"]
    sys.path.insert(0, str(REPO))
    from tutor.grading import grade_source

    tests = (EXERCISE / "test_hidden.py").read_bytes()
    solution = (EXERCISE / "solution.py").read_bytes()
    times: dict[str, list[float]] = {
        "check": [],
        "grade() in-process": [],
        "pytest": [],
        "pytest-noautoload": [],
    }
    _time(check, work, env)  # warm the file cache once
    for _ in range(args.runs):
        times["check"].append(_time(check, work, env))
        times["pytest"].append(_time(pytest_argv, work, env))
        times["pytest-noautoload"].append(_time(pytest_argv, work, bare_env))
        started = time.perf_counter()
        assert grade_source("counter", tests, solution).passed
        times["grade() in-process"].append(time.perf_counter() - started)
    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"runs: {args.runs} each, interleaved; cores: {os.cpu_count()}")
    for name, value in med.items():
        print(f"  median {name:<18} {value:.3f} s")
    print(
        f"  check / bare pytest (autoload)     = {med['check'] / med['pytest']:.2f}x (goal <= 1.3x)"
    )
    print(f"  check / bare pytest (no autoload)  = {med['check'] / med['pytest-noautoload']:.2f}x")
    in_process = med["grade() in-process"] / med["pytest-noautoload"]
    print(f"  grade() / bare pytest (no autoload) = {in_process:.2f}x (no CLI start-up: the TUI)")

    loop = LOOP.read_bytes()
    in_process = []
    for _ in range(3):
        started = time.perf_counter()
        verdict = grade_source("counter", tests, loop, timeout_s=2)
        in_process.append(time.perf_counter() - started)
        assert verdict.status == "timeout", verdict.status
    cli = [py, "-m", "tutor", "--course", str(COURSE), "check", "counter",
           "--file", str(LOOP), "--json", "--timeout", "2"]  # fmt: skip
    via_cli = [_time(cli, work, env) for _ in range(3)]
    print("infinite loop, timeout_s = 2 (goal: verdict in under 2.5 s)")
    print(f"  grade() median {statistics.median(in_process):.3f} s, max {max(in_process):.3f} s")
    print(f"  CLI     median {statistics.median(via_cli):.3f} s, max {max(via_cli):.3f} s")
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(env["TUTOR_HOME"], ignore_errors=True)


if __name__ == "__main__":
    main()
