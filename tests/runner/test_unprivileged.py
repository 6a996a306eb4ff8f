"""The hostile, containment and forgery suites again, as an unprivileged user (when run as root).

Graders run the tutor as root (CI, containers) and as ordinary users (a shared server): both
must hold. As root, this test re-runs those suites as uid 65534 through unprivileged.py, which
also makes this Python reachable for that uid on machines that keep it under /root.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
UID = 65534
SUITES = ["test_hostile.py", "test_containment.py", "test_forgery.py", "test_sandbox.py"]


def _in_a_chroot() -> bool:
    """In a chroot, "/" is no mount point: /proc/self/mountinfo lists none there."""
    try:
        with open("/proc/self/mountinfo") as f:
            return not any(line.split()[4] == "/" for line in f if len(line.split()) > 4)
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(os.getuid() != 0, reason="needs root to switch users"),
    pytest.mark.skipif(_in_a_chroot(), reason="in a chroot, a mount namespace cannot be private"),
]


@pytest.mark.slow
def test_the_hostile_suites_hold_as_an_unprivileged_user() -> None:
    import tutor

    work = Path(tempfile.mkdtemp(prefix="tutor-unprivileged-"))
    try:
        os.chown(work, UID, UID)
        os.chmod(work, 0o755)
        exposed = {sys.prefix, sys.base_prefix, str(REPO), str(Path(tutor.__file__).parents[1])}
        argv = [
            sys.executable, str(HERE / "unprivileged.py"), "--uid", str(UID),
            *[f"--expose={p}" for p in sorted(exposed)], "--",
            sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
            "-p", "no:randomly", "--basetemp", str(work / "pytest"),
            *[str(HERE / suite) for suite in SUITES],
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TUTOR_", "PYTEST_"))}
        env.update(HOME=str(work), TMPDIR=str(work), TUTOR_HOME=str(work / "home"))
        done = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=1200)
        summary = done.stdout.strip().splitlines()[-1:] or [done.stderr[-2000:]]
        assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
        assert " passed" in summary[0] and "failed" not in summary[0], summary
    finally:
        subprocess.run(["rm", "-rf", str(work)], check=False)
