"""Run one command in a sandboxed child process tree and collect its result (tutor side).

The command runs two processes below a reaper (see ``reaper.py``), with rlimits, a scrubbed
environment, stdin from /dev/null, Landlock (Linux) and a wall deadline. Its stdout and stderr
share one pipe that is drained as it arrives, keeping only the first ``output_cap`` bytes.
Extra one-way pipes (``channels`` out of the sandbox, ``inputs`` into it) carry data that must
not mix with the learner's output; their file descriptor numbers are given to the command in
``TUTOR_FD_<NAME>`` variables.
"""

from __future__ import annotations

import io
import json
import marshal
import os
import queue
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.runner import cgroup, portable, proctree
from tutor.runner.capture import CappedBuffer
from tutor.runner.isolation import disabled_layers, isolation_plan, share_with_sandbox_user
from tutor.runner.limits import Limits

OUTPUT_CAP = 64 * 1024
MESSAGE_CAP = 64 * 1024  # one message from an interactive command, in bytes
MAX_QUEUED = 1000  # unread messages from an interactive command; more are dropped
DEFAULT_TIMEOUT_S = 10.0
_MAX_INPUT = 60 * 1024  # an input is written before the run starts: it must fit a pipe buffer
# How long past the deadline before we stop trusting the reaper. Generous: ending a fork bomb
# of a thousand processes on a loaded 2-core machine took the kernel 4 s.
_REAPER_GRACE_S = 20.0
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
_REAPER_BOOT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from tutor.runner.reaper import main; main()"
)
_REAPER_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
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
    readable: Sequence[Path] = (),
    startup_s: float | None = None,
) -> RunResult:
    """Run ``argv`` in ``cwd`` in the sandbox; return once every process of the run is gone.

    ``env`` is added to a scrubbed environment (see ``scrubbed_env``). The command sees a
    private root (``readable`` adds read-only paths to it) and may write only beneath
    ``writable``, which are private size-limited tmpfs when the kernel gives a mount namespace
    (so nothing written there reaches the host), else the host's directories under Landlock;
    ``cwd`` is *not* writable unless listed. ``channels`` maps a name to a byte cap: a pipe out
    of the sandbox whose content comes back in ``RunResult.channels``. ``inputs`` maps a name
    to at most 60 KiB sent through a pipe into it. ``cancel``, when set, stops the run early.
    ``landlock=False`` skips Landlock (for tests of the other defences; never for learners).
    ``startup_s``: the command's start-up is not counted. It gets ``$TUTOR_FD_READY`` and
    ``$TUTOR_SANDBOX_TIMEOUT``; ``timeout_s`` counts from the first byte written there, which
    must come within ``startup_s`` (the whole run never exceeds ``startup_s + timeout_s``).
    The portable runner ignores it: there, start-up counts.
    Also exported to the command: ``TUTOR_SANDBOX_DEADLINE``, the wall deadline as a
    ``time.monotonic()`` value (the same clock in every process on Linux and macOS).
    On macOS and the BSDs, or with ``TUTOR_SANDBOX_PORTABLE=1``, the weaker portable runner is
    used (``portable.py``: no reaper, namespaces, Landlock or cgroup); on Windows this raises
    ``OSError``.
    """
    if sys.platform == "win32":
        raise OSError("the sandboxed runner needs Linux, macOS or a BSD; Windows is not supported")
    if portable.wanted():
        return _run_portable(  # no reaper to move the deadline: start-up counts there
            argv, cwd=cwd, timeout_s=timeout_s, env=env, limits=limits, channels=channels,
            inputs=inputs, output_cap=output_cap, cancel=cancel,
        )  # fmt: skip
    process = start_sandboxed(
        argv, cwd=cwd, timeout_s=timeout_s, env=env, limits=limits, writable=writable,
        channels=channels, inputs=inputs, output_cap=output_cap, landlock=landlock,
        readable=readable, startup_s=startup_s, _threaded=False,
    )  # fmt: skip
    return process.wait(cancel=cancel)


def _run_portable(
    argv: Sequence[str],
    *,
    cwd: Path,
    timeout_s: float,
    env: Mapping[str, str] | None,
    limits: Limits | None,
    channels: Mapping[str, int] | None,
    inputs: Mapping[str, bytes] | None,
    output_cap: int,
    cancel: threading.Event | None,
) -> RunResult:
    started = time.monotonic()
    deadline = started + timeout_s
    full_env = scrubbed_env(env)
    full_env["TUTOR_SANDBOX_DEADLINE"] = repr(deadline)
    argv = _resolve(argv, full_env)
    pipes = _Pipes(output_cap)
    try:
        pipes.open(channels, inputs, {}, full_env, report=False)
        # run_portable closes the child's ends itself once the child holds them.
        pipes.to_close = [fd for fd in pipes.to_close if fd not in (pipes.out_w, *pipes.child_ends)]
        returncode, reason, info = portable.run_portable(
            argv,
            cwd=cwd,
            timeout_s=timeout_s,
            deadline=deadline,
            env=full_env,
            limits=limits or Limits(),
            out_w=pipes.out_w,
            pass_fds=pipes.child_ends,
            readers=pipes.readers,
            cancel=cancel,
        )
    finally:
        pipes.close()
    buffers = {name: buf for name, buf in pipes.readers.values()}
    return _portable_result(buffers, returncode, reason, info, time.monotonic() - started)


class _Pipes:
    """The pipes of one run: output, the reaper's report, channels out, inputs and messages."""

    def __init__(self, output_cap: int) -> None:
        self.readers: dict[int, tuple[str, CappedBuffer]] = {}
        self.child_ends: list[int] = []
        self.to_close: list[int] = []
        self.output_cap = output_cap
        self.out_w = -1
        self.report_w = -1
        self.control_w: int | None = None
        self.events_r: int | None = None
        self.ready_r: int | None = None  # the reaper's: the command says when it is up

    def _pipe(self) -> tuple[int, int]:
        r, w = os.pipe()
        self.to_close += [r, w]
        return r, w

    def open(
        self,
        channels: Mapping[str, int] | None,
        inputs: Mapping[str, bytes] | None,
        messages: Mapping[str, int],
        env: dict[str, str],
        *,
        report: bool,
    ) -> None:
        out_r, self.out_w = self._pipe()
        self.readers[out_r] = ("", CappedBuffer(self.output_cap))
        if report:
            report_r, self.report_w = self._pipe()
            self.readers[report_r] = ("\0report", CappedBuffer(1 << 20))
        for name, cap in (channels or {}).items():
            r, w = self._pipe()
            self.readers[r] = (name, CappedBuffer(cap))
            self.child_ends.append(w)
            env[f"TUTOR_FD_{name.upper()}"] = str(w)
        for name, data in (inputs or {}).items():
            if len(data) > _MAX_INPUT:
                raise ValueError(f"run_sandboxed: input {name!r} is over {_MAX_INPUT} bytes")
            r, w = self._pipe()
            os.write(w, data)  # fits in the pipe buffer: callers send small secrets
            self._close(w)
            self.child_ends.append(r)
            env[f"TUTOR_FD_{name.upper()}"] = str(r)
        if messages:
            r, w = self._pipe()  # states out of the sandbox
            self.events_r = r
            self.child_ends.append(w)
            env["TUTOR_FD_EVENTS"] = str(w)
            r2, w2 = self._pipe()  # decisions into it
            os.set_blocking(w2, False)  # send() never blocks on a child that does not read
            self.control_w = w2
            self.child_ends.append(r2)
            env["TUTOR_FD_CONTROL"] = str(r2)

    def open_ready(self, env: dict[str, str], timeout_s: float) -> None:
        r, w = self._pipe()
        self.ready_r = r
        self.child_ends.append(w)
        env["TUTOR_FD_READY"] = str(w)
        env["TUTOR_SANDBOX_TIMEOUT"] = repr(timeout_s)

    def reaper_ends(self) -> list[int]:
        return [] if self.ready_r is None else [self.ready_r]

    def _close(self, fd: int) -> None:
        os.close(fd)
        self.to_close.remove(fd)

    def child_ends_closed(self) -> None:
        """Only the sandbox may hold the write ends now, so EOF means every process is gone."""
        for fd in [self.out_w, self.report_w, *self.child_ends, *self.reaper_ends()]:
            if fd in self.to_close:
                self._close(fd)

    def close(self) -> None:
        for fd in list(self.to_close):
            self._close(fd)


def start_sandboxed(
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
    landlock: bool = True,
    readable: Sequence[Path] = (),
    messages: bool = False,
    message_cap: int = MESSAGE_CAP,
    startup_s: float | None = None,
    _threaded: bool = True,
) -> SandboxedProcess:
    """Start ``argv`` in the sandbox and return at once (Linux only; same isolation as
    ``run_sandboxed``, which is this plus ``wait()``).

    With ``messages=True`` the command gets two more pipes: ``$TUTOR_FD_CONTROL`` (read it:
    ``SandboxedProcess.send`` writes one JSON object per line) and ``$TUTOR_FD_EVENTS`` (write
    one JSON object per line to it: ``SandboxedProcess.receive`` returns them). Nothing the
    command writes there can harm the caller: a line over ``message_cap`` bytes, anything but
    a JSON object, or more than ``MAX_QUEUED`` unread messages is dropped and counted.
    ``timeout_s`` is the whole session's wall limit (``startup_s``: see ``run_sandboxed``).
    """
    if sys.platform == "win32" or portable.wanted():
        raise OSError("start_sandboxed needs the Linux runner (namespaces, reaper, Landlock)")
    started = time.monotonic()
    deadline = started + timeout_s + (startup_s or 0.0)  # the latest; the reaper may move it up
    full_env = scrubbed_env(env)
    full_env["TUTOR_SANDBOX_DEADLINE"] = repr(deadline)
    run_id = f"tutor-run-{os.getpid()}-{time.monotonic_ns()}-{threading.get_ident()}"
    full_env["TUTOR_RUN_ID"] = run_id  # lets us find the run's processes if the reaper dies
    argv = _resolve(argv, full_env)
    limits = limits or Limits()
    pipes = _Pipes(output_cap)
    root_mount = tempfile.mkdtemp(prefix="tutor-root-")  # the private root's mount point
    try:
        pipes.open(
            channels, inputs, {"events": message_cap} if messages else {}, full_env, report=True
        )
        if startup_s is not None:
            pipes.open_ready(full_env, timeout_s)
        iso = isolation_plan(argv[0], Path(cwd), writable, readable, limits, root_mount)
        landlock_writable = [str(p) for p in writable] + ["/dev/null", "/dev/shm"]
        if iso["uid"] is not None:
            share_with_sandbox_user(Path(cwd), writable, iso["uid"], iso["gid"])
        spec = {
            "argv": argv,
            "cwd": str(cwd),
            "env": full_env,
            "timeout_s": timeout_s + (startup_s or 0.0),
            "limit_s": timeout_s,
            "ready_fd": pipes.ready_r,
            "deadline": deadline,
            "limits": limits.to_json(),
            "writable": landlock_writable,
            "report_fd": pipes.report_w,
            "landlock": landlock and "landlock" not in disabled_layers(),
            "isolation": iso,
        }
        encoded_spec = marshal.dumps(spec).hex()  # the reaper need not import json
        # The reaper is born with its stop signals blocked (a child inherits the mask): a
        # cancel that comes while its interpreter starts waits for it, instead of killing it
        # before it can report.
        old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _REAPER_STOP_SIGNALS)
        try:
            reaper = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _REAPER_BOOT, _PACKAGE_PARENT, encoded_spec],
                stdin=subprocess.DEVNULL,
                stdout=pipes.out_w,
                stderr=pipes.out_w,
                pass_fds=[pipes.report_w, *pipes.child_ends, *pipes.reaper_ends()],
                start_new_session=True,
                close_fds=True,
            )
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        pipes.child_ends_closed()
    except BaseException:
        pipes.close()
        _remove_mount_point(root_mount)
        raise
    process = SandboxedProcess(
        reaper, pipes, started, deadline, timeout_s, run_id, root_mount, message_cap
    )
    if _threaded:
        process._start_pump_thread()
    return process


class SandboxedProcess:
    """A command running in the sandbox (see ``start_sandboxed``).

    ``send`` and ``receive`` carry messages both ways when it was started with ``messages``;
    ``kill`` ends it and everything it started; ``wait`` returns its ``RunResult``. Safe to use
    from one thread while another waits; every method is bounded in time.
    """

    def __init__(
        self,
        reaper: subprocess.Popen,
        pipes: _Pipes,
        started: float,
        deadline: float,
        timeout_s: float,
        run_id: str,
        root_mount: str,
        message_cap: int,
    ) -> None:
        self._reaper = reaper
        self._pipes = pipes
        self._started = started
        self._deadline = deadline
        self._timeout_s = timeout_s
        self._run_id = run_id
        self._root_mount = root_mount
        self._message_cap = message_cap
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._event_buffer = b""
        self._event_dropping = False
        self.messages_dropped = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._cancelled = False
        self._result: RunResult | None = None
        self._pump_error: BaseException | None = None

    @property
    def pid(self) -> int:
        """The reaper's pid (the learner's processes are below it, in their own namespaces)."""
        return self._reaper.pid

    @property
    def running(self) -> bool:
        return not self._done.is_set()

    def send(self, message: Mapping[str, Any]) -> bool:
        """Send one JSON object to the command; False if it no longer listens (or the pipe is
        full: the command is not reading). Never blocks."""
        fd = self._pipes.control_w
        if fd is None:
            raise ValueError("start_sandboxed(..., messages=True) gives the message channels")
        line = json.dumps(dict(message), separators=(",", ":")).encode() + b"\n"
        if len(line) > self._message_cap:
            raise ValueError(f"message over {self._message_cap} bytes")
        with self._lock:
            if self._pipes.control_w is None:
                return False
            try:
                return os.write(fd, line) == len(line)
            except (BlockingIOError, BrokenPipeError, OSError):
                return False

    def receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next message from the command, or None after ``timeout`` or once it has ended
        and every message was taken."""
        stop_at = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                return self._events.get(timeout=0.05)
            except queue.Empty:
                pass
            if self._done.is_set() and self._events.empty():
                return None
            if stop_at is not None and time.monotonic() >= stop_at:
                return None

    def kill(self) -> None:
        """End the command and every process it started (the reaper kills the whole run)."""
        self._cancelled = True
        _signal_reaper(self._reaper, signal.SIGTERM)

    def wait(
        self, timeout: float | None = None, *, cancel: threading.Event | None = None
    ) -> RunResult:
        """Block until every process of the run is gone; its result. With ``timeout``, raises
        ``TimeoutError`` if it is still running then (it keeps running)."""
        if self._thread is None and not self._done.is_set():
            self._pump(cancel)
        elif not self._done.wait(timeout):
            raise TimeoutError("the sandboxed command is still running")
        if self._pump_error is not None:
            raise self._pump_error
        assert self._result is not None
        return self._result

    def _start_pump_thread(self) -> None:
        self._thread = threading.Thread(target=self._pump, name="tutor-sandbox-pump", daemon=True)
        self._thread.start()

    def _feed_events(self, data: bytes) -> None:
        """Split the command's messages into lines; keep each valid JSON object, drop the rest."""
        self._event_buffer += data
        while True:
            newline = self._event_buffer.find(b"\n")
            if newline < 0:
                if len(self._event_buffer) > self._message_cap:
                    self._event_buffer = b""
                    self._event_dropping = True  # a line too long: skip to its end
                    self.messages_dropped += 1
                return
            line, self._event_buffer = (
                self._event_buffer[:newline],
                self._event_buffer[newline + 1 :],
            )
            if self._event_dropping:
                self._event_dropping = False
                continue
            message = _parse_message(line, self._message_cap)
            if message is None or self._events.qsize() >= MAX_QUEUED:
                self.messages_dropped += 1
            else:
                self._events.put(message)

    def _pump(self, cancel: threading.Event | None = None) -> None:
        pipes = self._pipes
        try:
            readers = dict(pipes.readers)
            if pipes.events_r is not None:
                readers[pipes.events_r] = ("\0events", CappedBuffer(0))
            cancelled, abandoned = _drain(
                self._reaper,
                readers,
                self._deadline + max(_REAPER_GRACE_S, self._timeout_s / 2),
                cancel,
                on_events=self._feed_events if pipes.events_r is not None else None,
                events_fd=pipes.events_r,
                cancelled_flag=lambda: self._cancelled,
            )
            self._reaper.wait()
            with self._lock:
                pipes.close()
                pipes.control_w = None
            duration = time.monotonic() - self._started
            buffers = {name: buf for name, buf in pipes.readers.values()}
            result = _result(
                buffers, duration, cancelled or self._cancelled, self._timeout_s, abandoned
            )
            if result.error is not None or abandoned:
                # No report: the reaper was killed, so the run's processes were reparented to
                # init. Find them by their environment instead.
                swept = sweep_marked(f"TUTOR_RUN_ID={self._run_id}".encode())
                result.sandbox["stray_processes_killed_by_the_tutor"] = swept
                cgroup.remove_leftovers(self._reaper.pid)
            if self.messages_dropped:
                result.sandbox["messages_dropped"] = self.messages_dropped
            self._result = result
        except BaseException as exc:
            self._pump_error = exc
            if self._thread is None:
                raise
        finally:
            with self._lock:
                pipes.close()
                pipes.control_w = None
            _remove_mount_point(self._root_mount)
            self._done.set()


def _parse_message(line: bytes, cap: int) -> dict[str, Any] | None:
    if len(line) > cap:
        return None
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return message if isinstance(message, dict) else None


def _remove_mount_point(path: str) -> None:
    try:
        os.rmdir(path)
    except OSError:
        pass


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


def _drain(
    reaper: subprocess.Popen,
    readers: dict[int, tuple[str, CappedBuffer]],
    hard_deadline: float,
    cancel: threading.Event | None,
    *,
    on_events: Callable[[bytes], None] | None = None,
    events_fd: int | None = None,
    cancelled_flag: Callable[[], bool] = lambda: False,
) -> tuple[bool, bool]:
    """Drain every pipe until all reach EOF; returns whether the run was cancelled and
    whether the reaper had to be abandoned (still running at ``hard_deadline``)."""
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
                        if key.fd == events_fd and on_events is not None:
                            on_events(data)
                        else:
                            readers[key.fd][1].feed(data)
                    else:
                        selector.unregister(key.fd)
                        open_fds.discard(key.fd)
                wanted = (cancel is not None and cancel.is_set()) or cancelled_flag()
                if wanted and not cancelled:
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
    return cancelled, abandoned


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


def _reports(data: bytes) -> list[dict[str, Any]]:
    """The reaper's reports, in order: an interim one once the command starts, a final one."""
    stream = io.BytesIO(data)
    found = []
    while True:
        try:
            report = marshal.load(stream)
        except (EOFError, ValueError, TypeError):
            return found
        if isinstance(report, dict):
            found.append(report)


def _result(
    buffers: dict[str, CappedBuffer],
    duration: float,
    cancelled: bool,
    timeout_s: float,
    abandoned: bool = False,
) -> RunResult:
    report_buf = buffers.pop("\0report")
    output = buffers.pop("")
    reports = _reports(report_buf.data())
    if reports and not reports[-1].get("interim"):
        report = reports[-1]
    else:
        # No final report: keep what the interim one said about the layers.
        report = {k: v for r in reports for k, v in r.items() if k != "interim"}
        if abandoned:
            # Still running past the deadline and its grace: the run overran its limit (a
            # starved machine, a fork bomb); the tutor killed it. Not the grader's failure.
            report["reason"] = "timeout"
            report["reaper"] = (
                "no report within its grace after the deadline: the tutor killed the run itself"
            )
        else:
            report["error"] = "the sandbox's reaper ended without a report (it was killed)"
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
