"""The cost of the bytecode analysis (``_bytecode.analyze``), per engine, and whether two
engines read the same accesses off the same code.

Run: ``python tests/benchmarks/interleave_analysis.py [--engine new=. --engine old=PATH]
[--repeat 3]`` (stdlib only; any Python 3.11+).

``explore`` works out what each instruction of the learner's code touches before it runs it
(docs/interleave.md, "What each instruction touches"). This times that analysis over every
function of the course (starters, solutions, wrong fixes, hidden tests), of the test suite and
of a few standard-library modules, compiled afresh in a child process per engine: the first
call per code object (the work itself) and a second one on the last 1,000 analysed (since
stop 23 the result is kept per code object, up to 2,048 of them). It also prints a digest of every access read off that code, so that two engines
can be checked to agree (the same digest: the very same accesses, labels included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

_CHILD = r"""
import glob, hashlib, json, os, sys, time, types
engine, repo = sys.argv[1:3]
sys.path.insert(0, engine)
from tutor.interleave import _bytecode
import asyncio.locks, concurrent.futures.thread, json.decoder, logging, queue, threading
files = sorted(glob.glob(os.path.join(repo, "exercises", "*", "*.py"))
               + glob.glob(os.path.join(repo, "exercises", "*", "wrong", "*.py"))
               + glob.glob(os.path.join(repo, "tests", "**", "*.py"), recursive=True))
files += [m.__file__ for m in (threading, queue, concurrent.futures.thread, asyncio.locks,
                               json.decoder, logging)]
def codes(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from codes(const)
every = []
for path in files:
    try:
        with open(path, encoding="utf-8") as f:
            every.extend(codes(compile(f.read(), path, "exec")))
    except (SyntaxError, ValueError, OSError):
        continue
start = time.perf_counter()
results = [_bytecode.analyze(code) for code in every]
first = time.perf_counter() - start
recent = every[-1000:]  # within the cache's limit (2,048 code objects)
start = time.perf_counter()
for code in recent:
    _bytecode.analyze(code)
again = (time.perf_counter() - start) / len(recent)
digest = hashlib.sha256()
for code, accesses in zip(every, results):
    for offset in sorted(accesses):
        a = accesses[offset]
        digest.update(repr((code.co_name, offset, a.op, a.target, a.args, a.label)).encode())
print("RESULT " + json.dumps({"codes": len(every), "first_s": first, "again_s": again,
                              "accesses": sum(map(len, results)),
                              "digest": digest.hexdigest()[:16]}))
"""


def run(engine: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(engine), str(REPO)],
                          capture_output=True, text=True, timeout=1800)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise SystemExit(f"{engine}: {(proc.stdout + proc.stderr)[-800:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", metavar="NAME=PATH",
                        help="a checkout whose tutor package to use (default: new=this one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engines = [spec.split("=", 1) for spec in (args.engine or [f"new={REPO}"])]
    print(f"{sys.executable} ({sys.version.split()[0]}); median of {args.repeat} child runs")
    print(f"{'engine':10} {'codes':>6} {'accesses':>9} {'first call':>11} {'per code':>9} "
          f"{'again':>8}  digest")
    print(f"{'':10} {'':6} {'':9} {'(all)':>11} {'':9} {'per code':>8}")
    for name, path in engines:
        runs = [run(Path(path).resolve()) for _ in range(args.repeat)]
        first = statistics.median(r["first_s"] for r in runs)
        again = statistics.median(r["again_s"] for r in runs)
        r = runs[0]
        print(f"{name:10} {r['codes']:6} {r['accesses']:9} {first * 1e3:9.0f}ms "
              f"{first / r['codes'] * 1e6:7.0f}us {again * 1e6:6.1f}us  {r['digest']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
