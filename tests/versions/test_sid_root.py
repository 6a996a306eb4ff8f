"""scripts/sid-root: the mirror it takes from the machine's apt sources, and its refusals."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SID_ROOT = REPO / "scripts" / "sid-root"

DEB822 = """\
Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
Components: main

Types: deb
# a comment
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
"""


def _sid_root(*args: str, apt: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "TUTOR_SID_MIRROR"}
    return subprocess.run(["bash", str(SID_ROOT), *args], capture_output=True, text=True,
                          env={**clean, "TUTOR_APT_DIR": str(apt), **env}, timeout=30)


def test_the_mirror_is_the_first_non_security_archive_in_debian_sources(tmp_path: Path) -> None:
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list.d" / "debian.sources").write_text(DEB822)
    (tmp_path / "sources.list").write_text("deb http://old.example/debian bookworm main\n")
    done = _sid_root("mirror", apt=tmp_path)
    assert (done.returncode, done.stdout) == (0, "http://mirror.example/debian\n")


def test_the_mirror_falls_back_to_sources_list(tmp_path: Path) -> None:
    (tmp_path / "sources.list").write_text(
        "# deb http://commented.example/debian sid main\n"
        "deb http://security.example/debian-security bookworm-security main\n"
        "deb [arch=amd64 signed-by=/k.gpg] http://old.example/debian bookworm main\n"
    )
    done = _sid_root("mirror", apt=tmp_path)
    assert (done.returncode, done.stdout) == (0, "http://old.example/debian\n")


def test_an_explicit_mirror_wins_and_no_mirror_is_one_clear_line(tmp_path: Path) -> None:
    done = _sid_root("mirror", apt=tmp_path, TUTOR_SID_MIRROR="http://given.example/debian")
    assert done.stdout == "http://given.example/debian\n"
    done = _sid_root("mirror", apt=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and "set TUTOR_SID_MIRROR" in done.stderr


def test_an_unfinished_root_is_never_used(tmp_path: Path) -> None:
    (tmp_path / "usr" / "bin").mkdir(parents=True)
    done = _sid_root("check", str(tmp_path), apt=tmp_path)
    assert done.returncode == 1 and "not a finished sid root" in done.stderr
    done = _sid_root("run", str(tmp_path), str(tmp_path), "--", "true", apt=tmp_path)
    assert done.returncode == 1


def test_usage_errors_say_how(tmp_path: Path) -> None:
    for argv in ([], ["build"], ["run", "x", "y", "true"]):
        done = _sid_root(*argv, apt=tmp_path)
        assert done.returncode == 1 and done.stderr.startswith("sid-root: usage:"), argv


def test_a_root_built_with_other_packages_is_not_reused(tmp_path: Path) -> None:
    (tmp_path / "usr" / "bin").mkdir(parents=True)
    for python in ("python3.14", "python3.15"):
        (tmp_path / "usr" / "bin" / python).write_text("")
        (tmp_path / "usr" / "bin" / python).chmod(0o755)
    (tmp_path / ".threading-tutor-sid-root").write_text("python3.14,python3.15\n")
    done = _sid_root("check", str(tmp_path), apt=tmp_path)
    assert done.returncode == 1 and "built with other packages" in done.stderr
    packages = re.search(r"^PACKAGES=(\S+)$", SID_ROOT.read_text(), re.M).group(1)
    (tmp_path / ".threading-tutor-sid-root").write_text(packages + "\n")
    assert _sid_root("check", str(tmp_path), apt=tmp_path).returncode == 0
