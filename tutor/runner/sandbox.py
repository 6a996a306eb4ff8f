"""Run one command in a sandboxed child process tree and collect its result (tutor side).

The command runs two processes below a reaper (see ``reaper.py``), with rlimits, a scrubbed
environment, stdin from /dev/null, Landlock (Linux) and a wall deadline. Its stdout and stderr
share one pipe that is drained as it arrives, keeping only the first ``output_cap`` bytes.
Extra one-way pipes (``channels`` out of the sandbox, ``inputs`` into it) carry data that must
not mix with the learner's output; their file descriptor numbers are given to the command in
``TUTOR_FD_<NAME>`` variables.
"""

from __future__ import annotations

import marshal
import os
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.runner import portable, proctree
from tutor.runner.capture import CappedBuffer
from tutor.runner.limits import Limits

OUTPUT_CAP = 64 * 1024
DEFAULT_TIMEOUT_S = 10.0
_MAX_INPUT = 60 * 1024  # an input is written before the run starts: it must fit a pipe buffer
_REAPER_GRACE_S = 5.0  # how long past the deadline before we stop trusting the reaper
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
_REAPER_BOOT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from tutor.runner.reaper import main; main()"
)
_LIMIT_SIGNALS = {
    signal.SIGXCPU: "CPU time",
    signal.SIGXFSZ: "file size",
}


@dataclass
class RunResult:
    """How a sandboxed command ended.

    ``exit_code`` is set when it exited, ``signal`` when a signal killed it; both are None
    when the reaper could not tell (e.g. the learner's process was never started).
    ``killed_by_limit`` names the rlimit that ended it ("CPU time", "file size"), if any.
    ``sandbox`` reports what isolation was in force (Landlock, cgroup, strays killed).
    """

    exit_code: int | None
    signal: int | None
    timed_out: bool
    cancelled: bool
    duration_s: float
    output: str
    output_bytes: int
    killed_by_limit: str | None = None
    channels: dict[str, bytes] = field(default_factory=dict)
    channel_overflow: dict[str, int] = field(default_factory=dict)
    sandbox: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Exited with status 0 within its limits."""
        return self.exit_code == 0 and not self.timed_out and not self.cancelled

    @property
    def signal_name(self) -> str | None:
        if self.signal is None:
            return None
        try:
            return signal.Signals(self.signal).name
        except ValueError:
            return f"signal {self.signal}"

    def describe_end(self) -> str:
        """A short phrase: how the process ended ("exit status 1", "killed by SIGSEGV")."""
        if self.timed_out:
            return "stopped at the time limit"
        if self.cancelled:
            return "cancelled"
        if self.killed_by_limit:
            return f"killed by the {self.killed_by_limit} limit ({self.signal_name})"
        if self.signal is not None:
            return f"killed by {self.signal_name}"
        if self.exit_code is not None:
            return f"exit status {self.exit_code}"
        return "ended in an unknown way"


def scrubbed_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The whole environment of a sandboxed command: nothing inherited but PATH and the seed."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONFAULTHANDLER": "1",
        # glibc gives each thread its own malloc arena: with RLIMIT_AS that wastes the budget.
        "MALLOC_ARENA_MAX": "2",
    }
    if "TUTOR_SEED" in os.environ:
        env["TUTOR_SEED"] = os.environ["TUTOR_SEED"]
    env.update(extra or {})
    return env


def _resolve(argv: Sequence[str], env: Mapping[str, str]) -> list[str]:
    argv = [str(a) for a in argv]
    if not argv:
        raise ValueError("run_sandboxed: empty argv")
    if os.sep not in argv[0]:
        found = shutil.which(argv[0], path=env.get("PATH"))
        if found is None:
            raise FileNotFoundError(f"run_sandboxed: {argv[0]!r} not found on PATH")
        argv[0] = found
    return argv


def run_sandboxed(
    argv: Sequence[str],
    *,
    cwd: Path,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    env: Mapping[str, str] | None = None,
    limits: Limits | None = None,
    writable: Sequence[Path] = (),
    channels: Mapping[str, int] | None = None,
    inputs: Mapping[str, bytes] | None = None,
    output_cap: int = OUTPUT_CAP,
    cancel: threading.Event | None = None,
    landlock: bool = True,
) -> RunResult:
    """Run ``argv`` in ``cwd`` in the sandbox; return once every process of the run is gone.

    ``env`` is added to a scrubbed environment (see ``scrubbed_env``). On Linux with Landlock,
    the command may write only beneath ``writable`` (plus /dev/null and /dev/shm); ``cwd`` is
    *not* writable unless listed. ``channels`` maps a name to a byte cap: a pipe out of the
    sandbox whose content comes back in ``RunResult.channels``. ``inputs`` maps a name to at
    most 64 KiB sent through a pipe into it. ``cancel``, when set, stops the run early.
    ``landlock=False`` skips Landlock (for tests of the other defences; never for learners).
    Also exported to the command: ``TUTOR_SANDBOX_DEADLINE``, the wall deadline as a
    ``time.monotonic()`` value (the same clock in every process on Linux and macOS).
    On macOS and the BSDs, or with ``TUTOR_SANDBOX_PORTABLE=1``, the weaker portable runner is
    used (``portable.py``: no reaper, Landlock or cgroup); on Windows this raises ``OSError``.
    """
    if sys.platform == "win32":
        raise OSError("the sandboxed runner needs Linux, macOS or a BSD; Windows is not supported")
    use_portable = portable.wanted()
    started = time.monotonic()
    deadline = started + timeout_s
    full_env = scrubbed_env(env)
    full_env["TUTOR_SANDBOX_DEADLINE"] = repr(deadline)
    run_id = f"tutor-run-{os.getpid()}-{time.monotonic_ns()}-{threading.get_ident()}"
    full_env["TUTOR_RUN_ID"] = run_id  # lets us find the run's processes if the reaper dies
    argv = _resolve(argv, full_env)
    limits = limits or Limits()
    to_close: list[int] = []
    pass_fds: list[int] = []
    readers: dict[int, tuple[str, CappedBuffer]] = {}
    try:
        out_r, out_w = os.pipe()
        to_close += [out_r, out_w]
        readers[out_r] = ("", CappedBuffer(output_cap))
        if not use_portable:
            report_r, report_w = os.pipe()
            to_close += [report_r, report_w]
            readers[report_r] = ("\0report", CappedBuffer(1 << 20))
        for name, cap in (channels or {}).items():
            r, w = os.pipe()
            to_close += [r, w]
            readers[r] = (name, CappedBuffer(cap))
            pass_fds.append(w)
            full_env[f"TUTOR_FD_{name.upper()}"] = str(w)
        for name, data in (inputs or {}).items():
            if len(data) > _MAX_INPUT:
                raise ValueError(f"run_sandboxed: input {name!r} is over {_MAX_INPUT} bytes")
            r, w = os.pipe()
            to_close += [r, w]
            os.write(w, data)  # fits in the pipe buffer: callers send small secrets
            os.close(w)
            to_close.remove(w)
            pass_fds.append(r)
            full_env[f"TUTOR_FD_{name.upper()}"] = str(r)
        if use_portable:
            to_close = [fd for fd in to_close if fd not in (out_w, *pass_fds)]
            returncode, reason, info = portable.run_portable(
                argv,
                cwd=cwd,
                timeout_s=timeout_s,
                deadline=deadline,
                env=full_env,
                limits=limits,
                out_w=out_w,
                pass_fds=pass_fds,
                readers=readers,
                cancel=cancel,
            )
            buffers = {name: buf for name, buf in readers.values()}
            return _portable_result(buffers, returncode, reason, info, time.monotonic() - started)
        spec = {
            "argv": argv,
            "cwd": str(cwd),
            "env": full_env,
            "timeout_s": timeout_s,
            "deadline": deadline,
            "limits": limits.to_json(),
            "writable": [str(p) for p in writable] + ["/dev/null", "/dev/shm"],
            "report_fd": report_w,
            "landlock": landlock,
        }
        encoded_spec = marshal.dumps(spec).hex()  # the reaper need not import json
        reaper = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _REAPER_BOOT, _PACKAGE_PARENT, encoded_spec],
            stdin=subprocess.DEVNULL,
            stdout=out_w,
            stderr=out_w,
            pass_fds=[report_w, *pass_fds],
            start_new_session=True,
            close_fds=True,
        )
        # Only the sandbox may hold the write ends now, so EOF means every process is gone.
        for fd in [out_w, report_w, *pass_fds]:
            os.close(fd)
            to_close.remove(fd)
        cancelled = _pump(reaper, readers, deadline + max(_REAPER_GRACE_S, timeout_s / 2), cancel)
        reaper.wait()
    finally:
        for fd in to_close:
            os.close(fd)
    duration = time.monotonic() - started
    buffers = {name: buf for name, buf in readers.values()}
    result = _result(buffers, duration, cancelled, timeout_s)
    if result.error is not None:
        # No report: the reaper was killed (possible without Landlock's signal scope), so the
        # run's processes were reparented to init. Find them by their environment instead.
        swept = sweep_marked(f"TUTOR_RUN_ID={run_id}".encode())
        result.sandbox["stray_processes_killed_by_the_tutor"] = swept
    return result


def sweep_marked(marker: bytes, give_up_s: float = 5.0) -> int:
    """SIGKILL every process whose environment holds ``marker`` until none is left."""
    killed: set[int] = set()
    stop_at = time.monotonic() + give_up_s
    while time.monotonic() < stop_at:
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if marker + b"\0" in f.read() + b"\0":
                        found.append(int(entry))
            except OSError:
                continue
        live = [pid for pid in found if pid not in killed or _alive(pid)]
        if not live:
            break
        killed.update(pid for pid in live if proctree.kill_now(pid))
        time.sleep(0.01)
    return len(killed)


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent to reap it."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except OSError:
        return False


def _pump(
    reaper: subprocess.Popen,
    readers: dict[int, tuple[str, CappedBuffer]],
    hard_deadline: float,
    cancel: threading.Event | None,
) -> bool:
    """Drain every pipe until all reach EOF; returns True if the run was cancelled."""
    cancelled = abandoned = False
    reaper_gone_at: float | None = None
    try:
        with selectors.DefaultSelector() as selector:
            for fd in readers:
                os.set_blocking(fd, False)
                selector.register(fd, selectors.EVENT_READ)
            open_fds = set(readers)
            while open_fds:
                for key, _ in selector.select(timeout=0.05):
                    try:
                        data = os.read(key.fd, 1 << 16)
                    except BlockingIOError:
                        continue
                    if data:
                        readers[key.fd][1].feed(data)
                    else:
                        selector.unregister(key.fd)
                        open_fds.discard(key.fd)
                if cancel is not None and cancel.is_set() and not cancelled:
                    cancelled = True
                    _signal_reaper(reaper, signal.SIGTERM)
                now = time.monotonic()
                if reaper.poll() is None:
                    if now > hard_deadline and not abandoned:
                        abandoned = True
                        _abandon_reaper(reaper)
                elif reaper_gone_at is None:
                    reaper_gone_at = now
                elif now - reaper_gone_at > 1.0:
                    break  # an escaped process holds a pipe open: stop waiting for it
    except BaseException:
        _signal_reaper(reaper, signal.SIGTERM)  # e.g. Ctrl-C in the tutor: end the run too
        raise
    return cancelled


def _signal_reaper(reaper: subprocess.Popen, sig: int) -> None:
    try:
        reaper.send_signal(sig)
    except ProcessLookupError:
        pass


def _abandon_reaper(reaper: subprocess.Popen) -> None:
    """The reaper stopped responding: kill its session's processes ourselves, best effort."""
    try:
        os.killpg(reaper.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for pid in proctree.descendants(reaper.pid):
        proctree.kill_now(pid)  # one already gone: the caller sweeps for the run's marker


def _portable_result(
    buffers: dict[str, CappedBuffer],
    returncode: int | None,
    reason: str,
    info: dict[str, Any],
    duration: float,
) -> RunResult:
    output = buffers.pop("")
    sig = -returncode if returncode is not None and returncode < 0 else None
    exit_code = returncode if returncode is not None and returncode >= 0 else None
    return RunResult(
        exit_code=exit_code,
        signal=sig,
        timed_out=reason == "timeout",
        cancelled=reason == "cancelled",
        duration_s=duration,
        output=output.text(),
        output_bytes=output.total,
        killed_by_limit=_LIMIT_SIGNALS.get(sig) if sig is not None else None,
        channels={name: buf.data() for name, buf in buffers.items()},
        channel_overflow={name: buf.dropped for name, buf in buffers.items() if buf.dropped},
        sandbox=info,
    )


def _result(
    buffers: dict[str, CappedBuffer], duration: float, cancelled: bool, timeout_s: float
) -> RunResult:
    report_buf = buffers.pop("\0report")
    output = buffers.pop("")
    try:
        report = marshal.loads(report_buf.data())
    except (EOFError, ValueError, TypeError):
        report = {"error": "the sandbox's reaper ended without a report (it was killed)"}
    status = report.get("wait_status")
    exit_code = sig = None
    if status is not None:
        if os.WIFEXITED(status):
            exit_code = os.WEXITSTATUS(status)
        elif os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
    reason = report.get("reason")
    return RunResult(
        exit_code=exit_code,
        signal=sig,
        timed_out=reason == "timeout",
        cancelled=cancelled or reason == "cancelled",
        duration_s=duration,
        output=output.text(),
        output_bytes=output.total,
        killed_by_limit=_LIMIT_SIGNALS.get(sig) if sig is not None else None,
        channels={name: buf.data() for name, buf in buffers.items()},
        channel_overflow={name: buf.dropped for name, buf in buffers.items() if buf.dropped},
        sandbox={k: v for k, v in report.items() if k not in ("wait_status", "error")},
        error=report.get("error"),
    )
