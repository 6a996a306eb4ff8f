"""Time to detect each built-in starter's bug, under two (or more) engines in one run.

Run: ``python tests/benchmarks/interleave_detect.py [--engine new=. --engine old=/tmp/old]
[--seeds 20] [--exercises a,b] [--seeded] [--json FILE]``

Issue 18 asks that the reduction leave the median time to detect no worse than before on any
exercise. For each exercise whose hidden test calls ``explore``, the target is its starter's
first case that fails (found by the first engine, at seed 0); each engine (a checkout of this
repository: its ``tutor`` package is put first on ``sys.path``) then runs ``explore`` on that
case for seeds 0..N-1 without shrinking, in a child process of its own, and the table gives
the median milliseconds and schedules to the first failing schedule (the detection), and the
median milliseconds of the whole call (which adds the recorded replay of that schedule and, in
engines that have it, its explanation). ``--seeded`` adds the
seeded bugs of tests/interleave/seeded.py (the "mailbox", a condition with two waiters, is
``if_not_while``). Engines alternate per exercise so they share the load; the cases always
come from *this* checkout, so every engine runs the very same closures. Wall times on a
shared machine are noisy: compare engines within one run, and read the schedule counts
(exact for a given engine and seed) beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from interleave_cases import explore_based_exercises  # noqa: E402 - beside this script

_CHILD = r"""
import json, os, sys, time
engine, here, repo, exercise, target, seeds = sys.argv[1:7]
sys.path[:0] = [engine, here, repo, os.path.join(repo, "tests", "interleave")]
import tutor
assert tutor.__file__.startswith(engine), tutor.__file__
from tutor.interleave import InterleavingFailure, explore, install
from tutor.interleave import _explore
install()
found_at = []
_fail = _explore._fail
def _noted_fail(*args, **kwargs):  # the first failing schedule has just run
    found_at.append(time.perf_counter())
    return _fail(*args, **kwargs)
_explore._fail = _noted_fail
if exercise.startswith("seeded:"):
    import seeded
    setup, threads, check, _ = seeded.BUGGY[exercise[7:]]
    cases = [(setup, threads, check, None)]
else:
    from interleave_cases import load
    cases = [(c.setup, c.threads, c.check, c.budget_s) for c in load(exercise, "starter")]
def detect(case, seed):
    setup, threads, check, budget_s = case
    found_at.clear()
    start = time.perf_counter()
    try:
        explore(setup, threads, check, seed=seed, budget_s=budget_s, minimize=False)
    except InterleavingFailure as failure:
        end = time.perf_counter()
        report = getattr(failure, "report", None)
        found = found_at[0] - start if found_at else end - start
        return found, report.schedules if report else None, failure.kind, end - start
    return time.perf_counter() - start, None, None, None
target = int(target)
if target < 0:  # the first case that fails at seed 0
    target = next((i for i, c in enumerate(cases) if detect(c, 0)[2]), 0)
rows = [detect(cases[target], seed) for seed in range(int(seeds))]
sys.stdout.flush()
print("RESULT " + json.dumps({"target": target, "runs": rows}))
sys.stdout.flush()
os._exit(0)
"""


def run_one(engine: Path, exercise: str, target: int, seeds: int, python: str) -> dict:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("TUTOR_SEED", None)
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([python, "-c", _CHILD, str(engine), str(HERE), str(REPO), exercise,
                           str(target), str(seeds)],
                          capture_output=True, text=True, env=env, timeout=1800)  # fmt: skip
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"error": (proc.stdout + proc.stderr)[-800:]}


def summary(result: dict) -> dict:
    runs = result["runs"]
    found = [r for r in runs if r[2]]
    out = {"found": len(found), "seeds": len(runs)}
    if found:
        out["median_ms"] = statistics.median(r[0] for r in found) * 1000
        out["median_schedules"] = statistics.median(r[1] for r in found if r[1] is not None)
        out["median_total_ms"] = statistics.median(r[3] for r in found) * 1000
    return out


def cell(s: dict) -> str:
    if "error" in s:
        return f"{'error':>30}"
    if not s.get("found"):
        return f"{'0/' + str(s['seeds']):>30}"
    return (f"{s['found']:>3}/{s['seeds']:<3} {s['median_ms']:7.1f} {s['median_schedules']:5.0f}"
            f" {s['median_total_ms']:7.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", metavar="NAME=PATH",
                        help="a checkout whose tutor package to use (default: new=this one)")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--exercises")
    parser.add_argument("--seeded", action="store_true",
                        help="also the seeded bugs of tests/interleave/seeded.py")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--json")
    args = parser.parse_args()
    engines = dict(e.split("=", 1) for e in (args.engine or [f"new={REPO}"]))
    engines = {name: Path(path).resolve() for name, path in engines.items()}
    names = list(engines)
    exercises = args.exercises.split(",") if args.exercises else explore_based_exercises()
    if args.seeded:
        sys.path.insert(0, str(REPO / "tests" / "interleave"))
        import seeded

        exercises += [f"seeded:{name}" for name in seeded.BUGGY]
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, {args.python}; "
          "per engine: found/seeds, median ms to the first failing schedule, median schedules, "
          "median ms of the whole call (with the recorded replay and explanation)", flush=True)
    print(f"{'exercise':28} " + " ".join(f"{n:>30}" for n in names) + "   ratio", flush=True)
    results: dict = {"engines": {k: str(v) for k, v in engines.items()}, "seeds": args.seeds,
                     "exercises": {}}  # fmt: skip
    for i, ex in enumerate(exercises):
        target = -1
        row: dict = {}
        order = names if i % 2 == 0 else names[::-1]
        first = run_one(engines[names[0]], ex, -1, args.seeds, args.python)
        if "error" not in first:
            target = first["target"]
        for n in order:
            result = first if n == names[0] else run_one(engines[n], ex, target, args.seeds,
                                                         args.python)
            row[n] = result if "error" in result else dict(summary(result), target=target)
        results["exercises"][ex] = row
        ratio = ""
        a, b = row[names[0]], row[names[-1]]
        if len(names) > 1 and a.get("median_ms") and b.get("median_ms"):
            ratio = f"{a['median_ms'] / b['median_ms']:7.2f}"
        print(f"{ex:28} " + " ".join(cell(row[n]) for n in names) + f" {ratio}", flush=True)
    print()
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            for key, what in (("median_ms", "detection"), ("median_total_ms", "whole call")):
                pairs = [(row[a][key], row[b][key]) for row in results["exercises"].values()
                         if row[a].get(key) and row[b].get(key)]
                if pairs:
                    ratios = [x / y for x, y in pairs]
                    print(f"{what:10} {a} / {b}: geometric mean "
                          f"{statistics.geometric_mean(ratios):.2f}x over {len(ratios)} cases, "
                          f"{sum(r <= 1.0 for r in ratios)} at or below 1.0x")
    for ex, row in results["exercises"].items():
        for n in names:
            if "error" in row[n]:
                print(f"\n{ex} ({n}):\n{row[n]['error']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
