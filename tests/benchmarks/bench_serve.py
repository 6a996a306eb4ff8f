"""`serve` with many browsers at once: memory per session, and the time until all are editing.

    python tests/benchmarks/bench_serve.py [--sessions 10] [--limit 600]

Runs the same script as tests/instructor/test_serve.py (which uses three sessions to keep the
suite short): ``--sessions`` browsers connect at once, each opens the first exercise and types
its name, and each app's proportional set size (PSS, its share of shared pages) is read from
/proc while all are open. Prints mean and max PSS per session and the wall time. Linux only;
the server runs in its own process group and only that group is stopped. Not collected by
pytest.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "instructor"))

import test_serve  # noqa: E402 - the test's own browser script
from instructor_pack import write_course  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--limit", type=float, default=600.0,
                        help="seconds each session may wait for its screen (busy cores)")
    args = parser.parse_args()
    test_serve.SESSION_LIMIT_S = args.limit
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        root = Path(tmp)
        course = write_course(root / "course")
        started = time.perf_counter()
        memory = test_serve.sessions_at_once(course, root, args.sessions)
        elapsed = time.perf_counter() - started
    mean = sum(memory.values()) / len(memory) / 1024
    print(f"serve: {args.sessions} sessions at once, all editing after {elapsed:.1f} s; "
          f"PSS per session: mean {mean:.1f} MiB, max {max(memory.values()) / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
