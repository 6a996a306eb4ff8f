"""Benchmark: the interleaving explorer against a settrace baseline, frontrun, interleave-test, plain threads.

Run: python tests/benchmarks/bench_interleave.py [--quick] [--setup] [--json FILE]

For every built-in exercise whose hidden test calls ``explore``, each ``explore`` call is a case
(captured from test_hidden.py with ``submission`` bound to the starter or the solution; see
interleave_cases/). The *target* is the exercise's first case that the starter fails under our
explorer at seed 0; every tool is measured on that same case:
- detection: found in how many seeds, median and max time to the first failing schedule;
- on every solution case: verdict, time to it, schedules per second, whether the bound was proved.
Contestants, each in a process of its own: our explorer (3.11, 3.12, 3.13; and on 3.11 with every
opcode a preemption point), a plain per-opcode settrace random scheduler (the baseline for the
3x goal), frontrun 0.7.0 (DPOR and random, virtual clock, under its CLI) and interleave-test
0.1.0 (random, PCT, DFS; 3.12) from benchmark-only venvs (``--setup`` creates them), and
10 runs of real unscheduled threads. Goals (issue 5): 100% detection, median <= 5 ms, >= 3x the
baseline's schedules/s, a proof within the bound in < 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PYENV = Path.home() / ".pyenv" / "versions"
BENCH_VENV = Path(os.environ.get("TUTOR_BENCH_VENV", "/work/bench-venv"))
BENCH_VENV_312 = Path(os.environ.get("TUTOR_BENCH_VENV_312", "/work/bench-venv-312"))
GOAL_MEDIAN_MS = 5.0
GOAL_RATIO = 3.0
GOAL_PROOF_S = 0.5

sys.path.insert(0, str(HERE))


# --- one tool, in its own process -------------------------------------------------------------


def worker(job: dict) -> None:
    """Run one tool over the job's exercises; rewrite the result file after each exercise."""
    from interleave_cases import load
    from interleave_cases.tools import TOOLS

    tool = TOOLS[job["tool"]]()
    tool.prepare()
    out = {"tool": tool.name, "python": platform.python_version(), "exercises": {}}
    for ex in job["exercises"]:
        started = time.perf_counter()
        starter = load(ex, "starter")
        target = job["targets"].get(ex)
        row: dict = {"cases": [c.name for c in starter]}
        if target is None and job.get("find_target"):
            target = next(
                (
                    i
                    for i, c in enumerate(starter)
                    if tool.detect(c, 0, job["detect_budget"])["kind"]
                ),
                None,
            )
            if target is None:  # nothing fails: measure the first multi-thread case anyway
                target = next((i for i, c in enumerate(starter) if len(c.threads) > 1), 0)
        row["target"] = target
        detections = []
        if target is not None and target < len(starter):
            for seed in range(job["seeds"]):
                detections.append(tool.detect(starter[target], seed, job["detect_budget"]))
                if time.perf_counter() - started > job["cap_s"]:
                    break
            row["minimized"] = [
                tool.detect_minimized(starter[target], seed, job["detect_budget"])
                for seed in range(job.get("minimized_seeds", 0))
            ]
        row["detect"] = detections
        if job.get("solution"):
            row["solution"] = [
                dict(tool.verdict(c, 0, job["verdict_budget"]), case=c.name)
                for c in load(ex, "solution")
            ]
        out["exercises"][ex] = row
        Path(job["out"]).write_text(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)  # leave any thread a stress run left hanging behind


# --- the orchestra ----------------------------------------------------------------------------


def _python(version: str) -> Path | None:
    if version == "3.11" and sys.version_info[:2] == (3, 11):
        return Path(sys.executable)
    found = sorted(PYENV.glob(f"{version}.*/bin/python"))
    return found[-1] if found else None


def setup_venvs() -> None:
    """Create the benchmark-only venvs (never runtime dependencies)."""
    for venv, version, packages in [
        (BENCH_VENV, "3.11", ["frontrun==0.7.0"]),
        (BENCH_VENV_312, "3.12", ["interleave-test==0.1.0"]),
    ]:
        python = _python(version)
        if python is None:
            print(f"no Python {version}: skipping {venv}")
            continue
        if not (venv / "bin" / "python").exists():
            subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *packages], check=True)
        print(f"{venv}: {', '.join(packages)}")


def run_job(label: str, argv_prefix: list[str], job: dict, wall_s: float) -> dict | None:
    """Start a worker, wait at most ``wall_s``, return what it wrote (partial on a timeout)."""
    fd, out = tempfile.mkstemp(prefix="bench-interleave-", suffix=".json")
    os.close(fd)
    job = dict(job, out=out)
    started = time.perf_counter()
    print(f"  {label} ...", end="", flush=True)
    env = {k: v for k, v in os.environ.items() if k not in ("TUTOR_SEED", "PYTHONPATH")}
    proc = subprocess.Popen(
        [*argv_prefix, str(Path(__file__)), "--worker", json.dumps(job)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tempfile.gettempdir(),
        start_new_session=True,
    )
    note = ""
    try:
        _, err = proc.communicate(timeout=wall_s)
        if proc.returncode:
            note = f"exit {proc.returncode}: " + err.decode(errors="replace").strip()[-300:]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        note = f"stopped after {wall_s:.0f} s"
    text = Path(out).read_text()
    Path(out).unlink()
    result = json.loads(text) if text else None
    if result is not None and note:
        result["note"] = note
    print(
        f" {time.perf_counter() - started:.0f} s {note.splitlines()[0] if note else ''}", flush=True
    )
    if result is None and note:
        return {"tool": label, "exercises": {}, "note": note}
    return result


def plan(args) -> list[tuple[str, str, list[str], dict]]:
    """(key, label, argv prefix, job) for every contestant that can run here."""
    from interleave_cases import explore_based_exercises

    exercises = args.exercises.split(",") if args.exercises else explore_based_exercises()
    seeds, others = (20, 5) if args.quick else (args.seeds, args.other_seeds)
    base = {
        "exercises": exercises,
        "targets": {},
        "cap_s": 8.0 if args.quick else 20.0,
        "detect_budget": 1.0,
        "verdict_budget": 1.0,
        "solution": True,
    }
    jobs = []
    py311 = _python("3.11")
    jobs.append(
        (
            "tutor",
            "tutor 3.11",
            [str(py311)],
            dict(
                base,
                tool="tutor",
                seeds=seeds,
                find_target=True,
                minimized_seeds=5 if args.quick else 20,
                verdict_budget=None,
            ),
        )
    )
    for version in ("3.12", "3.13"):
        python = _python(version)
        if python is not None:
            jobs.append(
                (
                    f"tutor-{version}",
                    f"tutor {version}",
                    [str(python)],
                    dict(base, tool="tutor", seeds=seeds, verdict_budget=None),
                )
            )
    jobs.append(
        (
            "tutor-all",
            "tutor 3.11, every opcode a point",
            [str(py311)],
            dict(base, tool="tutor-all", seeds=others * 2, verdict_budget=None),
        )
    )
    jobs.append(
        (
            "baseline",
            "settrace baseline 3.11",
            [str(py311)],
            dict(base, tool="baseline", seeds=seeds, verdict_budget=0.5),
        )
    )
    if not args.no_third_party:
        frontrun_cli = BENCH_VENV / "bin" / "frontrun"
        if frontrun_cli.exists():
            budget = 1.0 if args.quick else 2.0
            jobs.append(
                (
                    "frontrun-dpor",
                    "frontrun 0.7.0 DPOR",
                    [str(frontrun_cli), "python"],
                    dict(
                        base,
                        tool="frontrun-dpor",
                        seeds=min(others, 3),
                        verdict_budget=budget,
                        detect_budget=budget,
                    ),
                )
            )
            jobs.append(
                (
                    "frontrun-random",
                    "frontrun 0.7.0 random",
                    [str(frontrun_cli), "python"],
                    dict(base, tool="frontrun-random", seeds=others, verdict_budget=1.0),
                )
            )
        else:
            print(f"frontrun: not installed at {BENCH_VENV} (run with --setup)")
        it_python = BENCH_VENV_312 / "bin" / "python"
        if it_python.exists():
            for strategy in ("random", "pct", "dfs"):
                jobs.append(
                    (
                        f"it-{strategy}",
                        f"interleave-test 0.1.0 {strategy}",
                        [str(it_python)],
                        dict(
                            base,
                            tool=f"it-{strategy}",
                            verdict_budget=0.5 if strategy != "dfs" else 1.0,
                            seeds=min(others, 3) if strategy == "dfs" else others,
                        ),
                    )
                )
        else:
            print(f"interleave-test: not installed at {BENCH_VENV_312} (run with --setup)")
    jobs.append(
        (
            "stress",
            "plain threads, 10 runs",
            [str(py311)],
            dict(base, tool="stress", seeds=10, detect_budget=2.0, solution=False),
        )
    )
    return jobs


def orchestrate(args) -> dict:
    results: dict = {}
    jobs = plan(args)
    print(f"{len(jobs)} contestants, one process each:")
    for key, label, prefix, job in jobs:
        if key != "tutor":
            job["targets"] = {
                ex: row.get("target")
                for ex, row in results.get("tutor", {}).get("exercises", {}).items()
            }
        if key == "stress":  # one process per exercise: a hung run must not slow the next
            merged = {"tool": "plain threads", "exercises": {}}
            for ex in job["exercises"]:
                one = run_job(f"{label} [{ex}]", prefix, dict(job, exercises=[ex]), 60)
                merged["exercises"].update((one or {}).get("exercises", {}))
            results[key] = merged
        else:
            results[key] = run_job(label, prefix, job, 300 if args.quick else 600) or {}
            if not results[key].get("exercises") and results[key].get("note", "").startswith("exit"):
                results[key] = run_job(f"{label} (retry)", prefix, job, 600) or {}
        results[key]["label"] = label
    return results


# --- the report -------------------------------------------------------------------------------


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.1f}" if seconds < 1 else f"{seconds * 1000:.0f}"


def detection(row: dict) -> dict:
    det = row.get("detect", [])
    found = [d["seconds"] for d in det if d["kind"]]
    return {
        "found": len(found),
        "seeds": len(det),
        "median": statistics.median(found) if found else None,
        "max": max(found) if found else None,
        "kinds": sorted({d["kind"] for d in det if d["kind"]}),
        "notes": sorted({d["note"] for d in det if d["note"].startswith(("error", "incon"))}),
    }


def solution(row: dict) -> dict:
    sol = row.get("solution", [])
    seconds = sum(s["seconds"] for s in sol)
    schedules = sum(s["schedules"] for s in sol)
    return {
        "cases": len(sol),
        "false": sum(1 for s in sol if s["kind"]),
        "seconds": seconds,
        "max": max((s["seconds"] for s in sol), default=0.0),
        "rate": schedules / seconds if seconds else 0.0,
        "proved": sum(1 for s in sol if s["exhausted"]),
        "unknown": sum(1 for s in sol if s["exhausted"] is None),
        "notes": sorted({s["note"] for s in sol if s["note"].startswith(("error", "incon"))}),
    }


def cell(row: dict | None) -> str:
    if not row or not row.get("detect"):
        return "n/a"
    d = detection(row)
    if d["found"] == 0:
        return f"0/{d['seeds']}"
    rate = f"{d['found']}/{d['seeds']}"
    return f"{rate} {_ms(d['median'])}"


def print_report(results: dict, args) -> None:
    tutor = results.get("tutor", {}).get("exercises", {})
    exercises = list(tutor)
    w = max([len(e) for e in exercises] + [10])
    print()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print("\n1. Our explorer on CPython 3.11 (target = first case the starter fails; times in ms)")
    print(
        f"{'exercise':<{w}} {'target case':<44} {'kind':<10} {'found':>7} {'med':>6} {'max':>6}"
        f" {'+shrink':>8} | {'sol cases':>9} {'verdict s':>9} {'max s':>6} {'sched/s':>8} proved"
    )
    for ex in exercises:
        row = tutor[ex]
        d, s = detection(row), solution(row)
        target = (
            row["cases"][row["target"]].split(":", 1)[1] if row.get("target") is not None else "-"
        )
        mins = [m["seconds"] for m in row.get("minimized", []) if m["kind"]]
        print(
            f"{ex:<{w}} {target[:44]:<44} {','.join(d['kinds'])[:10]:<10} "
            f"{d['found']:>3}/{d['seeds']:<3} {_ms(d['median']):>6} {_ms(d['max']):>6} "
            f"{_ms(statistics.median(mins)) if mins else '-':>8} | {s['cases']:>3} {s['false'] and str(s['false']) + ' FAIL' or 'pass':>5} "
            f"{s['seconds']:>9.2f} {s['max']:>6.2f} {s['rate']:>8.0f} {s['proved']}/{s['cases']}"
        )

    order = [
        k
        for k in (
            "tutor",
            "tutor-3.12",
            "tutor-3.13",
            "tutor-all",
            "baseline",
            "frontrun-dpor",
            "frontrun-random",
            "it-random",
            "it-pct",
            "it-dfs",
            "stress",
        )
        if k in results
    ]
    short = {
        "tutor": "tutor",
        "tutor-3.12": "t 3.12",
        "tutor-3.13": "t 3.13",
        "tutor-all": "t all-op",
        "baseline": "baseline",
        "frontrun-dpor": "fr dpor",
        "frontrun-random": "fr rand",
        "it-random": "it rand",
        "it-pct": "it pct",
        "it-dfs": "it dfs",
        "stress": "threads",
    }
    print(
        "\n2. Detection on the target case: found/seeds and median ms to the first failing schedule"
    )
    print(f"{'exercise':<{w}} " + " ".join(f"{short[k]:>13}" for k in order))
    for ex in exercises:
        print(
            f"{ex:<{w}} "
            + " ".join(f"{cell(results[k].get('exercises', {}).get(ex)):>13}" for k in order)
        )

    print(
        "\n3. Solutions: schedules per second over all cases, and the ratio to the settrace baseline"
    )
    sol_order = [k for k in order if k != "stress"]
    print(
        f"{'exercise':<{w}} " + " ".join(f"{short[k]:>9}" for k in sol_order) + "   tutor/baseline"
    )
    ratios = []
    for ex in exercises:
        rates = {k: solution(results[k].get("exercises", {}).get(ex, {})) for k in sol_order}
        line = " ".join(
            f"{rates[k]['rate']:>9.0f}" if rates[k]["cases"] else f"{'n/a':>9}" for k in sol_order
        )
        ratio = ""
        if rates.get("baseline", {}).get("rate"):
            r = rates["tutor"]["rate"] / rates["baseline"]["rate"]
            ratios.append(r)
            ratio = f"{r:6.1f}x"
        print(f"{ex:<{w}} {line}   {ratio}")

    print(
        "\n4. Summary per contestant (detection over all target cases; verdicts per solution case)"
    )
    print(
        f"{'contestant':<34} {'100% found':>10} {'seeds found':>12} {'median ms':>9} {'max ms':>8}"
        f" | {'false fails':>11} {'median s':>8} {'max s':>6} {'sched/s':>8} {'proofs':>7} {'<0.5s':>5}"
    )
    base_rate = None
    for k in order:
        rows = results[k].get("exercises", {})
        ds = [detection(r) for r in rows.values() if r.get("detect")]
        cases = [c for r in rows.values() for c in r.get("solution", [])]
        all_found = [
            t
            for r in rows.values()
            for t in (d["seconds"] for d in r.get("detect", []) if d["kind"])
        ]
        total_s = sum(c["seconds"] for c in cases)
        rate = sum(c["schedules"] for c in cases) / total_s if total_s else 0
        if k == "baseline":
            base_rate = rate
        full = sum(1 for d in ds if d["seeds"] and d["found"] == d["seeds"])
        label = results[k].get("label", k)
        n = len(cases)
        sol = (
            (
                f"{sum(1 for c in cases if c['kind']):>5}/{n:<5} "
                f"{statistics.median(c['seconds'] for c in cases):>8.3f} "
                f"{max(c['seconds'] for c in cases):>6.2f} {rate:>8.0f} "
                f"{sum(1 for c in cases if c['exhausted']):>3}/{n:<3} "
                f"{sum(1 for c in cases if c['exhausted'] and c['seconds'] < GOAL_PROOF_S):>5}"
            )
            if cases
            else "n/a"
        )
        print(
            f"{label[:34]:<34} {full:>4}/{len(exercises):<5} "
            f"{sum(d['found'] for d in ds):>5}/{sum(d['seeds'] for d in ds):<6} "
            f"{_ms(statistics.median(all_found)) if all_found else '-':>9} "
            f"{_ms(max(all_found)) if all_found else '-':>8} | {sol}"
        )
    if base_rate:
        tutor_rows = results["tutor"]["exercises"].values()
        t_sched = sum(sum(c["schedules"] for c in r.get("solution", [])) for r in tutor_rows)
        t_sec = sum(sum(c["seconds"] for c in r.get("solution", [])) for r in tutor_rows)
        overall = (t_sched / t_sec) / base_rate
        print(
            f"\nschedules/s, tutor vs settrace baseline: {overall:.1f}x overall; per exercise "
            f"min {min(ratios):.1f}x, median {statistics.median(ratios):.1f}x (goal >= {GOAL_RATIO:.0f}x)"
        )
    for k in order:
        for ex, row in results[k].get("exercises", {}).items():
            notes = (
                detection(row)["notes"]
                + solution(row)["notes"]
                + [
                    f"false {c['kind']} on {c['case'].split(':', 1)[1]}"
                    for c in row.get("solution", [])
                    if c["kind"]
                ]
            )
            if notes:
                print(f"  note {results[k].get('label', k)} / {ex}: {'; '.join(notes)[:160]}")
        if results[k].get("note"):
            print(f"  note {results[k].get('label', k)}: {results[k]['note'][:300]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 seeds (5 for third parties)")
    parser.add_argument(
        "--seeds", type=int, default=100, help="seeds for our explorer and the baseline"
    )
    parser.add_argument(
        "--other-seeds", type=int, default=10, help="seeds for frontrun/interleave-test"
    )
    parser.add_argument("--exercises", help="comma-separated exercise ids (default: all)")
    parser.add_argument("--no-third-party", action="store_true")
    parser.add_argument("--setup", action="store_true", help="create the benchmark venvs first")
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(json.loads(args.worker))
        return 0
    if args.setup:
        setup_venvs()
    started = time.perf_counter()
    results = orchestrate(args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    print_report(results, args)
    print(f"\ntotal wall time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
