"""The explorer on every Python: same verdicts, detection times and search speed per version.

Run: ``python tests/benchmarks/interleave_versions.py --python 3.11=python3.11
--python "3.14=scripts/sid-root run /tmp/sidroot $PWD -- python3.14" [--repeat 3] [--json F]``
(``--report F`` prints the table of a saved run again).

Each ``--python LABEL=COMMAND`` is a shell command prefix that starts an interpreter (the
sid root's ``run`` for 3.14 and 3.15, which sees this checkout at the same path). Under each
one, in turn, this runs the two stdlib-only benchmarks beside it:
- ``interleave_verdicts.py``: every variant of every explore-based exercise (starter,
  solution, wrong fixes) graded as the hidden tests do; the verdict, the time to it, and
  whether the solution's search was complete (a proof);
- ``interleave_rate.py``: schedules per second over every solution case, with a fixed
  schedule budget (the search's own speed).
The report compares every version with the first one: verdicts that differ (there must be
none), the time to detect each starter (median and worst), the solutions proved, and the
schedules per second as a ratio. The figures come from one run of this script, the versions
one after another on the same machine: quote the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from interleave_verdicts import compare  # noqa: E402 - beside this script


def _run(prefix: str, script: str, args: list[str], out: Path) -> dict:
    """One stdlib benchmark under one interpreter; its ``--json`` result."""
    command = f"{prefix} {shlex.join([str(HERE / script), *args, '--json', str(out)])}"
    proc = subprocess.run(["bash", "-c", command], cwd=REPO, capture_output=True, text=True)
    if proc.returncode or not out.exists():
        raise SystemExit(f"{command}\nfailed (exit {proc.returncode}): {proc.stderr[-800:]}")
    return json.loads(out.read_text())


def measure(label: str, prefix: str, repeat: int, exercises: list[str], scratch: Path) -> dict:
    started = time.perf_counter()
    only = ["--exercises", ",".join(exercises)] if exercises else []
    verdicts = _run(prefix, "interleave_verdicts.py", only, scratch / f"verdicts-{label}.json")
    rate = _run(prefix, "interleave_rate.py", ["--repeat", str(repeat), *only],
                scratch / f"rate-{label}.json")  # fmt: skip
    print(f"  {label}: Python {verdicts['python']}, {time.perf_counter() - started:.0f} s",
          flush=True)  # fmt: skip
    return {"label": label, "python": verdicts["python"], "verdicts": verdicts, "rate": rate}


def _starter_seconds(verdicts: dict) -> dict[str, float]:
    """Per exercise, the starter's time inside ``explore`` up to its first failure: the sum
    over its cases (loading the exercise, which may import pytest, is left out)."""
    return {ex: sum(c["seconds"] for c in row["starter"]["cases"])
            for ex, row in verdicts["exercises"].items() if "starter" in row}  # fmt: skip


def _proved(verdicts: dict) -> tuple[int, int]:
    cases = [c for row in verdicts["exercises"].values() if "solution" in row
             for c in row["solution"]["cases"]]  # fmt: skip
    return sum(1 for c in cases if c.get("complete")), len(cases)


def report(runs: list[dict]) -> None:
    first = runs[0]
    base_rate = first["rate"]["geomean"]
    base_starters = _starter_seconds(first["verdicts"])
    print(f"\n{'Python':10} {'verdicts':>16} {'starters: median':>17} {'max':>7} "
          f"{'vs ' + first['label']:>8} {'proved':>8} {'sched/s':>8} {'ratio':>6}")
    for run in runs:
        v = run["verdicts"]
        total = sum(len([k for k in r if k != "error"]) for r in v["exercises"].values())
        flips = compare(first["verdicts"], v)
        starters = _starter_seconds(v)
        common = [ex for ex in starters if ex in base_starters and base_starters[ex] > 0]
        slower = statistics.median(starters[ex] / base_starters[ex] for ex in common)
        proved, cases = _proved(v)
        rate = run["rate"]["geomean"]
        print(f"{run['python']:10} {total - len(flips):>7}/{total:<3} same "
              f"{statistics.median(starters.values()) * 1000:>12.0f} ms "
              f"{max(starters.values()):>6.2f}s {slower:>7.2f}x {proved:>4}/{cases:<3} "
              f"{rate:>8.0f} {rate / base_rate:>6.2f}")
        for flip in flips:
            print(f"    differs: {flip}")
    print("\nverdicts: variants graded as on the first Python; starters: time to the first "
          "failure per exercise (its median ratio to the first Python); proved: solution "
          "cases whose search was complete; sched/s: geometric mean over exercises.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", metavar="LABEL=COMMAND")
    parser.add_argument("--report", help="print the table of a --json file again")
    parser.add_argument("--repeat", type=int, default=3, help="interleave_rate's repeats")
    parser.add_argument("--exercises", help="comma-separated ids (default: all explore-based)")
    parser.add_argument("--json", help="also write every run's raw results here")
    args = parser.parse_args()
    if args.report:
        report(json.loads(Path(args.report).read_text()))
        return 0
    if not args.python:
        parser.error("give --python LABEL=COMMAND at least once (or --report FILE)")
    pythons = []
    for spec in args.python:
        label, sep, prefix = spec.partition("=")
        if not sep or not prefix:
            parser.error(f"--python {spec!r}: write LABEL=COMMAND, e.g. 3.11=python3.11")
        pythons.append((label, prefix))
    # inside the checkout: the sid root sees this directory only
    with tempfile.TemporaryDirectory(dir=REPO, prefix=".bench-versions-") as scratch:
        exercises = args.exercises.split(",") if args.exercises else []
        runs = [measure(label, prefix, args.repeat, exercises, Path(scratch))
                for label, prefix in pythons]
    report(runs)
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
