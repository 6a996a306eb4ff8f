#!/usr/bin/env python3
"""Install the tutor and run its test suite on every Python a learner has: 3.11 to 3.15.

This is the README's test command and what CI runs (``bash .ci/run``). For each version it
finds an interpreter, makes a fresh venv under ``.venvs/<version>``, installs the project
into it exactly as a learner would (``pip install '.[test]'``: no editable install, no
compiler), and runs that version's part of the suite (``PLAN`` below). At the end it prints
one line per version and a total; it exits non-zero if any version failed **or could not be
had**: a missing version is one line saying which and why, never a silent skip.

Where the interpreters come from:
- 3.11, 3.12, 3.13: ``python3.X`` on PATH, else pyenv's newest ``3.X.*`` (``$PYENV_ROOT``,
  default ``~/.pyenv``).
- 3.14, 3.15: ``python3.X`` on PATH if the machine has it, else a Debian-sid root that
  ``scripts/sid-root`` builds (debootstrap; needs root and a reachable Debian mirror). The
  root is built fresh for the run in a temporary directory and removed at the end, unless
  ``--root DIR`` names one to build once and keep. The checkout is bind-mounted at the same
  path inside, so the venv and the tests are the same files.

Free-threaded builds (``python3.14t``) are never picked: the tutor refuses them (README).

The tests see ``$TUTOR_CI_VERSIONS`` (the versions this run tests, comma-separated): a test that
starts other Pythons itself can leave that to the run.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SID_ROOT = REPO / "scripts" / "sid-root"

VERSIONS = ("3.11", "3.12", "3.13", "3.14", "3.15")
FROM_SID = ("3.14", "3.15")  # what the Debian-sid root provides when the machine does not

# What depends on the interpreter runs on every version: the bytecode-driven explorer, the
# sandbox and grading, the built-in course (its demos and solutions run), the install from a
# wheel, the layering check, the app in a real terminal, and this script's own tests.
VERSION_SENSITIVE = (
    "tests/interleave",
    "tests/runner",
    "tests/course",
    "tests/foundation/test_wheel_install.py",
    "tests/ui/test_ui_tmux.py",
    "tests/test_layering.py",
    "tests/versions",
)
WHOLE_SUITE = ("tests",)


@dataclass(frozen=True)
class Part:
    """What one version runs: test paths, tests left out (node ids), and one shard of the
    course's grading cases (``TUTOR_TEST_SHARD``, see tests/conftest.py)."""

    paths: tuple[str, ...]
    shard: str | None = None
    deselect: tuple[str, ...] = ()


# Tests that exercise nothing version-specific beyond what the rest of the part covers, and
# cost a minute or more each: they run once, with the whole suite.
ONCE = (
    "tests/runner/test_unprivileged.py",  # the hostile suites again, as an unprivileged user
    "tests/versions/test_shards.py",  # the plan's arithmetic: five collections of the course
)
# The whole suite runs on the oldest version (the machine's own, with tree-sitter); 3.12-3.15
# run the version-sensitive part, and the newest also the app's snapshots (no tree-sitter
# wheels there: the editor's plain-text path) and the scheduler screen's tests (the
# controller steps real threads on that interpreter's bytecode).
# The course's grading cases (every starter, solution and wrong fix through the real grader:
# the suite's most expensive part) are split five ways, one shard per version, so together the
# versions run each case once; `validate` end to end runs on every version
# (tests/runner/test_builtin_course.py). This keeps CI inside its 30 minutes on 2 cores; the
# README has the measured times.
WITH_APP = (*VERSION_SENSITIVE, "tests/ui/test_ui_snapshots.py", "tests/play")
PLAN: dict[str, Part] = {
    "3.11": Part(WHOLE_SUITE, shard="0/5"),
    "3.12": Part(VERSION_SENSITIVE, shard="1/5", deselect=ONCE),
    "3.13": Part(VERSION_SENSITIVE, shard="2/5", deselect=ONCE),
    "3.14": Part(VERSION_SENSITIVE, shard="3/5", deselect=ONCE),
    "3.15": Part(WITH_APP, shard="4/5", deselect=ONCE),
}

# The plan is sized for CI's 30 minutes on 2 cores (README: measured). The budget is the guard
# against a hang: each version's pytest gets what is left of it (at most PYTEST_TIMEOUT_S), so
# a hang fails the run with a clear line long before the CI runner's own limit cuts it off with
# no summary; a run that is only a little slow is not failed for it.
RUN_BUDGET_S = 50 * 60
PYTEST_TIMEOUT_S = 15 * 60
INTERRUPT_GRACE_S = 30.0  # from SIGINT at the limit to SIGKILL: pytest writes its report
PYTEST_MIN_S = 60  # below this, a version is not started: "no time left" is the clear line
PIP_TIMEOUT_S = 15 * 60


@dataclass
class Interpreter:
    """Where one version comes from: a host path, or a path inside the sid root."""

    version: str
    path: str
    in_root: bool = False
    full_version: str = ""


@dataclass
class Outcome:
    version: str
    interpreter: Interpreter | None = None
    problem: str = ""  # one line: why this version could not be had, installed or run
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    scope: str = ""

    @property
    def ok(self) -> bool:
        return (
            not self.problem
            and self.counts.get("failed", 0) == 0
            and self.counts.get("errors", 0) == 0
            and self.counts.get("passed", 0) > 0
        )


def say(line: str) -> None:
    print(f"== {line}", flush=True)


# -- finding interpreters -------------------------------------------------------------------


PROBE = (
    "import sys, sysconfig; print('%d.%d.%d' % sys.version_info[:3], "
    "bool(sysconfig.get_config_var('Py_GIL_DISABLED')))"
)


def _probe(command: Sequence[str]) -> tuple[str, bool] | None:
    """(full version, free-threaded?) printed by ``command`` (which runs PROBE), or None."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    words = done.stdout.split()
    if done.returncode != 0 or len(words) != 2:
        return None
    return words[0], words[1] == "True"


def host_candidates(
    version: str, path_env: str | None = None, pyenv_root: str | None = None
) -> list[str]:
    """Where a host interpreter for ``version`` may be, best first (not yet checked)."""
    found: list[str] = []
    on_path = shutil.which(f"python{version}", path=path_env)
    if on_path:
        found.append(on_path)
    root = pyenv_root or os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    releases = {}  # plain releases only: not 3.13.0t (free-threaded) nor 3.14-dev
    for path in glob.glob(
        os.path.join(root, "versions", f"{version}.*", "bin", f"python{version}")
    ):
        name = Path(path).parent.parent.name
        if re.fullmatch(rf"{re.escape(version)}\.\d+", name):
            releases[int(name.rsplit(".", 1)[1])] = path
    found.extend(releases[patch] for patch in sorted(releases, reverse=True))
    return found


def find_host(version: str) -> tuple[Interpreter | None, str]:
    """The host's interpreter for ``version``, or None and what was wrong with what was seen."""
    seen: list[str] = []
    for path in host_candidates(version):
        probed = _probe([path, "-c", PROBE])
        if probed is None:
            seen.append(f"{path} does not run")
            continue
        full, free_threaded = probed
        if not full.startswith(version + "."):
            seen.append(f"{path} is {full}")
        elif free_threaded:
            seen.append(f"{path} is a free-threaded build")
        else:
            return Interpreter(version, path, full_version=full), ""
    return None, "; ".join(seen)


# -- the sid root ---------------------------------------------------------------------------


class SidRoot:
    """The Debian-sid root for 3.14/3.15: built on first use, removed at the end if temporary."""

    def __init__(self, keep_at: Path | None) -> None:
        self.keep_at = keep_at
        self.path: Path | None = None
        self.problem = ""
        self._tmp: str | None = None

    def get(self) -> Path | None:
        if self.path is not None or self.problem:
            return self.path
        if os.geteuid() != 0:
            self.problem = (
                "building the Debian-sid root that provides it needs root (run as root, put it "
                "on PATH, or leave it out with --versions)"
            )
            return None
        if self.keep_at is not None and self.keep_at.exists():
            check = subprocess.run(
                [str(SID_ROOT), "check", str(self.keep_at)], capture_output=True, text=True
            )
            if check.returncode != 0:
                self.problem = check.stderr.strip().splitlines()[-1]
                return None
            self.path = self.keep_at
            say(f"sid root: reusing {self.path}")
            return self.path
        if self.keep_at is not None:
            target = self.keep_at
        else:
            self._tmp = tempfile.mkdtemp(prefix="threading-tutor-sid.")
            target = Path(self._tmp) / "root"
        say(f"sid root: building {target} (debootstrap, about a minute on an idle machine)")
        started = time.monotonic()
        built = subprocess.run(
            [str(SID_ROOT), "build", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if built.returncode != 0:
            sys.stderr.write(built.stderr)
            last = built.stderr.strip().splitlines()[-1:] or ["sid-root failed"]
            self.problem = f"the Debian-sid root could not be built ({last[0]})"
            return None
        say(f"sid root: built in {time.monotonic() - started:.0f} s")
        self.path = target
        return self.path

    def argv(self, command: Sequence[str]) -> list[str]:
        """``command`` run inside the root, in the checkout."""
        assert self.path is not None
        return [str(SID_ROOT), "run", str(self.path), str(REPO), "--", shlex.join(command)]

    def has_compiler(self) -> bool:
        probe = subprocess.run(
            self.argv(["sh", "-c", "command -v cc || command -v gcc || command -v clang"]),
            capture_output=True,
            text=True,
        )
        return probe.returncode == 0

    def remove(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def find(version: str, root: SidRoot) -> tuple[Interpreter | None, str]:
    host, seen = find_host(version)
    if host is not None:
        return host, ""
    if version not in FROM_SID:
        where = f"PATH and {os.environ.get('PYENV_ROOT') or '~/.pyenv'}/versions"
        hint = f" (seen: {seen})" if seen else ""
        return None, f"not found in {where}{hint}: install it (pyenv install {version})"
    path = root.get()
    if path is None:
        return None, f"no python{version} on PATH; {root.problem}"
    interpreter = Interpreter(version, f"/usr/bin/python{version}", in_root=True)
    probed = _probe(root.argv([interpreter.path, "-c", PROBE]))
    if probed is None:
        return None, f"the sid root has no working python{version}"
    interpreter.full_version = probed[0]
    return interpreter, ""


# -- installing and running -----------------------------------------------------------------


@contextlib.contextmanager
def children_take_sigint():
    """Children started inside get SIGINT's default action, even when we ignore it.

    A shell starts a background job (``cmd &``, ``nohup cmd &``) with SIGINT ignored, and an
    ignored signal stays ignored across fork and exec: the SIGINT that ends a run at its limit
    (and the suite's own Ctrl-C tests) would then do nothing. A *handled* signal is reset to
    its default at exec, so a handler is set while the child starts. Only the main thread
    can set one; elsewhere nothing changes."""
    previous = signal.getsignal(signal.SIGINT)
    swapped = False
    if previous is signal.SIG_IGN:
        with contextlib.suppress(ValueError):  # not the main thread
            signal.signal(signal.SIGINT, signal.default_int_handler)
            swapped = True
    try:
        yield
    finally:
        if swapped:
            signal.signal(signal.SIGINT, previous)


def run_logged(argv: Sequence[str], timeout_s: float) -> tuple[int, str]:
    """Run ``argv``, echoing its output, in its own process group (killed whole on timeout)."""
    with children_take_sigint():
        proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=REPO,
            start_new_session=True,
        )
    lines: list[str] = []
    expired = threading.Event()

    def kill_group() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    def interrupt() -> None:
        """A silent hang prints no line: the timer, not the loop, ends it. SIGINT first, as
        Ctrl-C would: pytest then stops, names the failures so far and writes its report;
        whatever is still there after INTERRUPT_GRACE_S is killed."""
        expired.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        finisher.start()

    finisher = threading.Timer(INTERRUPT_GRACE_S, kill_group)
    finisher.daemon = True

    watchdog = threading.Timer(max(1.0, timeout_s), interrupt)
    watchdog.daemon = True
    watchdog.start()
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line)
        status = proc.wait()
    except BaseException:  # interrupted (Ctrl-C, SIGTERM): take the whole group down with us
        kill_group()
        proc.wait()
        raise
    finally:
        watchdog.cancel()
        finisher.cancel()
    if expired.is_set():
        kill_group()  # the interrupted run's leftovers (a hung grading child, a server)
        return -1, "".join(lines) + f"\n(timed out after {timeout_s:.0f} s)\n"
    return status, "".join(lines)


def venv_dir(version: str) -> Path:
    return REPO / ".venvs" / version


def in_place(interpreter: Interpreter, command: list[str], root: SidRoot) -> list[str]:
    return root.argv(command) if interpreter.in_root else command


OFFLINE = (
    "pip could not reach PyPI: nothing can be installed (offline, run the suite in a venv made "
    "earlier: .venv/bin/python -m pytest -q -n 2)"
)


# What pip prints when it cannot reach its index (no network, no DNS, a proxy in the way).
NETWORK_ERRORS = re.compile(
    r"NewConnectionError|Temporary failure in name resolution|Name or service not known|"
    r"Network is unreachable|Connection refused|ConnectTimeoutError|ProxyError"
)


def install(interpreter: Interpreter, root: SidRoot) -> str:
    """A fresh venv with the project installed from its own files; '' or one line of why not
    (OFFLINE when pip could not reach its index)."""
    venv = venv_dir(interpreter.version)
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(exist_ok=True)
    python = str(venv / "bin" / "python")
    make_venv = [interpreter.path, "-m", "venv", str(venv)]
    status, _ = run_logged(in_place(interpreter, make_venv, root), PIP_TIMEOUT_S)
    if status != 0:
        return f"`python{interpreter.version} -m venv` failed (on Debian: python3.X-venv)"
    pip_install = [python, "-m", "pip", "install", "--quiet", ".[test]"]
    status, output = run_logged(in_place(interpreter, pip_install, root), PIP_TIMEOUT_S)
    if status != 0:
        return OFFLINE if NETWORK_ERRORS.search(output) else "`pip install '.[test]'` failed"
    return ""


def junit_counts(path: Path) -> dict[str, int]:
    """passed/failed/errors/skipped from a pytest JUnit XML report."""
    suites = ET.parse(path).getroot()
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites.iter("testsuite"):
        for key in totals:
            totals[key] += int(suite.get(key, 0))
    return {
        "passed": totals["tests"] - totals["failures"] - totals["errors"] - totals["skipped"],
        "failed": totals["failures"],
        "errors": totals["errors"],
        "skipped": totals["skipped"],
    }


_run_deadline: float | None = None  # monotonic; None: no overall budget (--no-budget)


def pytest_limit() -> float:
    """Seconds one version's pytest may take: at most PYTEST_TIMEOUT_S, and never past the
    whole run's deadline."""
    if _run_deadline is None:
        return float(PYTEST_TIMEOUT_S)
    return min(float(PYTEST_TIMEOUT_S), _run_deadline - time.monotonic())


def run_suite(
    interpreter: Interpreter, part: Part, root: SidRoot, extra: Sequence[str]
) -> tuple[dict[str, int], str]:
    """Run pytest on ``part`` with the version's venv; (counts, '' or one line of trouble)."""
    report = REPO / ".venvs" / f"junit-{interpreter.version}.xml"
    report.unlink(missing_ok=True)
    python = str(venv_dir(interpreter.version) / "bin" / "python")
    command = [
        python,
        "-m",
        "pytest",
        "-q",
        "-n",
        "2",
        "-p",
        "no:cacheprovider",
        f"--junitxml={report}",
        *(f"--deselect={node}" for node in part.deselect),
        *extra,
        *part.paths,
    ]
    os.environ.pop("TUTOR_TEST_SHARD", None)
    if part.shard:
        os.environ["TUTOR_TEST_SHARD"] = part.shard
    limit = pytest_limit()
    if limit < PYTEST_MIN_S:
        return {}, f"not run: the run's {RUN_BUDGET_S // 60} min budget is spent"
    status, _ = run_logged(in_place(interpreter, command, root), limit)
    counts = junit_counts(report) if report.exists() else {}
    if status == -1:
        return counts, f"pytest timed out after {limit / 60:.1f} min (the run's budget)"
    if status == 5:
        return counts, "pytest collected no tests"
    if not counts:
        return counts, f"pytest ended with status {status} and no report"
    if status not in (0, 1):
        return counts, f"pytest ended with status {status} (an internal or usage error)"
    return counts, ""


def names_tests(pytest_args: Sequence[str]) -> bool:
    """Do the extra pytest arguments name tests (paths or node ids)? Then they replace the plan."""
    return any(
        not arg.startswith("-") and (REPO / arg.split("::", 1)[0]).exists() for arg in pytest_args
    )


def counts_text(counts: dict[str, int]) -> str:
    text = f"{counts.get('passed', 0)} passed, {counts.get('failed', 0)} failed"
    if counts.get("errors"):
        text += f", {counts['errors']} errors"
    if counts.get("skipped"):
        text += f", {counts['skipped']} skipped"
    return text


def check_tools() -> None:
    """tmux drives the end-to-end terminal test: install it where we can, say so where not."""
    if shutil.which("tmux"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing tmux (the end-to-end terminal test needs it)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env)
        if subprocess.run(["apt-get", "install", "-y", "-qq", "tmux"], env=env).returncode == 0:
            return
    say("tmux is not installed: on the host Pythons the end-to-end terminal test is skipped")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="test_versions.py",
        description="Install the tutor and run its suite on Python 3.11 to 3.15 (what CI runs).",
    )
    parser.add_argument(
        "--versions",
        default=",".join(VERSIONS),
        help="comma-separated versions to test (default: all five)",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the Debian-sid root for 3.14/3.15: built there if missing and kept "
        "(default: a temporary one, built for this run and removed)",
    )
    parser.add_argument(
        "--whole-suite",
        action="store_true",
        help="run the whole suite on every version, not just its part of the plan",
    )
    parser.add_argument(
        "--no-budget",
        action="store_true",
        help=f"no overall time limit (CI's run stops each version's pytest when its "
        f"{RUN_BUDGET_S // 60} min are spent; each version gets at most "
        f"{PYTEST_TIMEOUT_S // 60} min either way)",
    )
    parser.add_argument(
        "pytest_args",
        nargs="*",
        help="extra pytest arguments, after `--` (e.g. -- -x -k interleave)",
    )
    args = parser.parse_args(argv)
    if args.whole_suite:
        args.no_budget = True  # the whole suite five times is for a developer, not for CI
    wanted = [v.strip() for v in args.versions.split(",") if v.strip()]
    unknown = [v for v in wanted if v not in VERSIONS]
    if unknown or not wanted:
        parser.error(f"--versions: choose among {', '.join(VERSIONS)} (got {args.versions!r})")
    args.wanted = wanted
    return args


def test_one(version: str, root: SidRoot, args: argparse.Namespace) -> Outcome:
    """Find, install and test one version; the outcome says how it went, in one line if not."""
    outcome = Outcome(version)
    began = time.monotonic()
    interpreter, problem = find(version, root)
    if interpreter is None:
        outcome.problem = problem
        say(f"Python {version}: NOT TESTED: {problem}")
        return outcome
    outcome.interpreter = interpreter
    where = interpreter.path
    if interpreter.in_root:
        compiler = "a C compiler" if root.has_compiler() else "no C compiler"
        where = f"in the Debian-sid root, with {compiler}"
    say(f"Python {version}: {interpreter.full_version} ({where}): installing '.[test]'")
    problem = install(interpreter, root)
    if problem:
        outcome.problem = problem if problem == OFFLINE else f"install failed: {problem}"
        say(f"Python {version}: {outcome.problem}")
    else:
        part = Part(WHOLE_SUITE) if args.whole_suite else PLAN[version]
        outcome.scope = "whole suite" if part.paths == WHOLE_SUITE else "planned part"
        if part.shard:
            outcome.scope += f", grading shard {part.shard}"
        if names_tests(args.pytest_args):
            part, outcome.scope = Part(()), "tests named on the command line"
        shown = " ".join(part.paths or args.pytest_args)
        say(f"Python {version}: running the {outcome.scope}: {shown}")
        outcome.counts, outcome.problem = run_suite(interpreter, part, root, args.pytest_args)
        trouble = f"; {outcome.problem}" if outcome.problem else ""
        say(f"Python {version}: {counts_text(outcome.counts)}{trouble}")
    outcome.seconds = time.monotonic() - began
    return outcome


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # runs the `finally`s: the temporary root is removed


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on_signal)
    driver = sys.version.split()[0]
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        driver += ", free-threaded"
    say(f"testing {', '.join(args.wanted)} from {REPO} (driver: Python {driver})")
    check_tools()
    os.environ["TUTOR_CI_VERSIONS"] = ",".join(args.wanted)
    root = SidRoot(args.root.resolve() if args.root else None)
    started = time.monotonic()
    global _run_deadline
    _run_deadline = None if args.no_budget else started + RUN_BUDGET_S
    outcomes: list[Outcome] = []
    try:
        for version in args.wanted:
            if outcomes and outcomes[-1].problem == OFFLINE:  # the next would fail the same way
                outcomes.append(Outcome(version, problem=OFFLINE))
                continue
            outcomes.append(test_one(version, root, args))
    finally:
        for signum in (signal.SIGTERM, signal.SIGHUP):  # a second signal must not cut it short
            signal.signal(signum, signal.SIG_IGN)
        root.remove()
    return summarize(outcomes, time.monotonic() - started)


def cpu_minutes() -> float:
    """CPU time (user + system) of everything this run started, in minutes: with the wall time
    it shows how much of a slow run was waiting for a busy machine."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (used.ru_utime + used.ru_stime) / 60


def summarize(outcomes: Sequence[Outcome], seconds: float) -> int:
    print()
    cores = os.cpu_count()
    say(f"summary: {seconds / 60:.1f} min wall, {cpu_minutes():.1f} min CPU on {cores} cores")
    for o in outcomes:
        if o.interpreter is None:
            print(f"Python {o.version}: NOT TESTED: {o.problem}")
            continue
        state = "ok" if o.ok else "FAILED"
        detail = counts_text(o.counts) if o.counts else "no tests ran"
        trouble = f"; {o.problem}" if o.problem else ""
        print(
            f"Python {o.version} ({o.interpreter.full_version}, {o.scope or 'not run'}): "
            f"{state}: {detail}{trouble} ({o.seconds:.0f} s)"
        )
    total = {
        k: sum(o.counts.get(k, 0) for o in outcomes)
        for k in ("passed", "failed", "errors", "skipped")
    }
    missing = [o.version for o in outcomes if o.interpreter is None]
    broken = [o.version for o in outcomes if o.interpreter is not None and not o.ok]
    if missing:
        print(f"versions not tested: {', '.join(missing)} (so this run fails)")
    if broken:
        print(f"versions failing: {', '.join(broken)}")
    # One plain closing line for the whole run (errors counted with the failures).
    total["failed"] += total.pop("errors")
    print(f"total: {counts_text(total)}")
    return 0 if not missing and not broken else 1


if __name__ == "__main__":
    sys.exit(main())
