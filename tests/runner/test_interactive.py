"""``start_sandboxed``: an interactive child in the same sandbox, messages both ways."""

from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path

import pytest

from tutor.runner import start_sandboxed

PY = sys.executable

ECHO = """
import json, os
control = os.fdopen(int(os.environ["TUTOR_FD_CONTROL"]), "rb")
events = int(os.environ["TUTOR_FD_EVENTS"])
os.write(events, b'{"state": "ready", "uid": %d}\\n' % os.getuid())
for line in control:
    decision = json.loads(line)
    if decision.get("quit"):
        break
    os.write(events, json.dumps({"state": "stepped", "thread": decision["thread"]}).encode() + b"\\n")
"""


def test_decisions_go_in_and_states_come_out(run_dir: Path) -> None:
    child = start_sandboxed([PY, "-c", ECHO], cwd=run_dir, timeout_s=60, messages=True)
    ready = child.receive(timeout=30)
    assert ready is not None and ready["state"] == "ready", child.wait().output
    for thread in (1, 2, 1):
        assert child.send({"thread": thread})
        assert child.receive(timeout=30) == {"state": "stepped", "thread": thread}
    assert child.send({"quit": True})
    result = child.wait(timeout=30)
    assert result.exit_code == 0, result.output
    assert child.receive(timeout=0.1) is None
    assert not child.running
    assert result.sandbox["namespaces"] == {} or "pid" in result.sandbox["namespaces"]


FORGER = """
import os
events = int(os.environ["TUTOR_FD_EVENTS"])
os.write(events, b"x" * 300_000 + b"\\n")           # one line over the cap
os.write(events, b"not json\\n[1, 2]\\n" + b"[" * 100_000 + b"\\n")  # not objects; too deep
os.write(events, b'{"ok": 1}\\n')
for i in range(3000):                                # more than the queue keeps
    os.write(events, b'{"n": %d}\\n' % i)
os.write(events, b'{"unterminated": ')
"""


def test_the_parent_survives_any_bytes_the_child_sends(run_dir: Path) -> None:
    child = start_sandboxed([PY, "-c", FORGER], cwd=run_dir, timeout_s=60, messages=True)
    result = child.wait(timeout=60)
    messages = []
    while (message := child.receive(timeout=0.1)) is not None:
        messages.append(message)
    assert messages[0] == {"ok": 1}
    assert all(isinstance(m, dict) for m in messages)
    assert 1 < len(messages) <= 1000
    assert result.sandbox["messages_dropped"] >= 4 + 2000


def test_kill_ends_the_child_and_everything_it_started(run_dir: Path) -> None:
    token = f"tutor-test-{uuid.uuid4().hex}"
    code = f"""
import os, time
if os.fork() == 0:
    os.setsid()
    os.execlp("{PY}", "{PY}", "-c", "import time; time.sleep(600)", "{token}")
os.write(int(os.environ["TUTOR_FD_EVENTS"]), b'{{"state": "started"}}\\n')
time.sleep(600)
"""
    child = start_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=120, messages=True)
    assert child.receive(timeout=30) == {"state": "started"}
    started = time.monotonic()
    child.kill()
    result = child.wait(timeout=30)
    assert result.cancelled and time.monotonic() - started < 15
    assert not _alive_with(token)
    quiet = start_sandboxed([PY, "-c", "pass"], cwd=run_dir)
    with pytest.raises(ValueError):
        quiet.send({"a": 1})  # started without messages=True
    assert quiet.wait(timeout=30).exit_code == 0


def _alive_with(token: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if token.encode() in f.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found
