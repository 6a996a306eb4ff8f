"""Schedules per second of our explorer alone, over every built-in solution case (stdlib only).

Run from a checkout: ``python tests/benchmarks/interleave_rate.py [--repeat 3] [--json FILE]``.
A quick before/after measure for changes to the search (issue 14: recording values must not
slow the search; issue 18: the cost of the reduction). Each case runs with a fixed schedule
budget, so the figure is the search's own speed; the median of ``--repeat`` runs is kept.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parents[1]))  # this checkout's tutor, on any interpreter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--schedules", type=int, default=300)
    parser.add_argument("--exercises", help="comma-separated ids (default: all explore-based)")
    parser.add_argument("--json")
    args = parser.parse_args()
    from interleave_cases import explore_based_exercises, load

    from tutor.interleave import InterleavingFailure, explore, install

    install()
    totals = {"schedules": 0, "seconds": 0.0}
    rows = {}
    for ex in args.exercises.split(",") if args.exercises else explore_based_exercises():
        rates = []
        for _ in range(args.repeat):
            schedules, seconds = 0, 0.0
            for case in load(ex, "solution"):
                if len(case.threads) < 2:
                    continue
                started = time.perf_counter()
                try:
                    report = explore(case.setup, case.threads, case.check, seed=0,
                                     max_schedules=args.schedules, minimize=False)
                    done = report.schedules
                except InterleavingFailure as failure:
                    done = failure.report.schedules if failure.report else 0
                seconds += time.perf_counter() - started
                schedules += done
            if seconds:
                rates.append((schedules / seconds, schedules, seconds))
        if rates:
            rate, schedules, seconds = sorted(rates)[len(rates) // 2]
            rows[ex] = {"rate": rate, "schedules": schedules, "seconds": seconds}
            totals["schedules"] += schedules
            totals["seconds"] += seconds
            print(f"{ex:24} {rate:9.0f} schedules/s ({schedules} in {seconds:.2f} s)", flush=True)
    geo = statistics.geometric_mean(r["rate"] for r in rows.values())
    print(f"{'all':24} {totals['schedules'] / totals['seconds']:9.0f} schedules/s overall, "
          f"geometric mean over exercises {geo:.0f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "geomean": geo}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
