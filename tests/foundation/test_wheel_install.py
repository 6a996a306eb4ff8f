"""The built-in course ships inside the wheel: a plain (non-editable) install works anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_carries_the_course_and_runs_from_another_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-w", str(dist), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    wheel = next(dist.glob("threading_tutor-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("tutor/_builtin/lessons/") and n.endswith(".md") for n in names)
    assert any(n.endswith("_builtin/exercises/hit-counter/test_hidden.py") for n in names)
    assert not [n for n in names if "__pycache__" in n]

    venv = tmp_path / "scratch"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    # Dependencies come from this environment; the tutor package itself only from the wheel.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    Path(site, "deps-from-test-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [str(python), "-c", "import tutor, tutor.paths; print(tutor.__file__); "
         "print(tutor.paths.builtin_course_root())"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True,
    ).stdout.split()
    assert where[0].startswith(str(venv)) and where[1].startswith(str(venv))

    listed = subprocess.run(
        [str(python), "-m", "tutor", "list", "--json"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    source = json.loads(subprocess.run(
        [sys.executable, "-m", "tutor", "list", "--json"], capture_output=True, text=True,
        cwd=REPO, check=True,
    ).stdout)
    assert data == source and data["exercises"]
