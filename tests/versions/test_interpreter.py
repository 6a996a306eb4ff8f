"""Free-threaded builds are refused with one line; regular builds run."""

from __future__ import annotations

import subprocess
import sys
import sysconfig

from tutor.interpreter import is_free_threaded, unsupported_reason

# Pretend to be a free-threaded build, then start the CLI as `python -m tutor` would.
PRETEND_FREE_THREADED = """
import sys, sysconfig
real = sysconfig.get_config_var
sysconfig.get_config_var = lambda name: 1 if name == "Py_GIL_DISABLED" else real(name)
from tutor.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_this_interpreter_is_judged_by_its_build_flag() -> None:
    assert is_free_threaded() == bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    assert (unsupported_reason() is None) == (not is_free_threaded())


def test_a_free_threaded_build_is_refused_with_one_line_before_anything_runs() -> None:
    version = "{}.{}".format(*sys.version_info[:2])
    for argv in (["list"], []):  # a command, and the app itself
        done = subprocess.run([sys.executable, "-c", PRETEND_FREE_THREADED, *argv],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2
        assert done.stdout == ""
        lines = done.stderr.splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("tutor: error: free-threaded Python")
        assert f"({version}t)" in lines[0] and f"python{version}" in lines[0]


def test_a_regular_build_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "tutor", "--version"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("tutor ")
