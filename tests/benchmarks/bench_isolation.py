"""Benchmark: what the kernel isolation layers of issue 11 cost per `tutor check`.

Run: python tests/benchmarks/bench_isolation.py [--runs 9] [--baseline /path/to/main/checkout]

Times `tutor check counter --file solution.py --json` (the runner's test course) with:
- this tree, every layer (namespaces, private root, uid drop, Landlock, rlimits, cgroup);
- this tree with the new layers off (TUTOR_SANDBOX_DISABLE=namespaces,drop: Landlock,
  rlimits and the reaper only, as before issue 11);
- the baseline checkout (today's main), when given;
interleaved, `--runs` times each, and prints the medians and their ratios. Every run includes
the interpreter's start-up, as a learner's `check` does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "tests" / "runner" / "course"
SOLUTION = COURSE / "exercises" / "counter" / "solution.py"


def _check(tree: Path, extra_env: dict[str, str]) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUTOR_")}
    env.update(extra_env, PYTHONPATH=str(tree), TUTOR_HOME=tempfile.mkdtemp(prefix="bench-home-"))
    argv = [sys.executable, "-m", "tutor", "--course", str(COURSE), "check", "counter",
            "--file", str(SOLUTION), "--json"]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=tree, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"check failed in {tree}: {done.stdout[-500:]} {done.stderr[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--baseline", type=Path, default=None, help="a checkout of main")
    args = parser.parse_args()
    variants = {
        "all layers": (REPO, {}),
        "new layers off": (REPO, {"TUTOR_SANDBOX_DISABLE": "namespaces,drop"}),
    }
    if args.baseline is not None:
        variants["baseline (main)"] = (args.baseline.resolve(), {})
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.runs):
        for name, (tree, env) in variants.items():
            times[name].append(_check(tree, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"tutor check (counter, solution), median of {args.runs}, Python {sys.version.split()[0]}:"
    )
    for name, median in medians.items():
        print(
            f"  {name:<16} {median:6.3f} s   (min {min(times[name]):.3f}, max {max(times[name]):.3f})"
        )
    print(
        f"  ratio all layers / new layers off: {medians['all layers'] / medians['new layers off']:.2f}"
    )
    if "baseline (main)" in medians:
        print(
            f"  ratio all layers / main:           {medians['all layers'] / medians['baseline (main)']:.2f}"
        )


if __name__ == "__main__":
    main()
