"""The demo block format (docs/lessons.md) and the `tutor demo` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.demos import DEFAULT_TIMEOUT_S, DemoFormatError, find_demo, parse_demos, run_demo
from tutor.paths import builtin_course_root

FENCE = "```"


def lesson(*blocks: str) -> str:
    return "# A lesson\n\nSome prose.\n\n" + "\n\nMore prose.\n\n".join(blocks) + "\n"


def test_demos_are_numbered_in_order_and_titled_by_their_first_comment() -> None:
    text = lesson(
        f"{FENCE}python demo\n# First one\nprint(1)\n{FENCE}",
        f"{FENCE}python\nprint('shown, not run')\n{FENCE}",
        f"{FENCE}python demo\nprint(2)\n{FENCE}",
    )
    demos = parse_demos(text)
    assert [d.number for d in demos] == [1, 2]
    assert [d.title for d in demos] == ["First one", "Demo 2"]
    assert demos[0].code == "# First one\nprint(1)\n"
    assert demos[1].code == "print(2)\n"
    assert text.splitlines()[demos[0].line - 1] == f"{FENCE}python demo"
    assert demos[0].timeout_s == DEFAULT_TIMEOUT_S


def test_a_demo_shown_inside_a_longer_fence_is_not_a_demo() -> None:
    text = lesson(f"````markdown\n{FENCE}python demo\nprint(1)\n{FENCE}\n````")
    assert parse_demos(text) == ()


def test_tilde_fences_and_indented_fences_count() -> None:
    text = lesson("  ~~~python demo\n  import sys\n  print(sys.argv)\n  ~~~")
    (demo,) = parse_demos(text)
    assert demo.code == "import sys\nprint(sys.argv)\n"


def test_timeout_option() -> None:
    (demo,) = parse_demos(lesson(f"{FENCE}python demo timeout=60\npass\n{FENCE}"))
    assert demo.timeout_s == 60.0


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        (f"{FENCE}python demo\nprint(1)\n", "never closed"),
        (f"{FENCE}python demo\n\n{FENCE}", "empty"),
        (f"{FENCE}python demo\nprint(1\n{FENCE}", "not valid Python"),
        (f"{FENCE}python demo fast\npass\n{FENCE}", "unknown demo option"),
        (f"{FENCE}python demo timeout=abc\npass\n{FENCE}", "not a number"),
        (f"{FENCE}python demo timeout=9999\npass\n{FENCE}", "between"),
    ],
)
def test_malformed_demos_are_reported_with_their_line(block: str, problem: str) -> None:
    with pytest.raises(DemoFormatError, match=problem) as caught:
        parse_demos(lesson(block))
    assert caught.value.line >= 5


def test_find_demo_explains_what_exists() -> None:
    demos = parse_demos(lesson(f"{FENCE}python demo\npass\n{FENCE}"))
    assert find_demo(demos, 1) is demos[0]
    with pytest.raises(IndexError, match="demos 1 to 1"):
        find_demo(demos, 2)
    with pytest.raises(IndexError, match="no demos"):
        find_demo((), 1)


# --- running demos: real child processes through the sandboxed runner ---------------------

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lessons_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course holding just the built-in lessons, so exercise defects cannot mask these."""
    root = tmp_path_factory.mktemp("lessons-only")
    (root / "lessons").symlink_to(builtin_course_root() / "lessons")
    return root


def tutor(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


def run_ok(course: Path, lesson_id: str, number: int) -> str:
    done = tutor("--course", str(course), "demo", lesson_id, str(number))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"Demo {number} of {lesson_id}: ")
    assert "(demo finished in " in done.stdout
    return done.stdout


def test_listing_names_each_demo_and_accepts_a_number_prefix() -> None:
    done = tutor("demo", "01")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "01-threads: What a thread is"
    assert "  1  start() runs the target in a new thread; run() does not" in done.stdout
    listed = json.loads(tutor("demo", "01-threads", "--json").stdout)
    assert listed["lesson"] == "01-threads"
    assert [d["number"] for d in listed["demos"]] == [1, 2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "unknown lesson 'nope'"),
        (("0",), "matches several lessons"),
        (("01-threads", "9"), "no demo 9; this lesson has demos 1 to 2"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    lessons_only: Path, args: tuple[str, ...], message: str
) -> None:
    done = tutor("--course", str(lessons_only), "demo", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_start_versus_run_demo_shows_which_thread_ran_the_target(lessons_only: Path) -> None:
    out = run_ok(lessons_only, "01-threads", 1)
    assert "running in 'MainThread'" in out  # run(): the caller's thread
    assert "running in 'worker-b'" in out  # start(): a new one
    assert "threads can only be started once" in out


def test_daemon_demo_shows_the_finally_block_skipped_and_the_file_buffer_lost(
    lessons_only: Path,
) -> None:
    out = run_ok(lessons_only, "01-threads", 2)
    non_daemon, daemon = out.split("daemon=True:")
    assert "finally ran" in non_daemon and "the file holds 1 record(s)" in non_daemon
    assert "finally ran" not in daemon and "the file holds 0 record(s)" in daemon
    # What the daemon printed still appears: Python flushes sys.stdout at exit.
    assert "worker: wrote record 1" in daemon


def test_io_demo_prints_both_timings_and_a_speed_up(lessons_only: Path) -> None:
    out = run_ok(lessons_only, "04-io-vs-cpu", 1)
    figures = dict(re.findall(r"^(one after another|ten threads|speed-up): +([\d.]+)", out, re.M))
    assert set(figures) == {"one after another", "ten threads", "speed-up"}
    # Ten sleeps of 0.2 s one after another cannot take less than 2 s, however loaded.
    assert float(figures["one after another"]) >= 1.9


@pytest.mark.slow
def test_cpu_demo_never_keeps_more_than_one_core_busy_with_threads(lessons_only: Path) -> None:
    """CPU time over wall time: at most one core on a GIL build, whatever the load."""
    out = run_ok(lessons_only, "04-io-vs-cpu", 2)
    busy = re.findall(r"^([12]) thread\(s\): [\d.]+ s, ([\d.]+) cores busy$", out, re.M)
    assert [n for n, _ in busy] == ["1", "2"], out
    assert all(float(cores) <= 1.1 for _, cores in busy), out
    assert re.search(r"^speed-up: [\d.]+x$", out, re.M)


def test_convoy_demo_times_the_waits_alone_and_beside_a_busy_thread(lessons_only: Path) -> None:
    out = run_ok(lessons_only, "04-io-vs-cpu", 3)
    assert re.search(r"^alone: \d+ ms; beside: \d+ ms$", out, re.M), out


@pytest.mark.slow
def test_processes_demo_reports_serial_threads_and_processes(lessons_only: Path) -> None:
    out = run_ok(lessons_only, "05-processes", 1)
    for label in ("serial", "2 threads", "2 processes"):
        assert re.search(rf"^{label} +[\d.]+ s, +[\d.]+ cores busy$", out, re.M), label
    threads = float(re.search(r"^2 threads .* ([\d.]+) cores busy$", out, re.M).group(1))
    assert threads <= 1.1, out
    assert re.search(r"^speed-up: threads [\d.]+x, processes [\d.]+x$", out, re.M)


def test_gil_demo_shows_which_calls_shut_the_other_thread_out(lessons_only: Path) -> None:
    out = run_ok(lessons_only, "06-c-extensions", 1)
    found = re.findall(r"^(.+?) +[\d.]+ s, the ticker ran +(\d+) times$", out, re.M)
    turns = {label.strip(): int(n) for label, n in found}
    # Held for the whole call: the ticker runs only as the call begins and ends.
    assert turns["bytes.translate, 75 MB"] <= 3, out
    if "ctypes PyDLL usleep 0.3 s" in turns:
        assert turns["ctypes PyDLL usleep 0.3 s"] <= 3, out
        assert turns["ctypes CDLL usleep 0.3 s"] > turns["ctypes PyDLL usleep 0.3 s"], out


def test_pool_demo_shows_completion_order_and_the_first_failure(lessons_only: Path) -> None:
    out = run_ok(lessons_only, "10-queues", 2)
    lines = [line for line in out.splitlines() if line.startswith(("as_completed", "map"))]
    # as_completed: the order the fetches ended in (0.2, 0.4, 0.6 s apart, so normally
    # b, c, a); map: always the input order, stopping at the first failure.
    assert sorted(lines[:3]) == [
        "as_completed: a.example/slow: 200 OK",
        "as_completed: c.example/fast: 200 OK",
        "as_completed: failed, b.example/down: connection refused",
    ], out
    assert lines[3:] == [
        "map: a.example/slow: 200 OK",
        "map: stopped at the first failure: b.example/down: connection refused",
    ], out


def test_signal_demo_runs_the_handler_in_the_main_thread(lessons_only: Path) -> None:
    out = run_ok(lessons_only, "12-pitfalls", 2)
    assert "signal.signal() in a worker: signal only works in main thread" in out
    assert "the handler runs in MainThread" in out
    assert out.index("the handler runs in MainThread") < out.index("main thread: done")


def test_local_demo_shows_values_left_behind_on_a_pool_thread(lessons_only: Path) -> None:
    out = run_ok(lessons_only, "12-pitfalls", 3)
    assert "ann: found None already set" in out
    assert "bob: found 'ann' already set" in out
    assert "a new thread sees None" in out
    assert "the main thread still sees main" in out


def test_deadlock_demo_dumps_both_stuck_threads(lessons_only: Path) -> None:
    out = run_ok(lessons_only, "11-deadlock-starvation", 2)
    assert "t1 is still running after 1 s" in out
    assert out.count("in worker") == 2  # both threads, each stuck in its `with second:`


def test_asyncio_demo_loses_an_update_and_the_lock_fixes_it(lessons_only: Path) -> None:
    out = run_ok(lessons_only, "13-alternatives", 1)
    assert "racy:  balance 110 (expected 120)" in out
    assert "locked: balance 120" in out


EXPLORER_DEMOS = {
    # lesson, demo: what the lesson's prose says the explorer finds, line by line
    ("03-switching", 3): [
        r"^check\(state\) failed: value is 1, not 2$",
        r"^replay it with schedule \S+",
    ],
    ("07-locks", 1): [
        r"^unlocked: FAILS \(assertion\)$",
        r"^half_locked: FAILS \(assertion\)$",
        r"^locked: passes all \d+ schedules tried$",
    ],
    ("08-conditions", 1): [
        r"^ +no_check: deadlock$",
        r"^ +if_check: assertion$",
        r"^while_check: passes \d+ schedules$",
    ],
    ("09-semaphores", 2): [r"^put_wrong: deadlock$", r"^put_right: passes \d+ schedules$"],
    ("11-deadlock-starvation", 1): [
        r"^naive: deadlock; where each is stuck:$",
        r"^ordered: no deadlock in \d+ schedules$",
    ],
}


@pytest.mark.parametrize(("lesson_id", "number"), sorted(EXPLORER_DEMOS))
def test_explorer_demos_find_exactly_the_bugs_their_lesson_describes(
    lessons_only: Path, lesson_id: str, number: int
) -> None:
    out = run_ok(lessons_only, lesson_id, number)
    for pattern in EXPLORER_DEMOS[lesson_id, number]:
        assert re.search(pattern, out, re.M), f"{pattern!r} not in:\n{out}"


def test_a_failing_demo_exits_1_and_says_how_it_ended(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "01-broken.md").write_text(
        f"# Broken\n\n{FENCE}python demo\nprint('before')\nraise SystemExit(3)\n{FENCE}\n"
    )
    done = tutor("--course", str(tmp_path), "demo", "01-broken", "1")
    assert done.returncode == 1
    assert "before" in done.stdout
    assert "(demo did not finish cleanly: exit status 3)" in done.stdout


def test_run_demo_stops_a_demo_at_its_time_limit() -> None:
    (demo,) = parse_demos(
        lesson(f"{FENCE}python demo timeout=1\nimport time\ntime.sleep(60)\n{FENCE}")
    )
    outcome = run_demo(demo)
    assert outcome.timed_out and not outcome.ok
    assert outcome.duration_s < 30
