"""Benchmark: `grade` throughput on a class-sized batch, one job against two, and peak memory.

    python tests/benchmarks/bench_grade.py [--learners 30] [--exercises 6] [--course DIR] [--rounds N]

Builds LEARNERS x EXERCISES files from a course (default: the built-in one): even-numbered
learners hand in the solution, odd-numbered ones the starter, so half the files pass and
half fail the way real buggy code does. Grades the same batch with `--jobs 1` and `--jobs 2`
in one run, each in a fresh `python -m tutor grade` process, and prints files per second, the
speed-up (goal: at least 1.7x with two jobs on two cores), and the peak resident memory of the
grade process and of its largest grading child. Both runs must give the same verdicts. The pack
check (each exercise's solution graded once before the batch) is skipped: it is a fixed cost
per run, not per file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tutor.course import load_course  # noqa: E402

# Runs `grade` in a child and reports its peak memory (Linux: ru_maxrss is in KiB) and the CPU
# time of everything it ran, which other work on the machine does not inflate the way it
# inflates wall time.
CHILD = """
import json, resource, sys
from tutor.cli import main
status = main(sys.argv[1:])
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
print(json.dumps({"status": status, "self_kib": me.ru_maxrss, "child_kib": kids.ru_maxrss,
                  "cpu_s": cpu}))
"""


def build_batch(course_root: Path | None, learners: int, exercises: int, root: Path) -> int:
    course = load_course(course_root)
    chosen = course.exercises[:exercises]
    if len(chosen) < exercises:
        sys.exit(f"the course has only {len(chosen)} exercises")
    for n in range(learners):
        folder = root / f"learner{n:03d}"
        folder.mkdir(parents=True)
        for exercise in chosen:
            source = exercise.solution_path if n % 2 == 0 else exercise.starter_path
            (folder / f"{exercise.id}.py").write_bytes(source.read_bytes())
    return learners * len(chosen)


def run_grade(course: str | None, batch: Path, jobs: int, report: Path) -> dict:
    args = ([] if course is None else ["--course", course]) + [
        "grade", str(batch), "--jobs", str(jobs), "-o", str(report), "--no-pack-check",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, env=env, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"grade --jobs {jobs} failed ({done.returncode}):\n{done.stderr}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["elapsed_s"] = elapsed
    rows = json.loads(report.read_text())["results"]
    figures["verdicts"] = {(r["learner"], r["exercise"]): r["status"] for r in rows}
    figures["errors"] = sorted(
        {
            f"{r['exercise']}: {r['message'][:160]}"
            for r in rows
            if r["status"] in ("error", "timeout")
        }
    )
    return figures


def report_line(jobs: int, files: int, figures: dict) -> str:
    counts: dict[str, int] = {}
    for status in figures["verdicts"].values():
        counts[status] = counts.get(status, 0) + 1
    return (
        f"--jobs {jobs}: {figures['elapsed_s']:6.1f} s, "
        f"{files / figures['elapsed_s']:5.2f} files/s, "
        f"CPU {figures['cpu_s'] / files:.2f} s/file, "
        f"peak RSS grade process {figures['self_kib'] / 1024:.0f} MiB, "
        f"largest grading child {figures['child_kib'] / 1024:.0f} MiB; "
        f"verdicts {dict(sorted(counts.items()))}; load average {os.getloadavg()[0]:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--exercises", type=int, default=6)
    parser.add_argument("--course", default=None, help="course pack (default: built-in)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="alternate --jobs 1 and 2 this many times and keep each one's best time "
        "(on a shared machine, 2 or 3 make the ratio less hostage to other work)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        batch = Path(tmp) / "submissions"
        course_root = Path(args.course).resolve() if args.course else None
        files = build_batch(course_root, args.learners, args.exercises, batch)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"batch: {args.learners} learners x {args.exercises} exercises = {files} files")
        print(
            f"python {sys.version.split()[0]}, {cores} cores available, "
            f"load average before {os.getloadavg()[0]:.1f} (other work skews the ratio)"
        )
        best: dict[int, dict] = {}
        verdicts = []
        for _ in range(args.rounds):
            for jobs in (1, 2):
                figures = run_grade(args.course, batch, jobs, Path(tmp) / f"jobs{jobs}.json")
                print(report_line(jobs, files, figures))
                for error in figures["errors"][:5]:
                    print(f"    error/timeout: {error}")
                verdicts.append(figures["verdicts"])
                if jobs not in best or figures["elapsed_s"] < best[jobs]["elapsed_s"]:
                    best[jobs] = figures
        speedup = best[1]["elapsed_s"] / best[2]["elapsed_s"]
        print(
            f"best of {args.rounds}: {files / best[1]['elapsed_s']:.2f} files/s with 1 job, "
            f"{files / best[2]['elapsed_s']:.2f} with 2; "
            f"speed-up {speedup:.2f}x (goal >= 1.7x on 2 cores)"
        )
        same = all(v == verdicts[0] for v in verdicts)
        print(f"same verdicts in every run: {'yes' if same else 'NO'}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
