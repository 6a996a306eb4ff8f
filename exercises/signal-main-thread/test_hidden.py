"""Hidden tests for signal-main-thread: a real SIGTERM, sent to a real daemon process.

No interleaving is at stake. The daemon runs in a child process (as under a service manager)
and the test sends it SIGTERM, like `systemctl stop` would. Every wait is far longer than a
correct daemon needs (it reacts in milliseconds) and only bounds how long a broken one takes
to fail; a child that outlives the limit is killed.
"""

import signal
import subprocess
import sys
import threading

GENEROUS_WAIT_S = 15.0

DAEMON = r"""
import os
import sys
import threading

import submission

crashes = []
syncing = threading.Event()

def sync_once():
    if threading.current_thread() is threading.main_thread():
        print("in-main-thread", flush=True)
        os._exit(4)
    syncing.set()

def record_crash(args):
    crashes.append(f"{args.exc_type.__name__}: {args.exc_value}")
    syncing.set()

threading.excepthook = record_crash
daemon = submission.SyncDaemon(sync_once)
daemon.start()
syncing.wait(WAIT)
if crashes:
    print("crashed", crashes[0], flush=True)
    sys.exit(3)
print("syncing" if syncing.is_set() else "not-syncing", flush=True)
ended = daemon.join(WAIT)
print("ended" if ended else "still-running", daemon.stopped_cleanly, flush=True)
""".replace("WAIT", repr(GENEROUS_WAIT_S))


def _run_daemon_and_send_sigterm():
    """Start the daemon in a child process, SIGTERM it once it syncs; (first line, rest, code)."""
    child = subprocess.Popen(
        [sys.executable, "-c", DAEMON],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watchdog = threading.Timer(3 * GENEROUS_WAIT_S, child.kill)
    watchdog.start()
    try:
        first = child.stdout.readline().strip()
        if first == "syncing":
            child.send_signal(signal.SIGTERM)
        rest = child.stdout.read()
        code = child.wait()
    finally:
        watchdog.cancel()
        if child.poll() is None:
            child.kill()
            child.wait()
    return first, rest, code


def test_sigterm_stops_the_worker_cleanly():
    first, rest, code = _run_daemon_and_send_sigterm()
    assert not first.startswith("crashed"), f"the worker thread died at start-up: {first}"
    assert first != "in-main-thread", "sync ran in the main thread, not in a worker thread"
    assert first == "syncing", f"the daemon never started syncing: {first!r} {rest[-500:]}"
    assert code != -signal.SIGTERM, "SIGTERM killed the process: the daemon did not handle it"
    last = rest.strip().splitlines()[-1] if rest.strip() else ""
    assert last.startswith("ended"), f"the worker did not stop after SIGTERM: {rest[-500:]!r}"
    assert last == "ended True", "the worker ended without setting stopped_cleanly"
    assert code == 0, f"the daemon process exited with status {code}: {rest[-500:]}"
