"""Every built-in verdict of the explorer: starter, solution and each wrong fix of every exercise.

Run: ``python tests/benchmarks/interleave_verdicts.py [--clock-scale 50] [--json FILE]``
(stdlib only; any Python 3.11+ with the repository on ``sys.path``).

For each exercise whose hidden test calls ``explore``, each variant (``starter``, ``solution``,
``wrong/*.py``) has its hidden test's ``explore`` calls run in this process, in test order,
as a grader would: install() first, the default seed (0), the test's own arguments. The
variant's verdict is the first failure (its kind and explanation pattern) or ``pass``; per case
we keep the time, the schedules and whether the search was complete (a proof).

``--clock-scale N`` runs the explorer's own clock N times fast (``TUTOR_INTERLEAVE_CLOCK_SCALE``:
its wall-clock safety net and stuck-thread watchdog, as on a machine N times slower) to show
that no verdict depends on the machine (issue 18). Each exercise runs in a child process of
its own, so that a variant's leftovers never reach the next.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))


def variants(exercise: str) -> list[str]:
    directory = REPO / "exercises" / exercise
    names = ["starter", "solution"]
    names += [f"wrong/{p.stem}" for p in sorted((directory / "wrong").glob("*.py"))]
    return names


def run_exercise(exercise: str) -> dict:
    """In this process: every variant of one exercise."""
    from interleave_cases import load

    from tutor.interleave import InterleavingFailure, explore, install

    install()
    out = {}
    for variant in variants(exercise):
        started = time.perf_counter()
        cases = []
        verdict = "pass"
        for case in load(exercise, variant):
            t0 = time.perf_counter()
            try:
                report = explore(case.setup, case.threads, case.check, seed=0,
                                 budget_s=case.budget_s)
                cases.append({"case": case.name, "seconds": time.perf_counter() - t0,
                              "schedules": report.schedules, "complete": report.complete,
                              "traces": report.traces, "bound": report.bound})  # fmt: skip
            except InterleavingFailure as failure:
                data = failure.to_dict()
                pattern = (data["explanation"] or {}).get("pattern")
                cases.append({"case": case.name, "seconds": time.perf_counter() - t0,
                              "schedules": failure.report.schedules if failure.report else 0,
                              "kind": failure.kind, "pattern": pattern})  # fmt: skip
                verdict = f"{failure.kind}/{pattern}"
                break
        out[variant] = {"verdict": verdict, "seconds": time.perf_counter() - started,
                        "cases": cases}  # fmt: skip
    return out


def summarize(results: dict) -> None:
    """Per exercise: the solution's proof (cases proved, traces, seconds), detection times."""
    print(f"\n{'exercise':22} {'solution: proved':>17} {'traces':>7} {'s':>6} | "
          f"{'starter s':>9} {'wrong fixes: found':>19} {'max s':>6}")
    for ex, row in results["exercises"].items():
        if "error" in row:
            continue
        sol = row.get("solution", {"cases": []})
        proved = [c for c in sol["cases"] if c.get("complete")]
        traces = sum(c.get("traces", 0) for c in proved)
        wrong = [v for k, v in row.items() if k.startswith("wrong/")]
        found = [v for v in wrong if v["verdict"] != "pass"]
        print(f"{ex:22} {len(proved):>8}/{len(sol['cases']):<8} {traces:>7} "
              f"{sum(c['seconds'] for c in sol['cases']):>6.2f} | "
              f"{row.get('starter', {}).get('seconds', 0):>9.2f} "
              f"{len(found):>12}/{len(wrong):<6} "
              f"{max((v['seconds'] for v in wrong), default=0):>6.2f}")


def compare(a: dict, b: dict) -> list[str]:
    """Variants whose verdict differs between two runs."""
    flips = []
    for ex, row in a["exercises"].items():
        for variant, v in row.items():
            if variant == "error":
                continue
            other = b["exercises"].get(ex, {}).get(variant)
            if other is None or other["verdict"] != v["verdict"]:
                flips.append(f"{ex}/{variant}: {v['verdict']} -> "
                             f"{other['verdict'] if other else 'missing'}")
    return flips


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clock-scale", type=float, default=1.0)
    parser.add_argument("--exercises", help="comma-separated ids (default: all explore-based)")
    parser.add_argument("--json")
    parser.add_argument("--summary", help="print the per-exercise table of a --json file")
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"),
                        help="list the verdicts that differ between two --json files")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.summary:
        summarize(json.loads(Path(args.summary).read_text()))
        return 0
    if args.compare:
        first, second = (json.loads(Path(f).read_text()) for f in args.compare)
        flips = compare(first, second)
        total = sum(len(r) for r in first["exercises"].values())
        print(f"{len(flips)} of {total} verdicts differ "
              f"(clock x{first['clock_scale']:g} vs x{second['clock_scale']:g})")
        print("\n".join(flips))
        return 0
    if args.child:
        print(json.dumps(run_exercise(args.child)))
        sys.stdout.flush()
        os._exit(0)  # leave any thread a variant left hanging behind
    from interleave_cases import explore_based_exercises

    exercises = args.exercises.split(",") if args.exercises else explore_based_exercises()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("TUTOR_SEED", None)
    if args.clock_scale != 1.0:
        env["TUTOR_INTERLEAVE_CLOCK_SCALE"] = str(args.clock_scale)
    results = {"python": platform.python_version(), "clock_scale": args.clock_scale,
               "exercises": {}}  # fmt: skip
    started = time.perf_counter()
    for ex in exercises:
        proc = subprocess.run([sys.executable, __file__, "--child", ex], capture_output=True,
                              text=True, env=env, timeout=900, cwd=str(REPO))  # fmt: skip
        try:
            row = json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            row = {"error": proc.stderr[-500:]}
        results["exercises"][ex] = row
        for variant, v in row.items():
            if variant == "error":
                print(f"{ex}: ERROR {v}", flush=True)
                continue
            proved = [c for c in v["cases"] if c.get("complete")]
            print(f"{ex:22} {variant:34} {v['verdict']:32} {v['seconds']:7.2f} s "
                  f"{len(proved)}/{len(v['cases'])} proved", flush=True)
    print(f"total {time.perf_counter() - started:.0f} s, Python {results['python']}, "
          f"clock x{args.clock_scale:g}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    summarize(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
