"""What pip installed for this Python needed no compiler: every compiled dependency came as a
prebuilt wheel (manylinux/musllinux/macOS tags), none was built here from source."""

from __future__ import annotations

import re
import sys
from importlib import metadata

import pytest
from packaging.requirements import Requirement

# A wheel built on this machine from an sdist carries the bare platform tag (linux_x86_64):
# building it took a compiler. Prebuilt ones from an index carry a portable platform tag.
BUILT_HERE = re.compile(r"^Tag: \S+-\S+-linux_\w+$", re.M)


def _installed_closure(name: str, extras: tuple[str, ...]) -> dict[str, metadata.Distribution]:
    """``name`` and everything it pulls in on this interpreter (markers evaluated)."""
    found: dict[str, metadata.Distribution] = {}
    todo = [(name, extras)]
    while todo:
        project, wanted = todo.pop()
        key = re.sub(r"[-_.]+", "-", project).lower()
        if key in found:
            continue
        try:
            dist = metadata.distribution(project)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency this environment does not have
        found[key] = dist
        for line in dist.requires or []:
            req = Requirement(line)
            envs = [{"extra": e} for e in wanted] or [{"extra": ""}]
            if req.marker is None or any(req.marker.evaluate(env) for env in envs):
                todo.append((req.name, tuple(req.extras)))
    return found


def test_no_installed_dependency_was_compiled_here() -> None:
    try:
        metadata.distribution("threading-tutor")
    except metadata.PackageNotFoundError:
        pytest.skip("threading-tutor is not installed in this environment (run from a checkout)")
    closure = _installed_closure("threading-tutor", ("test",))
    assert "textual" in closure and "pytest" in closure
    built_here = sorted(
        f"{key} {dist.version}" for key, dist in closure.items()
        if BUILT_HERE.search(dist.read_text("WHEEL") or "")
    )
    assert not built_here, f"built from source on this machine (needs a compiler): {built_here}"


def test_tree_sitter_is_installed_exactly_where_it_has_wheels() -> None:
    """Below 3.15 the editor highlights (tree-sitter comes as a wheel); on 3.15 it is left out,
    unless someone asked for the `syntax` extra."""
    try:
        requires = metadata.requires("threading-tutor") or []
    except metadata.PackageNotFoundError:
        pytest.skip("threading-tutor is not installed in this environment (run from a checkout)")
    base = [Requirement(r) for r in requires if "extra ==" not in r]
    wanted = {r.name for r in base if r.marker is None or r.marker.evaluate()}
    assert ("tree-sitter" in wanted) == (sys.version_info < (3, 15))
    if "tree-sitter" in wanted:
        assert metadata.version("tree-sitter")


def test_the_built_here_check_tells_local_builds_from_prebuilt_wheels() -> None:
    local = "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp315-cp315-linux_x86_64\n"
    prebuilt = "Root-Is-Purelib: false\nTag: cp314-cp314-manylinux_2_17_x86_64\n"
    pure = "Root-Is-Purelib: true\nTag: py3-none-any\n"
    assert BUILT_HERE.search(local)
    assert not BUILT_HERE.search(prebuilt) and not BUILT_HERE.search(pure)
