"""Test modules are imported by basename (no packages under tests/): two files with one name
in different folders make pytest refuse the second ("import file mismatch") when both run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_test_module_has_a_name_of_its_own() -> None:
    names = Counter(
        path.name
        for path in TESTS.rglob("test_*.py")
        if "fixtures" not in path.parts and "course" not in path.relative_to(TESTS).parts[1:-1]
    )
    assert [name for name, count in names.items() if count > 1] == []
