"""Preemption points: the restricted set (shared-state instructions) against every opcode.

Not collected by pytest. Prints, per seeded case and point mode: how many seeds found the bug,
median schedules and milliseconds to find it, and for the fix: schedules, time, whether the
bounded search exhausted, and schedules per second. Run:

    PYTHONPATH=. python tests/interleave/bench_points.py [--seeds 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

import seeded  # noqa: E402

from tutor.interleave import InterleavingFailure, explore, set_point_mode  # noqa: E402


def measure(mode: str, seeds: int) -> dict:
    set_point_mode(mode)
    rows = {}
    for name in seeded.BUGGY:
        setup, threads, check, kind = seeded.BUGGY[name]
        found, schedules, times = 0, [], []
        for seed in range(seeds):
            started = time.perf_counter()
            try:
                explore(setup, threads, check, seed=seed, max_schedules=2000, max_steps=3000,
                        minimize=False)
            except InterleavingFailure as exc:
                if exc.kind == kind:
                    found += 1
                    schedules.append(exc.report.schedules)
                    times.append((time.perf_counter() - started) * 1000)
        setup, threads, check, _ = seeded.FIXED[name]
        started = time.perf_counter()
        try:
            report = explore(setup, threads, check, seed=0, budget_s=2.0, max_steps=3000)
            fix = (report.schedules, time.perf_counter() - started, report.exhausted)
        except InterleavingFailure:
            fix = (0, time.perf_counter() - started, "FALSE ALARM")
        rows[name] = {
            "found": f"{found}/{seeds}",
            "median_schedules": statistics.median(schedules) if schedules else None,
            "median_ms": round(statistics.median(times), 1) if times else None,
            "max_ms": round(max(times), 1) if times else None,
            "fix_schedules": fix[0],
            "fix_s": round(fix[1], 3),
            "fix_exhausted": fix[2],
            "fix_schedules_per_s": round(fix[0] / fix[1]) if fix[1] else None,
        }
    set_point_mode("shared")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {args.seeds} seeds per bug")
    results = {mode: measure(mode, args.seeds) for mode in ("shared", "all")}
    header = (f"{'case':24} {'mode':6} {'found':>7} {'sched':>6} {'med ms':>7} {'max ms':>7} "
              f"{'fix sched':>9} {'fix s':>6} {'exh':>5} {'sched/s':>8}")
    print(header)
    for name in seeded.BUGGY:
        for mode in results:
            r = results[mode][name]
            print(f"{name:24} {mode:6} {r['found']:>7} {str(r['median_schedules']):>6} "
                  f"{str(r['median_ms']):>7} {str(r['max_ms']):>7} {r['fix_schedules']:>9} "
                  f"{r['fix_s']:>6} {str(r['fix_exhausted']):>5} {str(r['fix_schedules_per_s']):>8}")
    for mode in results:
        total = sum(r["fix_s"] for r in results[mode].values())
        print(f"total time to verdict on the fixes, {mode}: {total:.2f} s")


if __name__ == "__main__":
    main()
