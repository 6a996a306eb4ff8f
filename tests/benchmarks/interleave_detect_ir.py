"""Instructions to detect each built-in starter's bug, under two (or more) engines.

Run: ``python tests/benchmarks/interleave_detect_ir.py [--engine new=. --engine old=/tmp/old]
[--seeds 1,2] [--exercises a,b] [--seeded] [--jobs 2] [--json FILE]``

The same cases as ``interleave_detect.py`` (each explore-based exercise's starter, its first
case that fails at seed 0; ``--seeded`` adds tests/interleave/seeded.py's bugs), but measured
in CPU instructions under valgrind's callgrind instead of wall time. Issue 18's "no worse
than before on any exercise" compares cases of 1-3 ms, which on a shared machine move by up to
2x from one run to the next; the instruction count of one detection moves by less than 0.5%.
Only the detection is counted: the child process loads the case, detects once to warm up
(imports, caches), then switches callgrind's instrumentation on (a client request, through a
tiny C library built here with ``cc`` from valgrind's ``callgrind.h``), detects again at the
given seed, dumps and switches it off. Every thread's instructions count (the controlled
threads run on pooled OS threads). Needs ``valgrind`` (with its headers) and a C compiler;
about 4 s per case, engine and seed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from interleave_cases import explore_based_exercises  # noqa: E402 - beside this script

_SHIM = r"""
#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; CALLGRIND_ZERO_STATS; }
void cg_stop(void) { CALLGRIND_DUMP_STATS; CALLGRIND_STOP_INSTRUMENTATION; }
"""

_CHILD = r"""
import ctypes, os, sys
engine, here, repo, exercise, seed, shim = sys.argv[1:7]
sys.path[:0] = [engine, here, repo, os.path.join(repo, "tests", "interleave")]
import tutor
assert tutor.__file__.startswith(engine), tutor.__file__
from tutor.interleave import InterleavingFailure, explore, install
from tutor.interleave import _explore
install()
cg = ctypes.CDLL(shim)
class Found(Exception):
    pass
def _found(*args, **kwargs):  # the first failing schedule has just run: stop there
    raise Found
_explore._fail = _found
if exercise.startswith("seeded:"):
    import seeded
    cases = [seeded.BUGGY[exercise[7:]][:3]]
else:
    from interleave_cases import load
    cases = [(c.setup, c.threads, c.check) for c in load(exercise, "starter")]
def detect(case, seed):
    try:  # a wall-clock budget far away: under callgrind everything runs ~50x slower, and an
        # engine whose search stopped at its budget (before issue 18) would pass by the clock
        explore(*case, seed=seed, minimize=False, budget_s=3600)
    except (InterleavingFailure, Found):
        return True
    return False
target = next((i for i, c in enumerate(cases) if detect(c, 0)), 0)
detect(cases[target], int(seed))
cg.cg_start()
found = detect(cases[target], int(seed))
cg.cg_stop()
print("FOUND" if found else "MISSED")
"""


def build_shim(where: Path) -> Path:
    source = where / "cg.c"
    source.write_text(_SHIM)
    library = where / "libcg.so"
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-shared", "-fPIC", "-o", str(library),
                    str(source)], check=True)  # fmt: skip
    return library


def measure(engine: Path, exercise: str, seed: int, shim: Path, python: str) -> dict:
    """Instructions of one detection (None when the child failed), and whether it found it."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out.%p"
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        env.pop("TUTOR_SEED", None)
        env.pop("PYTHONPATH", None)
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no",
             f"--callgrind-out-file={out}", python, "-c", _CHILD, str(engine), str(HERE),
             str(REPO), exercise, str(seed), str(shim)],
            capture_output=True, text=True, env=env, timeout=3600)  # fmt: skip
        dumps = sorted(Path(tmp).glob("callgrind.out.*.1"))
        if proc.returncode != 0 or not dumps:
            return {"error": (proc.stdout + proc.stderr)[-800:]}
        for line in dumps[0].read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                return {"ir": int(line.split()[1]), "found": "FOUND" in proc.stdout}
    return {"error": "no totals in the callgrind dump"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", metavar="NAME=PATH",
                        help="a checkout whose tutor package to use (default: new=this one); "
                             "the last one is the reference of the ratios")
    parser.add_argument("--seeds", default="1,2", help="seeds, comma-separated")
    parser.add_argument("--exercises")
    parser.add_argument("--seeded", action="store_true",
                        help="also the seeded bugs of tests/interleave/seeded.py")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--json")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        print("valgrind is not installed (apt-get install valgrind)")
        return 2
    engines = dict(e.split("=", 1) for e in (args.engine or [f"new={REPO}"]))
    engines = {name: Path(path).resolve() for name, path in engines.items()}
    names = list(engines)
    seeds = [int(s) for s in args.seeds.split(",")]
    exercises = args.exercises.split(",") if args.exercises else explore_based_exercises()
    if args.seeded:
        sys.path.insert(0, str(REPO / "tests" / "interleave"))
        import seeded

        exercises += [f"seeded:{name}" for name in seeded.BUGGY]
    jobs = [(ex, n, s) for ex in exercises for n in names for s in seeds]
    with tempfile.TemporaryDirectory() as tmp:
        shim = build_shim(Path(tmp))
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            done = list(pool.map(lambda job: measure(engines[job[1]], job[0], job[2], shim,
                                                     args.python), jobs))
    table: dict = {}
    for (ex, n, s), result in zip(jobs, done, strict=True):
        table.setdefault(ex, {}).setdefault(n, {})[str(s)] = result
    ref = names[-1]
    print(f"{args.python}; mean over seeds {args.seeds} of the instructions (millions) to the "
          f"first failing schedule; ratios against {ref}")
    print(f"{'exercise':28}" + "".join(f"{n:>12}" for n in names)
          + "".join(f"{n + '/' + ref:>16}" for n in names[:-1]))
    logs: dict[str, list[float]] = {n: [] for n in names[:-1]}
    for ex, row in table.items():
        means = {}
        for n in names:
            irs = [r["ir"] for r in row[n].values() if "ir" in r and r["found"]]
            means[n] = sum(irs) / len(irs) if len(irs) == len(seeds) else None
        cells = "".join(f"{means[n] / 1e6:12.2f}" if means[n] else f"{'-':>12}" for n in names)
        ratios = ""
        for n in names[:-1]:
            if means[n] and means[ref]:
                logs[n].append(math.log(means[n] / means[ref]))
                ratios += f"{means[n] / means[ref]:16.2f}"
            else:
                ratios += f"{'-':>16}"
        print(f"{ex:28}{cells}{ratios}")
    print()
    for n, values in logs.items():
        if values:
            print(f"{n} / {ref}: geometric mean {math.exp(sum(values) / len(values)):.3f}x over "
                  f"{len(values)} cases, {sum(v <= 0 for v in values)} at or below 1.0x")
    for ex, row in table.items():
        for n in names:
            for s, r in row[n].items():
                if "error" in r or not r.get("found"):
                    print(f"\n{ex} ({n}, seed {s}): {r.get('error', 'not found')}")
    if args.json:
        Path(args.json).write_text(json.dumps({"engines": {k: str(v) for k, v in
                                                           engines.items()},
                                               "seeds": seeds, "exercises": table}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
