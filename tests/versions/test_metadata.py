"""The package metadata claims exactly what CI tests, and CI runs exactly the README's command."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_classifiers_name_exactly_the_versions_ci_tests(driver: ModuleType) -> None:
    prefix = "Programming Language :: Python :: "
    claimed = [c[len(prefix):] for c in PYPROJECT["classifiers"]
               if re.fullmatch(re.escape(prefix) + r"3\.\d+", c)]
    assert claimed == list(driver.VERSIONS)


def test_requires_python_starts_at_the_oldest_version_ci_tests(driver: ModuleType) -> None:
    assert PYPROJECT["requires-python"] == f">={driver.VERSIONS[0]}"


def test_every_tested_version_has_a_plan_whose_paths_exist(driver: ModuleType) -> None:
    assert set(driver.PLAN) == set(driver.VERSIONS)
    for version, part in driver.PLAN.items():
        paths = part.paths
        assert paths, version
        for path in paths:
            assert (REPO / path).exists(), f"{version}: {path} does not exist"
        for a in paths:  # no test is run twice, none is named twice
            assert not [b for b in paths if b != a and (b + "/").startswith(a + "/")], version


def test_tree_sitter_is_left_out_only_where_it_has_no_wheels() -> None:
    """No compiler needed anywhere: tree-sitter is a base dependency only below 3.15, and the
    ``syntax`` extra asks for it everywhere (README)."""
    base = {re.split(r"[<>=;\s]", d, maxsplit=1)[0]: d for d in PYPROJECT["dependencies"]}
    for name in ("tree-sitter", "tree-sitter-python"):
        assert base[name].replace('"', "'").endswith("; python_version < '3.15'"), base[name]
    extra = PYPROJECT["optional-dependencies"]["syntax"]
    assert sorted(re.split(r"[<>=]", d)[0] for d in extra) == ["tree-sitter", "tree-sitter-python"]


def _readme_test_command() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up a fresh machine", 1)[1].split("\n## ", 1)[0]
    block = section.split("run the test suite", 1)[1]
    return re.search(r"```sh\n(.+?)\n```", block, re.S).group(1).strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = _readme_test_command()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    run_lines = [line.strip() for line in ci.splitlines()
                 if line.strip() and not line.lstrip().startswith("#")]
    assert command in run_lines, f"{command!r} is not a line of .ci/run"
    assert "scripts/test_versions.py" in command
