"""CPU time of the hidden tests, per built-in exercise, under two (or more) engines in one run.

Run: ``python tests/benchmarks/interleave_cpu.py [--engine new=. --engine old=/tmp/old]
[--variant solution] [--exercises a,b] [--repeat 3] [--json FILE]``

For each exercise whose hidden test calls ``explore`` and each engine (a checkout of this
repository: its ``tutor`` package is put first on ``sys.path``), a child process copies the
variant (``solution`` by default) as ``submission.py`` beside ``test_hidden.py`` in a temporary
directory, calls ``tutor.interleave.install()`` as the grader does, and runs the hidden tests
in-process with ``pytest.main``. The figure is the child's own CPU time (user + sys, every
thread, from ``getrusage``) around ``pytest.main``: on a shared, loaded machine that is far
steadier than wall time. Engines alternate per exercise and repeat, so they share the load;
the median of ``--repeat`` runs is kept. The exercises' files always come from *this*
checkout, so every engine runs the very same tests.

Read the figures with the load average printed above the table: an engine whose search is
counted in schedules (this one) spends the same CPU time at any load, but the pre-reduction
engine stopped each ``explore`` after 1 s of *wall* time, so its CPU time shrinks as the load
grows (at load 8 on two cores it gets about a quarter of a core per call). CPU time under
contention is also noisier than it looks (shared caches): use ``--repeat 3`` for ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from interleave_cases import explore_based_exercises  # noqa: E402 - beside this script

_CHILD = r"""
import json, resource, sys, time, os
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import tutor, tutor.interleave as il
assert tutor.__file__.startswith(sys.argv[2]), tutor.__file__
il.install()
import pytest
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
c0, w0 = cpu(), time.perf_counter()
code = pytest.main([os.path.join(sys.argv[1], "test_hidden.py"), "-q", "-p", "no:cacheprovider",
                    "-p", "no:randomly", "-x", "--no-header", "-W", "ignore"])
c1, w1 = cpu(), time.perf_counter()
sys.stdout.flush()
print("RESULT " + json.dumps({"cpu": c1 - c0, "wall": w1 - w0, "code": int(code)}))
sys.stdout.flush()
os._exit(0)
"""


def run_one(engine: Path, exercise: str, variant: str, python: str) -> dict:
    directory = REPO / "exercises" / exercise
    source = directory / f"{variant}.py"
    if not source.exists():
        return {"error": "no such variant"}
    scratch = Path(tempfile.mkdtemp(prefix="interleave-cpu-"))
    try:
        shutil.copy(source, scratch / "submission.py")
        shutil.copy(directory / "test_hidden.py", scratch / "test_hidden.py")
        env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONDONTWRITEBYTECODE="1")
        env.pop("TUTOR_SEED", None)
        env.pop("PYTHONPATH", None)
        proc = subprocess.run([python, "-c", _CHILD, str(scratch), str(engine)],
                              capture_output=True, text=True, env=env, cwd=str(scratch),
                              timeout=1800)  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"error": (proc.stdout + proc.stderr)[-800:]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", metavar="NAME=PATH",
                        help="a checkout whose tutor package to use (default: new=this one)")
    parser.add_argument("--variant", default="solution")
    parser.add_argument("--exercises")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--json")
    args = parser.parse_args()
    engines = dict(e.split("=", 1) for e in (args.engine or [f"new={REPO}"]))
    engines = {name: Path(path).resolve() for name, path in engines.items()}
    exercises = args.exercises.split(",") if args.exercises else explore_based_exercises()
    results: dict = {"variant": args.variant, "engines": {k: str(v) for k, v in engines.items()},
                     "exercises": {}}  # fmt: skip
    names = list(engines)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, {sys.executable}",
          flush=True)
    print(f"{'exercise':22} " + " ".join(f"{n + ' cpu s':>12} {'wall s':>7} {'rc':>3}"
                                         for n in names), flush=True)
    for ex in exercises:
        runs: dict[str, list[dict]] = {n: [] for n in names}
        for r in range(args.repeat):
            order = names if r % 2 == 0 else names[::-1]
            for n in order:
                runs[n].append(run_one(engines[n], ex, args.variant, args.python))
        row = {}
        cells = []
        for n in names:
            ok = [x for x in runs[n] if "cpu" in x]
            if not ok:
                row[n] = {"error": runs[n][0].get("error", "?")}
                cells.append(f"{'error':>12} {'':>7} {'':>3}")
                continue
            cpu = statistics.median(x["cpu"] for x in ok)
            wall = statistics.median(x["wall"] for x in ok)
            row[n] = {"cpu": cpu, "wall": wall, "code": ok[0]["code"],
                      "cpus": [x["cpu"] for x in ok]}  # fmt: skip
            cells.append(f"{cpu:12.2f} {wall:7.2f} {ok[0]['code']:>3}")
        results["exercises"][ex] = row
        print(f"{ex:22} " + " ".join(cells), flush=True)
    totals = {n: sum(r[n].get("cpu", 0) for r in results["exercises"].values()) for n in names}
    print(f"{'total':22} " + " ".join(f"{totals[n]:12.2f} {'':>7} {'':>3}" for n in names))
    for ex, row in results["exercises"].items():
        errors = [f"{n}: {row[n]['error']}" for n in names if "error" in row[n]]
        if errors:
            print(f"\n{ex}:\n" + "\n".join(errors))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
